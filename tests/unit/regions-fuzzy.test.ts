import { describe, expect, it } from "vitest";
import { allowedEdits, editDistance, TrigramIndex } from "../../src/regions/fuzzy-match.ts";

describe("fuzzy matching", () => {
  it("counts insertions, deletions, substitutions and swaps of neighbours as one edit each", () => {
    expect(editDistance("surabaya", "surabya", 3)).toBe(1);
    expect(editDistance("yogyakarta", "yogyakrta", 3)).toBe(1);
    expect(editDistance("makassar", "makasar", 3)).toBe(1);
    expect(editDistance("medan", "mdean", 3)).toBe(1);
    expect(editDistance("kupang", "kupang", 3)).toBe(0);
    expect(editDistance("bogor", "garut", 1)).toBe(2);
  });

  it("guards short words from typos", () => {
    expect(allowedEdits(4)).toBe(0);
    expect(allowedEdits(7)).toBe(1);
    expect(allowedEdits(10)).toBe(2);
  });

  it("finds names within the allowed edits through the trigram index", () => {
    const index = new TrigramIndex(["surabaya", "sumenep", "indramayu", "makassar"]);
    expect(index.search("surabya", 1)).toEqual([{ id: 0, distance: 1 }]);
    expect(index.search("indramayuu", 2)).toEqual([{ id: 2, distance: 1 }]);
    expect(index.search("bandung", 1)).toEqual([]);
  });
});
