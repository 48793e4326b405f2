/**
 * Facts a first message states clearly enough to confirm instead of asking blindly: the place
 * (a country, or an Indonesian regency or province named after "di" / "ke" / "in" / "to") and
 * the category. Anything unclear (two places, two categories, a name that only looks like a
 * place) gives no hint, and the question is asked as usual.
 */
import type { Category } from "../domain/case.ts";
import { getPlaceResolver } from "../regions/index.ts";
import { placeKey, regencyCore } from "../regions/place-text.ts";
import { PROVINCES } from "../regions/provinces.ts";
import { normalizeName } from "../text/normalize.ts";
import type { Translate } from "./ports.ts";
import type { StoryHints } from "./state.ts";
import { lexiconFor, tableOf } from "./understanding/lexicon.ts";
import { normalizeReply } from "./understanding/normalize-reply.ts";
import { countriesIn } from "./understanding/read-menu-text.ts";
import { categoriesIn } from "./understanding/read-reply.ts";

/** Longest place name tried after a preposition, in words ("kepulauan bangka belitung"). */
const MAX_PLACE_WORDS = 4;
/** Place look-ups for one story at most: a long story must not hold up the reply. */
const MAX_PLACE_LOOKUPS = 16;
/** Hints are read from the start of a story, where a first message says what and where. */
const HINT_WINDOW_CHARS = 1500;

type IndonesianHint = Extract<NonNullable<StoryHints["place"]>, { kind: "province" }>;

/** A regency or province named exactly by these words, or null (fuzzy look-alikes do not count). */
function exactPlace(words: string): IndonesianHint | null {
  const key = placeKey(words.replace(/^(kota|kab|kabupaten)\s+/, ""));
  const province = PROVINCES.find(
    (p) => placeKey(p.name) === key || p.aliases.some((alias) => normalizeName(alias) === key),
  );
  if (province) {
    return {
      kind: "province",
      provinceCode: province.code,
      regencyCode: null,
      districtCode: null,
      villageCode: null,
      label: province.name,
    };
  }
  const resolution = getPlaceResolver().resolveText(words);
  const { regency } = resolution;
  if (
    resolution.status !== "resolved" ||
    !resolution.province ||
    !regency ||
    resolution.district ||
    resolution.village ||
    resolution.candidates.length > 1 ||
    regencyCore(regency.name).core !== key
  ) {
    return null;
  }
  const label = resolution.candidates[0]?.label ?? `${regency.name}, ${resolution.province.name}`;
  return {
    kind: "province",
    provinceCode: resolution.province.code,
    regencyCode: regency.code,
    districtCode: null,
    villageCode: null,
    label,
  };
}

/** The one place a story names clearly, or null. */
function placeOf(tokens: readonly string[], languages: readonly Translate[]): StoryHints["place"] | null {
  const lexicon = lexiconFor(languages);
  const prepositions = tableOf(lexicon, "story:places", [["places", "place"]]);
  const found = new Map<string, NonNullable<StoryHints["place"]>>();
  for (const code of countriesIn(tokens)) found.set(`country:${code}`, { kind: "abroad", country: code });
  let lookups = 0;
  for (let i = 0; i < tokens.length && lookups < MAX_PLACE_LOOKUPS; i++) {
    const preposition = prepositions.longestAt(tokens, i);
    if (!preposition) continue;
    const start = i + preposition.length;
    for (let length = Math.min(MAX_PLACE_WORDS, tokens.length - start); length >= 1; length--) {
      if (lookups++ >= MAX_PLACE_LOOKUPS) break;
      const place = exactPlace(tokens.slice(start, start + length).join(" "));
      if (place) {
        found.set(`province:${place.provinceCode}`, place);
        break;
      }
    }
  }
  return found.size === 1 ? ([...found.values()][0] ?? null) : null;
}

/** The one category a story points to, or null. */
function categoryOf(tokens: readonly string[], languages: readonly Translate[], abroad: boolean): Category | null {
  const lexicon = lexiconFor(languages);
  const categories = categoriesIn(tokens, lexicon);
  categories.delete("OTHER");
  if (abroad && categories.size === 0) {
    // Taken to work in another country: the migrant-worker desk's kind of case.
    const work = tableOf(lexicon, "story:work", [["work", "work"]]);
    if (tokens.some((_, i) => work.longestAt(tokens, i) !== null)) return "MIGRANT_WORKER_ABROAD";
  }
  return categories.size === 1 ? ([...categories][0] as Category) : null;
}

/** What a story states clearly enough to be confirmed rather than asked. */
export function storyHints(story: string, languages: readonly Translate[]): StoryHints {
  const { tokens } = normalizeReply(story.slice(0, HINT_WINDOW_CHARS), lexiconFor(languages));
  const place = placeOf(tokens, languages);
  const category = categoryOf(tokens, languages, place?.kind === "abroad");
  return { ...(place ? { place } : {}), ...(category ? { category } : {}) };
}
