import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { POSTGRES_MIGRATIONS_DIR } from "../../src/db/migrate-postgres.ts";
import { migrationNames } from "../../src/db/migrate-sqlite.ts";
import { ephemeralKeyRing } from "../../src/security/key-ring.ts";
import { textOf } from "../support/engine-chat.ts";
import { createTestDatabase, NO_POSTGRES_REASON, TEST_DATABASE_URL } from "../support/postgres.ts";
import { CHAT_REPORT_LINES } from "../support/report-lines.ts";
import { ManualClock, TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

/** A report from a chat that may be contacted there. */
async function report(t: TestApp, user: string): Promise<void> {
  expect(textOf(await t.sendAll(user, ...CHAT_REPORT_LINES("Cerita.")))).toMatch(/Nomor laporan: [0-9A-Z-]{14}/);
}

// Two scheduler processes sharing one database: "several instances" in follow-ups.test.ts, on both engines.
describe.skipIf(!TEST_DATABASE_URL)(
  `several instances on one PostgreSQL database${TEST_DATABASE_URL ? "" : ` [${NO_POSTGRES_REASON}]`}`,
  () => {
    it("start together on an empty database: one migrates, both seed and serve", async () => {
      const url = await createTestDatabase();
      const keys = ephemeralKeyRing();
      const apps = [0, 1, 2].map(
        () => new TestApp(mkdtempSync(path.join(tmpdir(), "tppo-test-")), keys, new ManualClock(), {}, url),
      );
      await Promise.all(apps.map((t) => t.open()));
      open.push(...apps);
      const applied = apps.flatMap((t) => t.logs.filter((l) => l.includes('"db.migration_applied"')));
      expect(applied).toHaveLength(migrationNames(POSTGRES_MIGRATIONS_DIR).length);
      const offices = await apps[0]?.app.offices.list();
      expect(offices?.length).toBeGreaterThan(38);
      expect(await apps[2]?.app.offices.list()).toEqual(offices);
      await report(apps[1] as TestApp, "first-instance-reporter");
      expect(await apps[2]?.app.cases.list()).toHaveLength(1);
    });
  },
);
