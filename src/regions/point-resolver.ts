/**
 * Resolves a GPS point in two steps. The coarse world table says whose land or territorial sea
 * it is in (Indonesia's archipelagic waters count as Indonesia); anywhere but Indonesia is
 * abroad, with the country when the table knows it. In Indonesia the nearest reference points
 * (83,000 village centroids and the islands) vote on the province and regency, and a point close
 * to the line between two provinces' points is marked near the border, with both sides offered.
 */
import { areaChain, describeArea } from "./area-view.ts";
import { COUNTRIES } from "./countries.ts";
import { notFound, type PlaceCandidate, type PlaceResolution } from "./place-resolution.ts";
import type { AreaTable, PointTable } from "./region-data.ts";
import type { WorldTable } from "./world-table.ts";

/** The nearest points that vote on the province and regency. */
const VOTERS = 8;
/** The nearest points searched for another province's, to tell how near the border is. */
const BORDER_SEARCH = 24;
/** A point nearer than this to the estimated provincial border is "near the border". */
export const NEAR_BORDER_KM = 3;
/** The regency is named only when its points lie this near (else the province alone). */
const REGENCY_KM = 15;
/** Inside Indonesian waters the nearest island can be far out in the Banda Sea. */
const MAX_SEARCH_KM = 600;
const CELL_DEG = 0.1;
const KM_PER_DEG = 111.2;

/** Built on first use: loading ICU's region names costs the start about 15 ms for a rare answer. */
let regionNames: Intl.DisplayNames | null = null;

