import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChannelAddress } from "../../src/channels/types.ts";
import { createTranslator, loadLocales } from "../../src/i18n/i18n.ts";
import { HealthMonitor, serveHealth } from "../../src/services/health-monitor.ts";
import { OperatorAlerts } from "../../src/services/operator-alerts.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const ADMIN: ChannelAddress = "tg:-1009000";
const HOUR = 60 * 60_000;

const opened: TestApp[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

/** One instance's monitor on the shared database, alerting the admin chat. */
function instance(t: TestApp, instanceId: string): HealthMonitor {
  const alerts = new OperatorAlerts({
    db: t.app.database.prisma,
    leases: t.app.leases,
    identities: t.app.identities,
    outbox: t.app.outbox,
    translate: createTranslator(loadLocales(), { strict: true }),
    clock: t.clock,
    logger: t.app.logger,
    instanceId,
    adminChat: ADMIN,
    language: "id",
    repeatMs: HOUR,
  });
  return new HealthMonitor({
    outbox: t.app.outbox,
    clock: t.clock,
    logger: t.app.logger,
    thresholds: { backlog: 3, oldestUnsentMs: 15 * 60_000, dispatcherFailures: 5 },
    alerts,
    attachments: t.app.attachments,
  });
}

async function queueFor(t: TestApp, chats: number): Promise<void> {
  for (let c = 0; c < chats; c++) {
    const identity = await t.app.identities.resolve(`tg:${7000 + c}` as ChannelAddress, t.clock.now());
    await t.app.outbox.enqueueWrite(identity.id, "tg", [{ text: `reply ${c}` }], t.clock.now())(t.app.database.prisma);
  }
}

async function adminTexts(t: TestApp): Promise<string[]> {
  const admin = await t.app.identities.resolve(ADMIN, t.clock.now());
  return (await t.app.outbox.pending({ identityId: admin.id })).map((p) => p.message.text);
}

describe("operator alerts across instances", () => {
  it("sends one backlog alert per hour however many instances see it, then a stale alert when messages age", async () => {
    const t = await startTestApp();
    opened.push(t);
    const [a, b] = [instance(t, "a"), instance(t, "b")];
    expect((await a.check()).status).toBe("ok");
    await queueFor(t, 5);

    const reports = await Promise.all([a.check(), b.check(), a.check()]);
    expect(reports.map((r) => r.status)).toEqual(["degraded", "degraded", "degraded"]);
    expect(reports[0]?.outbox).toMatchObject({ ok: false, pending: 5 });
    let texts = await adminTexts(t);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain("5 pesan menunggu dikirim (batas 3)");

    // Half an hour on: still within the hour for the backlog, but the oldest message is now stale.
    t.clock.advance(HOUR / 2);
    await b.check();
    await a.check();
    texts = await adminTexts(t);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toContain("sudah menunggu 30 menit (batas 15)");

    // After the hour, the backlog (still there) is repeated once.
    t.clock.advance(HOUR);
    await Promise.all([a.check(), b.check()]);
    texts = await adminTexts(t);
    expect(texts.filter((x) => x.includes("pesan menunggu dikirim"))).toHaveLength(2);
  });

  it("tries again at the next check when an alert could not be queued, instead of going quiet for the hour", async () => {
    const t = await startTestApp();
    opened.push(t);
    await queueFor(t, 5);
    const [a, b] = [instance(t, "a"), instance(t, "b")];
    vi.spyOn(t.app.outbox, "enqueueWrite").mockImplementationOnce(() => {
      throw new Error("database busy");
    });
    await a.check();
    expect(await adminTexts(t)).toHaveLength(0);
    t.clock.advance(60_000);
    await b.check();
    expect(await adminTexts(t)).toEqual([expect.stringContaining("5 pesan menunggu dikirim")]);
  });

  it("puts the admin chat's alert ahead of a backlog bigger than one dispatch pass", async () => {
    const t = await startTestApp();
    opened.push(t);
    await queueFor(t, 30);
    await instance(t, "a").check();
    const admin = await t.app.identities.resolve(ADMIN, t.clock.now());
    const plain = await t.app.outbox.dispatchHeads("tg", { limit: 10 });
    expect(plain.map((c) => c.identityId)).not.toContain(admin.id);
    const heads = await t.app.outbox.dispatchHeads("tg", { limit: 10, priorityIdentityId: admin.id });
    expect(heads).toHaveLength(11);
    expect(heads.filter((c) => c.urgent).map((c) => c.identityId)).toEqual([admin.id]);
  });
});

describe("attachment storage", () => {
  it("refuses a chat's files past its daily count or bytes, refuses all past the storage cap, and alerts operators before that", async () => {
    const MB = 1024 * 1024;
    const t = await startTestApp({
      ATTACHMENTS_PER_DAY: "3",
      ATTACHMENT_BYTES_PER_DAY: String(2 * MB),
      ATTACHMENT_STORAGE_MAX_BYTES: String(4 * MB),
    });
    opened.push(t);
    const { attachments } = t.app;
    const chat = async (n: number) =>
      (await t.app.identities.resolve(`tg:${8000 + n}` as ChannelAddress, t.clock.now())).id;
    const a = await chat(1);
    for (let i = 0; i < 3; i++) {
      expect(await attachments.admit(a, 1000, t.clock.now())).toBe("ok");
      await attachments.save(a, "PHOTO", "image/jpeg", Buffer.alloc(1000), t.clock.now());
    }
    expect(await attachments.admit(a, 1000, t.clock.now())).toBe("file_quota");
    t.clock.advance(24 * HOUR + 1000);
    expect(await attachments.admit(a, 1000, t.clock.now())).toBe("ok");
    // A chat's bytes in a day: a declared size past them is refused before any download.
    expect(await attachments.admit(await chat(2), 3 * MB, t.clock.now())).toBe("file_quota");

    const monitor = instance(t, "a");
    expect((await monitor.check()).components.attachments).toMatchObject({ ok: true });
    for (const n of [3, 4]) await attachments.save(await chat(n), "VIDEO", null, Buffer.alloc(1.9 * MB), t.clock.now());
    t.clock.advance(2 * 60_000);
    expect((await monitor.check()).components.attachments).toMatchObject({ ok: false });
    expect(await adminTexts(t)).toEqual([expect.stringContaining("batas penyimpanan")]);
    expect(await attachments.admit(await chat(5), 300_000, t.clock.now())).toBe("storage_full");
  });
});

describe("the health endpoint", () => {
  it("answers 200 while degraded, and 503 once this instance cannot reach the database", async () => {
    const t = await startTestApp();
    opened.push(t);
    const monitor = instance(t, "a");
    await queueFor(t, 5);
    const server = createServer((req, res) => {
      if (!serveHealth(monitor, req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const get = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { code: response.status, body: (await response.json()) as { status: string } };
    };
    try {
      expect(await get()).toMatchObject({ code: 200, body: { status: "degraded" } });
      // The database stops answering this instance.
      vi.spyOn(t.app.outbox, "backlog").mockRejectedValue(new Error("connect ECONNREFUSED"));
      expect(await get()).toMatchObject({ code: 503, body: { status: "down" } });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
