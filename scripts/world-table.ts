/**
 * Builds the coarse world table the GPS resolver reads (src/regions/dataset/world.txt): a grid
 * of cells, each naming the country whose land or territorial sea it lies in, Indonesia for
 * Indonesia's archipelagic waters, or nothing for the open sea. Land comes from Natural Earth's
 * 1:10m admin-0 countries (public domain, through world-atlas), and Indonesia's village and island
 * points; country codes from the GeoNames places inside each land part; the archipelagic waters
 * from ./indonesian-waters.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { INDONESIAN_WATERS } from "./indonesian-waters.ts";

/** A place that votes on the code of the land it stands on. */
export interface CountryPlace {
  lat: number;
  lon: number;
  country: string;
}

/** One grid of the table: cells of `step` degrees from (minLat, minLon). */
export interface GridSpec {
  name: string;
  minLat: number;
  minLon: number;
  step: number;
  rows: number;
  cols: number;
}

/** The whole world, coarsely; sea within the territorial distance of any coast goes to that coast. */
export const WORLD_GRID: GridSpec = { name: "world", minLat: -90, minLon: -180, step: 0.1, rows: 1800, cols: 3600 };
/** Indonesia and its neighbours, finely enough for the land borders on Borneo, Timor and New Guinea. */
export const REGION_GRID: GridSpec = { name: "region", minLat: -13, minLon: 90, step: 0.02, rows: 1100, cols: 2750 };
/**
 * Mainland South-east and East Asia, where many borders run close to towns people are taken to
 * (Myawaddy on the Thai border, Hong Kong, the Mekong towns).
 */
export const ASIA_GRID: GridSpec = { name: "asia", minLat: 9, minLon: 92, step: 0.02, rows: 1650, cols: 2500 };
/** The grids, finest first: a point is looked up in the first one that covers it. */
const GRIDS: readonly GridSpec[] = [REGION_GRID, ASIA_GRID, WORLD_GRID];

/** The territorial sea (12 nautical miles), in kilometres. */
export const TERRITORIAL_SEA_KM = 22.2;
const KM_PER_DEG = 111.2;

type Ring = Array<[number, number]>;
interface Part {
  feature: number;
  rings: Ring[];
}

interface Topology {
  transform: { scale: [number, number]; translate: [number, number] };
  arcs: Array<Array<[number, number]>>;
  objects: {
    countries: {
      geometries: Array<
        | { type: "Polygon"; id?: string; arcs: number[][] }
        | { type: "MultiPolygon"; id?: string; arcs: number[][][] }
        | { type: null; id?: string }
      >;
    };
  };
}

/** The polygon parts of Natural Earth's countries, in (lon, lat), each tied to its country feature. */
function readParts(file: string): { parts: Part[]; ids: string[] } {
  const topology = JSON.parse(readFileSync(file, "utf8")) as Topology;
  const [sx, sy] = topology.transform.scale;
  const [tx, ty] = topology.transform.translate;
  const arcs = topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]): [number, number] => {
      x += dx;
      y += dy;
      return [x * sx + tx, y * sy + ty];
    });
  });
  const ring = (indexes: number[]): Ring => {
    const out: Ring = [];
    for (const index of indexes) {
      const arc = index >= 0 ? (arcs[index] ?? []) : [...(arcs[~index] ?? [])].reverse();
      out.push(...(out.length > 0 ? arc.slice(1) : arc));
    }
    return out;
  };
  const parts: Part[] = [];
  const ids: string[] = [];
  topology.objects.countries.geometries.forEach((geometry, feature) => {
    ids.push(geometry.id ?? "");
    if (geometry.type === "Polygon") parts.push({ feature, rings: geometry.arcs.map(ring) });
    else if (geometry.type === "MultiPolygon")
      for (const polygon of geometry.arcs) parts.push({ feature, rings: polygon.map(ring) });
  });
  return { parts, ids };
}

