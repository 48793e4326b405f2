import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { projectPath } from "../project-paths.ts";

/** The committed migrations of the SQLite schema. */
export const SQLITE_MIGRATIONS_DIR = projectPath("prisma/migrations");

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
 * Prisma's checksums, so the standard Prisma CLI sees the same history.
 *
 * Each migration runs in its own immediate transaction with foreign keys off: Prisma rewrites a
 * SQLite table by copy, drop and rename, and with foreign keys on, the drop would delete (by
 * cascade) every row that points at the table. `PRAGMA foreign_keys` is a no-op inside a
 * transaction, so it is switched off before BEGIN, and `PRAGMA foreign_key_check` before COMMIT
 * fails a migration that leaves a dangling reference (rolled back, nothing recorded). The history
 * is read again inside each transaction, so two processes starting together apply each migration once.
 */
export function migrateSqlite(
  dbPath: string,
  log: MigrationLog,
  migrationsDir: string = SQLITE_MIGRATIONS_DIR,
): string[] {
  const db = new Database(dbPath, { timeout: MIGRATION_LOCK_WAIT_MS });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("secure_delete = ON");
    db.exec(HISTORY_TABLE);
    db.pragma("foreign_keys = OFF");
    // The history is read once per migration: report an edited migration once, not each time.
    const reported = new Set<string>();
    const once: MigrationLog = {
      applied: log.applied,
      changed: (name) => {
        if (!reported.has(name)) log.changed(name);
        reported.add(name);
      },
    };
    const next = db.transaction((): string | null => {
      const rows = db
        .prepare(`SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL`)
        .all() as Array<{ migration_name: string; checksum: string; finished_at: string | null }>;
      const history = new Map(rows.map((r) => [r.migration_name, r]));
      const [first] = pendingMigrations(migrationsDir, history, once);
      if (!first) return null;
      applyOne(db, first);
      return first.name;
    });
    const applied: string[] = [];
    for (let name = next.immediate(); name !== null; name = next.immediate()) {
      applied.push(name);
      log.applied(name);
    }
    return applied;
  } finally {
    db.close();
  }
}

/** How long a process waits for another one's migration to finish before giving up. */
const MIGRATION_LOCK_WAIT_MS = 120_000;

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Runs one migration inside the caller's transaction; throws (so it rolls back) on any dangling foreign key. */
function applyOne(db: Database.Database, { name, sql, checksum }: PendingMigration): void {
  const id = randomUUID();
  db.prepare(`INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES (?, ?, ?, ?)`).run(
    id,
    checksum,
    name,
    new Date().toISOString(),
  );
  try {
    db.exec(sql);
  } catch (error) {
    throw new MigrationError(
      `migration ${name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const dangling = db.pragma("foreign_key_check") as Array<{ table: string; parent: string }>;
  if (dangling.length > 0) {
    const [{ table, parent } = { table: "?", parent: "?" }] = dangling;
    throw new MigrationError(
      `migration ${name} was rolled back: it leaves ${dangling.length} row(s) of ${table} pointing at missing rows of ${parent}`,
    );
  }
  db.prepare(`UPDATE _prisma_migrations SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`).run(
    new Date().toISOString(),
    id,
  );
}
