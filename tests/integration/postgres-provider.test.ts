import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { isDuplicateInbound, isRecordNotFound, isUniqueViolation } from "../../src/db/database.ts";
import { ephemeralKeyRing } from "../../src/security/key-ring.ts";
import { createTestDatabase, NO_POSTGRES_REASON, TEST_DATABASE_URL } from "../support/postgres.ts";
import { ManualClock, startTestApp, TestApp, type TestProvider } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

async function start(provider: TestProvider): Promise<TestApp> {
  const t = await startTestApp({}, provider);
  open.push(t);
  return t;
}

/** Runs one query on a database and ends the connection. */
async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const skipReason = (provider: TestProvider) =>
  provider === "postgres" && !TEST_DATABASE_URL ? ` [${NO_POSTGRES_REASON}]` : "";

describe("DATABASE_URL", () => {
  it("selects PostgreSQL for postgres:// and postgresql:// URLs, SQLite for file: URLs", () => {
    for (const url of ["postgres://bot:secret@db:5432/bot", "postgresql://bot@localhost/bot?schema=tppo"]) {
      const config = loadConfig({ DATABASE_URL: url, DATA_DIR: "/srv/bot" });
      expect(config.postgresUrl).toBe(url);
      expect(config.databasePath).toBe("/srv/bot/bot.db");
    }
    expect(loadConfig({ DATABASE_URL: "file:/var/lib/bot/bot.db" })).toMatchObject({
      postgresUrl: null,
      databasePath: "/var/lib/bot/bot.db",
    });
    expect(loadConfig({}).postgresUrl).toBeNull();
  });

  it("refuses anything else, naming both kinds it takes", () => {
    for (const url of ["mysql://bot@db/bot", "bot.db", "POSTGRES:/db", "postgresql:"]) {
      let message = "";
      try {
        loadConfig({ DATABASE_URL: url });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message, url).toContain('DATABASE_URL: expected a "file:" URL such as file:./data/bot.db (SQLite)');
      expect(message, url).toContain('or a "postgresql://" (or "postgres://") URL');
    }
  });
});

