import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { type CaseForHtcds, HTCDS_EXPORT_COLUMNS, htcdsRow } from "../../src/domain/htcds-export.ts";
import { areaName } from "../../src/regions/area-names.ts";
import { htcdsCsv } from "../../src/stats/case-export.ts";
import { REPO_ROOT } from "../support/run-command.ts";

const BASE: CaseForHtcds = {
  reference: "K7QM-4TZP-9XWR",
  // 17:30 UTC on 30 November is 00:30 WIB on 1 December: the office's day.
  createdAt: new Date("2026-11-30T17:30:00Z"),
  acknowledgedAt: new Date("2026-12-01T02:00:00Z"),
  closedAt: null,
  status: "ASSISTANCE",
  assistanceStage: "RECOVERY",
  resolution: null,
  urgency: "URGENT",
  category: "FISHING_VESSEL",
  indicators: { debt: "YES", documentsHeld: "YES", freeToLeave: "NO", deceived: "NO" },
  reporterRole: "FAMILY",
  victimAgeGroup: "ADULT",
  victimGender: "MALE",
  victimCount: "FEW",
  victimNationality: null,
  victimCountry: null,
  provinceCode: null,
  regencyCode: null,
  country: "TW",
  homeProvinceCode: "52",
  officeCode: "KP2MI",
  services: [
    { type: "SHELTER", givenOn: new Date("2026-12-03T00:00:00Z") },
    { type: "HEALTH", givenOn: new Date("2026-12-02T00:00:00Z") },
  ],
};

describe("a case as a row of the HTCDS case export", () => {
  it("maps a fisherman abroad to HTCDS values: forced labour in fishing, methods of control, Taiwan, WIB days", () => {
    const row = htcdsRow(BASE, areaName);
    expect(row).toMatchObject({
      case_reference: "K7QM-4TZP-9XWR",
      reported_on: "2026-12-01",
      accepted_on: "2026-12-01",
      closed_on: "",
      cas_Status: "Active",
      vic_TraffickingStatus: "PossibleVictimOfTrafficking",
      vic_TypeOfExploitation: "ForcedLabour",
      vic_ForcedLabourIndustry: "A_AgricultureForestryAndFishing",
      vic_MethodsOfControl: "DebtBondage;RestrictsMovement;WithholdsDocuments",
      prs_Gender: "Masculine",
      prs_Citizenship: "",
      hte_Country: "TW",
      hte_State: "",
      prs_MailingState: "Nusa Tenggara Barat",
      services_given: "HEALTH:2026-12-02;SHELTER:2026-12-03",
    });
  });

  it("maps a foreign girl in Indonesia, a case closed as referred and one found not to be trafficking", () => {
    const girl = htcdsRow(
      {
        ...BASE,
        category: "SEXUAL_EXPLOITATION",
        victimGender: "FEMALE",
        victimAgeGroup: "CHILD",
        victimNationality: "FOREIGN",
        victimCountry: "VN",
        country: null,
        provinceCode: "65",
        regencyCode: "65.03",
        status: "CLOSED",
        resolution: "REFERRED_ELSEWHERE",
        closedAt: new Date("2026-12-04T10:00:00Z"),
        indicators: {},
        services: [],
      },
      areaName,
    );
    expect(girl).toMatchObject({
      cas_Status: "ClosedReferred",
      closed_on: "2026-12-04",
      vic_TypeOfExploitation: "SexualExploitation",
      vic_ForcedLabourIndustry: "",
      vic_MethodsOfControl: "",
      prs_Gender: "Feminine",
      victim_age_group: "CHILD",
      prs_Citizenship: "VN",
      hte_Country: "ID",
      hte_State: "Kalimantan Utara",
      hte_City: "Kabupaten Nunukan",
      province_code: "65",
      regency_code: "65.03",
      services_given: "",
    });
    const notTrafficking = htcdsRow({ ...BASE, status: "CLOSED", resolution: "NOT_TRAFFICKING" }, areaName);
    expect(notTrafficking.cas_Status).toBe("Closed");
    expect(notTrafficking.vic_TraffickingStatus).toBe("NotAVictimOfTrafficking");
    expect(htcdsRow({ ...BASE, status: "MONITORING" }, areaName).cas_Status).toBe("FollowUp");
    expect(htcdsRow({ ...BASE, victimNationality: "INDONESIAN" }, areaName).prs_Citizenship).toBe("ID");
    expect(htcdsRow({ ...BASE, category: "MIGRANT_WORKER_ABROAD" }, areaName).vic_TypeOfExploitation).toBe("");
  });

  it("writes the header and one line per case, every cell a code, a day, an area name or a list of them", () => {
    const csv = htcdsCsv([BASE, { ...BASE, reference: "ABCD-EFGH-JKMN", country: null, provinceCode: "52" }]);
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe(HTCDS_EXPORT_COLUMNS.join(","));
    expect(lines).toHaveLength(3);
    const records: Record<string, string>[] = parse(csv, { columns: true });
    for (const record of records)
      for (const value of Object.values(record)) expect(value).toMatch(/^([A-Za-z0-9_:;., -]*)$/);
  });

  it("is documented column by column in the README", () => {
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const start = readme.indexOf("### Case export (HTCDS)");
    expect(start).toBeGreaterThan(-1);
    const section = readme.slice(start);
    for (const column of HTCDS_EXPORT_COLUMNS) expect(section).toContain(`| \`${column}\``);
  });
});
