/**
 * The partner directory as CSV, for `npm run admin -- providers import|export`: one provider a
 * row, lists inside a cell separated by ";". The header is documented in the README.
 */
import { CsvError, parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { SERVICE_TYPES } from "../domain/case-services.ts";
import {
  dayOf,
  EVERY_PROVINCE,
  PROVIDER_KINDS,
  PROVIDER_POPULATIONS,
  type ProviderArea,
  type ProviderRecord,
  ProviderRecordSchema,
} from "../domain/providers.ts";
import { areaName } from "../regions/area-names.ts";
import { provinceByCode } from "../regions/provinces.ts";

/** The CSV's columns, in order. */
export const PROVIDER_CSV_COLUMNS = [
  "code",
  "name",
  "kind",
  "services",
  "provinces",
  "regencies",
  "populations",
  "languages",
  "hours",
  "contacts",
  "accepts_chat_referrals",
  "verified_at",
  "review_due_at",
  "active",
] as const;
type Column = (typeof PROVIDER_CSV_COLUMNS)[number];
const REQUIRED: readonly Column[] = ["code", "name", "kind", "services", "provinces"];

/** What can be wrong with a directory file: a locale key under operator:providerCsv. */
export type CsvProblemKey =
  | "unreadable"
  | "unknownColumns"
  | "missingColumns"
  | "duplicateCode"
  | "notYesNo"
  | "notDate"
  | "notOneOf"
  | "everyProvinceAlone"
  | "notProvince"
  | "notRegency"
  | "regencyOutsideProvinces"
  | "codeFormat"
  | "nameShort"
  | "nameLong"
  | "noService"
  | "noArea"
  | "languageCode"
  | "tooLong"
  | "invalid";

/** One thing wrong with the file, where a person editing it finds it; its words come from the locales. */
export interface CsvProblem {
  /** The file's line (1 is the header); 0 for the file as a whole. */
  line: number;
  column: string | null;
  key: CsvProblemKey;
  values: Record<string, string>;
}

/** A problem in words, in the reader's language (the CLI writes English). */
export function csvProblemText(
  t: (key: string, values?: Record<string, string>) => string,
  problem: CsvProblem,
): string {
  return t(`operator:providerCsv.${problem.key}`, problem.values);
}

/** What an import read: every provider, or the problems (and then nothing may be written). */
export type ProviderCsvResult = { ok: true; providers: ProviderRecord[] } | { ok: false; problems: CsvProblem[] };

const TRUE = new Set(["yes", "ya", "y", "true", "1"]);
const FALSE = new Set(["no", "tidak", "n", "false", "0"]);
/** Spreadsheets run a cell starting with these as a formula: exports quote them with a leading "'". */
const FORMULA_START = /^[=+\-@\t\r]/;

function list(cell: string): string[] {
  return cell
    .split(";")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function unguard(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** A cell a spreadsheet would run as a formula, quoted with a leading "'"; any other cell as it is. */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function day(date: Date | null): string {
  return date ? dayOf(date) : "";
}

/** Reads the directory's CSV. Nothing is returned unless every row is valid. */
export function parseProviderCsv(text: string): ProviderCsvResult {
  let rows: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    rows = parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      info: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 0;
      return { ok: false, problems: [{ line, column: null, key: "unreadable", values: { detail: error.message } }] };
    }
    throw error;
  }
  const problems: CsvProblem[] = [];
  const header = rows[0] ? Object.keys(rows[0].record) : headerOf(text);
  const unknown = header.filter((name) => !(PROVIDER_CSV_COLUMNS as readonly string[]).includes(name));
  const missing = REQUIRED.filter((name) => !header.includes(name));
  if (unknown.length > 0)
    problems.push({ line: 1, column: null, key: "unknownColumns", values: { columns: unknown.join(", ") } });
  if (missing.length > 0)
    problems.push({ line: 1, column: null, key: "missingColumns", values: { columns: missing.join(", ") } });
  if (problems.length > 0) return { ok: false, problems };
  const providers: ProviderRecord[] = [];
  const lineOfCode = new Map<string, number>();
  for (const { record, info } of rows) {
    const line = info.lines;
    const read = readRow(record, line, problems);
    if (!read) continue;
    const earlier = lineOfCode.get(read.code);
    if (earlier !== undefined) {
      problems.push({
        line,
        column: "code",
        key: "duplicateCode",
        values: { code: read.code, line: String(earlier) },
      });
      continue;
    }
    lineOfCode.set(read.code, line);
    providers.push(read);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, providers };
}

function headerOf(text: string): string[] {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  return first
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
}

function readRow(record: Record<string, string>, line: number, problems: CsvProblem[]): ProviderRecord | null {
  const before = problems.length;
  const cell = (column: Column) => unguard(record[column] ?? "");
  const problem = (column: Column, key: CsvProblemKey, values: Record<string, string> = {}) =>
    problems.push({ line, column, key, values });
  const flag = (column: Column, fallback: boolean): boolean => {
    const value = cell(column).toLowerCase();
    if (value === "") return fallback;
    if (TRUE.has(value)) return true;
    if (FALSE.has(value)) return false;
    problem(column, "notYesNo", { value: cell(column) });
    return fallback;
  };
  const date = (column: Column): Date | null => {
    const value = cell(column);
    if (value === "") return null;
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
    if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
      problem(column, "notDate", { value });
      return null;
    }
    return parsed;
  };
  const oneOf = <T extends string>(column: Column, allowed: readonly T[], value: string): T | null => {
    const upper = value.toUpperCase().replace(/[\s-]+/g, "_");
    if ((allowed as readonly string[]).includes(upper)) return upper as T;
    problem(column, "notOneOf", { value, allowed: allowed.join(", ") });
    return null;
  };
  const kind = oneOf("kind", PROVIDER_KINDS, cell("kind"));
  const services = list(cell("services")).map((s) => oneOf("services", SERVICE_TYPES, s));
  const populations = list(cell("populations")).map((p) => oneOf("populations", PROVIDER_POPULATIONS, p));
  const areas = readAreas(list(cell("provinces")), list(cell("regencies")), problem);
  const candidate = {
    code: cell("code"),
    name: cell("name"),
    kind,
    services: [...new Set(services)],
    areas,
    populations: [...new Set(populations)],
    languages: [...new Set(list(cell("languages")).map((l) => l.toLowerCase()))],
    hours: cell("hours") || null,
    contacts: cell("contacts") || null,
    acceptsChatReferrals: flag("accepts_chat_referrals", false),
    active: flag("active", true),
    verifiedAt: date("verified_at"),
    reviewDueAt: date("review_due_at"),
  };
  if (problems.length > before) return null;
  const parsed = ProviderRecordSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      problems.push({ line, column: csvColumnOf(field), ...schemaProblem(field, issue.code, issue.message) });
    }
    return null;
  }
  return parsed.data;
}

