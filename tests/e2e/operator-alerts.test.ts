import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { type RunningBot, startBot } from "../../src/main.ts";
import { FakeTelegramServer } from "../support/fake-telegram-server.ts";
import { FakeWhatsApp } from "../support/fake-whatsapp-socket.ts";
import { freshDataDir } from "../support/run-command.ts";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

const ADMIN_TG = -1_000_777;
const ADMIN_WA = "120363000000000777@g.us";

/** Starts the composition path of `npm start` with Telegram and WhatsApp on fakes. */
async function start(env: Record<string, string>) {
  const telegram = await new FakeTelegramServer().start();
  cleanups.push(() => telegram.stop());
  const wa = new FakeWhatsApp();
  const logs: string[] = [];
  const sink = new Writable({
    write: (chunk, _encoding, done) => {
      logs.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({
    ...freshDataDir().env,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    WHATSAPP_ENABLED: "true",
    WHATSAPP_MAX_PER_MINUTE: "600",
    WHATSAPP_CHAT_INTERVAL_MS: "0",
    WHATSAPP_TYPING_MS: "1",
    HOST: "127.0.0.1",
    HEALTH_PORT: "0",
    HEALTH_CHECK_SECONDS: "1",
    ...env,
  });
  const bot: RunningBot = await startBot(config, createLogger("info", sink), {
    whatsappSocketFactory: wa.factory,
    operator: { write: () => {} },
  });
  cleanups.push(() => bot.stop());
  await wa.waitFor(() => logs.join("").includes('"event":"whatsapp.connected"'), 60_000, "the connection");
  const healthz = async () => {
    const response = await fetch(`http://127.0.0.1:${bot.healthPort}/healthz`);
    return { code: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { telegram, wa, bot, logs, healthz };
}

async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("operators are told when something needs a person", () => {
  it("tells the admin chat once when WhatsApp logs the bot out, and /healthz shows it until it is paired again", async () => {
    const { telegram, wa, healthz, logs } = await start({ ADMIN_ALERT_CHAT: `tg:${ADMIN_TG}` });
    const before = await healthz();
    expect(before.code).toBe(200);
    expect(before.body).toMatchObject({
      status: "ok",
      components: { whatsapp: { ok: true, detail: { active: true } } },
    });

    // Logged out on the phone: the session is cleared and a new QR code waits for a person.
    wa.autoOpen = false;
    wa.current.close(401);
    const alert = await telegram.waitForMessage(ADMIN_TG, "WhatsApp mengeluarkan", 0, 60_000);
    expect(alert.text).toContain("kode QR");
    const during = await healthz();
    // Still serving intake: a load balancer must not pull the instance, the body says what is wrong.
    expect(during.code).toBe(200);
    expect(during.body).toMatchObject({
      status: "degraded",
      components: { whatsapp: { ok: false, detail: { loggedOut: true } } },
    });

    // Still logged out at the next checks, and logged out again: one message per hour, not a flood.
    await new Promise((r) => setTimeout(r, 2500));
    wa.current.close(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(telegram.messagesTo(ADMIN_TG).filter((m) => m.text.includes("WhatsApp mengeluarkan"))).toHaveLength(1);
    expect(logs.join("").match(/"event":"operator.alert","kind":"whatsapp_logged_out"/g)?.length).toBeGreaterThan(1);

    // Paired again: healthy.
    wa.current.open();
    await eventually(async () => (await healthz()).body.status === "ok", "health to recover", 60_000);
  });

  it("tells a WhatsApp admin group when Telegram keeps failing, with the backlog, and nothing on /healthz names a chat", async () => {
    const { telegram, wa, healthz } = await start({
      ADMIN_ALERT_CHAT: `wa:${ADMIN_WA}`,
      ALERT_DISPATCH_FAILURES: "3",
      ALERT_BACKLOG: "2",
      DEFAULT_LANGUAGE: "en",
    });
    telegram.faults = { rate429: 0, retryAfterSeconds: 1, rate5xx: 1, until: Date.now() + 60_000 };
    for (const user of [501, 502, 503, 504]) telegram.userText(user, "halo");
    const failing = await wa.waitForText(ADMIN_WA, "sending on Telegram has failed", 0, 60_000);
    expect(failing).toMatch(/failed \d+ times in a row/);
    await wa.waitForText(ADMIN_WA, "messages are waiting to be sent", 0, 60_000);
    const report = await healthz();
    expect(report.code).toBe(200);
    expect(report.body).toMatchObject({ status: "degraded", outbox: { ok: false } });
    expect((report.body.outbox as { pending: number }).pending).toBeGreaterThanOrEqual(4);
    // No chat id in any text of the report. Numbers such as counts, and times (when it was checked,
    // when a channel last sent: "…T01:29:37.503Z"), may contain the same digits by chance.
    const texts = JSON.stringify(report.body).replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, '"<time>"');
    expect(texts).not.toMatch(/"[^"]*(50[1-4]|120363)[^"]*"/);

    // Telegram recovers: every greeting that waited is delivered, and health returns.
    telegram.faults = null;
    for (const user of [501, 502, 503, 504]) await telegram.waitForMessage(user, "Halo", 0, 60_000);
    await eventually(async () => (await healthz()).body.status === "ok", "health to recover", 60_000);
  });
});
