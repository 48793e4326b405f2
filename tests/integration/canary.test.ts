import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CANARY_SECRETS, leaveCanaryTraces } from "../support/canary-traces.ts";
import { ON_POSTGRES, sqliteOnly } from "../support/postgres.ts";
import { startTestApp } from "../support/test-app.ts";

/** Every form in which the canary could sit in a file: UTF-8, UTF-16 and without spaces. */
function forms(secret: string): Buffer[] {
  return [Buffer.from(secret, "utf8"), Buffer.from(secret, "utf16le"), Buffer.from(secret.replace(/\s/g, ""), "utf8")];
}

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
      for (const secret of CANARY_SECRETS) {
        for (const needle of forms(secret)) expect(haystack.includes(needle), secret).toBe(false);
      }
    }
    // The search itself works: the same check finds a coded value that is stored in plain text.
    const database = readFileSync(path.join(t.dir, "bot.db"));
    const wal = existsSync(path.join(t.dir, "bot.db-wal"))
      ? readFileSync(path.join(t.dir, "bot.db-wal"))
      : Buffer.alloc(0);
    expect(database.includes(Buffer.from(reference)) || wal.includes(Buffer.from(reference))).toBe(true);
  });
});
