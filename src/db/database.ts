import { chmodSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logging/logger.ts";
import { type DirectConnection, type DirectSqlite, directSqlite, registerDirectSqlite } from "./direct-sqlite.ts";
import { migrateSqlite } from "./migrate-sqlite.ts";

export { Prisma };
/** The generated Prisma client; only src/db/ constructs it. */
export type Db = PrismaClient;

/**
 * Transactions (batches too, through the driver adapters) may wait and run longer than Prisma's
 * 5 s default: instances starting together on a busy machine seed the same rows under row locks,
 * and a batch that times out fails the start. Still bounded, so a stuck one releases its locks.
 */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

/** Which database engine holds the data. */
export type DatabaseProvider = "sqlite" | "postgres";

/** An open database: the Prisma client and how to close it. */
export type Database = SqliteDatabase | PostgresDatabase;

/** The embedded SQLite database in one file. */
export interface SqliteDatabase {
  provider: "sqlite";
  prisma: Db;
  /** The database file. */
  path: string;
  close(): Promise<void>;
}

/** A PostgreSQL database reached through a connection pool. */
export interface PostgresDatabase {
  provider: "postgres";
  prisma: Db;
  /** No file: back up PostgreSQL with pg_dump. */
  path: null;
  close(): Promise<void>;
}

/** Where the data lives: a PostgreSQL URL, or else the SQLite file. */
export interface DatabaseOptions {
  /** A postgres:// or postgresql:// URL; null selects the embedded SQLite file. */
  postgresUrl: string | null;
  sqlitePath: string;
  synchronous: "NORMAL" | "FULL";
  logger: Logger;
}

/**
 * Opens the database the configuration names, the one place that picks the client: a PostgreSQL
 * URL selects PostgreSQL (through pg), anything else the embedded SQLite file. Both apply their
 * committed migrations first.
 */
export function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.postgresUrl) return openPostgresDatabase({ url: options.postgresUrl, logger: options.logger });
  return openSqliteDatabase({ path: options.sqlitePath, synchronous: options.synchronous, logger: options.logger });
}

/** Options for opening a PostgreSQL database. */
export interface PostgresOptions {
  url: string;
  logger: Logger;
  /** Connections in the pool (default 10): enough for the dispatcher, the scheduler and chats at once. */
  poolSize?: number;
}

/**
 * Opens a PostgreSQL database: applies committed migrations (under an advisory lock), then
 * connects Prisma through @prisma/adapter-pg over a pg connection pool. The PostgreSQL client,
 * driver and adapter are loaded only here: the embedded SQLite default never pays for them.
 */
export async function openPostgresDatabase(options: PostgresOptions): Promise<PostgresDatabase> {
  return (await import("./postgres-database.ts")).connectPostgres(options, TRANSACTION_OPTIONS);
}

/** Options for opening the embedded SQLite database. */
export interface SqliteOptions {
  path: string;
  synchronous: "NORMAL" | "FULL";
  logger: Logger;
}

/**
 * Opens the embedded SQLite database: applies committed migrations, then connects Prisma
 * through better-sqlite3 with WAL (readers never block the writer), secure_delete (freed
 * pages keep nothing) and a busy timeout shared with other processes such as `npm run chat`.
 */
export async function openSqliteDatabase(options: SqliteOptions): Promise<SqliteDatabase> {
  mkdirSync(path.dirname(options.path), { recursive: true, mode: 0o700 });
  migrateSqlite(options.path, {
    applied: (name) => options.logger.info({ event: "db.migration_applied", migration: name }),
    changed: (name) => options.logger.warn({ event: "db.migration_changed_after_apply", migration: name }),
  });
  // Victims' data: only the service account may read the file (SQLite gives the WAL the same mode).
  if (existsSync(options.path)) chmodSync(options.path, 0o600);
  const inner = new PrismaBetterSqlite3({ url: `file:${options.path}`, timeout: 10_000 });
  const pragmas = `PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.synchronous}; PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON;`;
  // The adapter opens its own connection; run the per-connection pragmas on it before use.
  let direct: DirectSqlite | null = null;
  const adapter = {
    provider: "sqlite" as const,
    adapterName: inner.adapterName,
    connect: async () => {
      const connection = await inner.connect();
      await connection.executeScript(pragmas);
      direct = cachePreparedStatements(connection);
      return connection;
    },
    connectToShadowDb: () => inner.connectToShadowDb(),
  };
  // "minimal" skips capturing a stack trace on every query, and keeps error messages free of query arguments.
  const prisma = new PrismaClient({ adapter, errorFormat: "minimal", transactionOptions: TRANSACTION_OPTIONS });
  registerDirectSqlite(prisma, () => direct);
  await prisma.$connect();
  return {
    provider: "sqlite",
    prisma,
    path: options.path,
    close: () => prisma.$disconnect(),
  };
}

/** The part of better-sqlite3's Database the Prisma adapter uses to run a query. */
interface PreparingClient extends DirectConnection {
  prepare(sql: string): BetterSqliteStatement;
}
interface BetterSqliteStatement {
  readonly reader: boolean;
  run(...args: unknown[]): { changes: number };
  columns(): unknown[];
  raw(on?: boolean): BetterSqliteStatement;
  all(...args: unknown[]): unknown[];
}

const STATEMENT_CACHE_LIMIT = 500;

/**
 * The adapter prepares every query afresh (`client.prepare(sql).bind(args)`), which costs a
 * SQLite compile per query. Prisma's queries repeat exactly, so keep the compiled statements
 * and hand the adapter a binding view of them. Only the calls the adapter makes are offered.
 * Returns the direct statements over the same connection and cache (null if the adapter changed shape).
 */
function cachePreparedStatements(connection: object): DirectSqlite | null {
  const holder = connection as { client?: PreparingClient };
  const client = holder.client;
  if (!client || typeof client.prepare !== "function") return null;
  const cache = new Map<string, BetterSqliteStatement>();
  const prepare = (sql: string): BetterSqliteStatement => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = client.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_LIMIT) cache.clear();
      cache.set(sql, statement);
    }
    return statement;
  };
  holder.client = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== "prepare") return Reflect.get(target, property, receiver);
      return (sql: string) => {
        // Every transaction here writes: taking the write lock at BEGIN lets another process's
        // busy wait work, where a read that later upgrades would fail at once (SQLITE_BUSY).
        const statement = prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
        return {
          run: () => statement.run(),
          bind: (args: unknown[]) => ({
            reader: statement.reader,
            run: () => statement.run(args),
            columns: () => statement.columns(),
            raw: () => ({ all: () => statement.raw(true).all(args) }),
          }),
        };
      };
    },
  });
  // The adapter leaves its statements in raw mode (rows as arrays); direct readers want objects.
  return directSqlite(client, (sql) => {
    const statement = prepare(sql);
    return statement.reader ? statement.raw(false) : statement;
  });
}

/** True when an error is a unique-constraint violation (Prisma P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** True when an error is the inbound dedupe row refusing a message already handled. */
export function isDuplicateInbound(error: unknown): boolean {
  if (!isUniqueViolation(error)) return false;
  const meta = (error as { meta?: { modelName?: unknown } }).meta;
  return meta?.modelName === "InboundMessage";
}

/** True when an update found no row to change (Prisma P2025), e.g. a stale row version. */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}