for (const provider of ["sqlite", "postgres"] as const) {
  describe.skipIf(provider === "postgres" && !TEST_DATABASE_URL)(
    `what the stores rely on, on ${provider}${skipReason(provider)}`,
    () => {
      const identity = (t: TestApp, lookupHash: string) =>
        t.app.database.prisma.contactIdentity.create({
          data: {
            id: randomUUID(),
            channel: "term",
            lookupHash,
            addressCipher: new Uint8Array([1, 2, 3]),
            keyId: "k1",
            createdAt: t.clock.now(),
          },
        });

      it("reports unique violations as such, and tells the inbound dedupe row from others", async () => {
        const t = await start(provider);
        const db = t.app.database.prisma;
        expect(t.app.database.provider).toBe(provider);
        await identity(t, "hash-1");
        const duplicateIdentity = await identity(t, "hash-1").catch((error: unknown) => error);
        expect(isUniqueViolation(duplicateIdentity)).toBe(true);
        expect(isDuplicateInbound(duplicateIdentity)).toBe(false);

        const inbound = { channel: "term", messageId: "m-1", receivedAt: t.clock.now() };
        await db.inboundMessage.create({ data: inbound });
        const duplicateInbound = await db.inboundMessage.create({ data: inbound }).catch((error: unknown) => error);
        expect(isDuplicateInbound(duplicateInbound)).toBe(true);

        // In a batch, the duplicate undoes the whole transaction, as the conversation step relies on.
        const batch = await db
          .$transaction([
            db.auditLog.create({ data: { actor: "test", action: "BATCH", createdAt: t.clock.now() } }),
            db.inboundMessage.create({ data: inbound }),
          ])
          .catch((error: unknown) => error);
        expect(isDuplicateInbound(batch)).toBe(true);
        expect(await db.auditLog.count({ where: { action: "BATCH" } })).toBe(0);
      });

      it("reports a missing row on update, as the optimistic row version relies on", async () => {
        const t = await start(provider);
        const db = t.app.database.prisma;
        const row = await identity(t, "hash-2");
        await db.conversation.create({
          data: {
            identityId: row.id,
            rowVersion: 1,
            schemaVersion: 1,
            active: true,
            language: "id",
            stateCipher: new Uint8Array([9]),
            keyId: "k1",
            updatedAt: t.clock.now(),
          },
        });
        const stale = await db.conversation
          .update({ where: { identityId: row.id, rowVersion: 2 }, data: { rowVersion: 3 } })
          .catch((error: unknown) => error);
        expect(isRecordNotFound(stale)).toBe(true);
        expect(isUniqueViolation(stale)).toBe(false);
        await db.conversation.update({ where: { identityId: row.id, rowVersion: 1 }, data: { rowVersion: 2 } });
        expect((await db.conversation.findUniqueOrThrow({ where: { identityId: row.id } })).rowVersion).toBe(2);
      });

      it("finds by compound id, compares strings case-sensitively, and keeps bytes and milliseconds", async () => {
        const t = await start(provider);
        const db = t.app.database.prisma;
        const at = new Date("2026-11-28T23:59:59.987Z");
        await db.inboundMessage.create({ data: { channel: "tg", messageId: "Abc", receivedAt: at } });
        const found = await db.inboundMessage.findUnique({
          where: { channel_messageId: { channel: "tg", messageId: "Abc" } },
        });
        expect(found?.receivedAt).toEqual(at);
        expect(
          await db.inboundMessage.findUnique({ where: { channel_messageId: { channel: "tg", messageId: "abc" } } }),
        ).toBeNull();
        expect(await db.inboundMessage.count({ where: { messageId: { in: ["ABC", "abc"] } } })).toBe(0);
        expect(await db.inboundMessage.count({ where: { receivedAt: { lte: at } } })).toBe(1);
        expect(await db.inboundMessage.count({ where: { receivedAt: { lt: at } } })).toBe(0);

        const bytes = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
        const row = await db.whatsAppAuth.create({
          data: { key: "k", valueCipher: bytes, keyId: "k1", updatedAt: at },
        });
        const back = await db.whatsAppAuth.findUniqueOrThrow({ where: { key: row.key } });
        expect(back.valueCipher).toBeInstanceOf(Uint8Array);
        expect(Buffer.from(back.valueCipher).equals(Buffer.from(bytes))).toBe(true);
        expect(back.updatedAt.toISOString()).toBe("2026-11-28T23:59:59.987Z");
      });

      it("groups with the smallest id first, as the dispatcher's per-chat order relies on", async () => {
        const t = await start(provider);
        const db = t.app.database.prisma;
        const ids = [];
        for (const n of [1, 2, 3]) ids.push((await identity(t, `hash-g${n}`)).id);
        // Chat 3 writes first, then 1, then 2, then each once more.
        for (const identityId of [ids[2], ids[0], ids[1], ids[0], ids[2], ids[1]]) {
          await db.outboxMessage.create({
            data: {
              identityId: identityId as string,
              channel: "term",
              status: "PENDING",
              payloadCipher: new Uint8Array([1]),
              keyId: "k1",
              createdAt: t.clock.now(),
            },
          });
        }
        const heads = await db.outboxMessage.groupBy({
          by: ["identityId"],
          where: { status: "PENDING", channel: "term", identityId: { not: null } },
          _min: { id: true },
          orderBy: { _min: { id: "asc" } },
          take: 2,
        });
        expect(heads.map((h) => h.identityId)).toEqual([ids[2], ids[0]]);
        expect((heads[1]?._min.id ?? 0) - (heads[0]?._min.id ?? 0)).toBe(1);
      });
    },
  );
}

describe.skipIf(!TEST_DATABASE_URL)(`the PostgreSQL connection${skipReason("postgres")}`, () => {
  it("keeps its tables in the schema the URL names, and closes every connection on close", async () => {
    const url = await createTestDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), "tppo-test-"));
    const t = await new TestApp(dir, ephemeralKeyRing(), new ManualClock(), {}, `${url}?schema=tppo_app`).open();
    open.push(t);
    expect(await t.app.offices.list()).not.toHaveLength(0);
    // Plain SQL (the case list, the outbox claim) finds the tables in that schema too.
    expect(
      await t.app.cases.openCasesPage({ officeCodes: null, filter: { kind: "all" }, offset: 0, limit: 10 }),
    ).toEqual({
      total: 0,
      rows: [],
    });
    expect(await t.app.outbox.claimDelivery(1, "me", new Date(), 60_000)).toBeNull();
    const where = async (schema: string) =>
      (
        await query<{ table_name: string }>(
          url,
          "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
          [schema],
        )
      ).map((r) => r.table_name);
    expect(await where("tppo_app")).toEqual(expect.arrayContaining(["_prisma_migrations", "cases", "offices"]));
    expect(await where("public")).toEqual([]);

    const others = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    expect((await query<{ n: number }>(url, others))[0]?.n).toBeGreaterThan(0);
    await t.close();
    open.splice(open.indexOf(t), 1);
    expect((await query<{ n: number }>(url, others))[0]?.n).toBe(0);
  });
});
