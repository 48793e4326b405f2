/**
 * Reads the meaning of a reply by families of words, not whole strings: "iya boleh kak",
 * "gak yakin", "sy kakaknya", "lebih dr 5", "19 thn", "men". Each question kind has its own
 * reader; every reader also knows yes / no / not sure / skip.
 */
import { type Lexicon, type ListKey, type PhraseTable, tableOf } from "./lexicon.ts";
import { type NormalizedReply, normalizeReply, stripEdges } from "./normalize-reply.ts";

/** The kinds of question a reply can answer. */
export const ANSWER_KINDS = ["yesNo", "role", "category", "age", "gender", "count", "contact"] as const;
/** One of ANSWER_KINDS. */
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** What a reply says, as far as the bot can tell. */
export interface Reading {
  /**
   * "yes", "no", "unsure", "skip", "back", or a code of the question kind ("FEMALE", "CHILD",
   * "MANY", "FAMILY", "DEBT_BONDAGE", "OTHER_NUMBER"); null when the reply says none of these clearly.
   */
  meaning: string | null;
  /** The number, when the whole reply is one number ("2", "19."). */
  bareNumber: number | null;
  /** A number said to be a choice's ("pilihan 2", "option 3"), never an age or a count. */
  choiceNumber: number | null;
  /** What follows a "no" ("bukan, di Batam" -> "di batam"), when something does. */
  correction: string | null;
  /** True when the reply holds only yes / no / not-sure / skip words, particles and fillers. */
  fillerOnly: boolean;
}

/** The general words, weakest first (a phrase in two lists takes the later code). */
const GENERAL: ReadonlyArray<[ListKey, string]> = [
  ["fillers", "filler"],
  ["hedges", "hedge"],
  ["correction", "filler"],
  ["negators", "neg"],
  ["back", "back"],
  ["skip", "skip"],
  ["no", "no"],
  ["yes", "yes"],
  ["unsure", "unsure"],
];
const GENERAL_CODES = new Set(["filler", "hedge", "neg", "back", "skip", "no", "yes", "unsure"]);
const ANSWER_CODES = ["yes", "no", "unsure", "skip", "back"] as const;

const QUANTITY: ReadonlyArray<[ListKey, string]> = [
  ["quantity.about", "about"],
  ["quantity.less", "less"],
  ["quantity.more", "more"],
];

const KIND_LISTS: Record<AnswerKind, ReadonlyArray<[ListKey, string]>> = {
  yesNo: [],
  gender: [
    ["gender.FEMALE", "FEMALE"],
    ["gender.MALE", "MALE"],
    ["gender.MIXED", "MIXED"],
  ],
  age: [...QUANTITY, ["age.years", "years"], ["age.months", "months"], ["age.ADULT", "ADULT"], ["age.CHILD", "CHILD"]],
  count: [...QUANTITY, ["count.ONE", "ONE"], ["count.FEW", "FEW"], ["count.MANY", "MANY"]],
  role: [
    ["role.VICTIM", "VICTIM"],
    ["role.FAMILY", "FAMILY"],
    ["role.FRIEND", "FRIEND"],
    ["role.WITNESS", "WITNESS"],
    ["role.ORGANISATION", "ORGANISATION"],
  ],
  category: [
    ["category.OTHER", "OTHER"],
    ["category.FORCED_LABOUR", "FORCED_LABOUR"],
    ["category.SEXUAL_EXPLOITATION", "SEXUAL_EXPLOITATION"],
    ["category.MIGRANT_WORKER_ABROAD", "MIGRANT_WORKER_ABROAD"],
    ["category.CHILD_EXPLOITATION", "CHILD_EXPLOITATION"],
    ["category.FORCED_MARRIAGE", "FORCED_MARRIAGE"],
    ["category.DEBT_BONDAGE", "DEBT_BONDAGE"],
    ["category.FISHING_VESSEL", "FISHING_VESSEL"],
    ["category.DOMESTIC_WORK", "DOMESTIC_WORK"],
    ["category.ORGAN_TRADE", "ORGAN_TRADE"],
  ],
  contact: [
    ["contact.CHAT", "CHAT"],
    ["contact.OTHER_NUMBER", "OTHER_NUMBER"],
    ["contact.NONE", "NONE"],
  ],
};

/** One matched phrase: its code and where it sits among the tokens. */
export interface Hit {
  code: string;
  start: number;
  length: number;
}

/** The table of a kind: general words, the kind's own words and (for ages and counts) numbers. */
function tableFor(lexicon: Lexicon, kind: AnswerKind): PhraseTable {
  const name = `reply:${kind}`;
  const cached = lexicon.tables.get(name);
  if (cached) return cached;
  const table = tableOf(lexicon, name, [...GENERAL, ...KIND_LISTS[kind]]);
  if (kind === "age" || kind === "count") {
    for (const [words, value] of lexicon.numbers) table.add([words.split(" ")], `#${value}`, true);
    table.add([["plusmore"]], "more", true);
    table.add([["plusless"]], "less", true);
  }
  return table;
}

