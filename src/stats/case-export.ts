import { stringify } from "csv-stringify/sync";
import type { Db } from "../db/database.ts";
import {
  AGE_GROUPS,
  ASSISTANCE_STAGES,
  CASE_STATUSES,
  CATEGORIES,
  GENDERS,
  IndicatorsSchema,
  NATIONALITIES,
  REPORTER_ROLES,
  RESOLUTIONS,
  URGENCIES,
  VICTIM_COUNTS,
} from "../domain/case.ts";
import { SERVICE_TYPES } from "../domain/case-services.ts";
import { type CaseForHtcds, HTCDS_EXPORT_COLUMNS, htcdsRow } from "../domain/htcds-export.ts";
import { guardFormula } from "../partners/provider-csv.ts";
import { areaName } from "../regions/area-names.ts";
import { knownCode } from "./monthly-stats.ts";

function indicatorsOf(stored: string): CaseForHtcds["indicators"] {
  try {
    return IndicatorsSchema.catch({}).parse(JSON.parse(stored));
  } catch {
    return {};
  }
}

/** The coded fields of one office's cases (those it is responsible for), oldest first, with their services. */
export async function loadHtcdsCases(db: Db, officeCode: string): Promise<CaseForHtcds[]> {
  const rows = await db.case.findMany({
    where: { officeCode },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      reference: true,
      createdAt: true,
      acknowledgedAt: true,
      closedAt: true,
      status: true,
      assistanceStage: true,
      resolution: true,
      urgency: true,
      category: true,
      indicators: true,
      reporterRole: true,
      victimAgeGroup: true,
      victimGender: true,
      victimCount: true,
      victimNationality: true,
      victimCountry: true,
      provinceCode: true,
      regencyCode: true,
      country: true,
      homeProvinceCode: true,
      officeCode: true,
    },
  });
  const services = await db.caseService.findMany({
    where: { case: { officeCode } },
    select: { caseId: true, type: true, givenOn: true },
  });
  const byCase = new Map<string, CaseForHtcds["services"][number][]>();
  for (const service of services) {
    const list = byCase.get(service.caseId) ?? [];
    list.push({ type: knownCode(SERVICE_TYPES, service.type, "OTHER"), givenOn: service.givenOn });
    byCase.set(service.caseId, list);
  }
  return rows.map(({ id, ...row }) => ({
    ...row,
    status: knownCode(CASE_STATUSES, row.status, "RECEIVED"),
    assistanceStage: row.assistanceStage ? knownCode(ASSISTANCE_STAGES, row.assistanceStage, "RECOVERY") : null,
    resolution: row.resolution ? knownCode(RESOLUTIONS, row.resolution, "ASSISTED") : null,
    urgency: knownCode(URGENCIES, row.urgency, "NORMAL"),
    category: knownCode(CATEGORIES, row.category, "OTHER"),
    indicators: indicatorsOf(row.indicators),
    reporterRole: knownCode(REPORTER_ROLES, row.reporterRole, "UNKNOWN"),
    victimAgeGroup: knownCode(AGE_GROUPS, row.victimAgeGroup, "UNKNOWN"),
    victimGender: knownCode(GENDERS, row.victimGender, "UNKNOWN"),
    victimCount: knownCode(VICTIM_COUNTS, row.victimCount, "UNKNOWN"),
    victimNationality: row.victimNationality ? knownCode(NATIONALITIES, row.victimNationality, "UNKNOWN") : null,
    services: byCase.get(id) ?? [],
  }));
}

/** The cases as the export's CSV, with the header row; every cell a code, a day or an area name. */
export function htcdsCsv(cases: readonly CaseForHtcds[]): string {
  return stringify(
    // Every cell is a code, a day or an area name; a stored value is still never run as a formula.
    cases.map((item) =>
      Object.fromEntries(Object.entries(htcdsRow(item, areaName)).map(([k, v]) => [k, guardFormula(v)])),
    ),
    { header: true, columns: [...HTCDS_EXPORT_COLUMNS], record_delimiter: "\n" },
  );
}
