import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

/** The committed migrations of the SQLite schema. */
export const SQLITE_MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../prisma/migrations",
);

/** Thrown when the migration history needs a person (a failed or edited migration). */
export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Reports progress; migration messages go to the log (stderr), never stdout. */
export interface MigrationLog {
  applied(name: string): void;
  changed(name: string): void;
}

/** The migration folders that hold a migration.sql, in the order they apply. */
export function migrationNames(migrationsDir: string): string[] {
  return existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(path.join(migrationsDir, d.name, "migration.sql")))
        .map((d) => d.name)
        .sort()
    : [];
}

/** A migration not applied yet, with Prisma's checksum of its script. */
export interface PendingMigration {
  name: string;
  sql: string;
  checksum: string;
}

/**
 * The committed migrations the history does not record as applied. A migration that failed
 * earlier stops everything (a person must resolve it); one edited after it was applied is reported.
 */
export function pendingMigrations(
  migrationsDir: string,
  history: ReadonlyMap<string, { checksum: string; finished_at: unknown }>,
  log: MigrationLog,
): PendingMigration[] {
  const pending: PendingMigration[] = [];
  for (const name of migrationNames(migrationsDir)) {
    const sql = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    const previous = history.get(name);
    if (!previous) {
      pending.push({ name, sql, checksum });
      continue;
    }
    if (!previous.finished_at) throw new MigrationError(`migration ${name} failed earlier; resolve it before starting`);
    if (previous.checksum !== checksum) log.changed(name);
  }
  return pending;
}

/**
 * Applies pending migration.sql files in order and records them in `_prisma_migrations` with
 * Prisma's checksums, so the standard Prisma CLI sees the same history. Runs under an
 * immediate transaction, so two processes starting together do not both migrate.
 */
export function migrateSqlite(
  dbPath: string,
  log: MigrationLog,
  migrationsDir: string = SQLITE_MIGRATIONS_DIR,
): string[] {
  const db = new Database(dbPath, { timeout: 10_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("secure_delete = ON");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const run = db.transaction(() => {
      const rows = db
        .prepare(`SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL`)
        .all() as Array<{ migration_name: string; checksum: string; finished_at: string | null }>;
      const history = new Map(rows.map((r) => [r.migration_name, r]));
      const applied: string[] = [];
      for (const { name, sql, checksum } of pendingMigrations(migrationsDir, history, log)) {
        const id = randomUUID();
        db.prepare(`INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES (?, ?, ?, ?)`).run(
          id,
          checksum,
          name,
          new Date().toISOString(),
        );
        db.exec(sql);
        db.prepare(`UPDATE _prisma_migrations SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`).run(
          new Date().toISOString(),
          id,
        );
        applied.push(name);
      }
      return applied;
    });
    const applied = run.immediate();
    for (const name of applied) log.applied(name);
    return applied;
  } finally {
    db.close();
  }
}