/** Finds phrases longest first, left to right; words no list knows are left as gaps. */
export function scan(tokens: readonly string[], table: PhraseTable): { hits: Hit[]; unknown: number } {
  const hits: Hit[] = [];
  let unknown = 0;
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i] as string;
    if (/^\d{1,4}$/.test(token)) {
      hits.push({ code: `#${Number(token)}`, start: i, length: 1 });
      i++;
      continue;
    }
    const match = table.longestAt(tokens, i);
    if (match) {
      hits.push({ code: match.code, start: i, length: match.length });
      i += match.length;
    } else {
      unknown++;
      i++;
    }
  }
  return { hits: negate(hits), unknown };
}

/** "tidak setuju", "not correct", "bukan cewek": a negator turns the answer after it into a no. */
function negate(hits: Hit[]): Hit[] {
  const out: Hit[] = [];
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i] as Hit;
    const following = hits[i + 1];
    const adjacent = following && following.start === hit.start + hit.length;
    if ((hit.code === "neg" || (hit.code === "no" && hit.length === 1)) && adjacent) {
      // Only a yes or an answer of the question's own kind ("FEMALE", "CHAT") is negated.
      if (following.code === "yes" || /^[A-Z]/.test(following.code)) {
        out.push({ code: "no", start: hit.start, length: hit.length + following.length });
        i++;
        continue;
      }
    }
    out.push(hit.code === "neg" ? { ...hit, code: "no" } : hit);
  }
  return out;
}

/** The numbers in a reply, each with what stands right before or after it. */
interface NumberHit {
  value: number;
  modifier: "more" | "less" | "about" | null;
  unit: "years" | "months" | null;
}

function numbersOf(hits: readonly Hit[]): NumberHit[] {
  const out: NumberHit[] = [];
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i] as Hit;
    if (!hit.code.startsWith("#")) continue;
    let value = Number(hit.code.slice(1));
    // "dua puluh lima", "twenty five": tens then units.
    const next = hits[i + 1];
    if (next?.code.startsWith("#") && value >= 20 && value % 10 === 0 && next.start === hit.start + hit.length) {
      const units = Number(next.code.slice(1));
      if (units > 0 && units < 10) {
        value += units;
        i++;
      }
    }
    const before = hits[i - 1]?.code;
    const before2 = hits[i - 2]?.code;
    const after = hits[i + 1]?.code;
    const after2 = hits[i + 2]?.code;
    const modifierOf = (code: string | undefined) =>
      code === "more" || code === "less" || code === "about" ? code : null;
    const unitOf = (code: string | undefined) => (code === "years" || code === "months" ? code : null);
    out.push({
      value,
      // "5+", "5 orang lebih", "30an": some modifiers follow the number.
      modifier: modifierOf(before) ?? modifierOf(before2) ?? modifierOf(after) ?? (after2 === "more" ? "more" : null),
      unit: unitOf(after) ?? unitOf(before) ?? unitOf(after2) ?? unitOf(before2),
    });
  }
  return out;
}

function answerOf(codes: ReadonlySet<string>): string | null {
  // Not sure wins over a yes or no said with it ("iya tapi gak yakin"); yes and no together say nothing.
  if (codes.has("unsure")) return "unsure";
  if (codes.has("yes") && codes.has("no")) return null;
  for (const code of ANSWER_CODES) if (codes.has(code)) return code;
  if (codes.has("hedge")) return "unsure";
  return null;
}

function ageOf(hits: readonly Hit[], codes: ReadonlySet<string>): string | null {
  const groups = new Set<string>();
  for (const n of numbersOf(hits)) {
    if (n.unit === "months") groups.add("CHILD");
    else if (n.modifier === "less") groups.add(n.value <= 18 ? "CHILD" : "UNSURE_RANGE");
    else if (n.modifier === "more") groups.add(n.value >= 17 ? "ADULT" : "UNSURE_RANGE");
    else if (n.value < 18) groups.add("CHILD");
    else if (n.value <= 120) groups.add("ADULT");
  }
  if (codes.has("CHILD")) groups.add("CHILD");
  if (codes.has("ADULT")) groups.add("ADULT");
  // A group with any child counts as a child case (DESIGN §4).
  if (groups.has("CHILD")) return "CHILD";
  if (groups.has("ADULT")) return "ADULT";
  return null;
}

function countOf(hits: readonly Hit[], codes: ReadonlySet<string>): string | null {
  const numbers = numbersOf(hits).filter((n) => n.unit === null);
  if (numbers.length > 0) {
    // "2-3 orang", "5 sampai 10": the largest number tells the size.
    const n = numbers.reduce((a, b) => (b.value > a.value ? b : a));
    if (n.modifier === "more") return n.value >= 5 ? "MANY" : "FEW";
    if (n.modifier === "less") return n.value <= 2 ? "ONE" : n.value <= 6 ? "FEW" : null;
    if (n.value === 0) return null;
    return n.value === 1 ? "ONE" : n.value <= 5 ? "FEW" : "MANY";
  }
  const words = ["ONE", "FEW", "MANY"].filter((code) => codes.has(code));
  return words.length === 1 ? (words[0] as string) : null;
}

