/**
 * Resolves a GPS point by its nearest reference points (GeoNames towns and villages, and the
 * islands of idn-area-data, each with a known regency), with hand-drawn outlines deciding the
 * land borders on Borneo, Timor and New Guinea.
 */
import { areaChain, describeArea } from "./area-view.ts";
import { COUNTRIES } from "./countries.ts";
import { FOREIGN_OUTLINES, INLAND_OUTLINES, insideOutline, type Outline } from "./land-borders.ts";
import { notFound, type PlaceResolution } from "./place-resolution.ts";
import type { AreaTable, PointTable } from "./region-data.ts";

/** A point this close to Indonesian land (a reference point) belongs to the nearest province. */
const NEAR_LAND_KM = 30;
/** The same for foreign land: a point just off Johor or Mindanao is abroad. */
const NEAR_FOREIGN_KM = 25;
/** Inside an inland outline, the nearest reference point decides even this far away. */
const INLAND_KM = 250;
const NEIGHBOURS = 6;
const CELL_DEG = 0.25;
const KM_PER_DEG = 111.2;

/** Names of foreign places near Indonesia that are not destination countries of the intake. */
const OTHER_COUNTRY_NAMES: Record<string, string> = {
  PW: "Palau",
  CX: "Christmas Island",
  CC: "Cocos (Keeling) Islands",
  FM: "Micronesia",
  SB: "Solomon Islands",
  MP: "Northern Mariana Islands",
  GU: "Guam",
};

function countryName(code: string): string {
  return COUNTRIES.find((c) => c.code === code)?.name ?? OTHER_COUNTRY_NAMES[code] ?? code;
}

/** A grid of points in cells of a quarter degree, for nearest-neighbour search. */
class PointGrid {
  readonly #cells = new Map<number, number[]>();
  readonly lat: Float64Array;
  readonly lon: Float64Array;

  constructor(lat: Float64Array, lon: Float64Array, members: readonly number[]) {
    this.lat = lat;
    this.lon = lon;
    for (const i of members) {
      const key = PointGrid.key(Math.floor((lat[i] as number) / CELL_DEG), Math.floor((lon[i] as number) / CELL_DEG));
      const list = this.#cells.get(key);
      if (list) list.push(i);
      else this.#cells.set(key, [i]);
    }
  }

  static key(row: number, col: number): number {
    return (row + 1000) * 4000 + (col + 2000);
  }

  /** The k nearest points within maxKm, nearest first, as [index, km]. */
  nearest(lat: number, lon: number, k: number, maxKm: number): Array<[number, number]> {
    const row = Math.floor(lat / CELL_DEG);
    const col = Math.floor(lon / CELL_DEG);
    const cosLat = Math.cos((lat * Math.PI) / 180);
    const cellKm = CELL_DEG * KM_PER_DEG * Math.min(1, cosLat);
    const maxRing = Math.ceil(maxKm / cellKm) + 1;
    const found: Array<[number, number]> = [];
    for (let ring = 0; ring <= maxRing; ring++) {
      for (let r = row - ring; r <= row + ring; r++) {
        for (let c = col - ring; c <= col + ring; c++) {
          if (Math.max(Math.abs(r - row), Math.abs(c - col)) !== ring) continue;
          const cell = this.#cells.get(PointGrid.key(r, c));
          if (!cell) continue;
          for (const i of cell) {
            const dy = ((this.lat[i] as number) - lat) * KM_PER_DEG;
            const dx = ((this.lon[i] as number) - lon) * KM_PER_DEG * cosLat;
            const km = Math.sqrt(dx * dx + dy * dy);
            if (km <= maxKm) found.push([i, km]);
          }
        }
      }
      // Every point in the next ring is at least ring cells away.
      if (found.length >= k) {
        found.sort((a, b) => a[1] - b[1]);
        if ((found[k - 1] as [number, number])[1] <= ring * cellKm) break;
      }
    }
    return found.sort((a, b) => a[1] - b[1]).slice(0, k);
  }
}

/** The GPS half of the resolver. */
export class PointResolver {
  readonly #areas: AreaTable;
  readonly #points: PointTable;
  readonly #indonesian: PointGrid;
  readonly #foreign: PointGrid;
  /** Foreign points on land that an outline governs, to tell Brunei from Malaysia inside one. */
  readonly #outlined = new Map<Outline, number[]>();