/** Marks the cells whose centre lies inside the rings (even-odd rule) with label. */
function fillRings(grid: GridSpec, cells: Int32Array, rings: readonly Ring[], label: number): void {
  const crossings = new Map<number, number[]>();
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x1, y1] = ring[i] as [number, number];
      const [x2, y2] = ring[j] as [number, number];
      if (y1 === y2) continue;
      const low = Math.min(y1, y2);
      const high = Math.max(y1, y2);
      const firstRow = Math.max(0, Math.ceil((low - grid.minLat) / grid.step - 0.5));
      const lastRow = Math.min(grid.rows - 1, Math.ceil((high - grid.minLat) / grid.step - 0.5) - 1);
      for (let row = firstRow; row <= lastRow; row++) {
        const y = grid.minLat + (row + 0.5) * grid.step;
        const x = x1 + ((y - y1) * (x2 - x1)) / (y2 - y1);
        const list = crossings.get(row);
        if (list) list.push(x);
        else crossings.set(row, [x]);
      }
    }
  }
  for (const [row, xs] of crossings) {
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(((xs[k] as number) - grid.minLon) / grid.step - 0.5));
      const to = Math.min(grid.cols - 1, Math.ceil(((xs[k + 1] as number) - grid.minLon) / grid.step - 0.5) - 1);
      for (let col = from; col <= to; col++) cells[row * grid.cols + col] = label;
    }
  }
}

/**
 * Gives every sea cell within maxKm of land the label of the nearest land cell (distances in
 * km at each cell's latitude), by propagating the nearest land cell outwards.
 */
function spreadToSea(grid: GridSpec, land: Int32Array, maxKm: number): Int32Array {
  const { rows, cols } = grid;
  const labels = Int32Array.from(land);
  const source = new Int32Array(rows * cols).fill(-1);
  const best = new Float64Array(rows * cols).fill(Number.POSITIVE_INFINITY);
  const kmY = grid.step * KM_PER_DEG;
  const kmX = Array.from(
    { length: rows },
    (_, r) => kmY * Math.cos(((grid.minLat + (r + 0.5) * grid.step) * Math.PI) / 180),
  );
  // Two frontier buffers, reused: a sea cell enters a frontier only when its distance improves.
  let queue = new Int32Array(rows * cols);
  let queueLength = 0;
  let nextQueue = new Int32Array(rows * cols);
  for (let i = 0; i < land.length; i++) {
    if (land[i] === 0) continue;
    const r = Math.floor(i / cols);
    const c = i % cols;
    // Only coast cells can be nearest to a sea cell.
    let coast = false;
    for (let dr = -1; dr <= 1 && !coast; dr++)
      for (let dc = -1; dc <= 1; dc++) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr >= 0 && rr < rows && cc >= 0 && cc < cols && land[rr * cols + cc] === 0) coast = true;
      }
    if (!coast) continue;
    source[i] = i;
    best[i] = 0;
    queue[queueLength++] = i;
  }
  const queued = new Uint8Array(rows * cols);
  while (queueLength > 0) {
    let nextLength = 0;
    for (let q = 0; q < queueLength; q++) {
      const i = queue[q] as number;
      const from = source[i] as number;
      const fr = Math.floor(from / cols);
      const fc = from % cols;
      const r = Math.floor(i / cols);
      const c = i % cols;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr;
          let cc = c + dc;
          if (rr < 0 || rr >= rows) continue;
          if (cc < 0 || cc >= cols) {
            if (grid.cols * grid.step < 360) continue;
            cc = (cc + cols) % cols;
          }
          const n = rr * cols + cc;
          if (land[n] !== 0) continue;
          let dCol = Math.abs(cc - fc);
          if (grid.cols * grid.step >= 360) dCol = Math.min(dCol, cols - dCol);
          const km = Math.hypot((rr - fr) * kmY, dCol * (kmX[rr] as number));
          if (km > maxKm || km >= (best[n] as number)) continue;
          best[n] = km;
          source[n] = from;
          labels[n] = land[from] as number;
          if (queued[n] === 0) {
            queued[n] = 1;
            nextQueue[nextLength++] = n;
          }
        }
      }
    }
    for (let q = 0; q < nextLength; q++) queued[nextQueue[q] as number] = 0;
    [queue, nextQueue] = [nextQueue, queue];
    queueLength = nextLength;
  }
  return labels;
}

/** How far from a land border towns, rather than Natural Earth's line, decide the country. */
const BORDER_ZONE_CELLS = 3;
/** A town decides the cells this close to it in a border zone. */
const TOWN_REACH_KM = 4;

/**
 * Natural Earth's 1:10m land borders can be a few kilometres off (Myawaddy falls in Thailand):
 * near a land border, the country of the nearest town within a few kilometres decides.
 */
