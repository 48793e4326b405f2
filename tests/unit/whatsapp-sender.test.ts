import { describe, expect, it } from "vitest";
import {
  DEFAULT_PACING,
  DELETE_FOR_EVERYONE_MS,
  ownMessageId,
  type SenderTiming,
  WhatsAppSender,
} from "../../src/channels/whatsapp/whatsapp-sender.ts";
import { SendError } from "../../src/outbox/channel-sender.ts";
import { boom, FakeWhatsApp, type FakeWhatsAppSocket } from "../support/fake-whatsapp-socket.ts";

const CHAT = "6281234567001@s.whatsapp.net";
const ADDRESS = `wa:${CHAT}` as const;

/** A virtual clock: sleeps end in the order of their end times, each moving the clock there, without waiting. */
function virtualTiming(start: number): SenderTiming {
  let current = start;
  const waiting: Array<{ at: number; resolve: () => void }> = [];
  let pumping = false;
  const pump = () => {
    pumping = false;
    waiting.sort((a, b) => a.at - b.at);
    const next = waiting.shift();
    if (!next) return;
    current = Math.max(current, next.at);
    next.resolve();
    schedule();
  };
  // A macrotask between two wake-ups lets every other send reach its own sleep first.
  const schedule = () => {
    if (!pumping && waiting.length > 0) {
      pumping = true;
      setTimeout(pump, 0);
    }
  };
  return {
    now: () => current,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        waiting.push({ at: current + ms, resolve });
        schedule();
      }),
  };
}

function connected(): { wa: FakeWhatsApp; socket: FakeWhatsAppSocket } {
  const wa = new FakeWhatsApp();
  wa.autoOpen = false;
  const socket = wa.factory({ auth: {} as never, logger: {} as never }) as FakeWhatsAppSocket;
  return { wa, socket };
}

describe("the WhatsApp sender", () => {
  it("deletes only its own messages still inside WhatsApp's window, and goes on past one it may not delete", async () => {
    const now = Date.parse("2026-11-28T10:00:00Z");
    const { wa, socket } = connected();
    const sender = new WhatsAppSender(
      () => socket,
      { maxPerMinute: 600, chatIntervalMs: 0, groupPerMinute: 10, typingMs: 0 },
      virtualTiming(now),
    );
    const recent = ownMessageId("BAE5RECENT000001", new Date(now - 60_000));
    const refused = ownMessageId("BAE5REFUSED00002", new Date(now - 3_600_000));
    const lastHour = ownMessageId("BAE5LASTHOUR0003", new Date(now - DELETE_FOR_EVERYONE_MS + 60_000));
    const tooOld = ownMessageId("BAE5TOOOLD000004", new Date(now - DELETE_FOR_EVERYONE_MS - 60_000));
    // The second revocation is refused by WhatsApp (as for a message it no longer has).
    const original = socket.sendMessage.bind(socket);
    let calls = 0;
    socket.sendMessage = async (jid, content) => {
      calls++;
      if (calls === 2) throw boom(404, "item-not-found");
      return original(jid, content);
    };
    await sender.deleteMessages(ADDRESS, [recent, "3EB0C431C26A1916E07E", refused, lastHour, tooOld]);
    expect(calls).toBe(3);
    expect(wa.deletionsIn(CHAT)).toEqual(["BAE5RECENT000001", "BAE5LASTHOUR0003"]);
  });

  it("asks the dispatcher to wait while the socket is not connected, and fails transiently on a lost connection", async () => {
    const { socket } = connected();
    let current: FakeWhatsAppSocket | null = null;
    const sender = new WhatsAppSender(() => current, {
      maxPerMinute: 600,
      chatIntervalMs: 0,
      groupPerMinute: 10,
      typingMs: 0,
    });
    const error = await sender.send(ADDRESS, { text: "halo" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).failure).toEqual({ kind: "retry_after", ms: 5000 });
    current = socket;
    socket.network.failures.push(boom(428, "Connection Closed"));
    const lost = await sender.send(ADDRESS, { text: "halo" }).catch((e: unknown) => e);
    expect((lost as SendError).failure.kind).toBe("transient");
    expect(await sender.send(ADDRESS, { text: "halo" })).toMatchObject({
      platformMessageId: expect.stringMatching(/^o:\d+:BAE5/),
    });
    expect(sender.isGroup("wa:120363025555555555@g.us")).toBe(true);
    expect(sender.isGroup(ADDRESS)).toBe(false);
  });

  it("spaces every message evenly across chats (20 a minute by default), each after a second of typing", async () => {
    const start = Date.parse("2026-11-28T10:00:00Z");
    const timing = virtualTiming(start);
    const { wa, socket } = connected();
    wa.now = timing.now;
    const sender = new WhatsAppSender(() => socket, DEFAULT_PACING, timing);
    const chats = ["6281234560001", "6281234560002", "6281234560003"].map((n) => `${n}@s.whatsapp.net`);
    await Promise.all(chats.map((jid) => sender.send(`wa:${jid}`, { text: `halo ${jid}` })));
    const times = wa.sent.map((m) => m.at - start);
    expect(times).toEqual([1000, 4000, 7000]);
    for (const jid of chats)
      expect(wa.log.filter((l) => l.endsWith(jid))).toEqual([`composing ${jid}`, `send ${jid}`, `paused ${jid}`]);
    // Revocations are paced too: deleting many messages is many WhatsApp messages.
    const before = wa.sent.length;
    const now = new Date(timing.now());
    await sender.deleteMessages(ADDRESS, [ownMessageId("BAE5A1", now), ownMessageId("BAE5A2", now)]);
    const revokes = wa.sent.slice(before).map((m) => m.at - start);
    expect(revokes).toHaveLength(2);
    expect((revokes[1] as number) - (revokes[0] as number)).toBeGreaterThanOrEqual(3000);
  });

  it("ends paced waits at once when closed, leaving the messages to the outbox", async () => {
    const { wa, socket } = connected();
    const sender = new WhatsAppSender(() => socket, {
      maxPerMinute: 1,
      chatIntervalMs: 0,
      groupPerMinute: 1,
      typingMs: 0,
    });
    await sender.send(ADDRESS, { text: "first" });
    const started = Date.now();
    const waiting = sender.send(ADDRESS, { text: "second" }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    sender.close();
    const error = await waiting;
    // Far below the minute the group pace would make it wait (a busy machine may be slow to close).
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((error as SendError).failure).toEqual({ kind: "transient", detail: "shutting down" });
    expect(wa.textsTo(CHAT)).toEqual(["first"]);
  });
});