  constructor(areas: AreaTable, points: PointTable) {
    this.#areas = areas;
    this.#points = points;
    const indonesian: number[] = [];
    const foreign: number[] = [];
    for (let i = 0; i < points.owners.length; i++) {
      if ((points.owners[i] as number) >= 0) {
        indonesian.push(i);
        continue;
      }
      const outline = FOREIGN_OUTLINES.find((o) => insideOutline(o, points.lat[i] as number, points.lon[i] as number));
      if (outline) {
        const list = this.#outlined.get(outline) ?? [];
        list.push(i);
        this.#outlined.set(outline, list);
      } else foreign.push(i);
    }
    this.#indonesian = new PointGrid(points.lat, points.lon, indonesian);
    this.#foreign = new PointGrid(points.lat, points.lon, foreign);
  }

  #country(point: number): string {
    return this.#points.countries[-1 - (this.#points.owners[point] as number)] ?? "";
  }

  #abroad(query: string, code: string): PlaceResolution {
    return { ...notFound(query), status: "abroad", country: { code, name: countryName(code) } };
  }

  /** Resolves a latitude and longitude in decimal degrees. */
  resolve(lat: number, lon: number, query: string): PlaceResolution {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
      return notFound(query);
    for (const outline of FOREIGN_OUTLINES) {
      if (!insideOutline(outline, lat, lon)) continue;
      let code = outline.countries[0] ?? "";
      if (outline.countries.length > 1) {
        let bestKm = Number.POSITIVE_INFINITY;
        for (const i of this.#outlined.get(outline) ?? []) {
          const dy = ((this.#points.lat[i] as number) - lat) * KM_PER_DEG;
          const dx = ((this.#points.lon[i] as number) - lon) * KM_PER_DEG * Math.cos((lat * Math.PI) / 180);
          const km = dx * dx + dy * dy;
          if (km < bestKm) {
            bestKm = km;
            code = this.#country(i);
          }
        }
      }
      return this.#abroad(query, code);
    }
    const near = this.#indonesian.nearest(lat, lon, NEIGHBOURS, INLAND_KM);
    const foreign = this.#foreign.nearest(lat, lon, 1, NEAR_FOREIGN_KM)[0];
    const nearestKm = near[0]?.[1] ?? Number.POSITIVE_INFINITY;
    if (foreign && foreign[1] < nearestKm) return this.#abroad(query, this.#country(foreign[0]));
    if (
      nearestKm <= NEAR_LAND_KM ||
      (nearestKm <= INLAND_KM && INLAND_OUTLINES.some((o) => insideOutline(o, lat, lon)))
    ) {
      return this.#vote(query, near);
    }
    return notFound(query);
  }

  #vote(query: string, near: ReadonlyArray<[number, number]>): PlaceResolution {
    const nearestKm = near[0]?.[1] ?? 0;
    const provinceWeight = new Map<number, number>();
    const regencyWeight = new Map<number, number>();
    let total = 0;
    for (const [i, km] of near) {
      if (km > nearestKm * 2 + 10) continue;
      const weight = 1 / (km + 1) ** 2;
      const chain = areaChain(this.#areas, this.#points.owners[i] as number);
      provinceWeight.set(chain.province, (provinceWeight.get(chain.province) ?? 0) + weight);
      if (chain.regency >= 0) regencyWeight.set(chain.regency, (regencyWeight.get(chain.regency) ?? 0) + weight);
      total += weight;
    }
    const [province] = [...provinceWeight.entries()].sort((a, b) => b[1] - a[1])[0] ?? [-1];
    if (province === undefined || province < 0) return notFound(query);
    const [regency, regencyShare] = [...regencyWeight.entries()].sort((a, b) => b[1] - a[1])[0] ?? [-1, 0];
    const sure =
      regency >= 0 && regencyShare / total >= 0.6 && nearestKm <= 15 && this.#areas.parents[regency] === province;
    const place = describeArea(this.#areas, sure ? regency : province);
    return {
      query,
      status: "resolved",
      province: place.province,
      regency: place.regency,
      district: null,
      village: null,
      country: null,
      candidates: [],
    };
  }
}
