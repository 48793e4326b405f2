import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { getPlaceResolver } from "../../src/regions/index.ts";

const Point = z.object({
  name: z.string(),
  lat: z.number(),
  lon: z.number(),
  status: z.enum(["resolved", "abroad", "not_found"]),
  province: z.string().optional(),
  country: z.string().optional(),
  kind: z.enum(["inland", "near_coast", "foreign", "far_sea"]),
});

const POINTS = z
  .array(Point)
  .parse(JSON.parse(readFileSync(new URL("../fixtures/regions/gps-points.json", import.meta.url), "utf8")));
const resolver = getPlaceResolver();

describe("GPS points", () => {
  it("cover all 38 provinces inland, at least 95 % on the right province", () => {
    const inland = POINTS.filter((p) => p.kind === "inland");
    expect(new Set(inland.map((p) => p.province)).size).toBe(38);
    const wrong = inland.filter((p) => resolver.resolvePoint(p.lat, p.lon).province?.code !== p.province);
    expect(wrong.length / inland.length, wrong.map((p) => p.name).join(", ")).toBeLessThanOrEqual(0.05);
  });

  it("resolve points a few km off a coast to the nearest province", () => {
    for (const p of POINTS.filter((k) => k.kind === "near_coast")) {
      const result = resolver.resolvePoint(p.lat, p.lon);
      expect(result.status, p.name).toBe("resolved");
      expect(result.province?.code, p.name).toBe(p.province);
    }
  });

  it("send points on neighbouring countries' land abroad with the right country", () => {
    const foreign = POINTS.filter((k) => k.kind === "foreign");
    for (const code of ["MY", "SG", "TL", "PG"]) expect(foreign.some((p) => p.country === code)).toBe(true);
    for (const p of foreign) {
      const result = resolver.resolvePoint(p.lat, p.lon);
      expect(result.status, p.name).toBe("abroad");
      expect(result.country?.code, p.name).toBe(p.country);
      expect(result.province, p.name).toBeNull();
    }
  });

  it("find nothing far out at sea or off the map", () => {
    for (const p of POINTS.filter((k) => k.kind === "far_sea")) {
      expect(resolver.resolvePoint(p.lat, p.lon).status, p.name).toBe("not_found");
    }
    expect(resolver.resolvePoint(Number.NaN, 100).status).toBe("not_found");
    expect(resolver.resolvePoint(95, 100).status).toBe("not_found");
    expect(resolver.resolvePoint(48.85, 2.35).status).toBe("not_found");
  });

  it("name the regency when the nearby reference points agree on it", () => {
    const surabaya = resolver.resolvePoint(-7.25, 112.75);
    expect(surabaya.regency?.code).toBe("35.78");
    expect(surabaya.query).toBe("@-7.25,112.75");
  });
});
