import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { newConversation } from "../../src/conversation/state.ts";
import type { NewCaseRow } from "../../src/db/case-store.ts";
import { type Db, isDuplicateInbound, isRecordNotFound, isUniqueViolation } from "../../src/db/database.ts";
import { directSqliteOf, registerDirectSqlite } from "../../src/db/direct-sqlite.ts";
import { recordInboundWrite } from "../../src/db/inbound-record.ts";
import { type DeferredWrite, StepWriter } from "../../src/db/step-writer.ts";
import { ON_POSTGRES, sqliteOnly } from "../support/postgres.ts";
import { REPORT_LINES, startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
async function start(): Promise<TestApp> {
  const t = await startTestApp();
  open.push(t);
  return t;
}
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

const IDENTITY = "identity-direct-1";
const AT = new Date("2026-12-06T01:02:03.456Z");

async function addIdentity(db: Db): Promise<void> {
  await db.contactIdentity.create({
    data: {
      id: IDENTITY,
      channel: "tg",
      lookupHash: "hash-direct",
      addressCipher: new Uint8Array([1]),
      keyId: "k",
      createdAt: AT,
    },
  });
}

/** Every row of a table as SQLite holds it (text, integers, blobs), read beside Prisma. */
function rowsOf(file: string, table: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all();
  } finally {
    db.close();
  }
}

/** The writes of a first answer and a second one: dedupe rows, the state created then updated, replies, held ones released. */
function stepWrites(t: TestApp): DeferredWrite[] {
  const { conversations, outbox } = t.app;
  const first = conversations.saveWrite(IDENTITY, null, newConversation("id", AT), 3_600_000);
  const second = conversations.saveWrite(
    IDENTITY,
    first.stored,
    { ...newConversation("en", AT), state: { flow: "idle" } },
    3_600_000,
  );
  return [
    recordInboundWrite({
      channel: "tg",
      messageId: "m-1",
      receivedAt: AT,
      identityId: IDENTITY,
      platformMessageId: "77",
    }),
    first.write,
    outbox.enqueueWrite(
      IDENTITY,
      "tg",
      [{ text: "satu" }, { text: "dua", urgent: true, choices: [{ id: "a", label: "A" }] }],
      AT,
      "UPTDPPA-35",
      "case-1",
    ),
    recordInboundWrite({ channel: "tg", messageId: "m-2", receivedAt: AT, identityId: null, platformMessageId: null }),
    second.write,
    outbox.releaseHeldWrite(IDENTITY, new Date(AT.getTime() + 1_000)),
  ];
}

