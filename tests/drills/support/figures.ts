import { appendFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A drill's figures: numbers, short strings, flags and small nested records, printed as one JSON line. */
export type Figures = Record<string, unknown>;

/**
 * Prints a drill's figures as one JSON line on stdout (`{"drill":"kill9",...}`), and appends
 * it to DRILLS_OUTPUT when that names a file, so CI can keep them.
 */
export function printFigures(drill: string, figures: Figures): void {
  const line = `${JSON.stringify({ drill, ...figures })}\n`;
  process.stdout.write(line);
  const file = process.env.DRILLS_OUTPUT;
  if (file) appendFileSync(file, line);
}

/** Waits until a probe holds, polling every `everyMs`; throws naming what it waited for. */
export async function until(
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Seconds since a start time, with one decimal. */
export function secondsSince(startMs: number): number {
  return Math.round((Date.now() - startMs) / 100) / 10;
}

/** Writes a bot's stderr to DRILL_LOG_DIR/<name>.log when that is set, to look into a failed drill. */
export function keepLog(name: string, text: string): void {
  const dir = process.env.DRILL_LOG_DIR;
  if (dir) writeFileSync(path.join(dir, `${name}.log`), text);
}
