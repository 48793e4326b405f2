import { afterEach, describe, expect, it } from "vitest";
import { TELEGRAM_LIMITS } from "../../src/channels/telegram/telegram-sender.ts";
import type { ChannelKind } from "../../src/channels/types.ts";
import { DEFAULT_PACING, limitsFor } from "../../src/channels/whatsapp/whatsapp-sender.ts";
import { StepWriter } from "../../src/db/step-writer.ts";
import type { SendLimits } from "../../src/outbox/channel-sender.ts";
import { OutboxDispatcher, SEND_WINDOW_MARGIN_MS, TIMER_SLACK_MS } from "../../src/outbox/dispatcher.ts";
import { systemClock } from "../../src/services/clock.ts";
import { runOnClock } from "../support/run-on-clock.ts";
import { ScriptedSender } from "../support/scripted-sender.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: Array<{ t: TestApp; d: OutboxDispatcher }> = [];
afterEach(async () => {
  for (const { t, d } of open.splice(0)) {
    await d.stop();
    await t.close();
  }
});

async function setUp(sender: ScriptedSender, maxBackoffMs = 40, idleMs = 20) {
  const t = await startTestApp();
  const d = new OutboxDispatcher({
    outbox: t.app.outbox,
    identities: t.app.identities,
    sender,
    clock: systemClock,
    logger: t.app.logger,
    idleMs,
    maxBackoffMs,
  });
  open.push({ t, d });
  return { t, d };
}

