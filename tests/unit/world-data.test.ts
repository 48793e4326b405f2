import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DATASET_DIR, generateWorldData } from "../../scripts/generate-regions.ts";
import { loadAreas, loadPoints, loadWorld } from "../../src/regions/region-data.ts";
import { REPO_ROOT } from "../support/run-command.ts";

describe("generated world table", () => {
  it("is what scripts/generate-regions.ts makes from the installed packages", () => {
    // Stale data means: run `npx tsx scripts/generate-regions.ts` and commit the result.
    for (const [name, content] of Object.entries(generateWorldData())) {
      const committed = readFileSync(path.join(REPO_ROOT, DATASET_DIR, name), "utf8");
      expect(committed === content, `${DATASET_DIR}/${name} is stale`).toBe(true);
    }
  });

  it("tells land borders near Indonesia apart, and leaves the open sea to nobody", () => {
    const world = loadWorld();
    // Either side of the borders on Borneo, Timor and New Guinea, a few km from the line.
    expect(world.countryAt(0.85, 110.45)).toBe("ID");
    expect(world.countryAt(1.2, 110.45)).toBe("MY");
    expect(world.countryAt(-9.1, 124.85)).toBe("ID");
    expect(world.countryAt(-8.9, 125.2)).toBe("TL");
    expect(world.countryAt(-4.0, 140.9)).toBe("ID");
    expect(world.countryAt(-4.0, 141.1)).toBe("PG");
    // Indonesia's archipelagic waters, far from any coast, and the Indian Ocean beyond them.
    expect(world.countryAt(-6.0, 127.0)).toBe("ID");
    expect(world.countryAt(-12.0, 100.0)).toBe("");
    expect(world.countryAt(0, 0)).toBe("");
  });

  it("puts every Indonesian village and island point in Indonesia, so a pin there is never abroad", () => {
    const world = loadWorld();
    const points = loadPoints(loadAreas());
    const outside: string[] = [];
    for (let i = 0; i < points.lat.length; i++) {
      const lat = points.lat[i] as number;
      const lon = points.lon[i] as number;
      if (world.countryAt(lat, lon) !== "ID") outside.push(`${lat},${lon}`);
    }
    expect(outside).toEqual([]);
  });
});
