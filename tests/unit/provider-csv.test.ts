import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { reviewOverdue, servesPlace } from "../../src/domain/providers.ts";
import { createTranslator, loadLocales } from "../../src/i18n/i18n.ts";
import {
  csvProblemText,
  PROVIDER_CSV_COLUMNS,
  parseProviderCsv,
  providersToCsv,
} from "../../src/partners/provider-csv.ts";
import { labelForCodes } from "../../src/regions/area-names.ts";
import { REPO_ROOT } from "../support/run-command.ts";

const FICTIONAL = readFileSync(path.join(REPO_ROOT, "tests/fixtures/providers/fictional-providers.csv"), "utf8");
const HEADER = PROVIDER_CSV_COLUMNS.join(",");
const english = createTranslator(loadLocales(), { strict: true })("en");

function problemsOf(csv: string): string[] {
  const read = parseProviderCsv(csv);
  if (read.ok) throw new Error("expected problems");
  return read.problems.map((p) => `${p.line} ${p.column ?? "-"}: ${csvProblemText(english, p)}`);
}

describe("the partner directory's CSV", () => {
  it("reads the fictional example: kinds, services, areas narrowed to regencies, flags and dates", () => {
    const read = parseProviderCsv(FICTIONAL);
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    expect(read.providers.map((p) => p.code)).toEqual([
      "NTB-LBH-FIKTIF",
      "NTB-RUMAH-AMAN-FIKTIF",
      "IOM-FIKTIF",
      "KALTARA-KLINIK-FIKTIF",
    ]);
    const [lbh, shelter, iom, clinic] = read.providers;
    expect(lbh?.areas.map((a) => labelForCodes(a))).toEqual([
      "Kota Mataram, Nusa Tenggara Barat",
      "Kab. Lombok Barat, Nusa Tenggara Barat",
    ]);
    expect(lbh?.contacts).toBe("+62 000 0000 0001; contoh-lbh@example.org");
    expect(shelter?.services).toEqual(["SHELTER", "PSYCHOSOCIAL", "HEALTH"]);
    expect(iom?.areas).toEqual([{ provinceCode: "*", regencyCode: null }]);
    expect(clinic).toMatchObject({ active: false, acceptsChatReferrals: false, verifiedAt: null });
    expect(clinic?.areas.map((a) => labelForCodes(a))).toEqual(["Kab. Nunukan, Kalimantan Utara"]);

    const mataram = { provinceCode: "52", regencyCode: "52.71" };
    const lombokTengah = { provinceCode: "52", regencyCode: "52.02" };
    expect(servesPlace(lbh?.areas ?? [], mataram)).toBe(true);
    expect(servesPlace(lbh?.areas ?? [], lombokTengah)).toBe(false);
    // A place known only to its province: a partner serving part of it is offered.
    expect(servesPlace(lbh?.areas ?? [], { provinceCode: "52", regencyCode: null })).toBe(true);
    expect(servesPlace(shelter?.areas ?? [], lombokTengah)).toBe(true);
    expect(servesPlace(iom?.areas ?? [], { provinceCode: "94", regencyCode: null })).toBe(true);

    const now = new Date("2026-12-06T00:00:00Z");
    expect(reviewOverdue(shelter ?? { verifiedAt: null, reviewDueAt: null }, now)).toBe(true);
    expect(reviewOverdue(lbh ?? { verifiedAt: null, reviewDueAt: null }, now)).toBe(false);
  });

  it("writes what it reads: an export imports back to the same directory", () => {
    const read = parseProviderCsv(FICTIONAL);
    if (!read.ok) throw new Error("fixture unreadable");
    const again = parseProviderCsv(providersToCsv(read.providers));
    expect(again).toEqual(read);
  });

  it("quotes cells a spreadsheet would run as formulas, and reads them back as typed", () => {
    const read = parseProviderCsv(`${HEADER}\nX-1,=HYPERLINK(1),OTHER,OTHER,52,,,,@noon,+62 000,no,,,yes\n`);
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    const csv = providersToCsv(read.providers);
    expect(csv).toContain(",'=HYPERLINK(1),");
    expect(csv).toContain(",'@noon,'+62 000,");
    const back = parseProviderCsv(csv);
    expect(back.ok && back.providers[0]).toMatchObject({ name: "=HYPERLINK(1)", hours: "@noon", contacts: "+62 000" });
  });

  it("takes people's spellings: lower case, spaces for underscores, ya/tidak, a BOM and CRLF", () => {
    const read = parseProviderCsv(
      `\uFEFF${HEADER}\r\nntb-1,Lembaga Contoh,legal aid,legal aid; shelter,52,,women,ID,,,ya,,,tidak\r\n`,
    );
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    expect(read.providers[0]).toMatchObject({
      code: "NTB-1",
      kind: "LEGAL_AID",
      services: ["LEGAL_AID", "SHELTER"],
      populations: ["WOMEN"],
      languages: ["id"],
      acceptsChatReferrals: true,
      active: false,
    });
  });

  it("lists every problem with its line and column, and returns no provider at all", () => {
    const csv = [
      HEADER,
      "OK-1,Lembaga Baik,OTHER,OTHER,52,,,,,,,,,",
      "BAD-1,Lembaga,SHELTR,SHELTER;FOOD,99,,,,,,maybe,2026-02-30,,",
      "BAD-2,Lembaga Dua,OTHER,OTHER,52,35.07,,,,,,,,",
      "OK-1,Lembaga Ganda,OTHER,OTHER,*,,,,,,,,,",
      "x,L,OTHER,,*;52,,,,,,,,,",
    ].join("\n");
    expect(problemsOf(csv)).toEqual([
      '3 kind: "SHELTR" is not one of NGO_SHELTER, UPTD_PPA, DINSOS_SHELTER, HEALTH, PSYCHOSOCIAL, LEGAL_AID, RELIGIOUS, IOM, LPSK, KP2MI, POLICE, SAPA_129, OTHER',
      expect.stringMatching(/^3 services: "FOOD" is not one of COMPLAINT_HANDLING, /),
      '3 provinces: "99" is not a province code (such as 52 for NTB)',
      '3 accepts_chat_referrals: "maybe" is not yes or no',
      '3 verified_at: "2026-02-30" is not a date written YYYY-MM-DD',
      "4 regencies: 35.07 lies in province 35, which is not listed",
      "5 code: OK-1 is also on line 2",
      '6 provinces: "*" (every province) stands alone, with no regencies',
    ]);
    expect(problemsOf(`${HEADER}\nx,L,OTHER,OTHER,52,,,,,,,,,\n`)).toEqual([
      "2 code: 2 to 32 letters, digits or dashes, such as NTB-LBH-1",
      "2 name: at least 2 characters",
    ]);
  });

  it("names unknown and missing columns, and a file that is not CSV", () => {
    expect(problemsOf("code,name,colour\nA-1,Lembaga,red\n")).toEqual([
      "1 -: unknown columns: colour (see the README)",
      "1 -: missing columns: kind, services, provinces",
    ]);
    expect(problemsOf(`${HEADER}\n"A-1,Lembaga\n`)[0]).toMatch(/not readable as CSV/);
  });
});
