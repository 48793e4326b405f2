/**
 * Resolves what people type for a place ("kab malang jatim", "Makasar", "desa sukamaju kec
 * cibungbulang") to Kemendagri areas. The query is cut into segments (names with their level
 * hints), each segment gets scored candidates, and every candidate area is then scored as the
 * answer by how many segments it agrees with; close scores across provinces make it ambiguous.
 */

import { placeHead } from "../text/input-limits.ts";
import { describeArea } from "./area-view.ts";
import { COUNTRIES } from "./countries.ts";
import { allowedEdits, editDistance, TrigramIndex } from "./fuzzy-match.ts";
import { PROVINCE_ALIASES, PROVINCE_GROUPS, TOWN_ALIASES } from "./place-aliases.ts";
import { notFound, type PlaceCandidate, type PlaceResolution } from "./place-resolution.ts";
import { compactKey, placeKey, regencyCore, shortProvinceName } from "./place-text.ts";
import { PROVINCES } from "./provinces.ts";
import type { AreaTable, TownName, VillageTable } from "./region-data.ts";

/** A level hint written next to a name: "Kab.", "Kota", "Kec.", "Desa", "Kel.", "Prov.". */
type Hint = "prov" | "kab" | "kota" | "kec" | "desa" | "kel";

/** Base scores: higher administrative levels win among exact matches. */
const SCORE = {
  province: 100,
  country: 98,
  group: 95,
  alias: 92,
  regency: 90,
  island: 88,
  town: 86,
  partial: 76,
  minorTown: 74,
  district: 70,
  village: 50,
} as const;
/** What one edit costs: a one-letter typo of a regency (72) ties with an exact district (70). */
const EDIT_PENALTY = 18;
/** Answers within this many points of the best are all plausible. */
const MARGIN = 10;
/** Dropping a segment that named a province, regency or country exactly is a contradiction. */
const STRONG = 85;
const DROP_STRONG = 40;
const DROP_WEAK = 15;
const MAX_SPAN = 6;
/** The trailing word that tells sibling regencies apart ("Toraja Utara", "Mamberamo Raya"). */
const PART_SUFFIX =
  / (utara|selatan|timur|barat|tengah|tenggara|barat daya|raya|hulu|hilir|ulu|ilir|laut|darat|induk)$/;
const MAX_CANDIDATES = 12;
/** A village name typed without its last word ("Tanjung Uban" for "Tanjung Uban Kota"). */
const PREFIX_PENALTY = 5;

const PREFIX_HINTS = new Map<string, Hint>([
  ["prov", "prov"],
  ["provinsi", "prov"],
  ["propinsi", "prov"],
  ["kab", "kab"],
  ["kabupaten", "kab"],
  ["kota", "kota"],
  ["kotamadya", "kota"],
  ["kotamadia", "kota"],
  ["kodya", "kota"],
  ["kec", "kec"],
  ["kecamatan", "kec"],
  ["distrik", "kec"],
  ["desa", "desa"],
  ["ds", "desa"],
  ["kampung", "desa"],
  ["kampong", "desa"],
  ["nagari", "desa"],
  ["gampong", "desa"],
  ["kel", "kel"],
  ["kelurahan", "kel"],
  ["lurah", "kel"],
]);
/** Long hint words are recognised with one typo ("kabupatn", "kecamtan"). */
const LONG_HINTS = ["kabupaten", "kecamatan", "kelurahan", "provinsi", "kotamadya"];
/** English level words, written after the name unless followed by "of". */
const ENGLISH_HINTS = new Map<string, Hint>([
  ["province", "prov"],
  ["regency", "kab"],
  ["city", "kota"],
  ["town", "kota"],
  ["district", "kec"],
  ["subdistrict", "kec"],
  ["village", "desa"],
]);
const FILLERS = new Set([
  "di",
  "ke",
  "dari",
  "daerah",
  "wilayah",
  "kawasan",
  "sekitar",
  "dekat",
  "perbatasan",
  "dusun",
  "dsn",
  "rt",
  "rw",
  "no",
  "nomor",
  "blok",
  "indonesia",
  "ri",
  "negara",
  "saya",
  "tinggal",
  "asal",
  "alamat",
  "lokasi",
  "in",
  "at",
  "from",
  "the",
  "of",
  "near",
  "area",
  "region",
  "pulau",
  "adm",
  "administrasi",
  "dan",
  "and",
  "atau",
  "or",
  "yang",
  "sub",
]);
/** Words after which the rest of the segment is a street or estate name, not a place. */
const STREET_WORDS = new Set([
  "jl",
  "jln",
  "jalan",
  "gang",
  "gg",
  "komplek",
  "kompleks",
  "perum",
  "perumahan",
  "lorong",
]);
const DIRECTIONS = new Map([
  ["east", "timur"],
  ["west", "barat"],
  ["north", "utara"],
  ["south", "selatan"],
  ["central", "tengah"],
  ["southeast", "tenggara"],
  ["southwest", "barat daya"],
]);
const WORD_FIXES = new Map([
  ["java", "jawa"],
  ["sumatra", "sumatera"],
  ["kep", "kepulauan"],
  ["kepl", "kepulauan"],
]);

