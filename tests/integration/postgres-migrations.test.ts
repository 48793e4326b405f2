import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import {
  derivePostgresSchema,
  POSTGRES_SCHEMA_PATH,
  SQLITE_SCHEMA_PATH,
} from "../../scripts/derive-postgres-schema.ts";
import { MIGRATION_LOCK_KEY, migratePostgres, POSTGRES_MIGRATIONS_DIR } from "../../src/db/migrate-postgres.ts";
import { MigrationError, migrationNames, SQLITE_MIGRATIONS_DIR } from "../../src/db/migrate-sqlite.ts";
import { createTestDatabase, IN_CI, NO_POSTGRES_REASON, TEST_DATABASE_URL } from "../support/postgres.ts";
import { REPO_ROOT } from "../support/run-command.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const run = promisify(execFile);
const check = (schema: string) =>
  run(
    process.execPath,
    ["--import", "tsx", "scripts/create-migration.ts", "--provider", "postgres", "--check", "--schema", schema],
    { cwd: REPO_ROOT, env: { ...process.env, TEST_DATABASE_URL: TEST_DATABASE_URL ?? "" } },
  ).then(
    () => 0,
    (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? "" }),
  );

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

/** Runs one query on a database and ends the connection. */
async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const silent = { applied: () => {}, changed: () => {} };