function specificOf(kind: AnswerKind, codes: ReadonlySet<string>): string | null {
  const own = KIND_LISTS[kind].map(([, code]) => code).filter((code) => codes.has(code));
  if (kind === "gender") {
    if (own.includes("MIXED") || (own.includes("FEMALE") && own.includes("MALE"))) return "MIXED";
    return own[0] ?? null;
  }
  if (kind === "role") {
    // "kakak korban", "her sister, she is the victim": the victim is named, the reporter is the other one.
    const others = own.filter((code) => code !== "VICTIM");
    if (others.length === 1) return others[0] as string;
    return others.length === 0 && own.includes("VICTIM") ? "VICTIM" : null;
  }
  if (kind === "contact" && own.length > 1 && own.includes("OTHER_NUMBER")) return "OTHER_NUMBER";
  return own.length === 1 ? (own[0] as string) : null;
}

function meaningOf(kind: AnswerKind, tokens: readonly string[], lexicon: Lexicon): string | null {
  const table = tableFor(lexicon, kind);
  const { hits } = scan(stripEdges(tokens, lexicon, table), table);
  const codes = new Set(hits.map((h) => h.code));
  const specific =
    kind === "age"
      ? ageOf(hits, codes)
      : kind === "count"
        ? countOf(hits, codes)
        : kind === "yesNo"
          ? null
          : specificOf(kind, codes);
  return specific ?? answerOf(codes);
}

/** True when every word is a general word (yes, no, not sure, skip, back, a filler) or a particle. */
function onlyGeneralWords(tokens: readonly string[], lexicon: Lexicon): boolean {
  if (tokens.length === 0) return true;
  const table = tableFor(lexicon, "yesNo");
  for (let i = 0; i < tokens.length; ) {
    const match = table.longestAt(tokens, i) ?? lexicon.particles.longestAt(tokens, i);
    if (!match) return false;
    i += match.length;
  }
  return true;
}

/** The words after the first "no", without the particles and fillers that lead into a correction. */
function correctionOf(reply: NormalizedReply, lexicon: Lexicon): string | null {
  const tokens = reply.core;
  const table = tableFor(lexicon, "yesNo");
  const { hits } = scan(tokens, table);
  const no = hits.find((h) => h.code === "no");
  if (!no || hits.some((h) => h.start < no.start && h.code !== "filler")) return null;
  let i = no.start + no.length;
  for (;;) {
    const particle = lexicon.particles.longestAt(tokens, i);
    const general = table.longestAt(tokens, i);
    const step = particle?.length ?? (general?.code === "filler" || general?.code === "no" ? general.length : 0);
    if (step === 0) break;
    i += step;
  }
  const rest = stripEdges(tokens.slice(i), lexicon);
  if (rest.length === 0 || onlyGeneralWords(rest, lexicon)) return null;
  return rest.join(" ");
}

/** "pilihan 2", "yang ke 3", "option 1": choice words, then one number. */
function choiceNumberOf(core: readonly string[], lexicon: Lexicon): number | null {
  const last = core[core.length - 1];
  if (core.length < 2 || !last || !/^\d{1,2}$/.test(last)) return null;
  const table = tableOf(lexicon, "choiceWords", [["choiceWords", "choice"]]);
  for (let i = 0; i < core.length - 1; ) {
    const match = table.longestAt(core.slice(0, core.length - 1), i);
    if (!match) return null;
    i += match.length;
  }
  return Number(last);
}

/** Reads a reply as an answer to a question of this kind. */
export function readReply(text: string, kind: AnswerKind, lexicon: Lexicon): Reading {
  const reply = normalizeReply(text, lexicon);
  // Trimmed first: "\s*[.)]?\s*$" backtracks quadratically over a long run of spaces.
  const bare = /^(\d{1,3})\s*[.)]?$/.exec(text.trim());
  const meaning = meaningOf(kind, reply.tokens, lexicon);
  return {
    meaning,
    bareNumber: bare ? Number(bare[1]) : null,
    choiceNumber: choiceNumberOf(reply.core, lexicon),
    correction: meaning === "no" ? correctionOf(reply, lexicon) : null,
    fillerOnly: reply.tokens.length > 0 && onlyGeneralWords(reply.tokens, lexicon),
  };
}

/** The category codes a text's words point to ("dipaksa kerja" -> FORCED_LABOUR). */
export function categoriesIn(tokens: readonly string[], lexicon: Lexicon): Set<string> {
  const { hits } = scan(tokens, tableFor(lexicon, "category"));
  return new Set(hits.map((h) => h.code).filter((code) => !GENERAL_CODES.has(code) && !code.startsWith("#")));
}
