import { afterEach, describe, expect, it } from "vitest";
import type { ChannelAddress } from "../../src/channels/types.ts";
import { LeaseStore } from "../../src/db/lease-store.ts";
import { OutboxDispatcher } from "../../src/outbox/dispatcher.ts";
import { systemClock } from "../../src/services/clock.ts";
import { LeaseKeeper } from "../../src/services/lease-keeper.ts";
import { runOnClock } from "../support/run-on-clock.ts";
import { ScriptedSender } from "../support/scripted-sender.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function app(): Promise<TestApp> {
  const t = await startTestApp();
  cleanups.push(() => t.close());
  return t;
}

async function waitUntil(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Queues `perChat` numbered messages for each of `chats` Telegram chats; returns every text. */
async function queue(t: TestApp, chats: number, perChat: number): Promise<string[]> {
  const texts: string[] = [];
  const db = t.app.database.prisma;
  for (let c = 0; c < chats; c++) {
    const identity = await t.app.identities.resolve(`tg:${1000 + c}` as ChannelAddress, t.clock.now());
    const messages = Array.from({ length: perChat }, (_, i) => ({ text: `chat ${c} message ${i}` }));
    texts.push(...messages.map((m) => m.text));
    await t.app.outbox.enqueueWrite(identity.id, "tg", messages, t.clock.now())(db);
  }
  return texts;
}

/**
 * Keepers of one lease whose work marks its holder as running: `overlap` is the most holders
 * that ever ran the work at once (1 when the lease does its job).
 */
function guardedWork(t: TestApp) {
  const running = new Set<string>();
  const state = { running, overlap: 0 };
  const keeper = (holder: string, store: LeaseStore) =>
    new LeaseKeeper({
      leases: store,
      clock: systemClock,
      logger: t.app.logger,
      name: "whatsapp:socket",
      holder,
      ttlMs: 300,
      work: {
        start: () => {
          running.add(holder);
          state.overlap = Math.max(state.overlap, running.size);
        },
        stop: () => void running.delete(holder),
      },
    });
  return { state, running, keeper };
}

describe("leases: one holder at a time, taken over when the holder dies", () => {
  it("gives a lease to one of two instances, renews it for its holder, and hands it on at expiry or release", async () => {
    const t = await app();
    const leases = new LeaseStore(t.app.database.prisma);
    const now = new Date("2026-11-28T03:00:00Z");
    const attempts = await Promise.all(
      ["a", "b", "c", "d"].map((holder) => leases.acquire("dispatch:tg", holder, now, 30_000)),
    );
    expect(attempts.filter(Boolean)).toHaveLength(1);
    const winner = ["a", "b", "c", "d"][attempts.indexOf(true)] as string;
    const loser = winner === "a" ? "b" : "a";
    // The holder renews; the others still cannot take it before it expires.
    expect(await leases.acquire("dispatch:tg", winner, new Date(now.getTime() + 20_000), 30_000)).toBe(true);
    expect(await leases.acquire("dispatch:tg", loser, new Date(now.getTime() + 40_000), 30_000)).toBe(false);
    expect((await leases.holderOf("dispatch:tg", new Date(now.getTime() + 40_000)))?.holder).toBe(winner);
    // The holder died: no renewal, so after expiry another takes it.
    expect(await leases.acquire("dispatch:tg", loser, new Date(now.getTime() + 50_001), 30_000)).toBe(true);
    expect(await leases.acquire("dispatch:tg", winner, new Date(now.getTime() + 50_002), 30_000)).toBe(false);
    // A release hands it on at once.
    await leases.release("dispatch:tg", loser);
    expect(await leases.acquire("dispatch:tg", winner, new Date(now.getTime() + 50_003), 30_000)).toBe(true);
  });

  it("runs the guarded work on one instance only, and on the standby once the holder stops or dies", async () => {
    const t = await app();
    const leases = new LeaseStore(t.app.database.prisma);
    const { state, running, keeper: keeperOn } = guardedWork(t);
    const keeper = (holder: string, store: LeaseStore = leases) => keeperOn(holder, store);
    const a = keeper("a");
    const b = keeper("b");
    await a.start();
    await b.start();
    cleanups.push(async () => {
      await a.stop();
      await b.stop();
    });
    expect([...running]).toEqual(["a"]);
    await new Promise((r) => setTimeout(r, 500));
    expect([...running]).toEqual(["a"]);

    // A graceful stop releases: the standby takes over at its next try, well before expiry.
    await a.stop();
    await waitUntil(() => running.has("b"), "the standby to take over");
    expect(b.holding).toBe(true);

    // B dies without a word (its database is gone, it never renews): C takes over after the lease time.
    let dead = false;
    const dying = new Proxy(leases, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) =>
          dead ? Promise.reject(new Error("connection lost")) : value.apply(target, args);
      },
    });
    await b.stop();
    const b2 = keeper("b2", dying);
    await b2.start();
    cleanups.push(() => b2.stop());
    expect(running.has("b2")).toBe(true);
    const c = keeper("c");
    await c.start();
    cleanups.push(() => c.stop());
    expect(running.has("c")).toBe(false);
    dead = true;
    const diedAt = Date.now();
    await waitUntil(() => running.has("c"), "the standby to take over from a dead holder", 30_000);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(200);
    // The cut-off holder stopped its work before the lease it could not renew ran out.
    expect(running.has("b2")).toBe(false);
    expect(state.overlap).toBe(1);
  });

  it("stops the guarded work in time when its database hangs instead of failing", async () => {
    const t = await app();
    const leases = new LeaseStore(t.app.database.prisma);
    const { state, running, keeper } = guardedWork(t);
    let hung = false;
    const hanging = new Proxy(leases, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        // A failover: calls neither answer nor fail.
        return (...args: unknown[]) => (hung ? new Promise(() => {}) : value.apply(target, args));
      },
    });
    const a = keeper("a", hanging);
    await a.start();
    const b = keeper("b", leases);
    await b.start();
    cleanups.push(async () => {
      await b.stop();
      hung = false;
      await a.stop();
    });
    expect([...running]).toEqual(["a"]);
    hung = true;
    await waitUntil(() => running.has("b"), "the standby to take over from a holder whose database hangs", 30_000);
    expect(running.has("a")).toBe(false);
    expect(state.overlap).toBe(1);
  });
});

