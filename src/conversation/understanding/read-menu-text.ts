/**
 * Reads free text written outside any flow (the first message, or at the menu): an intent
 * ("mau lapor kak", "cek laporan saya", "nomor darurat"), a story that should start a report,
 * a greeting, a question, or nothing the bot can act on.
 */
import { COUNTRIES } from "../../regions/countries.ts";
import { type Lexicon, type ListKey, tableOf } from "./lexicon.ts";
import { normalizeReply, stripEdges } from "./normalize-reply.ts";
import { categoriesIn, scan } from "./read-reply.ts";

/** What a person may ask for in their own words at the menu. */
export const INTENTS = [
  "report",
  "status",
  "mine",
  "emergency",
  "help",
  "language",
  "english",
  "indonesian",
  "delete",
  "privacy",
] as const;
/** One of INTENTS. */
export type Intent = (typeof INTENTS)[number];

/** What a message outside any flow says. */
export type MenuReading =
  /** `inferred`: no words asked for it; the message only mentions what happened ("tolong bu, anak saya"). */
  | { kind: "intent"; intent: Intent; inferred?: boolean }
  /** Tells what happened: it starts a report and is kept as its story. */
  | { kind: "story" }
  | { kind: "greeting" }
  | { kind: "thanks" }
  | { kind: "question" }
  | { kind: "other" };

/** A message this long that mentions what happened is a story, not a request. */
const STORY_MIN_WORDS = 7;
/** An intent may come with a few words of its own ("mau lapor soal anak saya"). */
const INTENT_MAX_OTHER_WORDS = 3;

const INTENT_LISTS: ReadonlyArray<[ListKey, string]> = [
  ["fillers", "filler"],
  ["intent.want", "want"],
  ["intent.greeting", "greeting"],
  ["intent.thanks", "thanks"],
  ...INTENTS.map((intent) => [`intent.${intent}` as ListKey, intent] as [ListKey, string]),
];

const STORY_LISTS: ReadonlyArray<[ListKey, string]> = [
  ["story", "story"],
  ["storyRole.VICTIM", "story"],
  ["storyRole.FAMILY", "story"],
  ["storyRole.FRIEND", "story"],
  ["storyRole.WITNESS", "story"],
];

/** The codes of the countries named in a text, word for word ("ke malaysia", "di Riyadh"). */
export function countriesIn(tokens: readonly string[]): Set<string> {
  const text = ` ${tokens.join(" ")} `;
  const found = new Set<string>();
  for (const country of COUNTRIES) {
    if (country.names.some((name) => text.includes(` ${name} `))) found.add(country.code);
  }
  return found;
}

/** How many words of a text tell what happened (a relation, a harm, a place abroad, a category). */
function storySignals(tokens: readonly string[], lexicon: Lexicon): number {
  const { hits } = scan(tokens, tableOf(lexicon, "menu:story", STORY_LISTS));
  return hits.filter((h) => h.code === "story").length + categoriesIn(tokens, lexicon).size + countriesIn(tokens).size;
}

/** Reads a message written outside any flow. */
export function readMenuText(text: string, lexicon: Lexicon): MenuReading {
  const { tokens } = normalizeReply(text, lexicon);
  const table = tableOf(lexicon, "menu:intent", INTENT_LISTS);
  const core = stripEdges(tokens, lexicon, table);
  if (core.length === 0) return { kind: "other" };
  const { hits, unknown } = scan(core, table);
  const intents = [
    ...new Set(hits.map((h) => h.code).filter((c): c is Intent => (INTENTS as readonly string[]).includes(c))),
  ];
  const questionWords = tableOf(lexicon, "menu:questions", [["questions", "question"]]);
  const question = questionWords.longestAt(core, 0) !== null;
  const signals = storySignals(tokens, lexicon);
  if (tokens.length >= STORY_MIN_WORDS && signals > 0 && !question) return { kind: "story" };
  if (intents.length === 1 && unknown <= INTENT_MAX_OTHER_WORDS)
    return { kind: "intent", intent: intents[0] as Intent };
  // "Tolong bu, anak saya": too short to be the story, but it asks for a report.
  if (intents.length === 0 && signals > 0 && !question && tokens.length >= 3)
    return { kind: "intent", intent: "report", inferred: true };
  if (intents.length === 0 && unknown === 0 && hits.some((h) => h.code === "greeting")) return { kind: "greeting" };
  if (intents.length === 0 && unknown === 0 && hits.some((h) => h.code === "thanks")) return { kind: "thanks" };
  if (question) return { kind: "question" };
  return { kind: "other" };
}
