import { describe, expect, it } from "vitest";
import {
  ANONYMISED_COLUMNS,
  type AnonymisableCase,
  anonymise,
  exportRowOf,
  K_ANONYMITY,
} from "../../src/domain/anonymised-export.ts";
import { CATEGORIES, type Category } from "../../src/domain/case.ts";
import { PROVINCES } from "../../src/regions/provinces.ts";
import { seededRandom } from "../drills/support/webhook.ts";

function pick<T>(random: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let at = random() * total;
  for (const [value, weight] of weighted) {
    at -= weight;
    if (at < 0) return value;
  }
  return weighted[weighted.length - 1]?.[0] as T;
}

/** Skewed as real reports are: most from a few provinces, to a few countries, a long tail of rare ones. */
function skewedCases(count: number): AnonymisableCase[] {
  const random = seededRandom(20261206);
  const provinces = PROVINCES.map((p) => p.code);
  const rareCountries = ["KH", "MM", "AE", "KR", "JP", "QA", "KW", "OM", "TR", "PL", "ZA", "PE", "FJ", "LA", "TH"];
  const cases: AnonymisableCase[] = [];
  for (let i = 0; i < count; i++) {
    cases.push({
      createdAt: new Date(
        Date.UTC(
          pick(random, [
            [2025, 3],
            [2026, 7],
          ]),
          Math.floor(random() * 12),
          1 + Math.floor(random() * 27),
        ),
      ),
      victimGender: pick(random, [
        ["FEMALE", 65],
        ["MALE", 30],
        ["MIXED", 3],
        ["UNKNOWN", 2],
      ]),
      victimAgeGroup: pick(random, [
        ["ADULT", 70],
        ["CHILD", 25],
        ["UNKNOWN", 5],
      ]),
      victimNationality: pick(random, [
        ["INDONESIAN", 94],
        ["FOREIGN", 4],
        [null, 2],
      ]),
      provinceCode: pick(random, [
        ["35", 30],
        ["32", 20],
        ["52", 15],
        ["33", 10],
        [null, 2],
        ...provinces.map((code) => [code, 0.7] as const),
      ]),
      category: pick<Category>(random, [
        ["MIGRANT_WORKER_ABROAD", 40],
        ["FORCED_LABOUR", 20],
        ["SEXUAL_EXPLOITATION", 15],
        ["CHILD_EXPLOITATION", 8],
        ...CATEGORIES.map((c) => [c, 1.5] as const),
      ]),
      country: pick(random, [
        [null, 40],
        ["MY", 25],
        ["SA", 10],
        ["TW", 5],
        ["HK", 5],
        ...rareCountries.map((c) => [c, 1] as const),
      ]),
    });
  }
  return cases;
}

const ALLOWED: Record<(typeof ANONYMISED_COLUMNS)[number], RegExp> = {
  year: /^20\d{2}$/,
  sex: /^(F|M|MIXED|UNKNOWN)$/,
  age_band: /^(0-17|18\+|UNKNOWN)$/,
  nationality: /^(INDONESIAN|FOREIGN|UNKNOWN)$/,
  province: /^(\d{2}|SUMATERA|JAWA|BALI_NUSA_TENGGARA|KALIMANTAN|SULAWESI|MALUKU|PAPUA|OTHER|UNKNOWN)$/,
  category: new RegExp(`^(${CATEGORIES.join("|")})$`),
  destination_country: /^([A-Z]{2}|NONE|OTHER)$/,
};

describe("the anonymised export", () => {
  it("keeps at least half of a skewed set of 2,000 cases, each combination shared by at least 11 rows, and no free text", () => {
    const cases = skewedCases(2000);
    const result = anonymise(cases);
    expect(result.cases).toBe(2000);
    expect(result.rows.length).toBeGreaterThanOrEqual(1000);
    expect(result.rows.length + result.leftOut).toBe(2000);
    const sizes = new Map<string, number>();
    for (const row of result.rows) {
      expect(Object.keys(row)).toEqual([...ANONYMISED_COLUMNS]);
      for (const column of ANONYMISED_COLUMNS) expect(row[column], column).toMatch(ALLOWED[column]);
      const key = ANONYMISED_COLUMNS.map((c) => row[c]).join("|");
      sizes.set(key, (sizes.get(key) ?? 0) + 1);
    }
    expect(Math.min(...sizes.values())).toBeGreaterThanOrEqual(K_ANONYMITY);
    process.stderr.write(
      `anonymised export: ${result.rows.length} of 2000 rows kept, ${result.generalised} generalised, ${sizes.size} combinations\n`,
    );
  });

  it("reduces a case to its year in WIB, an age band, its province and its destination", () => {
    expect(
      exportRowOf({
        createdAt: new Date("2025-12-31T18:00:00Z"),
        victimGender: "FEMALE",
        victimAgeGroup: "CHILD",
        victimNationality: null,
        provinceCode: "52",
        category: "CHILD_EXPLOITATION",
        country: null,
      }),
    ).toEqual({
      year: "2026",
      sex: "F",
      age_band: "0-17",
      nationality: "UNKNOWN",
      province: "52",
      category: "CHILD_EXPLOITATION",
      destination_country: "NONE",
    });
  });

  it("leaves out what stays rare however coarse it gets, and exports nothing from fewer than 11 cases", () => {
    const one: AnonymisableCase = {
      createdAt: new Date("2026-03-01T00:00:00Z"),
      victimGender: "MALE",
      victimAgeGroup: "ADULT",
      victimNationality: "INDONESIAN",
      provinceCode: "94",
      category: "FISHING_VESSEL",
      country: "PE",
    };
    expect(anonymise(Array.from({ length: 10 }, () => one))).toMatchObject({ rows: [], leftOut: 10 });
    const eleven = anonymise(Array.from({ length: 11 }, () => one));
    expect(eleven.rows).toHaveLength(11);
    expect(eleven.generalised).toBe(0);
  });
});
