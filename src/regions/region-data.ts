/**
 * Reads the generated files under ./dataset/ (see scripts/generate-regions.ts) into flat arrays.
 * Villages are a separate file, read only when a query needs that level.
 */
import { readFileSync } from "node:fs";

/** Provinces, regencies and districts in code order; level 1, 2 or 3; parent is an index or -1. */
export interface AreaTable {
  codes: readonly string[];
  names: readonly string[];
  levels: Uint8Array;
  parents: Int32Array;
  byCode: ReadonlyMap<string, number>;
}

/** Villages in code order; district is an index into the area table. */
export interface VillageTable {
  codes: readonly string[];
  names: readonly string[];
  districts: Int32Array;
  /** For each district or regency index, the half-open range of its villages. */
  ranges: ReadonlyMap<number, readonly [number, number]>;
}

/** A name from GeoNames: an Indonesian town (target is an area code) or a foreign one (target is a country code). */
export interface TownName {
  key: string;
  target: string;
  rank: number;
}

/** GPS reference points; owner is an area index, or -1 - i for foreign country i. */
export interface PointTable {
  lat: Float64Array;
  lon: Float64Array;
  owners: Int32Array;
  countries: readonly string[];
}

function readDataset(name: string): string[] {
  return readFileSync(new URL(`./dataset/${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** The areas above village level. */
export function loadAreas(): AreaTable {
  const codes: string[] = [];
  const names: string[] = [];
  const lines = readDataset("areas.txt");
  const levels = new Uint8Array(lines.length);
  const parents = new Int32Array(lines.length);
  const byCode = new Map<string, number>();
  lines.forEach((line, i) => {
    const tab = line.indexOf("\t");
    const code = line.slice(0, tab);
    codes.push(code);
    names.push(line.slice(tab + 1));
    levels[i] = code.length === 2 ? 1 : code.length === 5 ? 2 : 3;
    parents[i] = code.length === 2 ? -1 : (byCode.get(code.slice(0, code.length - 3)) ?? -1);
    byCode.set(code, i);
  });
  return { codes, names, levels, parents, byCode };
}

/** The 83,000 villages, decoding the compact per-district lines. */
export function loadVillages(areas: AreaTable): VillageTable {
  const codes: string[] = [];
  const names: string[] = [];
  const districtOf: number[] = [];
  const ranges = new Map<number, [number, number]>();
  for (const line of readDataset("villages.txt")) {
    const tab = line.indexOf("\t");
    const districtCode = line.slice(0, tab);
    const district = areas.byCode.get(districtCode);
    if (district === undefined) continue;
    const start = codes.length;
    let suffix = 0;
    for (const entry of line.slice(tab + 1).split("|")) {
      let name = entry;
      if (/^\d{4} /.test(entry)) {
        suffix = Number(entry.slice(0, 4));
        name = entry.slice(5);
      } else suffix += 1;
      codes.push(`${districtCode}.${String(suffix).padStart(4, "0")}`);
      names.push(name);
      districtOf.push(district);
    }
    ranges.set(district, [start, codes.length]);
    const regency = areas.parents[district] as number;
    const regencyRange = ranges.get(regency);
    ranges.set(regency, regencyRange ? [regencyRange[0], codes.length] : [start, codes.length]);
  }
  return { codes, names, districts: Int32Array.from(districtOf), ranges };
}

/** GeoNames town names. */
export function loadTowns(): TownName[] {
  return readDataset("towns.txt").map((line) => {
    const [key = "", target = "", rank = "1"] = line.split("\t");
    return { key, target, rank: Number(rank) };
  });
}

/** GPS reference points, Indonesian ones tied to areas, foreign ones to countries. */
export function loadPoints(areas: AreaTable): PointTable {
  const lat: number[] = [];
  const lon: number[] = [];
  const owners: number[] = [];
  const countries: string[] = [];
  for (const line of readDataset("points.txt")) {
    const tab = line.indexOf("\t");
    const key = line.slice(0, tab);
    let owner: number;
    if (key.startsWith("!")) {
      countries.push(key.slice(1));
      owner = -countries.length;
    } else {
      const area = areas.byCode.get(key);
      if (area === undefined) continue;
      owner = area;
    }
    for (const pair of line.slice(tab + 1).split(" ")) {
      const comma = pair.indexOf(",");
      lat.push(Number(pair.slice(0, comma)) / 1000);
      lon.push(Number(pair.slice(comma + 1)) / 1000);
      owners.push(owner);
    }
  }
  return { lat: Float64Array.from(lat), lon: Float64Array.from(lon), owners: Int32Array.from(owners), countries };
}
