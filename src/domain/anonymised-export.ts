import type { AgeGroup, Category, Gender } from "./case.ts";

/**
 * The anonymised export for research and national reporting (issue: statistics and export): no
 * free text, no names, contacts or identifiers; places reduced to provinces, ages to bands, dates
 * to the year; and only rows whose combination of these columns is shared by at least
 * K_ANONYMITY rows, the practice of the Counter Trafficking Data Collaborative.
 */

/** The columns of the anonymised export, in order: every one a quasi-identifier, none free text. */
export const ANONYMISED_COLUMNS = [
  "year",
  "sex",
  "age_band",
  "nationality",
  "province",
  "category",
  "destination_country",
] as const;
/** One of ANONYMISED_COLUMNS. */
export type AnonymisedColumn = (typeof ANONYMISED_COLUMNS)[number];
/** One exported row. */
export type AnonymisedRow = Record<AnonymisedColumn, string>;

/** Every combination of exported values must be shared by at least this many rows. */
export const K_ANONYMITY = 11;

/** What one case gives the export: coded fields only. */
export interface AnonymisableCase {
  createdAt: Date;
  victimGender: Gender;
  victimAgeGroup: AgeGroup;
  victimNationality: string | null;
  provinceCode: string | null;
  category: Category;
  country: string | null;
}

/** The export and what it cost: rows generalised to keep them, and rows left out. */
export interface AnonymisedExport {
  rows: AnonymisedRow[];
  cases: number;
  generalised: number;
  leftOut: number;
}

const WIB_OFFSET_MS = 7 * 3_600_000;
const SEX: Record<Gender, string> = { FEMALE: "F", MALE: "M", MIXED: "MIXED", UNKNOWN: "UNKNOWN" };
const AGE_BAND: Record<AgeGroup, string> = { CHILD: "0-17", ADULT: "18+", UNKNOWN: "UNKNOWN" };
const NATIONALITIES = new Set(["INDONESIAN", "FOREIGN"]);
/** Indonesia's island groups by the first digit of a province code, for a province too rare to show. */
const ISLAND_GROUP: Record<string, string> = {
  "1": "SUMATERA",
  "2": "SUMATERA",
  "3": "JAWA",
  "5": "BALI_NUSA_TENGGARA",
  "6": "KALIMANTAN",
  "7": "SULAWESI",
  "8": "MALUKU",
  "9": "PAPUA",
};

/** A case as a row at the finest granularity the export allows. */
export function exportRowOf(item: AnonymisableCase): AnonymisedRow {
  return {
    year: String(new Date(item.createdAt.getTime() + WIB_OFFSET_MS).getUTCFullYear()),
    sex: SEX[item.victimGender] ?? "UNKNOWN",
    age_band: AGE_BAND[item.victimAgeGroup] ?? "UNKNOWN",
    nationality:
      item.victimNationality && NATIONALITIES.has(item.victimNationality) ? item.victimNationality : "UNKNOWN",
    province: item.provinceCode && /^\d{2}$/.test(item.provinceCode) ? item.provinceCode : "UNKNOWN",
    category: item.category,
    destination_country: item.country && /^[A-Z]{2}$/.test(item.country) ? item.country : "NONE",
  };
}

const keyOf = (row: AnonymisedRow) => ANONYMISED_COLUMNS.map((column) => row[column]).join("|");

function classSizes(rows: readonly AnonymisedRow[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const row of rows) sizes.set(keyOf(row), (sizes.get(keyOf(row)) ?? 0) + 1);
  return sizes;
}

/**
 * Coarser values tried, in turn, on rows whose combination is too rare: the destination country
 * becomes OTHER, the province its island group and then OTHER, the category OTHER, the
 * nationality UNKNOWN. Each step applies only to rows still in a class smaller than k.
 */
const GENERALISATIONS: ReadonlyArray<(row: AnonymisedRow) => AnonymisedRow> = [
  (row) => (row.destination_country === "NONE" ? row : { ...row, destination_country: "OTHER" }),
  (row) => ({ ...row, province: ISLAND_GROUP[row.province.charAt(0)] ?? row.province }),
  (row) => ({ ...row, province: row.province === "UNKNOWN" ? row.province : "OTHER" }),
  (row) => ({ ...row, category: "OTHER" }),
  (row) => ({ ...row, nationality: "UNKNOWN" }),
];

/**
 * The export: every case as a row, rows in rare combinations generalised step by step, and the
 * rows still rare after every step left out. Every combination exported occurs at least k times.
 */
export function anonymise(cases: readonly AnonymisableCase[], k: number = K_ANONYMITY): AnonymisedExport {
  const original = cases.map(exportRowOf);
  let rows = original;
  for (const generalise of GENERALISATIONS) {
    const sizes = classSizes(rows);
    rows = rows.map((row) => ((sizes.get(keyOf(row)) ?? 0) < k ? generalise(row) : row));
  }
  const sizes = classSizes(rows);
  const kept: AnonymisedRow[] = [];
  let generalised = 0;
  rows.forEach((row, index) => {
    if ((sizes.get(keyOf(row)) ?? 0) < k) return;
    kept.push(row);
    if (keyOf(row) !== keyOf(original[index] as AnonymisedRow)) generalised++;
  });
  // Row order would follow the database's, which follows time: sorted, it says nothing more.
  kept.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  return { rows: kept, cases: cases.length, generalised, leftOut: cases.length - kept.length };
}
