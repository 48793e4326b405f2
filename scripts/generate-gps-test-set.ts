/**
 * `npx tsx scripts/generate-gps-test-set.ts`: writes tests/fixtures/regions/gps-inside-regencies.json,
 * GPS points well inside regencies with the province and regency they lie in, for the resolver's
 * accuracy test. The points are village centroids from geografis that the resolver never sees
 * (scripts/village-points.ts holds one village in twenty out of its reference points, and a
 * village within 250 m of a point the resolver keeps is left out), kept only where no village of
 * another regency lies within 3 km, at most 30 per province. Run it after generate-regions.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadAreas, loadPoints, type PointTable } from "../src/regions/region-data.ts";
import { flatKm, isHeldOut, readVillagePoints, type VillagePoint } from "./village-points.ts";

/** Where the test set is written, relative to the repository root. */
export const TEST_SET_FILE = "tests/fixtures/regions/gps-inside-regencies.json";
/** A point counts as well inside its regency when no village of another regency is this near. */
export const CLEARANCE_KM = 3;
const MAX_CLEARANCE_KM = 5;
const PER_PROVINCE = 30;
const CELL_DEG = 0.05;

/** A test point this near one of the resolver's reference points would not be an unseen place. */
export const UNSEEN_KM = 0.25;

/** The distance from a point to the nearest of the resolver's reference points, in km. */
export function nearestReferenceKm(references: PointTable, lat: number, lon: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < references.lat.length; i++) {
    const dLat = Math.abs((references.lat[i] as number) - lat);
    if (dLat > 0.01) continue;
    const dLon = Math.abs((references.lon[i] as number) - lon);
    if (dLon > 0.01) continue;
    best = Math.min(best, flatKm(lat, lon, references.lat[i] as number, references.lon[i] as number));
  }
  return best;
}

/** One test point: a held-out village centroid and where it lies. */
export interface InsidePoint {
  name: string;
  lat: number;
  lon: number;
  province: string;
  regency: string;
  /** Distance to the nearest village of another regency, in km; 5 stands for 5 or more. */
  clearanceKm: number;
}

/** Builds the test set from the installed geografis and the committed area list. */
export function generateGpsTestSet(root: string): InsidePoint[] {
  const require = createRequire(import.meta.url);
  const geografisDir = path.dirname(require.resolve("geografis/package.json"));
  const areaNames = new Map<string, string>();
  for (const line of readFileSync(path.join(root, "src/regions/dataset/areas.txt"), "utf8").split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const [code = "", name = ""] = line.split("\t");
    areaNames.set(code, name);
  }
  const { points } = readVillagePoints(geografisDir, areaNames);
  const cells = new Map<string, VillagePoint[]>();
  const cellKey = (lat: number, lon: number) => `${Math.floor(lat / CELL_DEG)},${Math.floor(lon / CELL_DEG)}`;
  for (const p of points) {
    const key = cellKey(p.lat, p.lon);
    const list = cells.get(key);
    if (list) list.push(p);
    else cells.set(key, [p]);
  }
  const clearance = (p: VillagePoint): number => {
    let best = Number.POSITIVE_INFINITY;
    const row = Math.floor(p.lat / CELL_DEG);
    const col = Math.floor(p.lon / CELL_DEG);
    for (let dr = -2; dr <= 2; dr++)
      for (let dc = -2; dc <= 2; dc++)
        for (const q of cells.get(`${row + dr},${col + dc}`) ?? [])
          if (q.regency !== p.regency) best = Math.min(best, flatKm(p.lat, p.lon, q.lat, q.lon));
    return best;
  };
  // Some villages share a coordinate with another village or an island: no unseen place then.
  const references = loadPoints(loadAreas());
  const byProvince = new Map<string, InsidePoint[]>();
  for (const p of points) {
    if (!isHeldOut(p.code) || nearestReferenceKm(references, p.lat, p.lon) < UNSEEN_KM) continue;
    const km = clearance(p);
    if (km < CLEARANCE_KM) continue;
    const list = byProvince.get(p.regency.slice(0, 2)) ?? [];
    list.push({
      name: `${p.name} (${p.code})`,
      lat: Number(p.lat.toFixed(5)),
      lon: Number(p.lon.toFixed(5)),
      province: p.regency.slice(0, 2),
      regency: p.regency,
      clearanceKm: Number(Math.min(km, MAX_CLEARANCE_KM).toFixed(1)),
    });
    byProvince.set(p.regency.slice(0, 2), list);
  }
  // A spread over each province rather than its first district: every k-th point in code order.
  const out: InsidePoint[] = [];
  for (const province of [...byProvince.keys()].sort()) {
    const code = (point: InsidePoint) => point.name.slice(point.name.lastIndexOf("("));
    const list = (byProvince.get(province) ?? []).sort((a, b) => (code(a) < code(b) ? -1 : 1));
    const stride = Math.max(1, list.length / PER_PROVINCE);
    for (let i = 0; i < Math.min(PER_PROVINCE, list.length); i++) out.push(list[Math.floor(i * stride)] as InsidePoint);
  }
  return out;
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const set = generateGpsTestSet(root);
  writeFileSync(path.join(root, TEST_SET_FILE), `${JSON.stringify(set, null, 2)}\n`);
  process.stderr.write(
    `${TEST_SET_FILE}: ${set.length} points in ${new Set(set.map((p) => p.province)).size} provinces\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
