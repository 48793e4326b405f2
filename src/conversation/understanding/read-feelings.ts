/**
 * Words that change how the bot should answer, whatever the question: distress ("saya nulis
 * sambil nangis", "tolong bu") and a departure or transfer that is close ("berangkat minggu
 * depan", "besok dibawa", "next week").
 */
import { type Lexicon, tableOf } from "./lexicon.ts";
import { normalizeReply } from "./normalize-reply.ts";
import { countriesIn } from "./read-menu-text.ts";

function mentions(text: string, lexicon: Lexicon, list: "distress" | "departure" | "foreigners"): boolean {
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

/** True when the text speaks of foreign nationals or names a country other than Indonesia. */
export function mentionsForeigners(text: string, lexicon: Lexicon): boolean {
  if (mentions(text, lexicon, "foreigners")) return true;
  const { tokens } = normalizeReply(text, lexicon);
  return countriesIn(tokens).size > 0;
}
