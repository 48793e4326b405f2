import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "./database.ts";

/**
 * Plain statements on the very connection Prisma's SQLite adapter uses, for the few writes every
 * message makes. Prisma's query interpreter costs about a millisecond of CPU for a step's three
 * writes; the same statements here cost a tenth of that. Everything runs synchronously, so nothing
 * else in the process can reach the connection in between.
 */
export interface DirectSqlite {
  /**
   * Runs `work` in one write transaction now and returns true; returns false, running nothing, when
   * a Prisma transaction holds the connection (a statement now would join it) or the connection is
   * closed. `work` throwing rolls everything back and the error goes on.
   */
  tryTransaction(work: () => void): boolean;
  /** Runs a write and says how many rows it changed. */
  run(sql: string, params: readonly SqlValue[]): number;
  /** Runs a statement that returns rows (a query, or a write with RETURNING). */
  all(sql: string, params: readonly SqlValue[]): Record<string, unknown>[];
}

/** A value bound to a statement, converted as Prisma's adapter converts it (so both paths store the same text). */
export type SqlValue = string | number | boolean | Date | Uint8Array | null;

/** The part of better-sqlite3 used here. */
export interface DirectConnection {
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(sql: string): DirectStatement;
}
interface DirectStatement {
  run(...params: unknown[]): { changes: number };
  all(...params: unknown[]): unknown[];
}

const registry = new WeakMap<Db, () => DirectSqlite | null>();

/** Records where a client's direct connection is found (it changes if Prisma reconnects). */
export function registerDirectSqlite(db: Db, current: () => DirectSqlite | null): void {
  registry.set(db, current);
}

/** The direct connection behind a client: null on PostgreSQL, or before the client connected. */
export function directSqliteOf(db: Db): DirectSqlite | null {
  return registry.get(db)?.() ?? null;
}

/** Binds a value the way @prisma/adapter-better-sqlite3 does: ISO text for dates, 1/0 for booleans. */
function bindable(value: SqlValue): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Uint8Array && !Buffer.isBuffer(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}

/** The adapter reads integers as bigint; as Prisma does, give numbers (ids and counts here stay far below 2^53). */
function numbersOf(row: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) if (typeof value === "bigint") row[key] = Number(value);
  return row;
}

/** Direct statements over a better-sqlite3 connection, compiled once through `prepare`. */
export function directSqlite(connection: DirectConnection, prepare: (sql: string) => DirectStatement): DirectSqlite {
  return {
    tryTransaction(work) {
      // A closed connection (Prisma disconnected; it reconnects on its next query) is left to Prisma too.
      if (!connection.open || connection.inTransaction) return false;
      prepare("BEGIN IMMEDIATE").run();
      try {
        work();
      } catch (error) {
        if (connection.inTransaction) prepare("ROLLBACK").run();
        throw error;
      }
      prepare("COMMIT").run();
      return true;
    },
    run: (sql, params) => prepare(sql).run(...params.map(bindable)).changes,
    all: (sql, params) => (prepare(sql).all(...params.map(bindable)) as Record<string, unknown>[]).map(numbersOf),
  };
}

/**
 * Inserts one row of the columns given (a column left undefined takes its default, as with
 * Prisma). Column names are the model's field names: the tables written this way map none.
 */
export function insertRow(sql: DirectSqlite, table: string, row: Readonly<Record<string, SqlValue | undefined>>): void {
  const columns = Object.keys(row).filter((column) => row[column] !== undefined);
  const statement = `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
  sql.run(
    statement,
    columns.map((column) => row[column] as SqlValue),
  );
}

/** The error Prisma raises for a unique value already taken, so callers tell both paths apart the same way. */
export function uniqueViolation(modelName: string): Error {
  return new Prisma.PrismaClientKnownRequestError(`Unique constraint failed on ${modelName}`, {
    code: "P2002",
    clientVersion: Prisma.prismaVersion.client,
    meta: { modelName },
  });
}

/** The error Prisma raises when an update finds no row (a stale row version). */
export function recordNotFound(modelName: string): Error {
  return new Prisma.PrismaClientKnownRequestError(`No ${modelName} record to update`, {
    code: "P2025",
    clientVersion: Prisma.prismaVersion.client,
    meta: { modelName },
  });
}

/** True when better-sqlite3 refused a row for a unique or primary key. */
export function isSqliteUniqueError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
