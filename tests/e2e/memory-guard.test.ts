import { describe, expect, it } from "vitest";
import { INTAKE_SCRIPTS } from "../../src/bench/intake-scripts.ts";
import { raceContestant, shippedBot } from "../../src/bench/telegram-race.ts";
import { REPO_ROOT } from "../support/run-command.ts";

/** Issue 14's target: peak RSS at most 200 MB with Telegram only. The bench holds the real figure; this is a loose guard. */
const PEAK_RSS_TARGET_MB = 200;

describe("the bot as npm start runs it", () => {
  it("stays under 1.5 times the memory target after 216 updates from 11 people reporting at once", async () => {
    const report = INTAKE_SCRIPTS[0] as (typeof INTAKE_SCRIPTS)[number];
    const result = await raceContestant(REPO_ROOT, shippedBot(REPO_ROOT), {
      lines: report.lines,
      users: 11,
      rounds: 1,
      warmupUsers: 0,
    });
    // Every line of every walk was answered in full (the race throws otherwise).
    expect(result.updates).toBe(11 * report.lines.length);
    expect(result.peakRssMb).toBeGreaterThan(20);
    expect(result.peakRssMb, "peak RSS in MB").toBeLessThanOrEqual(1.5 * PEAK_RSS_TARGET_MB);
  });
});
