/**
 * Village centroids from the geografis package (83,449 villages with Kemendagri codes of
 * Permendagri 72/2019 and a coordinate each), tied to the districts of idn-area-data: the GPS
 * resolver's reference points, minus one village in twenty held out for the accuracy test set
 * (scripts/generate-gps-test-set.ts), and minus villages far from the rest of their district.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

/** A village centroid tied to a current district (or regency, when its district was renumbered). */
export interface VillagePoint {
  /** The village code as geografis writes it (2019 numbering). */
  code: string;
  name: string;
  /** A current idn-area-data district code, or a regency code. */
  area: string;
  regency: string;
  lat: number;
  lon: number;
}

interface GeografisVillage {
  code: string;
  city: string;
  district: string;
  village: string;
  latitude: number;
  longitude: number;
}

/** FNV-1a: a stable hash, so the same villages are held out on every machine and every run. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/** One village in twenty is held out of the resolver's data, to test it on places it has not seen. */
export function isHeldOut(villageCode: string): boolean {
  return hash(villageCode) % 20 === 0;
}

const KM_PER_DEG = 111.2;

/** Distance in km, flat (good to well under a percent at the few tens of km this is used for). */
export function flatKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const dy = (aLat - bLat) * KM_PER_DEG;
  const dx = (aLon - bLon) * KM_PER_DEG * Math.cos((((aLat + bLat) / 2) * Math.PI) / 180);
  return Math.sqrt(dx * dx + dy * dy);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const nameKey = (name: string) =>
  name
    .toUpperCase()
    .replace(/^(KABUPATEN|KAB\.|KOTA) /, "")
    .replace(/[^A-Z]/g, "");

/**
 * All usable village points: geografis' codes are those of 2019, so the regencies moved to the
 * provinces created in Papua in 2022 are found by name; a village more than 25 km and six times
 * the district's typical distance from the district's median point is dropped as misplaced.
 */
export function readVillagePoints(
  geografisDir: string,
  areaNames: ReadonlyMap<string, string>,
): { points: VillagePoint[]; misplaced: number } {
  const villages = JSON.parse(
    readFileSync(path.join(geografisDir, "data/json/data.json"), "utf8"),
  ) as GeografisVillage[];
  const regencyByName = new Map<string, string>();
  for (const [code, name] of areaNames) {
    if (code.length === 5)
      regencyByName.set(
        `${code.slice(0, 2) >= "91" ? "P" : code.slice(0, 2)}|${name.startsWith("Kota") ? "K" : "R"}|${nameKey(name)}`,
        code,
      );
  }
  const districtByName = new Map<string, string>();
  for (const [code, name] of areaNames)
    if (code.length === 8) districtByName.set(`${code.slice(0, 5)}|${nameKey(name)}`, code);

  const all: VillagePoint[] = [];
  for (const v of villages) {
    if (!Number.isFinite(v.latitude) || !Number.isFinite(v.longitude)) continue;
    let district = v.code.slice(0, 8);
    let regency = v.code.slice(0, 5);
    if (!areaNames.has(district)) {
      const province = regency.slice(0, 2) >= "91" ? "P" : regency.slice(0, 2);
      const moved = regencyByName.get(`${province}|${v.city.startsWith("Kota") ? "K" : "R"}|${nameKey(v.city)}`);
      if (!moved) continue;
      regency = moved;
      district = districtByName.get(`${moved}|${nameKey(v.district)}`) ?? moved;
    }
    all.push({ code: v.code, name: v.village, area: district, regency, lat: v.latitude, lon: v.longitude });
  }

  const byDistrict = new Map<string, VillagePoint[]>();
  for (const p of all) {
    const key = p.code.slice(0, 8);
    const list = byDistrict.get(key);
    if (list) list.push(p);
    else byDistrict.set(key, [p]);
  }
  const points: VillagePoint[] = [];
  let misplaced = 0;
  for (const list of byDistrict.values()) {
    const lat = median(list.map((p) => p.lat));
    const lon = median(list.map((p) => p.lon));
    const distances = list.map((p) => flatKm(p.lat, p.lon, lat, lon));
    const typical = median(distances);
    list.forEach((p, i) => {
      if ((distances[i] as number) > Math.max(25, 6 * typical)) misplaced++;
      else points.push(p);
    });
  }
  return { points, misplaced };
}
