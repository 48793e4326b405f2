/**
 * `npm run --silent locate`: reads places from stdin, one per line, and prints one JSON
 * PlaceResolution per line on stdout (an empty line gives not_found, so counts always match).
 * A line "@<lat>,<lon>" resolves a GPS point. Stdout carries nothing else.
 */
import { createInterface } from "node:readline";
import { getPlaceResolver } from "../regions/index.ts";

const GPS = /^\s*@\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/;

async function main(): Promise<void> {
  const resolver = getPlaceResolver();
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const raw of lines) {
    const line = raw.replace(/\r$/, "");
    const gps = GPS.exec(line);
    const result = gps
      ? { ...resolver.resolvePoint(Number(gps[1]), Number(gps[2])), query: line }
      : resolver.resolveText(line);
    if (!process.stdout.write(`${JSON.stringify(result)}\n`)) {
      await new Promise<void>((resolve) => process.stdout.once("drain", () => resolve()));
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`locate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