describe("the derived PostgreSQL schema", () => {
  it("is prisma/schema.prisma with provider postgresql and its own client folder, and is up to date", () => {
    const source = readFileSync(SQLITE_SCHEMA_PATH, "utf8");
    const derived = derivePostgresSchema(source);
    expect(derived).toMatch(/datasource db \{\s*provider = "postgresql"/);
    expect(derived).toContain('output              = "../../src/generated/prisma-postgres"');
    expect(derived).not.toContain('"sqlite"');
    // The models are the same, line for line.
    expect(derived.slice(derived.indexOf("model "))).toBe(source.slice(source.indexOf("model ")));
    expect(readFileSync(POSTGRES_SCHEMA_PATH, "utf8"), "run: npx tsx scripts/derive-postgres-schema.ts").toBe(derived);
  });

  it("fails loudly when the SQLite schema no longer has what the derivation replaces", () => {
    expect(() => derivePostgresSchema('datasource db {\n  provider = "sqlite"\n}\n')).toThrow(/generator output/);
  });

  it("has a migration of its own for each hand-written SQLite migration (the append-only triggers)", () => {
    const handWritten = migrationNames(SQLITE_MIGRATIONS_DIR).filter((n) => n.endsWith("_append_only"));
    expect(handWritten.length).toBeGreaterThanOrEqual(2);
    const postgres = migrationNames(POSTGRES_MIGRATIONS_DIR)
      .map((n) => readFileSync(path.join(POSTGRES_MIGRATIONS_DIR, n, "migration.sql"), "utf8"))
      .join("\n");
    for (const table of ["case_events", "audit_log"]) {
      for (const operation of ["UPDATE", "DELETE", "TRUNCATE"]) {
        expect(postgres).toMatch(new RegExp(`BEFORE ${operation} ON "${table}"`));
      }
    }
  });
});

describe.runIf(IN_CI && !TEST_DATABASE_URL)("PostgreSQL under CI", () => {
  it("is available: .ci/run starts one and exports TEST_DATABASE_URL", () => {
    expect(TEST_DATABASE_URL, "CI=true runs the PostgreSQL tests; TEST_DATABASE_URL is missing").toBeTruthy();
  });
});

describe.skipIf(!TEST_DATABASE_URL)(
  `the committed PostgreSQL migrations${TEST_DATABASE_URL ? "" : ` [${NO_POSTGRES_REASON}]`}`,
  () => {
    it("build exactly the derived schema", { timeout: 60_000 }, async () => {
      expect(await check(SQLITE_SCHEMA_PATH)).toBe(0);
    });

    it("are reported stale when the schema gains a column without a migration", { timeout: 60_000 }, async () => {
      const original = readFileSync(SQLITE_SCHEMA_PATH, "utf8");
      const changed = original.replace(
        /(\n\s+lookupFlagged\s+Boolean\s+@default\(false\))/,
        "$1\n  extraColumn String?",
      );
      expect(changed).not.toBe(original);
      const file = path.join(mkdtempSync(path.join(tmpdir(), "schema-")), "schema.prisma");
      writeFileSync(file, changed);
      const result = await check(file);
      expect(result).toMatchObject({ code: 1 });
      expect((result as { stderr: string }).stderr).toContain('ADD COLUMN     "extraColumn" TEXT');
    });

    it("are applied at start once, recorded as Prisma records them", async () => {
      const t = await startTestApp({}, "postgres");
      open.push(t);
      await t.close();
      await t.open();
      const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        t.databaseUrl,
        `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      const names = migrationNames(POSTGRES_MIGRATIONS_DIR);
      expect(rows.map((r) => r.migration_name)).toEqual(names);
      for (const row of rows) {
        const sql = readFileSync(path.join(POSTGRES_MIGRATIONS_DIR, row.migration_name, "migration.sql"));
        expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
        expect(row.finished_at).toBeInstanceOf(Date);
      }
      expect(t.logs.filter((l) => l.includes('"db.migration_applied"'))).toHaveLength(names.length);
    });

    it("make case events and the audit log append-only, TRUNCATE included", async () => {
      const t = await startTestApp({}, "postgres");
      open.push(t);
      const db = t.app.database.prisma;
      await db.auditLog.create({ data: { actor: "test", action: "VIEW", createdAt: t.clock.now() } });
      await expect(db.auditLog.updateMany({ data: { detail: "rewritten" } })).rejects.toThrow(/append-only/);
      await expect(db.auditLog.deleteMany({})).rejects.toThrow(/append-only/);
      for (const table of ["audit_log", "case_events"]) {
        await expect(query(t.databaseUrl, `TRUNCATE "${table}" CASCADE`)).rejects.toThrow(/append-only/);
      }
      expect(await db.auditLog.count()).toBe(1);
    });

    it("migrate once when several instances start together on an empty database", async () => {
      const url = await createTestDatabase();
      const applied: string[][] = await Promise.all(Array.from({ length: 4 }, () => migratePostgres(url, silent)));
      const names = migrationNames(POSTGRES_MIGRATIONS_DIR);
      expect(applied.flat().sort()).toEqual(names);
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
      const rows = await query<{ count: string }>(url, `SELECT count(*) AS count FROM "_prisma_migrations"`);
      expect(Number(rows[0]?.count)).toBe(names.length);
      // The lock is released with the connection. Only this database's: another test file (or the
      // other Node version's run) may be migrating a database of its own on the same server now.
      const locks = await query(
        url,
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = ${MIGRATION_LOCK_KEY}
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(locks).toHaveLength(0);
    });

    it("roll a failing migration back whole, record nothing, and apply it once fixed", async () => {
      const url = await createTestDatabase();
      const dir = mkdtempSync(path.join(tmpdir(), "pg-migrations-"));
      const write = (name: string, sql: string) => {
        mkdirSync(path.join(dir, name), { recursive: true });
        writeFileSync(path.join(dir, name, "migration.sql"), sql);
      };
      write("20260101000000_first", `CREATE TABLE "first" ("id" INTEGER PRIMARY KEY);`);
      write("20260102000000_second", `CREATE TABLE "second" ("id" INTEGER PRIMARY KEY);\nSELECT * FROM "missing";`);
      const applied: string[] = [];
      const log = { applied: (name: string) => applied.push(name), changed: () => {} };
      const failure = await migratePostgres(url, log, dir).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MigrationError);
      expect(String(failure)).toMatch(/20260102000000_second failed and was rolled back: relation "missing"/);
      expect(applied).toEqual(["20260101000000_first"]);
      const tables = async () =>
        (
          await query<{ table_name: string }>(
            url,
            `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
          )
        ).map((r) => r.table_name);
      expect(await tables()).toEqual(["_prisma_migrations", "first"]);

      write("20260102000000_second", `CREATE TABLE "second" ("id" INTEGER PRIMARY KEY);`);
      expect(await migratePostgres(url, log, dir)).toEqual(["20260102000000_second"]);
      expect(await tables()).toEqual(["_prisma_migrations", "first", "second"]);

      // An applied migration edited afterwards is reported, not re-run.
      const changed: string[] = [];
      write("20260101000000_first", `CREATE TABLE "first" ("id" BIGINT PRIMARY KEY);`);
      expect(await migratePostgres(url, { applied: () => {}, changed: (n) => changed.push(n) }, dir)).toEqual([]);
      expect(changed).toEqual(["20260101000000_first"]);
    });

    it("refuse to start over a migration Prisma's CLI left failed", async () => {
      const url = await createTestDatabase();
      await migratePostgres(url, silent);
      const [first] = migrationNames(POSTGRES_MIGRATIONS_DIR);
      await query(url, `UPDATE "_prisma_migrations" SET finished_at = NULL WHERE migration_name = '${first}'`);
      await expect(migratePostgres(url, silent)).rejects.toThrow(/failed earlier; resolve it/);
    });
  },
);
