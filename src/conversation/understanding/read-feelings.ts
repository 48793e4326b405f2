/**
 * Words that change how the bot should answer, whatever the question: distress ("saya nulis
 * sambil nangis", "tolong bu") and a departure or transfer that is close ("berangkat minggu
 * depan", "besok dibawa", "next week").
 */
import { type Lexicon, tableOf } from "./lexicon.ts";
import { normalizeReply } from "./normalize-reply.ts";

function mentions(text: string, lexicon: Lexicon, list: "distress" | "departure"): boolean {
  const { tokens } = normalizeReply(text, lexicon);
  const table = tableOf(lexicon, `feel:${list}`, [[list, list]]);
  return tokens.some((_, i) => table.longestAt(tokens, i) !== null);
}

/** True when the text says the person is frightened, crying or calling for help. */
export function soundsDistressed(text: string, lexicon: Lexicon): boolean {
  return mentions(text, lexicon, "distress");
}

/** True when the text says someone leaves, or is taken or sent away, soon. */
export function departureIsClose(text: string, lexicon: Lexicon): boolean {
  return mentions(text, lexicon, "departure");
}