/** A dispatcher on the test app's own clock and timers: time moves only when runOnClock fires a timer. */
async function setUpOnClock(limits: SendLimits, channel: ChannelKind = "tg") {
  const t = await startTestApp();
  const sender = new ScriptedSender(limits, t.clock, channel);
  const d = new OutboxDispatcher({
    outbox: t.app.outbox,
    identities: t.app.identities,
    sender,
    clock: t.clock,
    timers: t.clock,
    logger: t.app.logger,
    idleMs: 60_000,
  });
  open.push({ t, d });
  return { t, d, sender };
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

const until = async (probe: () => boolean, ms = 20_000) => {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** Waits until no message is pending: a row is marked sent a moment after the platform took it. */
async function allMarked(t: TestApp, ms = 20_000): Promise<void> {
  const start = Date.now();
  while ((await t.app.database.prisma.outboxMessage.count({ where: { status: "PENDING" } })) > 0) {
    if (Date.now() - start > ms) throw new Error("timed out waiting for the marks");
    await new Promise((r) => setTimeout(r, 10));
  }
}

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
    await allMarked(t);
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
    await allMarked(t);
    const rows = await t.app.database.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["SENT", 3],
      ["SENT", 0],
    ]);
  });

  it("retries marking a delivered message sent instead of sending it again when the database fails, and keeps the chat's order", async () => {
    const sender = new ScriptedSender();
    const { t, d } = await setUp(sender);
    const outbox = t.app.outbox;
    const markDelivered = outbox.markDelivered.bind(outbox);
    let failuresLeft = 3;
    outbox.markDelivered = async (sent, now) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error("SQLITE_BUSY: database is locked");
      }
      return markDelivered(sent, now);
    };
    await enqueue(t, "tg:12", ["first", "second"]);
    d.start();
    await until(() => sender.log.length === 2);
    // Let a wrongly repeated send show itself before counting.
    await new Promise((r) => setTimeout(r, 300));
    expect(failuresLeft).toBe(0);
    expect(sender.log.map((l) => l.text)).toEqual(["first", "second"]);
    const rows = await t.app.database.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["SENT", 0],
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
    const rowsOf = (identityId: string) =>
      t.app.database.prisma.outboxMessage.findMany({ where: { identityId }, orderBy: { id: "asc" } });
    let rows = await rowsOf(blocked.id);
    // A busy machine may take a while: wait (up to a minute) until nothing for the chat is pending.
    for (let i = 0; i < 3000 && rows.some((r) => r.status === "PENDING"); i++) {
      await new Promise((r) => setTimeout(r, 20));
      rows = await rowsOf(blocked.id);
    }
    expect(sender.log).toHaveLength(1);
    expect(rows.map((r) => r.status)).toEqual(["FAILED", "FAILED", "FAILED"]);
    const identity = await t.app.database.prisma.contactIdentity.findUniqueOrThrow({ where: { id: blocked.id } });
    expect(identity.unreachableAt).not.toBeNull();
    expect((await rowsOf(ok.id)).map((r) => r.status)).toEqual(["FAILED", "SENT"]);
  });

  it("stays within the overall, per-chat and per-group limits with a margin for jitter, on its own clock", async () => {
    const { t, d, sender } = await setUpOnClock({ perSecond: 10, perChatIntervalMs: 300, perGroupPerMinute: 4 });
    for (let i = 0; i < 15; i++) await enqueue(t, `tg:${100 + i}`, ["hello"]);
    await enqueue(t, "tg:999", ["m1", "m2", "m3"]);
    await enqueue(t, "tg:-5", ["g1", "g2", "g3", "g4", "g5", "g6"]);
    d.start();
    await runOnClock(t.clock, d, () => sender.log.length === 24);
    // The platform counts arrivals: any 10 sends must span a second plus the margin kept for jitter.
    const times = sender.log.map((l) => l.at);
    for (let i = 10; i < times.length; i++)
      expect((times[i] as number) - (times[i - 10] as number)).toBeGreaterThanOrEqual(
        1000 + SEND_WINDOW_MARGIN_MS - TIMER_SLACK_MS,
      );
    const gaps = (address: string) => {
      const at = sender.log.filter((l) => l.address === address).map((l) => l.at);
      return at.slice(1).map((a, i) => a - (at[i] as number));
    };
    for (const gap of gaps("tg:999")) expect(gap).toBeGreaterThanOrEqual(300 + SEND_WINDOW_MARGIN_MS);
    const group = sender.log.filter((l) => l.address === "tg:-5").map((l) => l.at);
    expect(group).toHaveLength(6);
    for (let i = 4; i < group.length; i++)
      expect((group[i] as number) - (group[i - 4] as number)).toBeGreaterThanOrEqual(60_000 + SEND_WINDOW_MARGIN_MS);
    expect(sender.log.filter((l) => l.address === "tg:999").map((l) => l.text)).toEqual(["m1", "m2", "m3"]);
  });

  describe.each([
    { channel: "WhatsApp", limits: limitsFor(DEFAULT_PACING), flooders: 2 },
    { channel: "Telegram", limits: TELEGRAM_LIMITS, flooders: 40 },
  ])("on $channel's default limits, with $flooders chats flooding", ({ limits, flooders }) => {
    async function flooded() {
      const setup = await setUpOnClock(limits);
      const { t, d, sender } = setup;
      for (let i = 0; i < flooders; i++)
        await enqueue(
          t,
          `tg:${1000 + i}`,
          Array.from({ length: 12 }, (_, n) => `flood ${n}`),
        );
      d.start();
      await runOnClock(t.clock, d, () => sender.log.length >= 2 * flooders);
      return setup;
    }

    /** Where the first message to a chat came in the send order, counted from a point. */
    const firstSendTo = (sender: ScriptedSender, address: string, from: number) =>
      sender.log.findIndex((l, i) => i >= from && l.address === address) - from;

    it("answers a third chat asking for emergency numbers at the next send", async () => {
      const { t, d, sender } = await flooded();
      const before = sender.log.length;
      await t.app.conversation.handle({ address: "tg:3", messageId: "m1", receivedAt: t.clock.now(), text: "darurat" });
      d.wake();
      await runOnClock(t.clock, d, () => sender.log.some((l) => l.address === "tg:3"));
      expect(firstSendTo(sender, "tg:3", before)).toBe(0);
      expect(sender.log.find((l) => l.address === "tg:3")?.text).toContain("112");
    });

    it("answers a third chat's ordinary message within two send slots", async () => {
      const { t, d, sender } = await flooded();
      const before = sender.log.length;
      await t.app.conversation.handle({ address: "tg:4", messageId: "m1", receivedAt: t.clock.now(), text: "halo" });
      d.wake();
      await runOnClock(t.clock, d, () => sender.log.some((l) => l.address === "tg:4"));
      expect(firstSendTo(sender, "tg:4", before)).toBeLessThan(2);
    });
  });

  it("lets chats take turns, and never reorders one chat's own messages to put an emergency first", async () => {
    const { t, d, sender } = await setUpOnClock(limitsFor(DEFAULT_PACING));
    await enqueue(t, "tg:1", ["a1", "a2", "a3", "a4"]);
    await enqueue(t, "tg:2", ["b1", "b2", "b3", "b4"]);
    const c = await t.app.identities.resolve("tg:3", t.clock.now());
    await t.app.database.prisma.$transaction([
      t.app.outbox.enqueueWrite(
        c.id,
        "tg",
        [{ text: "c1" }, { text: "c2 emergency", urgent: true }, { text: "c3" }],
        t.clock.now(),
      )(t.app.database.prisma),
    ]);
    d.start();
    await runOnClock(t.clock, d, () => sender.log.length === 11);
    // The chat with an emergency waiting goes first, its own messages in their order; then the
    // chats take turns, the one served least recently first.
    expect(sender.log.map((l) => l.text)).toEqual([
      "c1",
      "c2 emergency",
      "a1",
      "b1",
      "c3",
      "a2",
      "b2",
      "a3",
      "b3",
      "a4",
      "b4",
    ]);
  });

  it("asks WhatsApp to delete one message per send slot, so a 'hapus' does not hold up other chats", async () => {
    const { t, d, sender } = await setUpOnClock(limitsFor(DEFAULT_PACING), "wa");
    const erasing = await t.app.identities.resolve("wa:628111@s.whatsapp.net", t.clock.now());
    const db = t.app.database.prisma;
    const ids = ["o:1:a", "o:1:b", "o:1:c", "o:1:d", "o:1:e", "o:1:f"];
    await db.$transaction([t.app.outbox.enqueueDeleteWrite(erasing.id, "wa", ids, t.clock.now())(db)]);
    const other = await t.app.identities.resolve("wa:628222@s.whatsapp.net", t.clock.now());
    await db.$transaction([t.app.outbox.enqueueWrite(other.id, "wa", [{ text: "halo" }], t.clock.now())(db)]);
    d.start();
    await runOnClock(t.clock, d, () => sender.deleted.length === 6 && sender.log.length === 1);
    expect(sender.deleted.map((x) => x.ids)).toEqual(ids.map((id) => [id]));
    // The other chat's message goes out between the deletions, not after all of them.
    const halo = sender.log[0]?.at as number;
    expect(sender.deleted.filter((x) => x.at < halo).length).toBeLessThanOrEqual(1);
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
    expect(sender.deleted).toEqual([{ address: "tg:11", ids: ["5", "6"], at: expect.any(Number) }]);
    expect(sender.log.map((l) => l.text)).toEqual(["before", "after"]);
  });

  describe("with replies handed over at commit", () => {
    /** A dispatcher that reads the table only once a minute: what it sends sooner came from memory. */
    async function setUpSlowLooks() {
      const sender = new ScriptedSender();
      const { t, d } = await setUp(sender, 40, 60_000);
      let looks = 0;
      const look = t.app.outbox.dispatchHeads.bind(t.app.outbox);
      t.app.outbox.dispatchHeads = (...args) => {
        looks++;
        return look(...args);
      };
      return { t, d, sender, looks: () => looks };
    }

    /** Commits replies the way a conversation step does: through a StepWriter. */
    async function commitReplies(t: TestApp, address: `tg:${string}`, texts: string[]) {
      const identity = await t.app.identities.resolve(address, new Date());
      const writer = new StepWriter();
      writer.add(
        t.app.outbox.enqueueWrite(
          identity.id,
          "tg",
          texts.map((text) => ({ text })),
          new Date(),
        ),
      );
      await writer.commit(t.app.database.prisma);
    }

    it("sends the replies this process commits at once, without reading the table for them", async () => {
      const { t, d, sender, looks } = await setUpSlowLooks();
      d.start();
      await until(() => looks() === 1);
      await commitReplies(t, "tg:21", ["r1", "r2"]);
      await commitReplies(t, "tg:22", ["s1"]);
      await commitReplies(t, "tg:21", ["r3"]);
      await until(() => sender.log.length === 4, 5_000);
      expect(sender.log.filter((l) => l.address === "tg:21").map((l) => l.text)).toEqual(["r1", "r2", "r3"]);
      await allMarked(t);
      expect(looks()).toBe(1);
      expect(await t.app.outbox.pending({ channel: "tg" })).toEqual([]);
    });

    it("sends an older message another process wrote for the chat first, then the one handed over", async () => {
      const { t, d, sender, looks } = await setUpSlowLooks();
      d.start();
      await until(() => looks() === 1);
      // Written by another process (the admin CLI, another instance): only the table has it.
      await enqueue(t, "tg:23", ["older, from elsewhere"]);
      await commitReplies(t, "tg:23", ["newer, handed over"]);
      await until(() => sender.log.length === 2, 5_000);
      expect(sender.log.map((l) => l.text)).toEqual(["older, from elsewhere", "newer, handed over"]);
    });

    it("still finds messages only another process wrote, at the next look", async () => {
      const sender = new ScriptedSender();
      const { t, d } = await setUp(sender);
      d.start();
      await enqueue(t, "tg:24", ["from elsewhere"]);
      await until(() => sender.log.length === 1, 5_000);
      expect(sender.log[0]?.text).toBe("from elsewhere");
    });
  });
});
