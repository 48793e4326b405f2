import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MigrationError, migrateSqlite, migrationNames, SQLITE_MIGRATIONS_DIR } from "../../src/db/migrate-sqlite.ts";

const quiet = { applied: () => {}, changed: () => {} };

/** A copy of the committed migrations, plus any extra ones, in a folder of its own. */
function migrationsWith(extra: Record<string, string>): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "tppo-migrations-")), "migrations");
  cpSync(SQLITE_MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

/** A database on the committed migrations with one identity, its conversation and one queued message. */
function databaseWithOneChat(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "tppo-migrate-")), "bot.db");
  migrateSqlite(file, quiet);
  const db = new Database(file);
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO contact_identities (id, channel, lookupHash, addressCipher, keyId, createdAt) VALUES ('i1', 'tg', 'h1', x'00', 'k1', ?)`,
  ).run(now);
  db.prepare(
    `INSERT INTO conversations (identityId, rowVersion, schemaVersion, active, language, stateCipher, keyId, updatedAt) VALUES ('i1', 1, 1, 1, 'id', x'00', 'k1', ?)`,
  ).run(now);
  db.prepare(
    `INSERT INTO outbox_messages (identityId, channel, status, payloadCipher, keyId, createdAt) VALUES ('i1', 'tg', 'PENDING', x'00', 'k1', ?)`,
  ).run(now);
  db.close();
  return file;
}

function counts(file: string) {
  const db = new Database(file, { readonly: true });
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const result = {
    identities: count("contact_identities"),
    conversations: count("conversations"),
    outbox: count("outbox_messages"),
  };
  db.close();
  return result;
}

// What `prisma migrate dev` writes when a SQLite table changes in a way ALTER TABLE cannot express.
const REWRITE_IDENTITIES = `PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_contact_identities" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "lookupHash" TEXT NOT NULL,
    "addressCipher" BLOB NOT NULL,
    "keyId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "unreachableAt" DATETIME,
    "note" TEXT
);
INSERT INTO "new_contact_identities" ("id", "channel", "lookupHash", "addressCipher", "keyId", "createdAt", "unreachableAt")
  SELECT "id", "channel", "lookupHash", "addressCipher", "keyId", "createdAt", "unreachableAt" FROM "contact_identities";
DROP TABLE "contact_identities";
ALTER TABLE "new_contact_identities" RENAME TO "contact_identities";
CREATE UNIQUE INDEX "contact_identities_lookupHash_key" ON "contact_identities"("lookupHash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;

describe("the SQLite migration runner", () => {
  it("keeps every child row when a later migration rewrites a parent table by copy, drop and rename", () => {
    const file = databaseWithOneChat();
    const applied = migrateSqlite(
      file,
      quiet,
      migrationsWith({ "29990101000000_rewrite_identities": REWRITE_IDENTITIES }),
    );
    expect(applied).toEqual(["29990101000000_rewrite_identities"]);
    expect(counts(file)).toEqual({ identities: 1, conversations: 1, outbox: 1 });
  });

  it("rolls back a migration that leaves rows pointing at nothing, records nothing, and names it", () => {
    const file = databaseWithOneChat();
    const dropParent = `DELETE FROM "contact_identities";`;
    const dir = migrationsWith({ "29990101000000_orphan_rows": dropParent });
    expect(() => migrateSqlite(file, quiet, dir)).toThrow(MigrationError);
    expect(() => migrateSqlite(file, quiet, dir)).toThrow(
      /29990101000000_orphan_rows.*(conversations|outbox_messages)/,
    );
    expect(counts(file)).toEqual({ identities: 1, conversations: 1, outbox: 1 });
    const db = new Database(file, { readonly: true });
    const recorded = db.prepare(`SELECT count(*) AS n FROM _prisma_migrations WHERE migration_name LIKE '2999%'`).get();
    db.close();
    expect(recorded).toEqual({ n: 0 });
  });

  it("applies each migration once when two processes migrate the same file", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "tppo-migrate-")), "bot.db");
    const { spawn } = await import("node:child_process");
    const script = `import { migrateSqlite } from ${JSON.stringify(path.resolve("src/db/migrate-sqlite.ts"))};
      const applied = migrateSqlite(process.env.MIGRATE_FILE, { applied: () => {}, changed: () => {} });
      process.stdout.write(JSON.stringify(applied));`;
    const runs = [0, 1].map(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
            env: { ...process.env, MIGRATE_FILE: file },
            stdio: ["ignore", "pipe", "inherit"],
          });
          let out = "";
          child.stdout?.on("data", (chunk: Buffer) => {
            out += chunk.toString();
          });
          child.on("error", reject);
          child.on("exit", (code) =>
            code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`exit ${code}`)),
          );
        }),
    );
    const [a, b] = await Promise.all(runs);
    const all = [...(a ?? []), ...(b ?? [])].sort();
    const db = new Database(file, { readonly: true });
    const history = db.prepare(`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`).all();
    db.close();
    expect(all).toEqual(history.map((r) => (r as { migration_name: string }).migration_name));
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(migrationNames(SQLITE_MIGRATIONS_DIR).length);
  });
});
