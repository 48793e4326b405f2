import { describe, expect, it } from "vitest";
import type { LeaseStore } from "../../src/db/lease-store.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { LeaseKeeper } from "../../src/services/lease-keeper.ts";

/** A lease store whose answers a test scripts: true or false, or "hang" for a database that never answers. */
function scriptedLeases(answers: Array<boolean | "hang">): LeaseStore {
  return {
    acquire: () => {
      const next = answers.shift() ?? true;
      return next === "hang" ? new Promise<boolean>(() => {}) : Promise.resolve(next);
    },
    release: () => Promise.resolve(),
  } as unknown as LeaseStore;
}

function captureLogs() {
  const lines: Array<{ level: number; event: string }> = [];
  const logger = createLogger("info", {
    write: (line: string) => {
      const parsed = JSON.parse(line) as { level: number; event: string };
      lines.push({ level: parsed.level, event: parsed.event });
    },
  });
  return { logger, lines };
}

describe("the lease keeper's log", () => {
  it("warns about renewals a busy database answers late, and reports an error only once a whole lease time went unanswered", async () => {
    const { logger, lines } = captureLogs();
    const keeper = new LeaseKeeper({
      leases: scriptedLeases([true, "hang", "hang", true, "hang", "hang", "hang"]),
      clock: { now: () => new Date() },
      logger,
      name: "dispatch:telegram",
      holder: "a",
      ttlMs: 300,
      work: { start: () => {}, stop: () => {} },
    });
    await keeper.start();
    // Ticks run one after another, so the order of answers (not the timing) decides what is logged.
    const deadline = Date.now() + 30_000;
    while (lines.filter((l) => l.event === "lease.renew_failed").length < 5 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await keeper.stop();
    const failures = lines.filter((l) => l.event === "lease.renew_failed").map((l) => l.level);
    expect(failures).toEqual([40, 40, 40, 40, 50]);
  });
});
