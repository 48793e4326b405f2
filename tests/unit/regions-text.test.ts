import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { getPlaceResolver, type PlaceResolution } from "../../src/regions/index.ts";

const Case = z.discriminatedUnion("status", [
  z.object({ query: z.string(), status: z.literal("resolved"), province: z.string(), tag: z.string().optional() }),
  z.object({
    query: z.string(),
    status: z.literal("ambiguous"),
    provinces: z.array(z.string()).min(1),
    tag: z.string().optional(),
  }),
  z.object({ query: z.string(), status: z.literal("abroad"), country: z.string() }),
  z.object({ query: z.string(), status: z.literal("not_found") }),
]);
type Case = z.infer<typeof Case>;

const CASES: Case[] = z
  .array(Case)
  .parse(JSON.parse(readFileSync(new URL("../fixtures/regions/text-queries.json", import.meta.url), "utf8")));

const resolver = getPlaceResolver();

function passes(c: Case, result: PlaceResolution): boolean {
  if (result.status !== c.status) return false;
  switch (c.status) {
    case "resolved":
      return result.province?.code === c.province;
    case "ambiguous":
      return c.provinces.every((p) => result.candidates.some((candidate) => candidate.province.code === p));
    case "abroad":
      return result.country?.code === c.country;
    case "not_found":
      return true;
  }
}

describe("typed places", () => {
  it("resolve at least 97 % of the realistic test set to the expected province", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    const failures = CASES.filter((c) => !passes(c, resolver.resolveText(c.query))).map((c) => c.query);
    expect(failures.length / CASES.length, `failed: ${failures.join(" | ")}`).toBeLessThanOrEqual(0.03);
  });

  it("resolve every case the issue lists", () => {
    const required = CASES.filter((c) => "tag" in c && c.tag === "required");
    expect(required.length).toBe(33);
    for (const c of required) expect(passes(c, resolver.resolveText(c.query)), c.query).toBe(true);
  });

  it("ask in every ambiguous case, offering candidates from more than one province", () => {
    for (const c of CASES.filter((k) => k.status === "ambiguous")) {
      const result = resolver.resolveText(c.query);
      expect(result.status, c.query).toBe("ambiguous");
      expect(result.province, c.query).toBeNull();
      expect(new Set(result.candidates.map((k) => k.province.code)).size, c.query).toBeGreaterThan(1);
    }
  });

  it("answer with idn-area-data codes, names and short labels", () => {
    const bogor = resolver.resolveText("Kab. Bogor");
    expect(bogor).toMatchObject({
      status: "resolved",
      province: { code: "32", name: "Jawa Barat" },
      regency: { code: "32.01", name: "Kabupaten Bogor" },
      country: null,
      candidates: [],
    });
    const makasar = resolver.resolveText("Makasar");
    expect(makasar.candidates.map((c) => c.label)).toEqual([
      "Kota Makassar, Sulawesi Selatan",
      "Kec. Makasar, Kota Adm. Jakarta Timur, DKI Jakarta",
    ]);
    const village = resolver.resolveText("desa sukamaju kec cibungbulang kab bogor");
    expect(village.village?.code).toMatch(/^32\.01\.16\.\d{4}$/);
    expect(village.district).toEqual({ code: "32.01.16", name: "Cibungbulang" });
  });

  it("keep the province and list the regencies when the candidates share one province", () => {
    const kupang = resolver.resolveText("Kupang");
    expect(kupang.status).toBe("resolved");
    expect(kupang.province?.code).toBe("53");
    expect(kupang.regency).toBeNull();
    expect(kupang.candidates.map((c) => c.regency?.code).sort()).toEqual(["53.01", "53.71"]);
  });

  it("read level hints written before or after the name", () => {
    expect(resolver.resolveText("Kota Bogor").regency?.code).toBe("32.71");
    expect(resolver.resolveText("Bogor Regency").regency?.code).toBe("32.01");
    expect(resolver.resolveText("Malang kota").regency?.name).toBe("Kota Malang");
    expect(resolver.resolveText("Kab Nunukan").regency?.name).toBe("Kabupaten Nunukan");
    expect(resolver.resolveText("Kec. Nunukan").district?.name).toBe("Nunukan");
  });

  it("treat parts that contradict each other as ambiguous", () => {
    const result = resolver.resolveText("Surabaya, Jawa Tengah");
    expect(result.status).toBe("ambiguous");
    expect(result.candidates.map((c) => c.province.code).sort()).toEqual(["33", "35"]);
  });

  it("send destination countries abroad with an ISO code and English name", () => {
    expect(resolver.resolveText("Arab Saudi").country).toEqual({ code: "SA", name: "Saudi Arabia" });
    expect(resolver.resolveText("Hongkong").country).toEqual({ code: "HK", name: "Hong Kong" });
    expect(resolver.resolveText("kerja di Taiwan").status).toBe("abroad");
  });

  it("find nothing in empty or meaningless input, and never throw on odd input", () => {
    expect(resolver.resolveText("").status).toBe("not_found");
    expect(resolver.resolveText("   ").status).toBe("not_found");
    expect(resolver.resolveText("12345").status).toBe("not_found");
    for (const odd of ["!!!", ",,,", "kab", "desa", "kota kota kota", "x".repeat(500), "🙂 jakarta"]) {
      expect(() => resolver.resolveText(odd)).not.toThrow();
    }
    expect(resolver.resolveText("🙂 jakarta").province?.code).toBe("31");
  });

  it("do not let a short word match by typo", () => {
    // "Pati" is a regency; a one-letter change of a four-letter word must not be taken as it.
    expect(resolver.resolveText("Pasi").province?.code).not.toBe("33");
  });
});
