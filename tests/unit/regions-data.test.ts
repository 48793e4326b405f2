import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CLEARANCE_KM,
  generateGpsTestSet,
  nearestReferenceKm,
  TEST_SET_FILE,
  UNSEEN_KM,
} from "../../scripts/generate-gps-test-set.ts";
import { DATASET_DIR, generateRegionData } from "../../scripts/generate-regions.ts";
import { COUNTRIES, COUNTRY_CODES } from "../../src/regions/countries.ts";
import { PROVINCES } from "../../src/regions/provinces.ts";
import { loadAreas, loadPoints, loadVillages } from "../../src/regions/region-data.ts";
import { createPlaceResolver } from "../../src/regions/resolver.ts";
import { REPO_ROOT } from "../support/run-command.ts";

describe("generated place data", () => {
  it("is what scripts/generate-regions.ts makes from the installed packages", () => {
    // Stale data means: run `npx tsx scripts/generate-regions.ts` and commit the result.
    for (const [name, content] of Object.entries(generateRegionData())) {
      const committed = readFileSync(path.join(REPO_ROOT, DATASET_DIR, name), "utf8");
      expect(committed === content, `${DATASET_DIR}/${name} is stale`).toBe(true);
    }
  });

  it("stays compact", () => {
    for (const name of ["areas.txt", "towns.txt", "points.txt", "villages.txt", "world.txt"]) {
      expect(statSync(path.join(REPO_ROOT, DATASET_DIR, name)).size, name).toBeLessThan(1024 * 1024);
    }
  });

  it("holds every area of idn-area-data 4.0.1", () => {
    const areas = loadAreas();
    const count = (level: number) => areas.levels.filter((l) => l === level).length;
    expect([count(1), count(2), count(3)]).toEqual([38, 514, 7285]);
    expect(loadVillages(areas).codes).toHaveLength(83762);
    expect(PROVINCES.map((p) => [p.code, p.name])).toEqual(
      areas.codes.flatMap((code, i) => (areas.levels[i] === 1 ? [[code, areas.names[i]]] : [])),
    );
  });

  it("keeps the GPS test set out of the reference points, so the test measures unseen places", () => {
    // A stale set means: run `npx tsx scripts/generate-gps-test-set.ts` and commit the result.
    const set = generateGpsTestSet(REPO_ROOT);
    const committed = JSON.parse(readFileSync(path.join(REPO_ROOT, TEST_SET_FILE), "utf8")) as unknown;
    expect(committed).toEqual(set);
    const points = loadPoints(loadAreas());
    const known = set.filter((p) => nearestReferenceKm(points, p.lat, p.lon) < UNSEEN_KM);
    expect(known.map((p) => p.name)).toEqual([]);
    expect(set.every((p) => p.clearanceKm >= CLEARANCE_KM)).toBe(true);
  });

  it("has GPS reference points in every province", () => {
    const areas = loadAreas();
    const points = loadPoints(areas);
    const provinces = new Set<string>();
    for (const owner of points.owners) if (owner >= 0) provinces.add((areas.codes[owner] as string).slice(0, 2));
    expect(provinces.size).toBe(38);
  });

  it("keeps the country list's shape and every alias target resolvable", () => {
    expect(COUNTRY_CODES).toEqual(COUNTRIES.map((c) => c.code));
    for (const country of COUNTRIES) expect(country.name.length).toBeGreaterThan(0);
    // The resolver checks every hand-written alias against the area names while it builds.
    expect(() => createPlaceResolver()).not.toThrow();
  });
});