/** One thing a key can stand for. */
interface Entry {
  kind: "area" | "country" | "group";
  /** Area index, COUNTRIES index or PROVINCE_GROUPS index. */
  target: number;
  base: number;
  level: number;
  regencyKind: "" | "kota" | "kab";
  town: boolean;
  /** GeoNames names are many and secondary: they match exactly, never as typos. */
  exactOnly?: boolean;
}

/** A candidate of a segment, keyed "a<area>", "v<village>" or "c<country>". */
interface Candidate {
  score: number;
  exact: boolean;
}

/** A candidate scored as the answer to the whole query. */
interface Scored {
  key: string;
  score: number;
  /** Segments the answer does not agree with. */
  dropped: number[];
  chain: string[];
}

interface Segment {
  tokens: string[];
  hint: Hint | null;
  /** The hint as written, which may belong to the name ("Kampung Melayu"). */
  hintWord: string;
  /** For unknown words right after a name: that name's segment ("Tanjung" + "Uban"). */
  glue: Segment | null;
  candidates: Map<string, Candidate>;
  /** Tried at village level already. */
  villagesSearched: boolean;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function hintAdjustment(
  hint: Hint | null,
  level: number,
  regencyKind: string,
  town: boolean,
  villageKind: string,
): number {
  if (!hint) return 0;
  switch (hint) {
    case "prov":
      return level === 1 ? 20 : -25;
    case "kab":
      if (level === 2) return regencyKind === "kab" ? 20 : -25;
      return town ? 0 : -25;
    case "kota":
      if (level === 2) return regencyKind === "kota" ? 20 : -10;
      if (town || level === 0) return 10;
      if (level === 3) return -10;
      return level === 1 ? -15 : -25;
    case "kec":
      if (level === 3) return 20;
      return level === 4 ? -15 : -25;
    case "desa":
    case "kel":
      // "Desa" is used loosely for any village, "Kelurahan" only for urban ones.
      if (level === 4) return villageKind === hint ? 20 : hint === "desa" ? 10 : 5;
      return level === 3 ? -15 : level === 2 ? -25 : -30;
  }
}

/** The set of letters and digits in a word, one bit each (digits share a bit). */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 97 && c <= 122) mask |= 1 << (c - 97);
    else mask |= 1 << 26;
  }
  return mask;
}

function bitCount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * At most MAX_CANDIDATES options, taken round-robin from the provinces with the most matches
 * first, so a common village name still shows the spread of provinces it occurs in.
 */
function spreadOverProvinces(candidates: readonly PlaceCandidate[]): PlaceCandidate[] {
  const byProvince = new Map<string, PlaceCandidate[]>();
  for (const c of candidates) push(byProvince, c.province.code, c);
  const queues = [...byProvince.values()].sort((a, b) => b.length - a.length);
  const picked: PlaceCandidate[] = [];
  for (let round = 0; picked.length < Math.min(MAX_CANDIDATES, candidates.length); round++) {
    for (const queue of queues) {
      const next = queue[round];
      if (next && picked.length < MAX_CANDIDATES) picked.push(next);
    }
  }
  return picked;
}

/** The text half of the resolver, built once over the loaded tables. */
export class TextResolver {
  readonly #areas: AreaTable;
  readonly #loadVillages: () => VillageTable;
  #villages: VillageTable | null = null;
  #villageKeys: Map<string, number[]> | null = null;
  #villageCompact: string[] | null = null;
  #villageMasks: Int32Array | null = null;
  /** Village indices sorted by compact key, for names typed without their last word. */
  #villageSorted: Int32Array | null = null;
  #neededVillages = false;
  readonly #exact = new Map<string, Entry[]>();
  readonly #fuzzyKeys: string[];
  readonly #fuzzyEntries: Entry[][];
  readonly #fuzzy: TrigramIndex;

