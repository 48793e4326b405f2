/**
 * Reads the generated files under ./dataset/ (see scripts/generate-regions.ts) into flat arrays.
 * Villages are a separate file, read only when a query needs that level.
 */
import { readFileSync } from "node:fs";
import { projectPath } from "../project-paths.ts";
import { WorldTable } from "./world-table.ts";

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

/** GPS reference points (village centroids and islands); owner is a district or regency index. */
export interface PointTable {
  lat: Float64Array;
  lon: Float64Array;
  owners: Int32Array;
}

function readDataset(name: string): string[] {
  return readFileSync(projectPath("src/regions/dataset", name), "utf8")
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

/** GPS reference points, each tied to the district or regency it lies in. */
export function loadPoints(areas: AreaTable): PointTable {
  const lines = readDataset("points.txt");
  let capacity = 0;
  for (const line of lines) for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) === 44) capacity++;
  const lat = new Float64Array(capacity);
  const lon = new Float64Array(capacity);
  const owners = new Int32Array(capacity);
  let n = 0;
  for (const line of lines) {
    const tab = line.indexOf("\t");
    const owner = areas.byCode.get(line.slice(0, tab));
    if (owner === undefined) continue;
    // "dlat,dlon dlat,dlon ...": each point as the difference from the one before, in
    // thousandths of a degree; read digit by digit, since 80,000 points are parsed at start.
    let la = 0;
    let lo = 0;
    let value = 0;
    let sign = 1;
    for (let i = tab + 1; i <= line.length; i++) {
      const c = i < line.length ? line.charCodeAt(i) : 32;
      if (c === 45) sign = -1;
      else if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
      else if (c === 44) {
        la += sign * value;
        value = 0;
        sign = 1;
      } else {
        lo += sign * value;
        value = 0;
        sign = 1;
        lat[n] = la / 1000;
        lon[n] = lo / 1000;
        owners[n] = owner;
        n++;
      }
    }
  }
  return { lat: lat.subarray(0, n), lon: lon.subarray(0, n), owners: owners.subarray(0, n) };
}

/** The coarse world table: countries' land and territorial seas, and Indonesia's waters. */
export function loadWorld(): WorldTable {
  return WorldTable.parse(readFileSync(projectPath("src/regions/dataset/world.txt"), "utf8"));
}
