import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as PostgresPrismaClient } from "../generated/prisma-postgres/client.ts";
import type { Db, PostgresDatabase, PostgresOptions } from "./database.ts";
import { migratePostgres, postgresSchemaOf, quoteIdentifier } from "./migrate-postgres.ts";

/**
 * Opens a PostgreSQL database: applies committed migrations (under an advisory lock), then
 * connects Prisma through @prisma/adapter-pg over a pg connection pool (see openPostgresDatabase).
 */
export async function connectPostgres(
  options: PostgresOptions,
  transactionOptions: { maxWait: number; timeout: number },
): Promise<PostgresDatabase> {
  await migratePostgres(options.url, {
    applied: (name) => options.logger.info({ event: "db.migration_applied", migration: name }),
    changed: (name) => options.logger.warn({ event: "db.migration_changed_after_apply", migration: name }),
  });
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // A server that vanished (failover, a cut network) must fail calls, not hang them: leases
    // and claims depend on knowing in time that the database is not answering.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    query_timeout: 60_000,
    idle_in_transaction_session_timeout: 60_000,
  });
  // An idle connection dropped by the server emits "error" on the pool; unhandled, it would end
  // the process. The pool replaces the connection; log the event without its message (it may hold the host).
  const onError = (error: Error) =>
    options.logger.error({ event: "db.connection_error", code: (error as { code?: unknown }).code ?? null });
  pool.on("error", onError);
  const schema = postgresSchemaOf(options.url);
  if (schema) {
    // Prisma's own queries name the schema; plain SQL (claims, the case list) finds its tables
    // through the search path, so every connection gets the URL's schema first (pg runs a
    // client's queries in order, so this one goes before any other).
    pool.on("connect", (client) => {
      client.query(`SET search_path TO ${quoteIdentifier(schema)}`).catch(onError);
    });
  }
  const adapter = new PrismaPg(pool, { ...(schema ? { schema } : {}), onConnectionError: onError });
  // The PostgreSQL client is generated from the derived schema (prisma/postgres/schema.prisma), so
  // its models and methods are the SQLite client's; only the nominal types differ. The stores are
  // written against Db once, and this is the one place that says the two are interchangeable.
  const prisma = new PostgresPrismaClient({
    adapter,
    errorFormat: "minimal",
    transactionOptions,
  }) as unknown as Db;
  try {
    await prisma.$connect();
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return {
    provider: "postgres",
    prisma,
    path: null,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
