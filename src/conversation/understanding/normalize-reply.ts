/**
 * The one normalisation step for everything a person types: case, accents, punctuation and
 * emoji, stretched letters ("iyaaa"), chat abbreviations ("sy", "gak", "udh", "idk"), doubled
 * words ("anak2"), numbers glued to words ("19thn"), and particles or honorifics at the edges
 * ("iya kak", "batal dong") — never when they are the whole reply ("ya" alone is yes).
 */
import { basicTokens, expandTokens, type Lexicon, type PhraseTable } from "./lexicon.ts";

/** A reply as the readers see it. */
export interface NormalizedReply {
  /** Every word, expanded. */
  tokens: string[];
  /** The words without particles and honorifics at the start and end. */
  core: string[];
}

const YES_EMOJI = /[\u{1F44D}\u{1F44C}\u{2705}\u{2714}\u{1F646}\u{1F64B}]/gu;
const NO_EMOJI = /[\u{1F44E}\u{274C}\u{274E}\u{1F645}\u{1F6AB}]/gu;

/**
 * How much of a message the readers look at: what a reply means is said in its first words, and a
 * whole 64 kB message would cost a blocked process (issue 13, item 7). Stories are kept whole elsewhere.
 */
export const MAX_READ_LENGTH = 2000;

/** Turns what was typed into words: emoji that say yes or no become words, the rest goes. */
function words(text: string): string[] {
  const spelled = text
    .slice(0, MAX_READ_LENGTH)
    .replace(YES_EMOJI, " ok ")
    .replace(NO_EMOJI, " no ")
    // "18+" and ">5" say "more than"; keep that as a word before punctuation goes.
    .replace(/(\d)\s*\+/g, "$1 plusmore ")
    .replace(/>\s*(\d)/g, " plusmore $1")
    .replace(/<\s*(\d)/g, " plusless $1")
    // "anak2", "laki2": a word written twice.
    // (Bounded: an unbounded run of letters before a missing "2" backtracks quadratically.)
    .replace(/(\p{L}{2,40})2(?!\p{N})/gu, "$1 $1")
    // "19thn", "30an", "umur16": numbers glued to words.
    .replace(/(\p{N})(\p{L})/gu, "$1 $2")
    .replace(/(\p{L})(\p{N})/gu, "$1 $2");
  return basicTokens(spelled);
}

/** Codes of words that may go at the edges even when a reader's table knows them. */
const EDGE_CODES = new Set(["filler", "hedge"]);

/**
 * Drops particles and honorifics at both edges, keeping at least one word. With a table, a
 * particle that begins or ends a longer phrase of it stays ("ibu korban", "saya ibu", "pak rt").
 */
export function stripEdges(tokens: readonly string[], lexicon: Lexicon, table?: PhraseTable): string[] {
  let start = 0;
  let end = tokens.length;
  const partOfLongerPhrase = (from: number, to: number, particleLength: number, atHead: boolean): boolean => {
    if (!table) return false;
    const window = tokens.slice(from, to);
    if (atHead) {
      // "ya kak": a leading "ya" that answers the question stays.
      const match = table.longestAt(window, 0);
      return !!match && (match.length > particleLength || !EDGE_CODES.has(match.code));
    }
    // The last phrase of the window, read left to right as the readers do.
    let last: { start: number; length: number } | null = null;
    for (let i = 0; i < window.length; ) {
      const match = table.longestAt(window, i);
      if (match) last = { start: i, length: match.length };
      i += match?.length ?? 1;
    }
    return last !== null && last.start + last.length === window.length && last.length > particleLength;
  };
  let changed = true;
  while (changed) {
    changed = false;
    const head = lexicon.particles.longestAt(tokens.slice(0, end), start);
    if (head && end - start - head.length >= 1 && !partOfLongerPhrase(start, end, head.length, true)) {
      start += head.length;
      changed = true;
    }
    for (let length = Math.min(3, end - start - 1); length >= 1; length--) {
      const match = lexicon.particles.longestAt(tokens.slice(end - length, end), 0);
      if (match && match.length === length && !partOfLongerPhrase(start, end, length, false)) {
        end -= length;
        changed = true;
        break;
      }
    }
  }
  return tokens.slice(start, end);
}

/** Normalises a reply: the full words and the core without edge particles. */
export function normalizeReply(text: string, lexicon: Lexicon): NormalizedReply {
  const tokens = expandTokens(words(text), lexicon);
  return { tokens, core: stripEdges(tokens, lexicon) };
}

/**
 * The text as typed, minus particles and honorifics at its edges ("di Batam kak" -> "di Batam"),
 * for readers such as the place resolver that keep their own punctuation rules.
 */
export function trimEdgeParticles(text: string, lexicon: Lexicon): string {
  const pieces = text.trim().split(/\s+/);
  const isParticle = (piece: string) => {
    const tokens = expandTokens(basicTokens(piece), lexicon);
    return tokens.length > 0 && lexicon.particles.longestAt(tokens, 0)?.length === tokens.length;
  };
  let start = 0;
  let end = pieces.length;
  while (end - start > 1 && isParticle(pieces[start] as string)) start++;
  while (end - start > 1 && isParticle(pieces[end - 1] as string)) end--;
  return pieces
    .slice(start, end)
    .join(" ")
    .replace(/^[\s,.;:!?-]+|[\s,.;:!?-]+$/g, "");
}
