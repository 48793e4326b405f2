import Database from "better-sqlite3";

/**
 * Reads the bot's SQLite file read-only from the drill process, while the bot runs or right
 * after it died: what the database says happened, independent of the bot's own code.
 */
export function peek<T>(databasePath: string, read: (db: Database.Database) => T): T {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    return read(db);
  } finally {
    db.close();
  }
}

/** One number from a query. */
export function count(db: Database.Database, sql: string, ...params: unknown[]): number {
  const row = db.prepare(sql).get(...params) as Record<string, unknown> | undefined;
  return Number(row ? Object.values(row)[0] : 0);
}

/** Outbox rows by status (PENDING, SENT, FAILED, WAITING). */
export function outboxByStatus(db: Database.Database): Record<string, number> {
  const rows = db
    .prepare('SELECT "status" AS status, COUNT(*) AS n FROM outbox_messages GROUP BY "status"')
    .all() as Array<{
    status: string;
    n: number;
  }>;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Telegram sends the outbox marked as accepted: one sendMessage each (no text here exceeds 4,096 characters). */
export function sentTelegramMessages(db: Database.Database): number {
  return count(
    db,
    `SELECT COUNT(*) FROM outbox_messages WHERE "status" = 'SENT' AND channel = 'tg' AND kind = 'MESSAGE'`,
  );
}

/** True when the bot recorded an inbound Telegram update (its dedupe row). */
export function handledUpdate(db: Database.Database, updateId: number): boolean {
  return (
    db.prepare(`SELECT 1 FROM inbound_messages WHERE channel = 'tg' AND "messageId" = ?`).get(`u:${updateId}`) !==
    undefined
  );
}