function settleLandBorders(
  grid: GridSpec,
  cells: Uint8Array,
  land: Int32Array,
  places: readonly CountryPlace[],
  codeIndex: ReadonlyMap<string, number>,
): void {
  const { rows, cols } = grid;
  const zone = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (land[i] === 0) continue;
      for (const n of [c + 1 < cols ? i + 1 : -1, r + 1 < rows ? i + cols : -1]) {
        if (n < 0 || land[n] === 0 || cells[n] === cells[i]) continue;
        for (let dr = -BORDER_ZONE_CELLS; dr <= BORDER_ZONE_CELLS; dr++)
          for (let dc = -BORDER_ZONE_CELLS; dc <= BORDER_ZONE_CELLS; dc++) {
            const rr = r + dr;
            const cc = c + dc;
            if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) zone[rr * cols + cc] = 1;
          }
      }
    }
  }
  const byCell = new Map<number, CountryPlace[]>();
  for (const place of places) {
    const r = Math.floor((place.lat - grid.minLat) / grid.step);
    const c = Math.floor((place.lon - grid.minLon) / grid.step);
    if (r < 0 || r >= rows || c < 0 || c >= cols || !codeIndex.has(place.country)) continue;
    const list = byCell.get(r * cols + c);
    if (list) list.push(place);
    else byCell.set(r * cols + c, [place]);
  }
  const reach = Math.ceil(TOWN_REACH_KM / (grid.step * KM_PER_DEG * 0.5));
  for (let i = 0; i < cells.length; i++) {
    if (zone[i] === 0 || land[i] === 0) continue;
    const r = Math.floor(i / cols);
    const c = i % cols;
    const lat = grid.minLat + (r + 0.5) * grid.step;
    const lon = grid.minLon + (c + 0.5) * grid.step;
    const cos = Math.cos((lat * Math.PI) / 180);
    let bestKm = TOWN_REACH_KM;
    let best: CountryPlace | null = null;
    for (let dr = -reach; dr <= reach; dr++)
      for (let dc = -reach; dc <= reach; dc++) {
        for (const place of byCell.get((r + dr) * cols + (c + dc)) ?? []) {
          const km = Math.hypot((place.lat - lat) * KM_PER_DEG, (place.lon - lon) * KM_PER_DEG * cos);
          if (km < bestKm) {
            bestKm = km;
            best = place;
          }
        }
      }
    if (best) cells[i] = codeIndex.get(best.country) ?? (cells[i] as number);
  }
}

/** Run-length encodes one row: "code:length" tokens, code an index into the code list. */
function encodeRow(row: ArrayLike<number>): string {
  const tokens: string[] = [];
  let start = 0;
  for (let c = 1; c <= row.length; c++) {
    if (c < row.length && row[c] === row[start]) continue;
    tokens.push(`${row[start]}:${c - start}`);
    start = c;
  }
  return tokens.join(" ");
}

/** A cell and then its eight neighbours. */
const NEIGHBOURHOOD: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
  [-1, -1],
  [-1, 1],
  [1, -1],
  [1, 1],
];

