import { afterEach, describe, expect, it } from "vitest";
import { OutboxDispatcher } from "../../src/outbox/dispatcher.ts";
import { systemClock } from "../../src/services/clock.ts";
import { ScriptedSender } from "../support/scripted-sender.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: Array<{ t: TestApp; d: OutboxDispatcher }> = [];
afterEach(async () => {
  for (const { t, d } of open.splice(0)) {
    await d.stop();
    await t.close();
  }
});

async function setUp(sender: ScriptedSender, maxBackoffMs = 40) {
  const t = await startTestApp();
  const d = new OutboxDispatcher({
    outbox: t.app.outbox,
    identities: t.app.identities,
    sender,
    clock: systemClock,
    logger: t.app.logger,
    idleMs: 20,
    maxBackoffMs,
  });
  open.push({ t, d });
  return { t, d };
}

async function enqueue(t: TestApp, address: `tg:${string}`, texts: string[]) {
  const identity = await t.app.identities.resolve(address, new Date());
  await t.app.database.prisma.$transaction([
    t.app.outbox.enqueueWrite(
      identity.id,
      "tg",
      texts.map((text) => ({ text })),
      new Date(),
    )(t.app.database.prisma),
  ]);
  return identity;
}

const until = async (probe: () => boolean, ms = 5000) => {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("the outbox dispatcher", () => {
  it("keeps each chat's order with one message in flight per chat, and marks each sent once", async () => {
    const sender = new ScriptedSender();
    const { t, d } = await setUp(sender);
    await enqueue(t, "tg:1", ["a1", "a2", "a3"]);
    await enqueue(t, "tg:2", ["b1", "b2"]);
    d.start();
    await until(() => sender.log.length === 5);
    expect(sender.log.filter((l) => l.address === "tg:1").map((l) => l.text)).toEqual(["a1", "a2", "a3"]);
    expect(sender.log.filter((l) => l.address === "tg:2").map((l) => l.text)).toEqual(["b1", "b2"]);
    expect(sender.maxInFlightPerChat).toBe(1);
    const rows = await t.app.database.prisma.outboxMessage.findMany();
    expect(rows.every((r) => r.status === "SENT" && r.platformMessageId !== null)).toBe(true);
  });

  it("waits out retry_after, retries 5xx with backoff, and sends every message exactly once", async () => {
    const sender = new ScriptedSender();
    sender.failures.push(
      { kind: "retry_after", ms: 300 },
      { kind: "transient", detail: "http 502" },
      { kind: "transient", detail: "http 500" },
    );
    const { t, d } = await setUp(sender);
    await enqueue(t, "tg:7", ["one", "two"]);
    const started = Date.now();
    d.start();
    await until(() => sender.log.length === 2);
    expect(sender.log.map((l) => l.text)).toEqual(["one", "two"]);
    expect((sender.log[0]?.at ?? 0) - started).toBeGreaterThanOrEqual(300);
    const rows = await t.app.database.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["SENT", 3],
      ["SENT", 0],
    ]);
  });

  it("gives up on a chat that blocked the bot and marks it unreachable, and skips a rejected message", async () => {
    const sender = new ScriptedSender();
    sender.failures.push({ kind: "rejected", detail: "http 400" });
    const { t, d } = await setUp(sender);
    const ok = await enqueue(t, "tg:8", ["bad", "good"]);
    d.start();
    await until(() => sender.log.length === 1);
    expect(sender.log[0]?.text).toBe("good");
    sender.failures.push({ kind: "stopped", detail: "forbidden" });
    const blocked = await enqueue(t, "tg:9", ["x", "y", "z"]);
    d.wake();
    let rows = await t.app.database.prisma.outboxMessage.findMany({ where: { identityId: blocked.id } });
    for (let i = 0; i < 100 && rows.some((r) => r.status === "PENDING"); i++) {
      await new Promise((r) => setTimeout(r, 20));
      rows = await t.app.database.prisma.outboxMessage.findMany({ where: { identityId: blocked.id } });
    }
    expect(sender.log).toHaveLength(1);
    expect(rows.map((r) => r.status)).toEqual(["FAILED", "FAILED", "FAILED"]);
    const identity = await t.app.database.prisma.contactIdentity.findUniqueOrThrow({ where: { id: blocked.id } });
    expect(identity.unreachableAt).not.toBeNull();
    expect(
      (await t.app.database.prisma.outboxMessage.findMany({ where: { identityId: ok.id } })).map((r) => r.status),
    ).toEqual(["FAILED", "SENT"]);
  });

  it("stays within the overall and per-chat limits", async () => {
    const sender = new ScriptedSender({ perSecond: 10, perChatIntervalMs: 300, perGroupPerMinute: 1000 });
    const { t, d } = await setUp(sender);
    for (let i = 0; i < 15; i++) await enqueue(t, `tg:${100 + i}`, ["hello"]);
    await enqueue(t, "tg:999", ["m1", "m2", "m3"]);
    d.start();
    await until(() => sender.log.length === 18, 8000);
    const times = sender.log.map((l) => l.at).sort((a, b) => a - b);
    for (let i = 10; i < times.length; i++)
      expect((times[i] as number) - (times[i - 10] as number)).toBeGreaterThanOrEqual(990);
    const chat = sender.log.filter((l) => l.address === "tg:999").map((l) => l.at);
    expect((chat[1] as number) - (chat[0] as number)).toBeGreaterThanOrEqual(295);
    expect((chat[2] as number) - (chat[1] as number)).toBeGreaterThanOrEqual(295);
  });

  it("deletes recent messages of a chat when asked, in order with its other messages", async () => {
    const sender = new ScriptedSender();
    const { t, d } = await setUp(sender);
    const identity = await enqueue(t, "tg:11", ["before"]);
    await t.app.database.prisma.$transaction([
      t.app.outbox.enqueueDeleteWrite(identity.id, "tg", ["5", "6"], new Date())(t.app.database.prisma),
      t.app.outbox.enqueueWrite(identity.id, "tg", [{ text: "after" }], new Date())(t.app.database.prisma),
    ]);
    d.start();
    await until(() => sender.log.length === 2);
    expect(sender.deleted).toEqual([{ address: "tg:11", ids: ["5", "6"] }]);
    expect(sender.log.map((l) => l.text)).toEqual(["before", "after"]);
  });
});
