import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CANARY_SECRETS, expectNoPlainText, leaveCanaryTraces } from "../support/canary-traces.ts";
import { ON_POSTGRES, sqliteOnly } from "../support/postgres.ts";
import { startTestApp } from "../support/test-app.ts";

// Reads the SQLite files; postgres-canary.test.ts searches a PostgreSQL dump the same way.
describe.skipIf(ON_POSTGRES)(sqliteOnly("the canary: personal data never rests in plain text"), () => {
  it("finds neither the name nor the phone number in the database files or the logs", async () => {
    const t = await startTestApp();
    const reference = await leaveCanaryTraces(t);
    await t.close();

    const files = ["bot.db", "bot.db-wal", "bot.db-journal", "bot.db-shm"]
      .map((f) => path.join(t.dir, f))
      .filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThanOrEqual(1);
    const logs = Buffer.from(t.logs.join(""), "utf8");
    expect(t.logs.length).toBeGreaterThan(20);
    for (const haystack of [...files.map((f) => readFileSync(f)), logs]) {
      expectNoPlainText(haystack, CANARY_SECRETS);
    }
    // The search itself works: the same check finds a coded value that is stored in plain text.
    const database = readFileSync(path.join(t.dir, "bot.db"));
    const wal = existsSync(path.join(t.dir, "bot.db-wal"))
      ? readFileSync(path.join(t.dir, "bot.db-wal"))
      : Buffer.alloc(0);
    expect(database.includes(Buffer.from(reference)) || wal.includes(Buffer.from(reference))).toBe(true);
  });
});
