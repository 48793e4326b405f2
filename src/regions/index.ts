/** The place resolver's public surface: what the dialogue and the CLI import. */
export type { Area, PlaceCandidate, PlaceResolution, PlaceResolver } from "./place-resolution.ts";
export { getPlaceResolver } from "./resolver.ts";
