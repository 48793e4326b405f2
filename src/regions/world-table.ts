/**
 * The coarse world table (dataset/world.txt, made by scripts/world-table.ts): which country's
 * land or territorial sea a point lies in, with Indonesia's archipelagic waters counted as
 * Indonesia. A fine grid covers Indonesia and its neighbours, a coarse one the rest of the world.
 */

interface Grid {
  minLat: number;
  minLon: number;
  step: number;
  rows: number;
  cols: number;
  /** For each row, where its runs begin in starts and codes (rows + 1 entries). */
  rowOffsets: Int32Array;
  /** The first column of each run. */
  starts: Uint16Array;
  /** The country of each run, an index into the code list (0: open sea or unnamed land). */
  codes: Uint8Array;
}

/** Country lookups by point; "" means open sea or land of no known country. */
export class WorldTable {
  readonly #codes: readonly string[];
  readonly #grids: readonly Grid[];

  constructor(codes: readonly string[], grids: readonly Grid[]) {
    this.#codes = codes;
    // The finest grid first: it answers wherever it reaches.
    this.#grids = [...grids].sort((a, b) => a.step - b.step);
  }

  /** Parses the text of world.txt. */
  static parse(text: string): WorldTable {
    const lines = text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    let codes: string[] = [];
    const grids: Grid[] = [];
    let i = 0;
    while (i < lines.length) {
      const fields = (lines[i] as string).split("\t");
      i++;
      if (fields[0] === "codes") {
        codes = (fields[1] ?? "").split(",");
        continue;
      }
      if (fields[0] !== "grid") throw new Error(`world table: unexpected line ${i}`);
      const [minLat, minLon, step, rows, cols] = fields.slice(2).map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      const rowLines = lines.slice(i, i + rows);
      i += rows;
      let runs = 0;
      for (const line of rowLines) for (let k = 0; k < line.length; k++) if (line.charCodeAt(k) === 58) runs++;
      const rowOffsets = new Int32Array(rows + 1);
      const starts = new Uint16Array(runs);
      const runCodes = new Uint8Array(runs);
      let run = 0;
      rowLines.forEach((line, r) => {
        rowOffsets[r] = run;
        // "code:length code:length ...", read digit by digit: a million cells load at start.
        let col = 0;
        let value = 0;
        for (let k = 0; k <= line.length; k++) {
          const c = k < line.length ? line.charCodeAt(k) : 32;
          if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
          else if (c === 58) {
            starts[run] = col;
            runCodes[run] = value;
            value = 0;
          } else {
            col += value;
            run++;
            value = 0;
          }
        }
        if (col !== cols) throw new Error(`world table: row ${r} of a grid has ${col} cells, not ${cols}`);
      });
      rowOffsets[rows] = run;
      grids.push({ minLat, minLon, step, rows, cols, rowOffsets, starts, codes: runCodes });
    }
    return new WorldTable(codes, grids);
  }

  /** The ISO 3166-1 alpha-2 code of the country whose land or territorial sea holds the point, or "". */
  countryAt(lat: number, lon: number): string {
    for (const grid of this.#grids) {
      const row = Math.floor((lat - grid.minLat) / grid.step);
      const col = Math.floor((lon - grid.minLon) / grid.step);
      if (row < 0 || row >= grid.rows || col < 0 || col >= grid.cols) continue;
      let low = grid.rowOffsets[row] as number;
      let high = (grid.rowOffsets[row + 1] as number) - 1;
      // The last run that starts at or before the column.
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if ((grid.starts[mid] as number) <= col) low = mid;
        else high = mid - 1;
      }
      return this.#codes[grid.codes[low] as number] ?? "";
    }
    return "";
  }
}
