/**
 * The answers of a whole Indonesian report, typed as a person would: no one in danger now, a
 * family member reporting forced labour, questions skipped, Jawa Timur, one adult woman.
 */
const ANSWERS_BEFORE_STORY = ["lapor", "tidak", "2", "1", "1", "2", "1", "1", "jatim", "ya", "dewasa", "1", "1"];

/** A whole report from a fresh chat that leaves a contact number. */
export const REPORT_LINES = (story: string, phone: string): string[] => [
  "halo",
  ...ANSWERS_BEFORE_STORY,
  story,
  "2",
  phone,
  "1",
  "1",
];

/** A whole report whose reporter may be contacted in this chat. */
export const CHAT_REPORT_LINES = (story: string): string[] => [...ANSWERS_BEFORE_STORY, story, "1", "1", "1"];
