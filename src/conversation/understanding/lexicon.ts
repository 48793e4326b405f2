/**
 * The words the bot reads in replies, loaded from locales/<lng>/understanding.json. Every
 * language's lists are merged: people mix "ok", "yes" and "iya" in one chat whatever language
 * they picked. Lists are "|"-separated phrases; abbreviations are "short=long" pairs.
 */
import type { Translate } from "../ports.ts";

/** Phrases (joined by one space) mapped to the code they stand for, matched longest first. */
export class PhraseTable {
  readonly #codes = new Map<string, string>();
  #longest = 1;

  /** Adds phrases for a code; an earlier code for the same phrase is kept unless `override`. */
  add(phrases: readonly (readonly string[])[], code: string, override = false): void {
    for (const tokens of phrases) {
      if (tokens.length === 0) continue;
      const key = tokens.join(" ");
      if (!override && this.#codes.has(key)) continue;
      this.#codes.set(key, code);
      this.#longest = Math.max(this.#longest, tokens.length);
    }
  }

  /** The longest phrase starting at `start`: its code and length in tokens, or null. */
  longestAt(tokens: readonly string[], start: number): { code: string; length: number } | null {
    for (let length = Math.min(this.#longest, tokens.length - start); length >= 1; length--) {
      const code = this.#codes.get(tokens.slice(start, start + length).join(" "));
      if (code !== undefined) return { code, length };
    }
    return null;
  }
}

/** The merged word lists of every language, with the tables the readers match against. */
export interface Lexicon {
  /** One token to the tokens it stands for ("sy" -> ["saya"], "idk" -> ["i", "dont", "know"]). */
  abbreviations: Map<string, string[]>;
  /** Every single word the lists know, to tell "iyaa" (a stretched "iya") from a new word. */
  vocabulary: Set<string>;
  /** Honorifics and particles that may be dropped at the edges of a reply ("kak", "dong", "please"). */
  particles: PhraseTable;
  /** Phrases of each list by its key ("yes", "gender.FEMALE", "intent.report"), already normalised. */
  lists: Map<string, string[][]>;
  /** Word numbers ("dua puluh" -> 20, "seven" -> 7). */
  numbers: Map<string, number>;
  /** Tables built on first use, one per reader. */
  tables: Map<string, PhraseTable>;
}

/** The keys of locales/<lng>/understanding.json that hold phrase lists. */
export const LIST_KEYS = [
  "fillers",
  "hedges",
  "negators",
  "yes",
  "no",
  "unsure",
  "skip",
  "back",
  "gender.FEMALE",
  "gender.MALE",
  "gender.MIXED",
  "age.CHILD",
  "age.ADULT",
  "age.years",
  "age.months",
  "quantity.more",
  "quantity.less",
  "quantity.about",
  "count.ONE",
  "count.FEW",
  "count.MANY",
  "role.VICTIM",
  "role.FAMILY",
  "role.FRIEND",
  "role.WITNESS",
  "role.ORGANISATION",
  "category.FORCED_LABOUR",
  "category.SEXUAL_EXPLOITATION",
  "category.MIGRANT_WORKER_ABROAD",
  "category.CHILD_EXPLOITATION",
  "category.FORCED_MARRIAGE",
  "category.DEBT_BONDAGE",
  "category.FISHING_VESSEL",
  "category.DOMESTIC_WORK",
  "category.ORGAN_TRADE",
  "category.OTHER",
  "contact.CHAT",
  "contact.OTHER_NUMBER",
  "contact.NONE",
  "intent.report",
  "intent.status",
  "intent.mine",
  "intent.emergency",
  "intent.help",
  "intent.language",
  "intent.english",
  "intent.indonesian",
  "intent.delete",
  "intent.privacy",
  "intent.greeting",
  "intent.want",
  "intent.thanks",
  "story",
  "storyRole.VICTIM",
  "storyRole.FAMILY",
  "storyRole.FRIEND",
  "storyRole.WITNESS",
  "places",
  "correction",
  "questions",
  "choiceWords",
  "work",
  "faqLead",
  "distress",
  "departure",
  "foreigners",
  "faq.privacy",
  "faq.nextSteps",
  "faq.cost",
  "faq.government",
  "faq.forSomeoneElse",
  "faq.wrong",
  "faq.anonymous",
  "faq.delete",
] as const;
/** One of LIST_KEYS. */
export type ListKey = (typeof LIST_KEYS)[number];

const NAMESPACE = "understanding";

/** Lower-case, accents and punctuation gone, white space folded: the first pass over any typed text. */
export function basicTokens(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter((token) => token !== "");
}

/** Collapses letters typed three or more times in a row ("iyaaa" -> "iya", "tolonggg" -> "tolong"). */
function collapseStretched(token: string): string {
  return token.replace(/(\p{L})\1{2,}/gu, "$1");
}

/** Replaces known abbreviations and stretched words by their full form, token by token. */
export function expandTokens(tokens: readonly string[], lexicon: Pick<Lexicon, "abbreviations" | "vocabulary">) {
  const out: string[] = [];
  const expand = (token: string, depth: number): void => {
    let word = collapseStretched(token);
    if (!lexicon.abbreviations.has(word) && !lexicon.vocabulary.has(word)) {
      // "iyaa", "okee", "bolehh": a doubled last letter is a stretched known word.
      const shorter = word.replace(/(\p{L})\1/gu, "$1");
      if (lexicon.abbreviations.has(shorter) || lexicon.vocabulary.has(shorter)) word = shorter;
    }
    const long = depth < 3 ? lexicon.abbreviations.get(word) : undefined;
    if (long && !(long.length === 1 && long[0] === word)) for (const part of long) expand(part, depth + 1);
    else out.push(word);
  };
  for (const token of tokens) expand(token, 0);
  return out;
}

function listOf(t: Translate, key: string): string[] {
  const value = t(`${NAMESPACE}:${key}`);
  // A missing key renders as the key itself; treat it as an empty list.
  return value.startsWith(`${NAMESPACE}:`) || value === key ? [] : value.split("|");
}

function buildLexicon(languages: readonly Translate[]): Lexicon {
  const abbreviations = new Map<string, string[]>();
  for (const t of languages) {
    for (const pair of listOf(t, "abbreviations")) {
      const [short, long] = pair.split("=");
      const shortTokens = basicTokens(short ?? "");
      if (shortTokens.length === 1 && long !== undefined && !abbreviations.has(shortTokens[0] as string)) {
        abbreviations.set(shortTokens[0] as string, basicTokens(long));
      }
    }
  }
  const rawLists = new Map<string, string[][]>();
  for (const key of [...LIST_KEYS, "particles"]) {
    rawLists.set(
      key,
      languages.flatMap((t) => listOf(t, key).map(basicTokens)),
    );
  }
  const rawNumbers: Array<[string[], number]> = languages.flatMap((t) =>
    listOf(t, "numbers").flatMap((pair) => {
      const [words, value] = pair.split("=");
      return words && value && /^\d+$/.test(value) ? [[basicTokens(words), Number(value)] as [string[], number]] : [];
    }),
  );
  const vocabulary = new Set<string>();
  for (const phrases of rawLists.values()) for (const phrase of phrases) for (const w of phrase) vocabulary.add(w);
  for (const [words] of rawNumbers) for (const w of words) vocabulary.add(w);
  for (const long of abbreviations.values()) for (const w of long) vocabulary.add(w);
  const partial = { abbreviations, vocabulary };
  // The lists are written as people type; read them through the same expansion as replies.
  const lists = new Map<string, string[][]>();
  for (const [key, phrases] of rawLists)
    lists.set(
      key,
      phrases.map((p) => expandTokens(p, partial)),
    );
  const particles = new PhraseTable();
  particles.add(lists.get("particles") ?? [], "particle");
  const numbers = new Map<string, number>();
  for (const [words, value] of rawNumbers) numbers.set(expandTokens(words, partial).join(" "), value);
  return { abbreviations, vocabulary, particles, lists, numbers, tables: new Map() };
}

const cache = new WeakMap<Translate, Lexicon>();
let empty: Lexicon | null = null;

/**
 * The lexicon of these languages, built once per translator set (the engine's translators live
 * as long as the process).
 */
export function lexiconFor(languages: readonly Translate[]): Lexicon {
  const first = languages[0];
  if (!first) {
    empty ??= buildLexicon([]);
    return empty;
  }
  let lexicon = cache.get(first);
  if (!lexicon) {
    lexicon = buildLexicon(languages);
    cache.set(first, lexicon);
  }
  return lexicon;
}

/** The phrases of one list. */
function phrasesOf(lexicon: Lexicon, key: ListKey): string[][] {
  return lexicon.lists.get(key) ?? [];
}

/** A table built once per lexicon from lists, each list's phrases standing for a code. */
export function tableOf(lexicon: Lexicon, name: string, entries: ReadonlyArray<[ListKey, string]>): PhraseTable {
  let table = lexicon.tables.get(name);
  if (!table) {
    table = new PhraseTable();
    // Later entries win a phrase that two lists share, so callers list the weakest first.
    for (const [key, code] of entries) table.add(phrasesOf(lexicon, key), code, true);
    lexicon.tables.set(name, table);
  }
  return table;
}