/** The English name: the intake's own for its destination countries, else ICU's. */
function countryName(code: string): string {
  const listed = COUNTRIES.find((c) => c.code === code)?.name;
  if (listed) return listed;
  try {
    regionNames ??= new Intl.DisplayNames(["en"], { type: "region" });
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** A grid of points in cells of a tenth of a degree, for nearest-neighbour search. */
class PointGrid {
  readonly #cells = new Map<number, number[]>();
  readonly #lat: Float64Array;
  readonly #lon: Float64Array;

  constructor(lat: Float64Array, lon: Float64Array) {
    this.#lat = lat;
    this.#lon = lon;
    for (let i = 0; i < lat.length; i++) {
      const key = PointGrid.key(Math.floor((lat[i] as number) / CELL_DEG), Math.floor((lon[i] as number) / CELL_DEG));
      const list = this.#cells.get(key);
      if (list) list.push(i);
      else this.#cells.set(key, [i]);
    }
  }

  static key(row: number, col: number): number {
    return (row + 2000) * 8000 + (col + 4000);
  }

  #scan(row: number, col: number, lat: number, lon: number, cosLat: number, maxKm: number, found: number[][]): void {
    const cell = this.#cells.get(PointGrid.key(row, col));
    if (!cell) return;
    for (const i of cell) {
      const dy = ((this.#lat[i] as number) - lat) * KM_PER_DEG;
      const dx = ((this.#lon[i] as number) - lon) * KM_PER_DEG * cosLat;
      const km = Math.sqrt(dx * dx + dy * dy);
      if (km <= maxKm) found.push([i, km]);
    }
  }

  /** The k nearest points within maxKm, nearest first, as [index, km]. */
  nearest(lat: number, lon: number, k: number, maxKm: number): Array<[number, number]> {
    const row = Math.floor(lat / CELL_DEG);
    const col = Math.floor(lon / CELL_DEG);
    const cosLat = Math.cos((lat * Math.PI) / 180);
    const cellKm = CELL_DEG * KM_PER_DEG * cosLat;
    const maxRing = Math.ceil(maxKm / cellKm) + 1;
    const found: number[][] = [];
    for (let ring = 0; ring <= maxRing; ring++) {
      if (ring === 0) this.#scan(row, col, lat, lon, cosLat, maxKm, found);
      else {
        for (let c = col - ring; c <= col + ring; c++) {
          this.#scan(row - ring, c, lat, lon, cosLat, maxKm, found);
          this.#scan(row + ring, c, lat, lon, cosLat, maxKm, found);
        }
        for (let r = row - ring + 1; r <= row + ring - 1; r++) {
          this.#scan(r, col - ring, lat, lon, cosLat, maxKm, found);
          this.#scan(r, col + ring, lat, lon, cosLat, maxKm, found);
        }
      }
      // Every point beyond this ring is at least ring cells away.
      if (found.length >= k) {
        found.sort((a, b) => (a[1] as number) - (b[1] as number));
        if (((found[k - 1] as number[])[1] as number) <= ring * cellKm) break;
      }
    }
    found.sort((a, b) => (a[1] as number) - (b[1] as number));
    return found.slice(0, k) as Array<[number, number]>;
  }
}

/** The GPS half of the resolver. */
export class PointResolver {
  readonly #areas: AreaTable;
  readonly #points: PointTable;
  readonly #world: WorldTable;
  readonly #grid: PointGrid;
  /** For each point, the province and regency index of its owner. */
  readonly #province: Int32Array;
  readonly #regency: Int32Array;

  constructor(areas: AreaTable, points: PointTable, world: WorldTable) {
    this.#areas = areas;
    this.#points = points;
    this.#world = world;
    this.#grid = new PointGrid(points.lat, points.lon);
    this.#province = new Int32Array(points.owners.length);
    this.#regency = new Int32Array(points.owners.length);
    for (let i = 0; i < points.owners.length; i++) {
      const chain = areaChain(areas, points.owners[i] as number);
      this.#province[i] = chain.province;
      this.#regency[i] = chain.regency;
    }
  }

  /** Resolves a latitude and longitude in decimal degrees. */
  resolve(lat: number, lon: number, query: string): PlaceResolution {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
      return notFound(query);
    const country = this.#world.countryAt(lat, lon);
    if (country !== "ID") {
      return {
        ...notFound(query),
        status: "abroad",
        country: country === "" ? null : { code: country, name: countryName(country) },
        nearBorder: false,
      };
    }
    const near = this.#grid.nearest(lat, lon, BORDER_SEARCH, MAX_SEARCH_KM);
    if (near.length === 0) return notFound(query);
    return this.#vote(lat, lon, query, near);
  }

  #vote(lat: number, lon: number, query: string, near: ReadonlyArray<[number, number]>): PlaceResolution {
    const nearestKm = (near[0] as [number, number])[1];
    const provinceWeight = new Map<number, number>();
    const regencyWeight = new Map<number, number>();
    let total = 0;
    for (const [i, km] of near.slice(0, VOTERS)) {
      if (km > nearestKm * 2 + 3) continue;
      const weight = 1 / (km + 0.5) ** 2;
      const province = this.#province[i] as number;
      const regency = this.#regency[i] as number;
      provinceWeight.set(province, (provinceWeight.get(province) ?? 0) + weight);
      if (regency >= 0) regencyWeight.set(regency, (regencyWeight.get(regency) ?? 0) + weight);
      total += weight;
    }
    const province = [...provinceWeight.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;
    if (province < 0) return notFound(query);
    const [regency, regencyShare] = [...regencyWeight.entries()].sort((a, b) => b[1] - a[1])[0] ?? [-1, 0];
    const sure =
      regency >= 0 &&
      regencyShare / total >= 0.6 &&
      nearestKm <= REGENCY_KM &&
      this.#areas.parents[regency] === province;
    const place = describeArea(this.#areas, sure ? regency : province);
    const across = this.#acrossBorder(lat, lon, province, near);
    return {
      query,
      status: "resolved",
      province: place.province,
      regency: place.regency,
      district: null,
      village: null,
      country: null,
      candidates: across ? [place, across] : [],
      nearBorder: across !== null,
    };
  }

  /**
   * The place on the other side when the point lies within NEAR_BORDER_KM of the line halfway
   * between the found province's nearest point and another province's points, else null.
   */
  #acrossBorder(
    lat: number,
    lon: number,
    province: number,
    near: ReadonlyArray<[number, number]>,
  ): PlaceCandidate | null {
    const own = near.find(([i]) => this.#province[i] === province);
    if (!own) return null;
    const cosLat = Math.cos((lat * Math.PI) / 180);
    const xy = (i: number): [number, number] => [
      ((this.#points.lon[i] as number) - lon) * KM_PER_DEG * cosLat,
      ((this.#points.lat[i] as number) - lat) * KM_PER_DEG,
    ];
    const [ax, ay] = xy(own[0]);
    let bestKm = NEAR_BORDER_KM;
    let best = -1;
    for (const [i, km] of near) {
      if (this.#province[i] === province) continue;
      const [bx, by] = xy(i);
      const between = Math.hypot(bx - ax, by - ay);
      if (between === 0) continue;
      // Distance from the point to the perpendicular bisector of its own and the other point.
      const toBorder = (km * km - own[1] * own[1]) / (2 * between);
      if (toBorder < bestKm) {
        bestKm = toBorder;
        best = i;
      }
    }
    if (best < 0) return null;
    const regency = this.#regency[best] as number;
    return describeArea(this.#areas, regency >= 0 ? regency : (this.#province[best] as number));
  }
}
