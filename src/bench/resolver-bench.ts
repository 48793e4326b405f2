/**
 * Place resolver timings over the whole test set (tests/fixtures/regions): typed queries, the
 * ones among them that need the village level, and GPS points (in Indonesia, abroad and at sea);
 * plus build time and heap.
 */
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { z } from "zod";
import { projectPath } from "../project-paths.ts";
import { createPlaceResolver } from "../regions/resolver.ts";
import { percentile } from "./percentile.ts";

/** One benchmark figure, as src/cli/bench.ts prints them. */
export interface ResolverFigure {
  value: number;
  unit: string;
}

const Queries = z.array(z.object({ query: z.string() }));
const Points = z.array(z.object({ lat: z.number(), lon: z.number() }));

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(projectPath("tests/fixtures/regions", name), "utf8"));
}

/** A full garbage collection, so heap figures count live data only (V8 allows turning it on late). */
export function collectGarbage(): void {
  try {
    setFlagsFromString("--expose-gc");
    (runInNewContext("gc") as () => void)();
  } catch {
    // Without a collection the heap figure also counts parsing garbage: larger, still comparable.
  }
}

const round = (n: number, digits = 4) => Number(n.toFixed(digits));

/** Measures the resolver; rounds is how often the test set is run after a warm-up. */
export function benchResolver(rounds = 20): Record<string, ResolverFigure> {
  const queries = Queries.parse(fixture("text-queries.json")).map((q) => q.query);
  // GPS: the hand-picked points, the points well inside regencies and the foreign pins.
  const points = [
    ...Points.parse(fixture("gps-points.json")),
    ...Points.parse(fixture("gps-inside-regencies.json")),
    ...Points.parse(fixture("gps-foreign.json")),
  ];

  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const buildStarted = performance.now();
  const resolver = createPlaceResolver();
  const buildMs = performance.now() - buildStarted;
  const villagesStarted = performance.now();
  resolver.text.preloadVillages();
  const villagesMs = performance.now() - villagesStarted;
  collectGarbage();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / (1024 * 1024);

  const needsVillages = queries.map((q) => {
    resolver.resolveText(q);
    return resolver.text.lastNeededVillages;
  });
  for (let i = 0; i < 3; i++) for (const q of queries) resolver.resolveText(q);
  const all: number[] = [];
  const villages: number[] = [];
  for (let r = 0; r < rounds; r++) {
    queries.forEach((q, i) => {
      const started = performance.now();
      resolver.resolveText(q);
      const took = performance.now() - started;
      all.push(took);
      if (needsVillages[i]) villages.push(took);
    });
  }
  for (const p of points) resolver.resolvePoint(p.lat, p.lon);
  const gps: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const p of points) {
      const started = performance.now();
      resolver.resolvePoint(p.lat, p.lon);
      gps.push(performance.now() - started);
    }
  }
  for (const list of [all, villages, gps]) list.sort((a, b) => a - b);
  return {
    resolver_median_ms: { value: round(percentile(all, 50)), unit: "ms" },
    resolver_p99_ms: { value: round(percentile(all, 99)), unit: "ms" },
    resolver_villages_median_ms: { value: round(percentile(villages, 50)), unit: "ms" },
    resolver_villages_p99_ms: { value: round(percentile(villages, 99)), unit: "ms" },
    gps_median_ms: { value: round(percentile(gps, 50)), unit: "ms" },
    gps_p99_ms: { value: round(percentile(gps, 99)), unit: "ms" },
    resolver_build_ms: { value: round(buildMs, 1), unit: "ms" },
    resolver_villages_load_ms: { value: round(villagesMs, 1), unit: "ms" },
    resolver_heap_mb: { value: round(heapMb, 1), unit: "MB" },
  };
}
