import { randomUUID } from "node:crypto";
import pg from "pg";
import { projectPath } from "../project-paths.ts";
import { MigrationError, type MigrationLog, pendingMigrations } from "./migrate-sqlite.ts";

/** The committed migrations of the PostgreSQL schema. */
export const POSTGRES_MIGRATIONS_DIR = projectPath("prisma/postgres/migrations");

/**
 * Prisma Migrate's own advisory lock key: taking the same one keeps this runner, other instances
 * of the bot and an operator's `prisma migrate deploy` from migrating at the same time.
 */
export const MIGRATION_LOCK_KEY = 72707369;

/** The `schema` parameter of a PostgreSQL URL (Prisma's convention), or null for the default (public). */
export function postgresSchemaOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get("schema") || null;
  } catch {
    return null;
  }
}

/** Quotes an identifier for PostgreSQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// Prisma's definition of its history table on PostgreSQL, so that its CLI reads ours unchanged.
const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Applies pending migration.sql files in order, each in its own transaction (PostgreSQL's DDL is
 * transactional, so a failed migration leaves nothing behind and is retried at the next start),
 * and records them in `_prisma_migrations` with Prisma's checksums. Holds Prisma's advisory lock
 * throughout, so several instances starting together migrate once.
 */
export async function migratePostgres(
  url: string,
  log: MigrationLog,
  migrationsDir: string = POSTGRES_MIGRATIONS_DIR,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  // A connection lost while waiting for the lock must reject the query, not crash the process.
  client.on("error", () => {});
  await client.connect();
  try {
    const schema = postgresSchemaOf(url);
    if (schema) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
      await client.query(`SET search_path TO ${quoteIdentifier(schema)}`);
    }
    // Session-level: held across the per-migration transactions, released when the connection ends.
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(HISTORY_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const history = new Map(rows.map((r) => [r.migration_name, r]));
    const applied: string[] = [];
    for (const { name, sql, checksum } of pendingMigrations(migrationsDir, history, log)) {
      await client.query("BEGIN");
      try {
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
          [id, checksum, name],
        );
        // No parameters: pg sends the script as a simple query, which may hold many statements.
        await client.query(sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw new MigrationError(
          `migration ${name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      applied.push(name);
      log.applied(name);
    }
    return applied;
  } finally {
    await client.end().catch(() => {});
  }
}
