import { describe, expect, it } from "vitest";
import { loadOfficeDirectory, loadRoutingMatrix } from "../../src/directory/directory-data.ts";
import {
  cardRecipientOffice,
  decideRoute,
  escalationTarget,
  VICTIM_TYPES,
  type VictimType,
  victimTypeOf,
} from "../../src/domain/routing.ts";
import { PROVINCES } from "../../src/regions/provinces.ts";

const offices = loadOfficeDirectory();
const matrix = loadRoutingMatrix(offices);
const officeCodes = new Set(offices.map((o) => o.code));

describe("the office directory", () => {
  it("has a Dinas Sosial and a UPTD PPA office for each of the 38 provinces, and the three national desks", () => {
    for (const p of PROVINCES) {
      expect(offices).toContainEqual({
        code: `DINSOS-${p.code}`,
        kind: "DINSOS",
        name: `Dinas Sosial Provinsi ${p.name}`,
        provinceCode: p.code,
      });
      expect(offices).toContainEqual({
        code: `UPTDPPA-${p.code}`,
        kind: "UPTDPPA",
        name: `UPTD PPA Provinsi ${p.name}`,
        provinceCode: p.code,
      });
    }
    expect([...officeCodes].filter((c) => !c.includes("-")).sort()).toEqual(["KP2MI", "NATIONAL", "SAPA129"]);
    expect(offices).toHaveLength(38 * 2 + 3);
    expect(JSON.stringify(offices)).not.toMatch(/\d{6,}/);
  });
});

describe("the routing matrix", () => {
  const expected: Record<VictimType, "UPTDPPA" | "DINSOS"> = {
    CHILD: "UPTDPPA",
    ADULT_WOMAN: "UPTDPPA",
    ADULT_MAN: "DINSOS",
    GROUP_OR_UNKNOWN: "DINSOS",
  };
  const cases = PROVINCES.flatMap((p) => VICTIM_TYPES.map((type) => [p.code, type] as const));

  it.each(cases)("in province %s a %s victim goes to the right office", (provinceCode, type) => {
    const decision = decideRoute(matrix, { kind: "province", provinceCode }, type);
    expect(decision.responsible).toBe(`${expected[type]}-${provinceCode}`);
    expect(officeCodes.has(decision.responsible)).toBe(true);
    expect(decision.copies).toEqual([]);
    expect(decision.reason).toContain(provinceCode);
  });

  it("sends cases abroad to KP2MI, copied to the Dinas Sosial of the home province when known", () => {
    expect(decideRoute(matrix, { kind: "abroad", homeProvinceCode: "35" }, "ADULT_WOMAN")).toMatchObject({
      responsible: "KP2MI",
      copies: ["DINSOS-35"],
    });
    for (const type of VICTIM_TYPES) {
      expect(decideRoute(matrix, { kind: "abroad", homeProvinceCode: null }, type)).toMatchObject({
        responsible: "KP2MI",
        copies: [],
      });
    }
  });

  it("sends a case with an unknown place to the national desk", () => {
    for (const type of VICTIM_TYPES) {
      expect(decideRoute(matrix, { kind: "unknown" }, type)).toMatchObject({ responsible: "NATIONAL", copies: [] });
    }
  });

  it("escalates women and children to SAPA 129 and others to the national desk", () => {
    expect(escalationTarget(matrix, "CHILD")).toBe("SAPA129");
    expect(escalationTarget(matrix, "ADULT_WOMAN")).toBe("SAPA129");
    expect(escalationTarget(matrix, "ADULT_MAN")).toBe("NATIONAL");
    expect(escalationTarget(matrix, "GROUP_OR_UNKNOWN")).toBe("NATIONAL");
  });

  it("delivers the card of an office without a destination to the national desk, or lets it wait", () => {
    const has = (codes: string[]) => (code: string) => codes.includes(code);
    expect(cardRecipientOffice("DINSOS-32", "NATIONAL", has(["DINSOS-32", "NATIONAL"]))).toEqual({
      officeCode: "DINSOS-32",
      viaFallback: false,
    });
    expect(cardRecipientOffice("DINSOS-32", "NATIONAL", has(["NATIONAL"]))).toEqual({
      officeCode: "NATIONAL",
      viaFallback: true,
    });
    expect(cardRecipientOffice("DINSOS-32", "NATIONAL", has([]))).toEqual({ officeCode: null, viaFallback: true });
    expect(cardRecipientOffice("NATIONAL", "NATIONAL", has([]))).toEqual({ officeCode: null, viaFallback: false });
  });
});

describe("victim types", () => {
  it("count a child of any gender as a child, and a group with any woman as a woman", () => {
    expect(victimTypeOf("CHILD", "MALE", "ONE")).toBe("CHILD");
    expect(victimTypeOf("CHILD", "UNKNOWN", "MANY")).toBe("CHILD");
    expect(victimTypeOf("ADULT", "FEMALE", "ONE")).toBe("ADULT_WOMAN");
    expect(victimTypeOf("ADULT", "MIXED", "FEW")).toBe("ADULT_WOMAN");
    expect(victimTypeOf("UNKNOWN", "FEMALE", "ONE")).toBe("ADULT_WOMAN");
    expect(victimTypeOf("ADULT", "MALE", "MANY")).toBe("ADULT_MAN");
    expect(victimTypeOf("UNKNOWN", "MALE", "ONE")).toBe("GROUP_OR_UNKNOWN");
    expect(victimTypeOf("UNKNOWN", "UNKNOWN", "UNKNOWN")).toBe("GROUP_OR_UNKNOWN");
  });
});