  constructor(areas: AreaTable, towns: readonly TownName[], loadVillages: () => VillageTable) {
    this.#areas = areas;
    this.#loadVillages = loadVillages;
    const add = (key: string, entry: Entry) => {
      const spaced = placeKey(key);
      if (!spaced) return;
      push(this.#exact, spaced, entry);
      const compact = spaced.replace(/ /g, "");
      if (compact !== spaced) push(this.#exact, compact, entry);
    };
    const areaEntry = (target: number, base: number, town: boolean): Entry => ({
      kind: "area",
      target,
      base,
      level: areas.levels[target] as number,
      regencyKind: areas.levels[target] === 2 ? regencyCore(areas.names[target] as string).kind : "",
      town,
    });
    for (let i = 0; i < areas.codes.length; i++) {
      const name = areas.names[i] as string;
      const level = areas.levels[i];
      if (level === 1) {
        const entry = areaEntry(i, SCORE.province, false);
        add(name, entry);
        add(shortProvinceName(name), entry);
        for (const alias of PROVINCES.find((p) => p.code === areas.codes[i])?.aliases ?? []) add(alias, entry);
      } else if (level === 2) {
        const entry = areaEntry(i, SCORE.regency, false);
        const { core } = regencyCore(name);
        add(core, entry);
        add(name, entry);
        // "Kepulauan Mentawai" is typed "Mentawai", "Tidore Kepulauan" "Tidore", "Pulau Morotai" "Morotai".
        const bare = core.replace(/^(kepulauan|pulau) /, "").replace(/ kepulauan$/, "");
        if (bare !== core) add(bare, entry);
        // "Mamberamo" covers Mamberamo Raya and Mamberamo Tengah, weaker than a full name.
        const stem = core.replace(PART_SUFFIX, "");
        if (stem !== core && stem.length >= 4) add(stem, { ...entry, base: SCORE.partial });
      } else {
        const entry = areaEntry(i, SCORE.district, false);
        add(name, entry);
        const key = placeKey(name);
        if (key.startsWith("kota ")) add(key.slice(5), entry);
      }
    }
    for (const alias of PROVINCE_ALIASES) {
      const index = areas.byCode.get(alias.province);
      if (index === undefined) throw new Error(`place alias: no province ${alias.province}`);
      for (const name of alias.names) add(name, areaEntry(index, SCORE.island, false));
    }
    PROVINCE_GROUPS.forEach((group, g) => {
      for (const name of group.names)
        add(name, { kind: "group", target: g, base: SCORE.group, level: 1, regencyKind: "", town: false });
    });
    const regencyByName = new Map<string, number>();
    for (let i = 0; i < areas.codes.length; i++)
      if (areas.levels[i] === 2) regencyByName.set(areas.names[i] as string, i);
    for (const alias of TOWN_ALIASES) {
      const regency = regencyByName.get(alias.regency);
      if (regency === undefined) throw new Error(`place alias: no regency ${alias.regency}`);
      let target = regency;
      if (alias.district) {
        const district = this.#childNamed(regency, alias.district);
        if (district < 0) throw new Error(`place alias: no district ${alias.district} in ${alias.regency}`);
        target = district;
      }
      for (const name of alias.names) add(name, areaEntry(target, SCORE.alias, true));
    }
    const countryIndex = new Map(COUNTRIES.map((c, i) => [c.code, i]));
    COUNTRIES.forEach((country, c) => {
      for (const name of [country.name, ...country.names])
        add(name, { kind: "country", target: c, base: SCORE.country, level: 0, regencyKind: "", town: false });
    });
    for (const town of towns) {
      const country = countryIndex.get(town.target);
      if (country !== undefined) {
        add(town.key, {
          kind: "country",
          target: country,
          base: SCORE.town,
          level: 0,
          regencyKind: "",
          town: true,
          exactOnly: true,
        });
        continue;
      }
      const index = areas.byCode.get(town.target);
      if (index === undefined) continue;
      add(town.key, { ...areaEntry(index, town.rank === 1 ? SCORE.town : SCORE.minorTown, true), exactOnly: true });
    }
    this.#fuzzyKeys = [];
    this.#fuzzyEntries = [];
    for (const [key, entries] of this.#exact) {
      const fuzzy = entries.filter((e) => !e.exactOnly);
      if (key.includes(" ") || fuzzy.length === 0) continue;
      this.#fuzzyKeys.push(key);
      this.#fuzzyEntries.push(fuzzy);
    }
    this.#fuzzy = new TrigramIndex(this.#fuzzyKeys);
  }

  /** Whether the last query had to look at villages (the benchmark reports those apart). */
  get lastNeededVillages(): boolean {
    return this.#neededVillages;
  }

  /** Reads the villages now instead of on the first query that needs them. */
  preloadVillages(): void {
    this.#ensureVillages();
  }

  #childNamed(parent: number, name: string): number {
    const key = compactKey(name);
    for (let i = parent + 1; i < this.#areas.codes.length && this.#areas.levels[i] === 3; i++)
      if (compactKey(this.#areas.names[i] as string) === key) return i;
    return -1;
  }

  #ensureVillages(): { table: VillageTable; keys: Map<string, number[]>; compact: string[]; masks: Int32Array } {
    this.#neededVillages = true;
    if (!this.#villages || !this.#villageKeys || !this.#villageCompact || !this.#villageMasks) {
      const table = this.#loadVillages();
      const keys = new Map<string, number[]>();
      const compact: string[] = new Array(table.names.length);
      const masks = new Int32Array(table.names.length);
      table.names.forEach((name, i) => {
        const key = compactKey(name);
        compact[i] = key;
        masks[i] = letterMask(key);
        push(keys, key, i);
      });
      this.#villageSorted = Int32Array.from(compact.keys()).sort((a, b) => {
        const x = compact[a] as string;
        const y = compact[b] as string;
        return x < y ? -1 : x > y ? 1 : 0;
      });
      this.#villages = table;
      this.#villageKeys = keys;
      this.#villageCompact = compact;
      this.#villageMasks = masks;
    }
    return { table: this.#villages, keys: this.#villageKeys, compact: this.#villageCompact, masks: this.#villageMasks };
  }

  /** Resolves one typed query; only its first MAX_PLACE_TEXT characters are read. */
  resolve(typed: string): PlaceResolution {
    // Every span of words is a candidate name: a long message would block the process for seconds.
    const query = placeHead(typed);
    this.#neededVillages = false;
    const segments = this.#glueVillageNames(this.#segment(query));
    if (segments.length === 0) return notFound(query);
    for (const segment of segments) {
      if (segment.hint === "desa" || segment.hint === "kel" || segment.candidates.size === 0)
        this.#searchVillages(segment);
    }
    let scored = this.#score(segments);
    const best = scored[0];
    if (best && best.dropped.length > 0 && best.key.startsWith("a")) {
      const area = Number(best.key.slice(1));
      if ((this.#areas.levels[area] as number) >= 2) {
        let found = false;
        for (const s of best.dropped) found = this.#searchWithin(segments[s] as Segment, area) || found;
        if (found) scored = this.#score(segments);
      }
    }
    return this.#answer(query, segments, scored);
  }

  /** Villages whose name starts with the word ("Tanjung Uban" for Tanjung Uban Kota/Utara/...), at most a few. */
  #villagesStartingWith(word: string): number[] {
    const { compact } = this.#ensureVillages();
    const sorted = this.#villageSorted;
    if (!sorted || word.length < 6) return [];
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((compact[sorted[mid] as number] as string) < word) lo = mid + 1;
      else hi = mid;
    }
    const found: number[] = [];
    for (let k = lo; k < sorted.length && found.length <= MAX_CANDIDATES; k++) {
      const v = sorted[k] as number;
      if (!(compact[v] as string).startsWith(word)) break;
      found.push(v);
    }
    return found.length <= MAX_CANDIDATES ? found : [];
  }

  /**
   * "Tanjung Uban": a weak name followed by unknown words may be the start of a village name,
   * so the two are looked up together among villages before being taken apart.
   */
  #glueVillageNames(segments: Segment[]): Segment[] {
    const kept: Segment[] = [];
    for (const segment of segments) {
      const glue = segment.glue;
      if (glue && segment.candidates.size === 0 && kept[kept.length - 1] === glue && !this.#namesRegion(glue)) {
        const { keys } = this.#ensureVillages();
        const word = [...glue.tokens, ...segment.tokens].join("");
        const exact = keys.get(word);
        const villages = exact ?? this.#villagesStartingWith(word);
        if (villages.length > 0) {
          glue.tokens.push(...segment.tokens);
          glue.candidates.clear();
          const penalty = exact ? 0 : PREFIX_PENALTY;
          for (const v of villages) this.#offer(glue, `v${v}`, this.#villageScore(glue, v, 0) - penalty, true);
          glue.villagesSearched = true;
          continue;
        }
      }
      kept.push(segment);
    }
    return kept;
  }