describe.skipIf(ON_POSTGRES)(sqliteOnly("a step's writes without Prisma's query interpreter"), () => {
  it("store exactly the rows Prisma stores, and answer what Prisma answers", async () => {
    const viaPrisma = await start();
    const direct = await start();
    for (const t of [viaPrisma, direct]) {
      await addIdentity(t.app.database.prisma);
      await t.app.database.prisma.outboxMessage.create({
        data: {
          identityId: IDENTITY,
          channel: "tg",
          status: "HELD",
          keyId: "k",
          createdAt: AT,
          payloadCipher: new Uint8Array([2]),
        },
      });
    }
    // The same write objects on both databases: the same ciphertexts.
    const writes = stepWrites(viaPrisma);
    const prismaDb = viaPrisma.app.database.prisma;
    const expected = await prismaDb.$transaction(writes.map((write) => write(prismaDb)));
    const sql = directSqliteOf(direct.app.database.prisma);
    if (!sql) throw new Error("no direct connection on SQLite");
    const answered: unknown[] = [];
    expect(sql.tryTransaction(() => answered.push(...writes.map((write) => write.direct?.(sql))))).toBe(true);
    expect(answered).toEqual(expected);
    for (const table of ["inbound_messages", "conversations", "outbox_messages"]) {
      expect(rowsOf(direct.app.database.path as string, table), table).toEqual(
        rowsOf(viaPrisma.app.database.path as string, table),
      );
    }
    // And Prisma reads them back as it wrote them.
    const read = await direct.app.database.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(read.map((row) => [row.status, row.urgent, row.hasChoices, row.createdAt.toISOString()])).toEqual([
      ["PENDING", false, false, "2026-12-06T01:02:04.456Z"],
      ["PENDING", false, false, AT.toISOString()],
      ["PENDING", true, true, AT.toISOString()],
    ]);
  });

  it("commit a step without Prisma, and a redelivered message or a stale state undoes the whole step", async () => {
    const t = await start();
    const db = t.app.database.prisma;
    await addIdentity(db);
    const batch = vi.spyOn(db, "$transaction");
    const first = t.app.conversations.saveWrite(IDENTITY, null, newConversation("id", AT), 3_600_000);
    const step = new StepWriter();
    step.add(
      recordInboundWrite({
        channel: "tg",
        messageId: "m-1",
        receivedAt: AT,
        identityId: IDENTITY,
        platformMessageId: null,
      }),
    );
    step.add(first.write);
    step.add(t.app.outbox.enqueueWrite(IDENTITY, "tg", [{ text: "halo" }], AT));
    await step.commit(db);
    expect(batch).not.toHaveBeenCalled();

    const again = new StepWriter();
    again.add(t.app.outbox.enqueueWrite(IDENTITY, "tg", [{ text: "lagi" }], AT));
    again.add(
      recordInboundWrite({
        channel: "tg",
        messageId: "m-1",
        receivedAt: AT,
        identityId: IDENTITY,
        platformMessageId: null,
      }),
    );
    const duplicate = await again.commit(db).catch((error: unknown) => error);
    expect(isDuplicateInbound(duplicate)).toBe(true);

    const stale = new StepWriter();
    stale.add(t.app.outbox.enqueueWrite(IDENTITY, "tg", [{ text: "basi" }], AT));
    // Written from the state before the first step: the row version moved on.
    stale.add(
      t.app.conversations.saveWrite(
        IDENTITY,
        { doc: newConversation("id", AT), rowVersion: 0 },
        newConversation("en", AT),
        1,
      ).write,
    );
    const conflict = await stale.commit(db).catch((error: unknown) => error);
    expect(isRecordNotFound(conflict)).toBe(true);

    const twice = new StepWriter();
    twice.add(t.app.conversations.saveWrite(IDENTITY, null, newConversation("en", AT), 1).write);
    const created = await twice.commit(db).catch((error: unknown) => error);
    expect(isUniqueViolation(created)).toBe(true);
    expect(isDuplicateInbound(created)).toBe(false);

    expect(batch).not.toHaveBeenCalled();
    const sent = await db.outboxMessage.count();
    expect(sent).toBe(1);
    expect(await db.inboundMessage.count()).toBe(1);
    expect((await db.conversation.findUniqueOrThrow({ where: { identityId: IDENTITY } })).rowVersion).toBe(1);
  });

  it("wait for a Prisma transaction holding the connection instead of joining it", async () => {
    const t = await start();
    const db = t.app.database.prisma;
    await addIdentity(db);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inside = () => {};
    const entered = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const rolledBack = db
      .$transaction(async (tx) => {
        await tx.auditLog.create({ data: { actor: "test", action: "ROLLED_BACK", createdAt: AT } });
        inside();
        await held;
        throw new Error("undo");
      })
      .catch((error: unknown) => error);
    await entered;
    const step = new StepWriter();
    step.add(
      recordInboundWrite({
        channel: "tg",
        messageId: "m-9",
        receivedAt: AT,
        identityId: IDENTITY,
        platformMessageId: null,
      }),
    );
    step.add(t.app.outbox.enqueueWrite(IDENTITY, "tg", [{ text: "tetap" }], AT));
    const committed = step.commit(db);
    release();
    expect(await rolledBack).toBeInstanceOf(Error);
    await committed;
    // The step's rows survived the other transaction's rollback: they were never part of it.
    expect(await db.auditLog.count({ where: { action: "ROLLED_BACK" } })).toBe(0);
    expect(await db.inboundMessage.count({ where: { messageId: "m-9" } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { identityId: IDENTITY } })).toBe(1);
  });

  it("leave a step to Prisma while it is disconnected, and use its new connection after", async () => {
    const t = await start();
    const db = t.app.database.prisma;
    await addIdentity(db);
    await db.$disconnect();
    const first = new StepWriter();
    first.add(
      recordInboundWrite({
        channel: "tg",
        messageId: "m-a",
        receivedAt: AT,
        identityId: IDENTITY,
        platformMessageId: null,
      }),
    );
    await first.commit(db);
    const batch = vi.spyOn(db, "$transaction");
    const second = new StepWriter();
    second.add(
      recordInboundWrite({
        channel: "tg",
        messageId: "m-b",
        receivedAt: AT,
        identityId: IDENTITY,
        platformMessageId: null,
      }),
    );
    await second.commit(db);
    expect(batch).not.toHaveBeenCalled();
    expect(await db.inboundMessage.count()).toBe(2);
  });

  it("claim and mark a delivery as Prisma does, without it", async () => {
    const viaPrisma = await start();
    const direct = await start();
    // The first app loses its direct connection: everything it does goes through Prisma.
    registerDirectSqlite(viaPrisma.app.database.prisma, () => null);
    const spies = [];
    const steps = [];
    for (const t of [viaPrisma, direct]) {
      const db = t.app.database.prisma;
      await addIdentity(db);
      // Each app seals with its own keys; delivered rows keep no payload, so the rows end up equal.
      const write = t.app.outbox.enqueueWrite(IDENTITY, "tg", [{ text: "satu" }, { text: "dua" }], AT);
      await db.$transaction([write(db)]);
      const outbox = t.app.outbox;
      const raw = [vi.spyOn(db, "$queryRaw"), vi.spyOn(db, "$executeRaw")];
      spies.push(raw);
      const [first, second] = await db.outboxMessage.findMany({ orderBy: { id: "asc" }, select: { id: true } });
      if (!first || !second) throw new Error("two rows expected");
      const later = new Date(AT.getTime() + 5_000);
      steps.push([
        // The second waits for the first (a chat's order); another instance cannot take a claimed one.
        await outbox.claimDelivery(second.id, "instance-a", AT, 30_000),
        await outbox.claimDelivery(first.id, "instance-a", AT, 30_000),
        await outbox.claimDelivery(first.id, "instance-b", later, 30_000),
        await outbox.markDelivered([{ id: first.id, platformMessageId: "501" }], later),
        await outbox.claimDelivery(second.id, "instance-a", later, 30_000),
        await outbox.markDelivered([{ id: second.id, platformMessageId: null }], later),
      ]);
    }
    expect(steps[1]).toEqual(steps[0]);
    expect(steps[0]?.[1]).toMatchObject({ ok: true, delivery: { kind: "message", message: { text: "satu" } } });
    expect(steps[0]?.[0]).toBeNull();
    expect(steps[0]?.[2]).toBeNull();
    expect(rowsOf(direct.app.database.path as string, "outbox_messages")).toEqual(
      rowsOf(viaPrisma.app.database.path as string, "outbox_messages"),
    );
    expect(spies[0]?.map((spy) => spy.mock.calls.length)).toEqual([4, 2]);
    expect(spies[1]?.map((spy) => spy.mock.calls.length)).toEqual([0, 0]);
    const rows = await direct.app.database.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((row) => [row.status, row.platformMessageId, row.payloadCipher, row.claimedBy])).toEqual([
      ["SENT", "501", null, null],
      ["SENT", null, null, null],
    ]);
  });

  it("write a new case, its copies, first events and quota mark as Prisma does, and send a report without Prisma's batch", async () => {
    const viaPrisma = await start();
    const direct = await start();
    registerDirectSqlite(viaPrisma.app.database.prisma, () => null);
    // A real report, through the whole dialogue: what its case write was given.
    const submit = vi.spyOn(direct.app.caseStore, "submit");
    const batch = vi.spyOn(direct.app.database.prisma, "$transaction");
    await direct.sendAll("siti", ...REPORT_LINES("Kakak saya ditahan di pabrik.", "0812 1111 2222"));
    expect(submit).toHaveBeenCalledTimes(1);
    expect(batch).not.toHaveBeenCalled();
    const reported = submit.mock.calls[0]?.[0] as NewCaseRow;
    expect(await direct.app.database.prisma.case.count()).toBe(1);
    // The same case again under a new id, with a copy, on both databases.
    const again: NewCaseRow = {
      ...reported,
      id: "case-again",
      reference: "TPPO-AGAIN-001",
      reporterIdentityId: IDENTITY,
      copies: [{ officeCode: "DINSOS-35", createdAt: AT }],
      events: [...reported.events, { type: "COPIED", actor: "system", reason: "copied", createdAt: AT }],
    };
    for (const t of [viaPrisma, direct]) {
      const db = t.app.database.prisma;
      await addIdentity(db);
      const step = new StepWriter();
      step.add(t.app.caseStore.submit(again));
      const reporter = await t.app.identities.resolve("tg:555", AT);
      step.add(await t.app.reportQuota.markWrite(reporter.id, AT));
      await step.commit(db);
      const taken = new StepWriter();
      taken.add(t.app.caseStore.submit({ ...again, id: "case-again-2" }));
      // The reference is taken: the turn runs again with a new one, as on Prisma.
      expect(isUniqueViolation(await taken.commit(db).catch((error: unknown) => error))).toBe(true);
    }
    // Event ids count on from the events already there (the direct app has the first report's).
    const rowsOfCase = (t: TestApp, table: string) =>
      rowsOf(t.app.database.path as string, table)
        .filter((row) => JSON.stringify(row).includes("case-again"))
        .map((row, i) => (table === "case_events" ? { ...(row as object), id: i } : row));
    for (const table of ["cases", "case_copies", "case_events"]) {
      const expected = rowsOfCase(viaPrisma, table);
      expect(expected.length, table).toBeGreaterThan(0);
      expect(rowsOfCase(direct, table), table).toEqual(expected);
    }
    // Each app hashes the chat with its own key.
    const marks = (t: TestApp) =>
      rowsOf(t.app.database.path as string, "report_quota_marks").map((row) => ({
        ...(row as object),
        id: 0,
        chatHash: "",
      }));
    expect(marks(direct).slice(-1)).toEqual(marks(viaPrisma));
  });
});
