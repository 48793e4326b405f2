/**
 * The place resolver the dialogue and the CLI use: text and GPS over the generated data, read
 * on first use and then kept for the life of the process.
 */
import { notFound, type PlaceResolution, type PlaceResolver } from "./place-resolution.ts";
import { PointResolver } from "./point-resolver.ts";
import { loadAreas, loadPoints, loadTowns, loadVillages, loadWorld } from "./region-data.ts";
import { TextResolver } from "./text-resolver.ts";

/** The resolver with its parts exposed, for the benchmark to preload villages and measure. */
export interface LoadedPlaceResolver extends PlaceResolver {
  readonly text: TextResolver;
  readonly points: PointResolver;
}

/** Builds a fresh resolver (the benchmark times this; everyone else calls getPlaceResolver). */
export function createPlaceResolver(): LoadedPlaceResolver {
  const areas = loadAreas();
  const text = new TextResolver(areas, loadTowns(), () => loadVillages(areas));
  const points = new PointResolver(areas, loadPoints(areas), loadWorld());
  return {
    text,
    points,
    resolveText: (query: string): PlaceResolution => (query.trim() === "" ? notFound(query) : text.resolve(query)),
    resolvePoint: (latitude: number, longitude: number): PlaceResolution =>
      points.resolve(latitude, longitude, `@${latitude},${longitude}`),
  };
}

let cached: LoadedPlaceResolver | null = null;

/** The shared resolver: loads the generated data once, on the first call. */
export function getPlaceResolver(): PlaceResolver {
  cached ??= createPlaceResolver();
  return cached;
}