/** A schema rule a row broke, as a problem key. */
function schemaProblem(field: string, code: string, message: string): Pick<CsvProblem, "key" | "values"> {
  const keys: Record<string, CsvProblemKey> = {
    code: "codeFormat",
    name: code === "too_small" ? "nameShort" : "nameLong",
    services: "noService",
    areas: "noArea",
    languages: "languageCode",
    hours: "tooLong",
    contacts: "tooLong",
  };
  const key = keys[field];
  // The longest text the schema takes; a number in the locale would read as a phone number there.
  if (key === "nameLong") return { key, values: { max: "160" } };
  if (key === "tooLong") return { key, values: { max: field === "hours" ? "200" : "400" } };
  return key ? { key, values: {} } : { key: "invalid", values: { detail: message } };
}

/** The CSV column a record field comes from. */
function csvColumnOf(field: string): string {
  const map: Record<string, Column> = {
    areas: "provinces",
    acceptsChatReferrals: "accepts_chat_referrals",
    verifiedAt: "verified_at",
    reviewDueAt: "review_due_at",
  };
  return map[field] ?? field;
}

/**
 * The areas of a row: every province listed, narrowed to the regencies listed for it (a province
 * with none listed is served whole). A regency must belong to a listed province.
 */
function readAreas(
  provinces: string[],
  regencies: string[],
  problem: (column: Column, key: CsvProblemKey, values?: Record<string, string>) => void,
): ProviderArea[] {
  const areas: ProviderArea[] = [];
  if (provinces.includes(EVERY_PROVINCE)) {
    if (provinces.length > 1 || regencies.length > 0)
      problem("provinces", "everyProvinceAlone", { every: EVERY_PROVINCE });
    return [{ provinceCode: EVERY_PROVINCE, regencyCode: null }];
  }
  const known = new Set<string>();
  for (const code of provinces) {
    if (!provinceByCode(code)) problem("provinces", "notProvince", { code });
    else known.add(code);
  }
  const narrowed = new Map<string, string[]>();
  for (const code of regencies) {
    const province = code.slice(0, 2);
    if (!/^\d{2}\.\d{2}$/.test(code) || areaName(code) === null) problem("regencies", "notRegency", { code });
    else if (!known.has(province)) problem("regencies", "regencyOutsideProvinces", { code, province });
    else narrowed.set(province, [...(narrowed.get(province) ?? []), code]);
  }
  for (const province of known) {
    const within = narrowed.get(province);
    if (!within) areas.push({ provinceCode: province, regencyCode: null });
    else for (const regency of new Set(within)) areas.push({ provinceCode: province, regencyCode: regency });
  }
  return areas;
}

/** Writes the directory as CSV with the documented header; cells a spreadsheet would run are quoted with "'". */
export function providersToCsv(providers: readonly ProviderRecord[]): string {
  const rows = providers.map((p) => {
    const whole = p.areas.filter((a) => a.regencyCode === null).map((a) => a.provinceCode);
    const regencies = p.areas.flatMap((a) => (a.regencyCode === null ? [] : [a.regencyCode]));
    const provinces = [...new Set([...whole, ...regencies.map((r) => r.slice(0, 2))])];
    const cells: Record<Column, string> = {
      code: p.code,
      name: p.name,
      kind: p.kind,
      services: p.services.join(";"),
      provinces: provinces.join(";"),
      regencies: regencies.join(";"),
      populations: p.populations.join(";"),
      languages: p.languages.join(";"),
      hours: p.hours ?? "",
      contacts: p.contacts ?? "",
      accepts_chat_referrals: p.acceptsChatReferrals ? "yes" : "no",
      verified_at: day(p.verifiedAt),
      review_due_at: day(p.reviewDueAt),
      active: p.active ? "yes" : "no",
    };
    return PROVIDER_CSV_COLUMNS.map((column) => guardFormula(cells[column]));
  });
  return stringify(rows, { header: true, columns: [...PROVIDER_CSV_COLUMNS], record_delimiter: "\n" });
}
