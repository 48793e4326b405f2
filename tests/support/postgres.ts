/**
 * PostgreSQL for tests: TEST_DATABASE_URL names a server (127.0.0.1) and a role with CREATEDB;
 * each test app gets a database of its own there, dropped when its test file ends.
 * TEST_PROVIDER=postgres runs the integration suite on PostgreSQL (npm run test:postgres).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";
import { quoteIdentifier } from "../../src/db/migrate-postgres.ts";

/** The PostgreSQL server the tests may use, or null when none was given. */
export const TEST_DATABASE_URL: string | null = process.env.TEST_DATABASE_URL?.trim() || null;

/** True when this run puts every test app on PostgreSQL (npm run test:postgres). */
export const ON_POSTGRES = process.env.TEST_PROVIDER === "postgres";

/** True under CI, where a missing PostgreSQL is a failure rather than a reason to skip. */
export const IN_CI = process.env.CI === "true";

/** Why PostgreSQL tests are skipped, for the names of skipped suites. */
export const NO_POSTGRES_REASON = "skipped: set TEST_DATABASE_URL=postgresql://user:password@127.0.0.1:5432/db";

/** Why a SQLite-specific test is skipped on the PostgreSQL run. */
export const SQLITE_ONLY_REASON = "SQLite only, skipped on the PostgreSQL run (covered by postgres-*.test.ts)";

const created = new Set<string>();
// Registered while the test file is collected (hooks cannot be added from inside a test); each
// test file evaluates this module afresh, so every file drops the databases it created.
if (TEST_DATABASE_URL && process.env.VITEST) afterAll(() => dropTestDatabases());

/** The server's URL with another database name. */
export function databaseUrl(database: string, serverUrl: string = requireServer()): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

function requireServer(): string {
  if (!TEST_DATABASE_URL) throw new Error(`PostgreSQL tests need TEST_DATABASE_URL (${NO_POSTGRES_REASON})`);
  return TEST_DATABASE_URL;
}

/** Runs statements on the server's own database (TEST_DATABASE_URL), one connection at a time. */
export async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: requireServer() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database for one test app and returns its URL. The databases a test file
 * creates are dropped after that file, so an app may close and re-open on its data meanwhile.
 */
export async function createTestDatabase(): Promise<string> {
  const name = `t_${randomBytes(8).toString("hex")}`;
  await onServer((client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
  created.add(name);
  return databaseUrl(name);
}

/** Drops the databases this test file created (open connections are ended by force). */
export async function dropTestDatabases(): Promise<void> {
  if (created.size === 0) return;
  const names = [...created];
  created.clear();
  await onServer(async (client) => {
    for (const name of names) {
      // FORCE ends the database's connections; an autovacuum worker in it (a superuser's) may
      // refuse unless the role has pg_signal_backend (.ci/run grants it), and is gone a moment later.
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
          break;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    }
  });
}

/** A suite title, marked with the reason it is skipped when the run is on PostgreSQL. */
export function sqliteOnly(title: string): string {
  return ON_POSTGRES ? `${title} [${SQLITE_ONLY_REASON}]` : title;
}
