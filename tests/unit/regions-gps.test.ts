import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { getPlaceResolver } from "../../src/regions/index.ts";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/regions/${name}`, import.meta.url), "utf8"));

const Point = z.object({
  name: z.string(),
  lat: z.number(),
  lon: z.number(),
  status: z.enum(["resolved", "abroad", "not_found"]),
  province: z.string().optional(),
  country: z.string().optional(),
  kind: z.enum(["inland", "near_coast", "foreign", "far_sea", "inner_sea"]),
});
const POINTS = z.array(Point).parse(fixture("gps-points.json"));

/** Held-out village centroids well inside their regency (see scripts/generate-gps-test-set.ts). */
const INSIDE = z
  .array(z.object({ name: z.string(), lat: z.number(), lon: z.number(), province: z.string(), regency: z.string() }))
  .parse(fixture("gps-inside-regencies.json"));

/** Pins in other countries and out at sea, with the country expected (null at sea). */
const FOREIGN = z
  .array(
    z.object({
      name: z.string(),
      lat: z.number(),
      lon: z.number(),
      country: z.string().nullable(),
      region: z.enum(["Asia", "Middle East", "Europe", "Oceania", "sea"]),
    }),
  )
  .parse(fixture("gps-foreign.json"));

const resolver = getPlaceResolver();

describe("GPS points in Indonesia", () => {
  it("put at least 98 % of 500+ points well inside regencies, in all 38 provinces, in the right province", () => {
    expect(INSIDE.length).toBeGreaterThanOrEqual(500);
    expect(new Set(INSIDE.map((p) => p.province)).size).toBe(38);
    const wrong = INSIDE.filter((p) => resolver.resolvePoint(p.lat, p.lon).province?.code !== p.province);
    expect(wrong.length / INSIDE.length, wrong.map((p) => p.name).join(", ")).toBeLessThanOrEqual(0.02);
  });

  it("cover all 38 provinces inland, with the hand-picked town points on the right province", () => {
    const inland = POINTS.filter((p) => p.kind === "inland");
    expect(new Set(inland.map((p) => p.province)).size).toBe(38);
    const wrong = inland.filter((p) => resolver.resolvePoint(p.lat, p.lon).province?.code !== p.province);
    expect(wrong.map((p) => p.name)).toEqual([]);
  });

  it("resolve points a few km off a coast to the nearest province", () => {
    for (const p of POINTS.filter((k) => k.kind === "near_coast")) {
      const result = resolver.resolvePoint(p.lat, p.lon);
      expect(result.status, p.name).toBe("resolved");
      expect(result.province?.code, p.name).toBe(p.province);
    }
  });

  it("keep pins in the seas between Indonesian islands inside Indonesia", () => {
    const inner = POINTS.filter((k) => k.kind === "inner_sea");
    expect(inner.length).toBeGreaterThanOrEqual(4);
    for (const p of inner) {
      const result = resolver.resolvePoint(p.lat, p.lon);
      expect(result.status, p.name).toBe("resolved");
      expect(result.province, p.name).not.toBeNull();
    }
  });

  it("name the regency when the nearby reference points agree on it", () => {
    const surabaya = resolver.resolvePoint(-7.25, 112.75);
    expect(surabaya.regency?.code).toBe("35.78");
    expect(surabaya.nearBorder).toBe(false);
    expect(surabaya.query).toBe("@-7.25,112.75");
  });

  it("say when a pin is within a few km of a provincial border, with the places on both sides", () => {
    // Jagakarsa (Jakarta Selatan) and Depok (Jawa Barat) meet here.
    const border = resolver.resolvePoint(-6.37, 106.83);
    expect(border.status).toBe("resolved");
    expect(border.nearBorder).toBe(true);
    expect(border.candidates[0]?.province.code).toBe(border.province?.code);
    expect(new Set(border.candidates.map((c) => c.province.code))).toEqual(new Set(["31", "32"]));
    // Central Yogyakarta is far from any other province.
    expect(resolver.resolvePoint(-7.8, 110.36)).toMatchObject({ nearBorder: false, candidates: [] });
  });
});

describe("GPS points outside Indonesia", () => {
  it("answer abroad for every pin in Asia, the Middle East, Europe and at sea, with the country", () => {
    expect(FOREIGN.length).toBeGreaterThanOrEqual(30);
    for (const region of ["Asia", "Middle East", "Europe", "sea"]) {
      expect(FOREIGN.some((p) => p.region === region)).toBe(true);
    }
    const codes = new Set(FOREIGN.map((p) => p.country));
    // Every destination country of the emergency-contact list, and the neighbours.
    for (const code of ["MY", "SA", "HK", "TW", "SG", "AE", "QA", "KW", "OM", "BN", "KR", "JP", "KH", "MM", "TH"]) {
      expect(codes.has(code), code).toBe(true);
    }
    for (const code of ["LA", "PH", "TR", "PL", "TL", "PG", "AU"]) expect(codes.has(code), code).toBe(true);
    for (const p of FOREIGN) {
      const result = resolver.resolvePoint(p.lat, p.lon);
      expect(result.status, p.name).toBe("abroad");
      expect(result.country?.code ?? null, p.name).toBe(p.country);
      expect(result.province, p.name).toBeNull();
    }
  });

  it("send points on neighbouring countries' land abroad with the right country", () => {
    const foreign = POINTS.filter((k) => k.kind === "foreign");
    for (const code of ["MY", "SG", "TL", "PG", "BN"]) expect(foreign.some((p) => p.country === code)).toBe(true);
    for (const p of foreign) {
      const result = resolver.resolvePoint(p.lat, p.lon);
      expect(result.status, p.name).toBe("abroad");
      expect(result.country?.code, p.name).toBe(p.country);
    }
  });

  it("answer abroad with no country far out at sea, and not_found only for impossible coordinates", () => {
    for (const p of POINTS.filter((k) => k.kind === "far_sea")) {
      expect(resolver.resolvePoint(p.lat, p.lon), p.name).toMatchObject({ status: "abroad", country: null });
    }
    expect(resolver.resolvePoint(48.85, 2.35)).toMatchObject({
      status: "abroad",
      country: { code: "FR", name: "France" },
    });
    // A country the intake does not list still gets its English name.
    expect(resolver.resolvePoint(37.98, 23.73).country).toEqual({ code: "GR", name: "Greece" });
    expect(resolver.resolvePoint(Number.NaN, 100).status).toBe("not_found");
    expect(resolver.resolvePoint(95, 100).status).toBe("not_found");
  });
});