describe("outbox claims: several instances, each message sent once", () => {
  it("sends every message exactly once and in order per chat when two dispatchers run on one database", async () => {
    const t = await app();
    const texts = await queue(t, 40, 5);
    const sender = new ScriptedSender();
    const dispatchers = ["instance-a", "instance-b"].map(
      (instanceId) =>
        new OutboxDispatcher({
          outbox: t.app.outbox,
          identities: t.app.identities,
          sender,
          clock: systemClock,
          logger: t.app.logger,
          idleMs: 5,
          instanceId,
        }),
    );
    for (const d of dispatchers) d.start();
    cleanups.push(async () => {
      for (const d of dispatchers) await d.stop();
    });
    // Both run side by side for a while; then the busier one stops (a rolling restart) and the other finishes.
    await waitUntil(() => sender.log.length >= 40, "the first messages", 60_000);
    const [busier] = [...dispatchers].sort((x, y) => y.sent - x.sent);
    await busier?.stop();
    await waitUntil(() => sender.log.length >= texts.length, "every message", 60_000);
    await new Promise((r) => setTimeout(r, 100));
    const sent = sender.log.map((l) => l.text);
    expect(sent).toHaveLength(texts.length);
    expect(new Set(sent).size).toBe(texts.length);
    expect(dispatchers.every((d) => d.sent > 0)).toBe(true);
    for (let c = 0; c < 40; c++) {
      const order = sent.filter((s) => s.startsWith(`chat ${c} `));
      expect(order).toEqual(Array.from({ length: 5 }, (_, i) => `chat ${c} message ${i}`));
    }
    expect(await t.app.database.prisma.outboxMessage.count({ where: { status: "PENDING" } })).toBe(0);
  });

  it("finds the next messages of a backlog of 2,500 waiting chats, emergencies beyond the limit included", async () => {
    const t = await app();
    // A channel down for a while during a campaign: thousands of chats wait, one with an emergency reply.
    await queue(t, 2500, 1);
    const sos = await t.app.identities.resolve("tg:99999" as ChannelAddress, t.clock.now());
    await t.app.outbox.enqueueWrite(
      sos.id,
      "tg",
      [{ text: "emergency numbers", urgent: true }],
      t.clock.now(),
    )(t.app.database.prisma);
    const heads = await t.app.outbox.dispatchHeads("tg", { instanceId: "me", now: t.clock.now() });
    expect(heads).toHaveLength(2001);
    expect(new Set(heads.map((h) => h.identityId)).size).toBe(2001);
    // The emergency, newest of all, is found beyond the 2,000 oldest chats, and marked urgent.
    expect(heads.find((h) => h.identityId === sos.id)?.urgent).toBe(true);
  }, 120_000);

  it("finds the operator alert chat beyond the limit even when more than 100 emergencies wait there too", async () => {
    const t = await app();
    const db = t.app.database.prisma;
    await queue(t, 3, 1);
    for (let i = 0; i < 101; i++) {
      const chat = await t.app.identities.resolve(`tg:${7000 + i}` as ChannelAddress, t.clock.now());
      await t.app.outbox.enqueueWrite(chat.id, "tg", [{ text: "darurat", urgent: true }], t.clock.now())(db);
    }
    const admin = await t.app.identities.resolve("tg:424242" as ChannelAddress, t.clock.now());
    await t.app.outbox.enqueueWrite(admin.id, "tg", [{ text: "alert" }], t.clock.now())(db);
    const heads = await t.app.outbox.dispatchHeads("tg", { limit: 3, priorityIdentityId: admin.id });
    expect(heads).toHaveLength(103);
    expect(heads.map((h) => h.identityId)).toContain(admin.id);
  }, 60_000);

  it("leaves a message claimed by a live instance alone, and sends it once that claim has expired", async () => {
    const t = await app();
    await queue(t, 1, 1);
    const db = t.app.database.prisma;
    const row = await db.outboxMessage.findFirstOrThrow({ select: { id: true } });
    const now = new Date();
    expect(await t.app.outbox.claim(row.id, "crashed-instance", now, 60_000)).toBe(true);
    expect(await t.app.outbox.claim(row.id, "other", now, 60_000)).toBe(false);
    expect(await t.app.outbox.dispatchHeads("tg", { instanceId: "other", now })).toEqual([]);
    // The crashed instance never finishes: after its claim runs out, another sends the message.
    const later = new Date(now.getTime() + 60_001);
    const candidates = await t.app.outbox.dispatchHeads("tg", { instanceId: "other", now: later });
    expect(candidates.map((c) => c.id)).toEqual([row.id]);
    expect(await t.app.outbox.claim(row.id, "other", later, 60_000)).toBe(true);
    await t.app.outbox.markSent([row.id], later, "1");
    expect(await t.app.outbox.claim(row.id, "third", new Date(later.getTime() + 120_000), 60_000)).toBe(false);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "SENT",
      claimedBy: null,
    });
  });

  it("counts what the channel sent in the last minute against the limits when a dispatcher takes over", async () => {
    const t = await app();
    const group = await t.app.identities.resolve("tg:-1002001" as ChannelAddress, t.clock.now());
    const db = t.app.database.prisma;
    // The previous holder sent three messages to the group 10 s ago: its whole minute's budget here.
    const start = t.clock.now().getTime();
    const messages = ["a", "b", "c", "d"].map((text) => ({ text }));
    await t.app.outbox.enqueueWrite(group.id, "tg", messages, t.clock.now())(db);
    const rows = await db.outboxMessage.findMany({ orderBy: { id: "asc" }, select: { id: true } });
    await t.app.outbox.markSent(
      rows.slice(0, 3).map((r) => r.id),
      new Date(start - 10_000),
    );
    const sender = new ScriptedSender({ perSecond: 100, perChatIntervalMs: 1, perGroupPerMinute: 3 }, t.clock);
    const d = new OutboxDispatcher({
      outbox: t.app.outbox,
      identities: t.app.identities,
      sender,
      clock: t.clock,
      timers: t.clock,
      logger: t.app.logger,
      // Polls once a simulated second while it waits (as in production), not every 5 ms: 50 s
      // of waiting is then 50 timers rather than 10,000 (each a query, slow on a busy machine).
      idleMs: 1000,
    });
    d.start();
    cleanups.push(() => d.stop());
    await runOnClock(t.clock, d, () => sender.log.length === 1);
    // The fourth waits for the minute of the first three to pass instead of going out at once.
    expect(sender.log[0]?.at).toBeGreaterThanOrEqual(start - 10_000 + 60_000);
    expect(sender.log[0]?.text).toBe("d");
  });
});