/** The content of world.txt, from world-atlas's countries-10m.json and the places that name the land. */
export function generateWorldTable(
  worldAtlasDir: string,
  places: readonly CountryPlace[],
  indonesian: ReadonlyArray<{ lat: number; lon: number }>,
  header: string,
): string {
  const { parts, ids } = readParts(path.join(worldAtlasDir, "countries-10m.json"));
  const grids = GRIDS.map((grid) => {
    const land = new Int32Array(grid.rows * grid.cols);
    parts.forEach((part, p) => {
      fillRings(grid, land, part.rings, p + 1);
    });
    return { grid, land };
  });

  // Each land part takes the code most of the places on it carry; a part without places takes
  // its country's; a country without places (a reef, Antarctica) stays without a code.
  const partVotes = new Map<number, Map<string, number>>();
  for (const place of places) {
    for (const { grid, land } of grids) {
      const row = Math.floor((place.lat - grid.minLat) / grid.step);
      const col = Math.floor((place.lon - grid.minLon) / grid.step);
      if (row < 0 || row >= grid.rows || col < 0 || col >= grid.cols) continue;
      // A town on the shore may fall in a sea cell: the land next to it counts.
      let label = 0;
      for (const [dr, dc] of NEIGHBOURHOOD) {
        const r = row + dr;
        const c = col + dc;
        if (r >= 0 && r < grid.rows && c >= 0 && c < grid.cols) label = land[r * grid.cols + c] as number;
        if (label !== 0) break;
      }
      if (label === 0) continue;
      const tally = partVotes.get(label - 1) ?? new Map<string, number>();
      tally.set(place.country, (tally.get(place.country) ?? 0) + 1);
      partVotes.set(label - 1, tally);
    }
  }
  const winner = (tally: Map<string, number> | undefined) =>
    tally ? ([...tally.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? "") : "";
  const featureVotes = new Map<number, Map<string, number>>();
  for (const [p, tally] of partVotes) {
    const feature = (parts[p] as Part).feature;
    const sum = featureVotes.get(feature) ?? new Map<string, number>();
    for (const [code, n] of tally) sum.set(code, (sum.get(code) ?? 0) + n);
    featureVotes.set(feature, sum);
  }
  const indonesia = ids.indexOf("360");
  const partCode = parts.map((part, p) =>
    part.feature === indonesia ? "ID" : winner(partVotes.get(p)) || winner(featureVotes.get(part.feature)),
  );

  // Indonesia's own villages and islands are land too, where Natural Earth has only sea: small
  // islands (Nipa, Berhala, the islets off Rokan Hilir) and the shore of Batam.
  const indonesiaLabel = parts.findIndex((part) => part.feature === indonesia) + 1;
  for (const { grid, land } of grids) {
    for (const point of indonesian) {
      const row = Math.floor((point.lat - grid.minLat) / grid.step);
      const col = Math.floor((point.lon - grid.minLon) / grid.step);
      if (row < 0 || row >= grid.rows || col < 0 || col >= grid.cols) continue;
      if (land[row * grid.cols + col] === 0) land[row * grid.cols + col] = indonesiaLabel;
    }
  }
  // Near a land border the villages' centroids (inside their village, so inside Indonesia) count
  // as towns of Indonesia.
  const borderPlaces = [...places, ...indonesian.map((p) => ({ lat: p.lat, lon: p.lon, country: "ID" }))];

  const codes = ["", ...[...new Set(partCode.filter((c) => c !== ""))].sort()];
  // The resolver keeps a code index in a byte.
  if (codes.length > 256) throw new Error(`world table: ${codes.length} codes do not fit in a byte`);
  const codeIndex = new Map(codes.map((code, i) => [code, i]));
  const lines = [header.trimEnd(), `codes\t${codes.join(",")}`];
  const waters = new Int32Array(REGION_GRID.rows * REGION_GRID.cols);
  fillRings(REGION_GRID, waters, [INDONESIAN_WATERS.map(([lat, lon]): [number, number] => [lon, lat])], 1);
  for (const { grid, land } of grids) {
    const labels = spreadToSea(grid, land, TERRITORIAL_SEA_KM);
    const cells = new Uint8Array(grid.rows * grid.cols);
    for (let i = 0; i < cells.length; i++) {
      const label = labels[i] as number;
      cells[i] = codeIndex.get(label === 0 ? "" : (partCode[label - 1] as string)) ?? 0;
      if (label === 0 && grid === REGION_GRID && waters[i] === 1) cells[i] = codeIndex.get("ID") ?? 0;
    }
    if (grid !== WORLD_GRID) settleLandBorders(grid, cells, land, borderPlaces, codeIndex);
    lines.push(`grid\t${grid.name}\t${grid.minLat}\t${grid.minLon}\t${grid.step}\t${grid.rows}\t${grid.cols}`);
    for (let r = 0; r < grid.rows; r++) {
      const row = cells.subarray(r * grid.cols, (r + 1) * grid.cols);
      const lat = grid.minLat + (r + 0.5) * grid.step;
      // A finer grid answers inside its box, so a coarser one leaves that part blank.
      for (const finer of GRIDS.slice(0, GRIDS.indexOf(grid))) {
        if (lat < finer.minLat || lat >= finer.minLat + finer.rows * finer.step) continue;
        const from = Math.max(0, Math.ceil((finer.minLon - grid.minLon) / grid.step - 0.5));
        const to = Math.min(
          grid.cols,
          Math.ceil((finer.minLon + finer.cols * finer.step - grid.minLon) / grid.step - 0.5),
        );
        row.fill(0, from, to);
      }
      lines.push(encodeRow(row));
    }
  }
  return `${lines.join("\n")}\n`;
}
