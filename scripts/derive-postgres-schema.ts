/**
 * Derives prisma/postgres/schema.prisma from prisma/schema.prisma (the one schema people edit):
 * one Prisma schema cannot switch provider, and a generated client is tied to its provider.
 * Usage: tsx scripts/derive-postgres-schema.ts [--check]
 * With --check it writes nothing and exits 1 when the derived file is stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The schema people edit (SQLite). */
export const SQLITE_SCHEMA_PATH = path.join(ROOT, "prisma/schema.prisma");
/** The derived PostgreSQL schema, committed so that reviews show it and the CLI can use it. */
export const POSTGRES_SCHEMA_PATH = path.join(ROOT, "prisma/postgres/schema.prisma");

const HEADER =
  "// GENERATED from prisma/schema.prisma by scripts/derive-postgres-schema.ts: do not edit.\n" +
  "// Edit prisma/schema.prisma, then run npm run db:migration:postgres -- <name> (it derives this file).\n\n";

/** Replaces exactly one match of a pattern, so a changed source schema fails loudly instead of silently. */
function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`)) ?? [];
  if (matches.length !== 1) {
    throw new Error(`prisma/schema.prisma: expected exactly one ${what}, found ${matches.length}`);
  }
  return text.replace(pattern, replacement);
}

/** The PostgreSQL schema for a SQLite schema: same models, provider postgresql, its own client folder. */
export function derivePostgresSchema(sqliteSchema: string): string {
  let schema = replaceOnce(
    sqliteSchema,
    /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/,
    '$1"postgresql"',
    'datasource provider "sqlite"',
  );
  // The generator's output is relative to the schema file, which sits one folder deeper.
  schema = replaceOnce(
    schema,
    /(generator\s+client\s*\{[^}]*?output\s*=\s*)"\.\.\/src\/generated\/prisma"/,
    '$1"../../src/generated/prisma-postgres"',
    'generator output "../src/generated/prisma"',
  );
  return HEADER + schema;
}

function main(): void {
  const derived = derivePostgresSchema(readFileSync(SQLITE_SCHEMA_PATH, "utf8"));
  let current = "";
  try {
    current = readFileSync(POSTGRES_SCHEMA_PATH, "utf8");
  } catch {
    // Not derived yet.
  }
  if (process.argv.includes("--check")) {
    if (current !== derived) {
      process.stderr.write("prisma/postgres/schema.prisma is stale: run tsx scripts/derive-postgres-schema.ts\n");
      process.exitCode = 1;
    }
    return;
  }
  if (current === derived) return;
  mkdirSync(path.dirname(POSTGRES_SCHEMA_PATH), { recursive: true });
  writeFileSync(POSTGRES_SCHEMA_PATH, derived);
  process.stderr.write("Derived prisma/postgres/schema.prisma from prisma/schema.prisma\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