  /** Cuts the query into segments: commas and similar split parts, hints and names split segments. */
  #segment(query: string): Segment[] {
    const segments: Segment[] = [];
    for (const part of query.split(/[,;()\n|]+/)) {
      const tokens = placeKey(part)
        .split(" ")
        .filter((t) => t !== "")
        .map((t) => WORD_FIXES.get(t) ?? t)
        .flatMap((t) => t.split(" "));
      this.#segmentPart(tokens, segments);
    }
    return segments;
  }

  #hintOf(token: string): Hint | null {
    const hint = PREFIX_HINTS.get(token);
    if (hint) return hint;
    if (token.length >= 7) {
      for (const word of LONG_HINTS) if (editDistance(token, word, 1) <= 1) return PREFIX_HINTS.get(word) ?? null;
    }
    return null;
  }

  #segmentPart(tokens: string[], segments: Segment[]): void {
    const n = tokens.length;
    let hint: Hint | null = null;
    let unknown: Segment | null = null;
    let previous: Segment | null = null;
    let previousEnd = -1;
    let i = 0;
    const flushUnknown = () => {
      if (unknown) segments.push(unknown);
      unknown = null;
    };
    while (i < n) {
      const token = tokens[i] as string;
      if (STREET_WORDS.has(token)) {
        // Skip the street name up to the next level word.
        i++;
        while (i < n && !this.#hintOf(tokens[i] as string)) i++;
        flushUnknown();
        continue;
      }
      if (FILLERS.has(token) || /^\d+$/.test(token)) {
        i++;
        continue;
      }
      const english = ENGLISH_HINTS.get(token);
      if (english) {
        if (tokens[i + 1] === "of") {
          hint = english;
          i += 2;
        } else {
          if (previous && !previous.hint) this.#applyHint(previous, english);
          i++;
        }
        continue;
      }
      const prefix = this.#hintOf(token);
      if (prefix) {
        const rest = tokens.slice(i + 1).some((t) => !FILLERS.has(t) && !/^\d+$/.test(t));
        if (!rest) {
          if (previous && !previous.hint) this.#applyHint(previous, prefix);
          i++;
          continue;
        }
        // "Kota Baru", "Kota Atambua": the hint word may belong to the name itself.
        const own = this.#exactSpan(tokens, i);
        flushUnknown();
        const match = this.#matchAt(tokens, i + 1);
        if (match) {
          const segment = this.#newSegment(tokens.slice(i + 1, match.end), prefix, token);
          this.#addEntries(segment, match.entries, prefix);
          if (own && own.end >= match.end) this.#addEntries(segment, own.entries, null);
          segments.push(segment);
          previous = segment;
          i = match.end;
          previousEnd = i;
        } else {
          // Unknown name after a hint: a village or a typo, searched later.
          let end = i + 1;
          while (end < n && !this.#hintOf(tokens[end] as string) && !FILLERS.has(tokens[end] as string)) end++;
          const segment = this.#newSegment(tokens.slice(i + 1, end), prefix, token);
          if (own && own.end === end) this.#addEntries(segment, own.entries, null);
          segments.push(segment);
          previous = segment;
          i = end;
        }
        hint = null;
        continue;
      }
      const match = this.#matchAt(tokens, i);
      if (match) {
        flushUnknown();
        const segment = this.#newSegment(tokens.slice(i, match.end), hint);
        this.#addEntries(segment, match.entries, hint);
        segments.push(segment);
        previous = segment;
        hint = null;
        i = match.end;
        previousEnd = i;
        continue;
      }
      if (!unknown) {
        unknown = this.#newSegment([], hint);
        if (previous && previous === segments[segments.length - 1] && previousEnd === i) unknown.glue = previous;
      }
      unknown.tokens.push(token);
      hint = null;
      i++;
    }
    flushUnknown();
  }

  #newSegment(tokens: string[], hint: Hint | null, hintWord = ""): Segment {
    return { tokens, hint, hintWord, glue: null, candidates: new Map(), villagesSearched: false };
  }

  /** Re-scores a segment's candidates for a hint written after it ("Bogor regency", "Malang kota"). */
  #applyHint(segment: Segment, hint: Hint): void {
    segment.hint = hint;
    for (const [key, candidate] of segment.candidates) {
      if (!key.startsWith("a")) continue;
      const area = Number(key.slice(1));
      const level = this.#areas.levels[area] as number;
      const kind = level === 2 ? regencyCore(this.#areas.names[area] as string).kind : "";
      candidate.score += hintAdjustment(hint, level, kind, false, "");
    }
  }

  #exactSpan(tokens: string[], start: number): { end: number; entries: Array<{ entry: Entry; edits: number }> } | null {
    for (let end = Math.min(tokens.length, start + MAX_SPAN); end > start + 1; end--) {
      const entries = this.#lookup(tokens.slice(start, end));
      if (entries.length > 0) return { end, entries: entries.map((entry) => ({ entry, edits: 0 })) };
    }
    return null;
  }

  #lookup(tokens: readonly string[]): Entry[] {
    const spaced = tokens.join(" ");
    const a = this.#exact.get(spaced);
    const compact = tokens.join("");
    const b = compact !== spaced ? this.#exact.get(compact) : undefined;
    if (a && b) return [...a, ...b];
    return a ?? b ?? [];
  }

  /** The longest name starting at a token: exact first, then a longer typo of a name. */
  #matchAt(tokens: string[], start: number): { end: number; entries: Array<{ entry: Entry; edits: number }> } | null {
    const n = tokens.length;
    const limit = Math.min(n, start + MAX_SPAN);
    let exact: { end: number; entries: Array<{ entry: Entry; edits: number }> } | null = null;
    const direction = DIRECTIONS.get(tokens[start] as string);
    for (let end = limit; end > start && !exact; end--) {
      const span = tokens.slice(start, end);
      if (span.some((t, k) => k > 0 && this.#hintOf(t))) continue;
      let entries = this.#lookup(span);
      // "East Java" is "Jawa Timur": the direction goes after the name.
      if (entries.length === 0 && direction && end - start >= 2)
        entries = this.#lookup([...span.slice(1), ...direction.split(" ")]);
      // "Seribu Islands" is "Kepulauan Seribu".
      if (entries.length === 0 && end - start >= 2 && /^islands?$/.test(span[span.length - 1] as string))
        entries = this.#lookup(["kepulauan", ...span.slice(0, -1)]);
      if (entries.length > 0) exact = { end, entries: entries.map((entry) => ({ entry, edits: 0 })) };
    }
    const exactBest = exact ? Math.max(...exact.entries.map((e) => e.entry.base)) : 0;
    // Typos: longer spans than the exact match, and the same span when the exact match is only
    // a district or village (a typo of a regency competes with an obscure exact name).
    const minEnd = exact ? (exactBest >= SCORE.town ? exact.end + 1 : exact.end) : start + 1;
    for (let end = Math.min(n, start + 4); end >= minEnd; end--) {
      const span = tokens.slice(start, end);
      if (span.some((t) => this.#hintOf(t) || FILLERS.has(t))) continue;
      const variants = [span.join("")];
      if (direction && span.length >= 2) variants.push([...span.slice(1), ...direction.split(" ")].join(""));
      const found: Array<{ entry: Entry; edits: number }> = [];
      for (const word of variants) {
        const maxEdits = allowedEdits(word.length);
        for (const hit of this.#fuzzy.search(word, maxEdits)) {
          if (hit.distance === 0) continue;
          for (const entry of this.#fuzzyEntries[hit.id] ?? []) {
            if (exact && end === exact.end && entry.base < SCORE.town) continue;
            found.push({ entry, edits: hit.distance });
          }
        }
      }
      if (found.length === 0) continue;
      if (exact && end === exact.end) return { end, entries: [...exact.entries, ...found] };
      const bestFuzzy = Math.max(...found.map((f) => f.entry.base - EDIT_PENALTY * f.edits));
      if (exact && bestFuzzy < 60) continue;
      return { end, entries: found };
    }
    return exact;
  }

  #addEntries(segment: Segment, entries: ReadonlyArray<{ entry: Entry; edits: number }>, hint: Hint | null): void {
    for (const { entry, edits } of entries) {
      const penalty = EDIT_PENALTY * edits;
      if (entry.kind === "group") {
        for (const code of PROVINCE_GROUPS[entry.target]?.provinces ?? []) {
          const area = this.#areas.byCode.get(code);
          if (area === undefined) continue;
          const score = entry.base - penalty + hintAdjustment(hint, 1, "", false, "");
          this.#offer(segment, `a${area}`, score, edits === 0);
        }
        continue;
      }
      if (entry.kind === "country") {
        const code = COUNTRIES[entry.target]?.code ?? "";
        const score = entry.base - penalty + hintAdjustment(hint, 0, "", entry.town, "");
        this.#offer(segment, `c${code}`, score, edits === 0);
        continue;
      }
      // A level hint names the area's own level, so a town name gets no extra weight then.
      const base =
        entry.town && hint && hint !== "kota" ? (entry.level === 2 ? SCORE.regency : SCORE.district) : entry.base;
      const score = base - penalty + hintAdjustment(hint, entry.level, entry.regencyKind, entry.town, "");
      this.#offer(segment, `a${entry.target}`, score, edits === 0);
    }
  }

  #offer(segment: Segment, key: string, score: number, exact: boolean): void {
    const current = segment.candidates.get(key);
    if (!current || current.score < score) segment.candidates.set(key, { score, exact });
  }

  #villageScore(segment: Segment, village: number, edits: number): number {
    const { table } = this.#ensureVillages();
    const code = table.codes[village] as string;
    const kind = code.charAt(code.length - 4) === "1" ? "kel" : "desa";
    return SCORE.village - EDIT_PENALTY * edits + hintAdjustment(segment.hint, 4, "", false, kind);
  }

  /** Looks the segment up among all villages (exact, then with typos). */
  #searchVillages(segment: Segment): void {
    if (segment.villagesSearched || segment.tokens.length === 0 || segment.tokens.length > 4) return;
    segment.villagesSearched = true;
    const { keys, compact, masks } = this.#ensureVillages();
    const word = segment.tokens.join("");
    const exact = [...(keys.get(word) ?? []), ...(segment.hintWord ? (keys.get(segment.hintWord + word) ?? []) : [])];
    if (exact.length > 0) {
      for (const v of exact) this.#offer(segment, `v${v}`, this.#villageScore(segment, v, 0), true);
      return;
    }
    const starting = this.#villagesStartingWith(word);
    if (starting.length > 0) {
      for (const v of starting) this.#offer(segment, `v${v}`, this.#villageScore(segment, v, 0) - PREFIX_PENALTY, true);
      return;
    }
    const maxEdits = allowedEdits(word.length);
    if (maxEdits === 0) return;
    // Each edit adds or removes at most two letters from the set of letters used, so most of the
    // 83,000 names are ruled out by two integer operations before any distance is computed.
    const mask = letterMask(word);
    for (let v = 0; v < compact.length; v++) {
      const name = compact[v] as string;
      if (Math.abs(name.length - word.length) > maxEdits) continue;
      if (bitCount((masks[v] as number) ^ mask) > 2 * maxEdits) continue;
      const d = editDistance(word, name, maxEdits);
      if (d <= maxEdits) this.#offer(segment, `v${v}`, this.#villageScore(segment, v, d), false);
    }
  }

  /** Looks a segment up among the districts and villages inside an area the other segments agree on. */
  #searchWithin(segment: Segment, area: number): boolean {
    const word = segment.tokens.join("");
    if (!word) return false;
    const maxEdits = Math.max(allowedEdits(word.length), word.length >= 4 ? 1 : 0);
    let found = false;
    if (this.#areas.levels[area] === 2) {
      for (let i = area + 1; i < this.#areas.codes.length && this.#areas.levels[i] === 3; i++) {
        const d = editDistance(word, compactKey(this.#areas.names[i] as string), maxEdits);
        if (d > maxEdits) continue;
        const score = SCORE.district - EDIT_PENALTY * d + hintAdjustment(segment.hint, 3, "", false, "");
        this.#offer(segment, `a${i}`, score, d === 0);
        found = true;
      }
    }
    const { table, compact } = this.#ensureVillages();
    const range = table.ranges.get(area);
    if (range) {
      for (let v = range[0]; v < range[1]; v++) {
        const d = editDistance(word, compact[v] as string, maxEdits);
        if (d > maxEdits) continue;
        this.#offer(segment, `v${v}`, this.#villageScore(segment, v, d), d === 0);
        found = true;
      }
    }
    return found;
  }

  /** The keys an answer agrees with: itself and every area above it. */
  #chain(key: string): string[] {
    if (key.startsWith("c")) return [key];
    if (key.startsWith("v")) {
      const { table } = this.#ensureVillages();
      const v = Number(key.slice(1));
      return [key, ...this.#chain(`a${table.districts[v]}`)];
    }
    const keys: string[] = [];
    for (let i = Number(key.slice(1)); i >= 0; i = this.#areas.parents[i] as number) keys.push(`a${i}`);
    return keys;
  }

  /**
   * Every candidate as the answer, best first, with the segments it cannot explain. Each segment
   * contributes one candidate on the answer's chain, and one of them must be the answer itself,
   * so "Kec. Banjar" scores as a district even though its regency matched the same word.
   */
  #score(segments: readonly Segment[]): Scored[] {
    const answers = new Set<string>();
    for (const s of segments) for (const key of s.candidates.keys()) answers.add(key);
    const scored: Scored[] = [];
    for (const key of answers) {
      const chain = this.#chain(key);
      let total = 0;
      let ownGain = Number.NEGATIVE_INFINITY;
      const dropped: number[] = [];
      segments.forEach((s, index) => {
        if (s.candidates.size === 0) return;
        let best = Number.NEGATIVE_INFINITY;
        for (const k of chain) {
          const c = s.candidates.get(k);
          if (c && c.score > best) best = c.score;
        }
        const own = s.candidates.get(key);
        if (own) ownGain = Math.max(ownGain, own.score - best);
        if (best > Number.NEGATIVE_INFINITY) total += best;
        else {
          dropped.push(index);
          total -= this.#strength(s) >= STRONG ? DROP_STRONG : DROP_WEAK;
        }
      });
      scored.push({ key, score: total + ownGain, dropped, chain });
    }
    return scored.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Whether a segment names a province, regency or country (not only districts, towns or villages). */
  #namesRegion(segment: Segment): boolean {
    for (const key of segment.candidates.keys()) {
      if (key.startsWith("c")) return true;
      if (key.startsWith("a") && (this.#areas.levels[Number(key.slice(1))] as number) <= 2) return true;
    }
    return false;
  }

  #strength(segment: Segment): number {
    let best = 0;
    for (const c of segment.candidates.values()) if (c.exact && c.score > best) best = c.score;
    return best;
  }

  #candidate(key: string): PlaceCandidate | null {
    if (key.startsWith("c")) return null;
    if (key.startsWith("v")) {
      const { table } = this.#ensureVillages();
      const v = Number(key.slice(1));
      return describeArea(this.#areas, table.districts[v] as number, { table, index: v });
    }
    return describeArea(this.#areas, Number(key.slice(1)));
  }

  #answer(query: string, segments: readonly Segment[], scored: readonly Scored[]): PlaceResolution {
    const best = scored[0];
    if (!best) return notFound(query);
    if (best.key.startsWith("c")) {
      const country = COUNTRIES.find((c) => c.code === best.key.slice(1));
      return {
        ...notFound(query),
        status: "abroad",
        country: country ? { code: country.code, name: country.name } : null,
      };
    }
    const near = scored.filter((s) => !s.key.startsWith("c") && s.score >= best.score - MARGIN);
    // A part the best answer cannot explain but that named a place outright is a contradiction:
    // offer the best reading of that part too.
    for (const index of best.dropped) {
      if (this.#strength(segments[index] as Segment) < STRONG) continue;
      const rival = scored.find((s) => !s.key.startsWith("c") && !s.dropped.includes(index));
      if (rival && !near.includes(rival)) near.push(rival);
    }
    const kept = near.filter((s) => !near.some((o) => o !== s && o.chain.includes(s.key) && o.key !== s.key));
    const candidates = kept.map((s) => this.#candidate(s.key)).filter((c): c is PlaceCandidate => c !== null);
    const first = candidates[0];
    if (!first) return notFound(query);
    const provinces = new Set(candidates.map((c) => c.province.code));
    if (provinces.size > 1) {
      return { ...notFound(query), status: "ambiguous", candidates: spreadOverProvinces(candidates) };
    }
    const same = <T extends { code: string } | null>(pick: (c: PlaceCandidate) => T): T | null => {
      const value = pick(first);
      return value && candidates.every((c) => pick(c)?.code === value.code) ? value : null;
    };
    return {
      query,
      status: "resolved",
      province: first.province,
      regency: same((c) => c.regency),
      district: same((c) => c.district),
      village: same((c) => c.village),
      country: null,
      candidates: candidates.length > 1 ? candidates.slice(0, MAX_CANDIDATES) : [],
    };
  }
}
