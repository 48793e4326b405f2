import { randomBytes } from "node:crypto";
import { existsSync, linkSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** Thrown when a backup cannot start (no database, the file exists, no such folder); the message says why. */
export class BackupError extends Error {
  override name = "BackupError";
}

/** How far a backup has come, after each step. */
export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

/** What to back up, where, and how to report progress. */
export interface BackupOptions {
  /** The live database file. */
  source: string;
  destination: string;
  /** Replace an existing file at the destination. */
  force?: boolean;
  /** Pages copied per step (default 1024: 4 MiB with SQLite's default page size). */
  pagesPerStep?: number;
  onProgress?: (progress: BackupProgress) => void;
}

/** The finished backup, checked by opening it. */
export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  durationMs: number;
  /** Rows per table in the copy (coded counts only). */
  rows: Record<string, number>;
}

const COUNTED_TABLES = [
  "cases",
  "contact_identities",
  "conversations",
  "case_messages",
  "attachments",
  "outbox_messages",
  "staff",
] as const;

/**
 * An online backup of the SQLite database with SQLite's backup API, on a read-only connection
 * of its own, so the bot can keep running: the copy is one consistent snapshot (a read
 * transaction is held across the steps, and in WAL mode it does not block the writer). The
 * copy is written beside the destination under a temporary name (mode 0600, like the
 * database), checked with `PRAGMA quick_check`, turned into a single file (no WAL), and only
 * then moved into place, so an interrupted backup never leaves a half-written file under the
 * destination's name. The copy holds ciphertext only, like the database, and is as useless
 * without the keys, which is why the keys must not be kept beside it.
 */
export async function backupSqlite(options: BackupOptions): Promise<BackupResult> {
  const started = Date.now();
  const source = path.resolve(options.source);
  const destination = path.resolve(options.destination);
  if (!existsSync(source)) throw new BackupError(`backup: there is no database at ${source}`);
  if ([source, `${source}-wal`, `${source}-shm`, `${source}-journal`].includes(destination))
    throw new BackupError("backup: the destination is the database itself; choose another file");
  if (!existsSync(path.dirname(destination)))
    throw new BackupError(`backup: the folder ${path.dirname(destination)} does not exist`);
  if (existsSync(destination) && !options.force)
    throw new BackupError(`backup: ${destination} already exists; pass --force to replace it`);
  if (existsSync(destination) && statSync(destination).isDirectory())
    throw new BackupError(`backup: ${destination} is a folder; name a file`);

  const partial = `${destination}.partial-${randomBytes(4).toString("hex")}`;
  // Created empty first so that the copy is never readable by others, even while it is written.
  writeFileSync(partial, "", { mode: 0o600, flag: "wx" });
  try {
    const live = new Database(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
    let pages: number;
    try {
      // One read transaction across the steps: every step sees the same snapshot, so writes by
      // the running bot neither restart the backup nor mix two states into the copy.
      live.prepare("BEGIN").run();
      live.prepare("SELECT count(*) FROM sqlite_master").get();
      const step = Math.max(1, options.pagesPerStep ?? 1024);
      const done = await live.backup(partial, {
        progress: (progress) => {
          options.onProgress?.(progress);
          return step;
        },
      });
      pages = done.totalPages;
      live.prepare("COMMIT").run();
    } finally {
      live.close();
    }
    const rows = checkCopy(partial);
    options.onProgress?.({ totalPages: pages, remainingPages: 0 });
    publish(partial, destination, options.force === true);
    return { file: destination, bytes: statSync(destination).size, pages, durationMs: Date.now() - started, rows };
  } finally {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`])
      rmSync(leftover, { force: true });
  }
}

/** Opens the copy: quick_check must pass; it becomes a single file (rollback journal); rows are counted. */
function checkCopy(file: string): Record<string, number> {
  const copy = new Database(file, { fileMustExist: true });
  try {
    const check = copy.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new Error(`backup: the copy failed its check (${String(check)})`);
    copy.pragma("journal_mode = DELETE");
    const existing = new Set(
      (copy.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map(
        (t) => t.name,
      ),
    );
    const rows: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      if (!existing.has(table)) continue;
      rows[table] = (copy.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    }
    return rows;
  } finally {
    copy.close();
  }
}

/** Moves the finished copy into place; without `force`, never over a file that appeared meanwhile. */
function publish(partial: string, destination: string, force: boolean): void {
  if (force) {
    renameSync(partial, destination);
    return;
  }
  try {
    // A hard link fails if the name is taken, where a rename would silently replace it.
    linkSync(partial, destination);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new BackupError(`backup: ${destination} already exists; pass --force to replace it`);
    // Some file systems have no hard links: check, then rename.
    if (existsSync(destination)) throw new BackupError(`backup: ${destination} already exists`);
    renameSync(partial, destination);
  }
}
