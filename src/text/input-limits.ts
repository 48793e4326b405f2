/**
 * How much of a message each reader looks at. A channel may deliver 65,536 characters in one
 * message; matching all of them against places, labels or commands costs seconds of a blocked
 * process (issue 13, item 7), while what those readers look for is always short. Free text
 * that is kept (a story, a message for the office, a staff note) is never cut by these.
 */

/**
 * The longest text read as a short answer: a choice's number or label, a command, a reference
 * or a PIN. No label or command comes near it, so a longer message is none of them and is not
 * scanned for them.
 */
export const MAX_SHORT_ANSWER = 200;

/** The most of a typed place the place readers look at: a place is named in its first words. */
export const MAX_PLACE_TEXT = 200;

/** True when a text is short enough to be a short answer (see MAX_SHORT_ANSWER). */
export function isShortAnswer(text: string): boolean {
  return text.length <= MAX_SHORT_ANSWER;
}

/** The part of a typed place that the place readers look at. */
export function placeHead(text: string): string {
  return text.length <= MAX_PLACE_TEXT ? text : text.slice(0, MAX_PLACE_TEXT);
}
