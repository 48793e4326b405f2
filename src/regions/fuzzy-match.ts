/**
 * Typo tolerance for place names: a trigram index narrows tens of thousands of names to a
 * handful, and a bounded Damerau-Levenshtein distance decides.
 */

/** How many edits a name of this many letters may carry and still count as a typo of it. */
export function allowedEdits(length: number): number {
  if (length < 5) return 0;
  if (length < 9) return 1;
  if (length < 13) return 2;
  return 3;
}

/**
 * The optimal-string-alignment distance (insertions, deletions, substitutions and swaps of
 * neighbours), or max + 1 as soon as it is certain to exceed max, which keeps misses cheap.
 */
export function editDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0 || lb === 0) return Math.max(la, lb);
  let previous2 = new Array<number>(lb + 1).fill(0);
  let previous = new Array<number>(lb + 1);
  let current = new Array<number>(lb + 1);
  for (let j = 0; j <= lb; j++) previous[j] = j;
  for (let i = 1; i <= la; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb)
        value = Math.min(value, (previous2[j - 2] as number) + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    const spare = previous2;
    previous2 = previous;
    previous = current;
    current = spare;
  }
  return previous[lb] as number;
}

/** Trigrams of a word with boundary marks, so short names still have a few. */
function trigrams(word: string): string[] {
  const padded = `^${word}$`;
  const grams: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) grams.push(padded.slice(i, i + 3));
  return grams;
}

/** A fuzzy match: the index of the name in the list given to the index, and its distance. */
export interface FuzzyHit {
  id: number;
  distance: number;
}

/** A trigram index over a fixed list of names (compact keys without spaces). */
export class TrigramIndex {
  readonly #names: readonly string[];
  readonly #postings = new Map<string, number[]>();
  readonly #counts: Uint16Array;

  constructor(names: readonly string[]) {
    this.#names = names;
    this.#counts = new Uint16Array(names.length);
    names.forEach((name, id) => {
      for (const gram of new Set(trigrams(name))) {
        const list = this.#postings.get(gram);
        if (list) list.push(id);
        else this.#postings.set(gram, [id]);
      }
    });
  }

  /** Names within the allowed number of edits of the word (never the exact name itself twice). */
  search(word: string, maxEdits: number): FuzzyHit[] {
    if (maxEdits <= 0) return [];
    const grams = [...new Set(trigrams(word))];
    // Every edit destroys at most three trigrams, so a true match shares at least this many.
    const needed = Math.max(1, grams.length - 3 * maxEdits);
    const counts = this.#counts;
    const touched: number[] = [];
    for (const gram of grams) {
      const list = this.#postings.get(gram);
      if (!list) continue;
      for (const id of list) {
        if (counts[id] === 0) touched.push(id);
        counts[id] = (counts[id] as number) + 1;
      }
    }
    const hits: FuzzyHit[] = [];
    for (const id of touched) {
      if ((counts[id] as number) >= needed) {
        const name = this.#names[id] as string;
        const distance = editDistance(word, name, maxEdits);
        if (distance <= maxEdits) hits.push({ id, distance });
      }
      counts[id] = 0;
    }
    return hits;
  }
}
