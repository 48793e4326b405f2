/**
 * Drill: 1,000 updates, each delivered 3 times, shuffled, over the webhook, with a graceful
 * restart (SIGTERM, then `npm start` again on the same database) at about the midpoint. Each
 * update is a first "halo" from its own chat, so its one effect is easy to count: one inbound
 * row, one greeting. A delivery the bot did not acknowledge (it was restarting) is posted
 * again, as Telegram does.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FakeTelegramServer } from "../support/fake-telegram-server.ts";
import { freshDataDir } from "../support/run-command.ts";
import { CRASH_SIGNS, freePort, type RunningBot, startDrillBot, stopNodeGracefully } from "./support/bot-process.ts";
import { keepLog, printFigures, secondsSince, until } from "./support/figures.ts";
import { count, outboxByStatus, peek } from "./support/sqlite-peek.ts";
import {
  drillSeed,
  postToWebhook,
  seededRandom,
  shuffle,
  textUpdate,
  type WebhookTarget,
  webhookEnv,
} from "./support/webhook.ts";

const UPDATES = 1000;
const COPIES = 3;
/** Telegram keeps up to 40 webhook connections open by default. */
const CONNECTIONS = 32;
const LIMITS_SCALE = 10;
const FIRST_CHAT = 720_000;
const GREETING = "Halo, terima kasih sudah menghubungi kami";

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

describe("1,000 updates delivered 3 times, out of order, across a restart", () => {
  it("has exactly 1,000 effects", { timeout: 10 * 60_000 }, async () => {
    const started = Date.now();
    const seed = drillSeed();
    const random = seededRandom(seed);
    const fake = await new FakeTelegramServer().scaleLimits(LIMITS_SCALE).start();
    cleanups.push(() => fake.stop());
    const { dir, env: dataEnv } = freshDataDir();
    const databasePath = path.join(dir, "bot.db");
    const target: WebhookTarget = { port: await freePort(), path: "/telegram", secret: "drill-webhook-secret-0123" };
    const env = {
      ...dataEnv,
      ...webhookEnv(target),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_LIMITS_SCALE: String(LIMITS_SCALE),
    };
    let bot: RunningBot = await startDrillBot(env);
    cleanups.push(() => bot.stop());

    const bodies = Array.from({ length: UPDATES }, (_, i) =>
      JSON.stringify(textUpdate(500_000 + i, FIRST_CHAT + i, "halo", 1)),
    );
    const queue = shuffle(
      Array.from({ length: UPDATES * COPIES }, (_, n) => n % UPDATES),
      random,
    );
    let acknowledged = 0;
    let refused = 0;
    let posts = 0;
    let retrying = 0;
    let restartedAfter = -1;
    /** Which process acknowledged each update's copies: 1 before the restart, 2 after. */
    const ackedBy = Array.from({ length: UPDATES }, () => new Set<number>());
    /** The process that answers now: only one runs at a time. */
    let serving = 1;
    let stderrBefore = "";
    const restart = async () => {
      restartedAfter = acknowledged;
      const stopping = bot;
      // SIGTERM to the whole process group, as a service manager sends it.
      await stopping.stop();
      stderrBefore = stopping.stderr();
      bot = await startDrillBot(env);
      serving = 2;
    };
    let restarting: Promise<void> | null = null;

    const worker = async () => {
      for (;;) {
        const index = queue.shift();
        if (index === undefined) {
          if (retrying === 0) return;
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const body = bodies[index] as string;
        posts++;
        const status = await postToWebhook(target, body);
        if (status === 200) {
          acknowledged++;
          ackedBy[index]?.add(serving);
          if (!restarting && acknowledged >= (UPDATES * COPIES) / 2) restarting = restart();
        } else {
          // Telegram keeps an unacknowledged update and posts it again a little later.
          refused++;
          retrying++;
          setTimeout(() => {
            queue.push(index);
            retrying--;
          }, 300);
        }
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    await restarting;

    const greetings = () => fake.sent.filter((m) => m.text.includes(GREETING)).length;
    await until(
      () => greetings() >= UPDATES && peek(databasePath, (db) => outboxByStatus(db).PENDING ?? 0) === 0,
      3 * 60_000,
      "the greetings",
      200,
    );
    // Anything doubled would arrive within this.
    await new Promise((r) => setTimeout(r, 2000));
    const exitCode = await stopNodeGracefully(bot);

    const db = peek(databasePath, (d) => ({
      inbound: count(d, "SELECT COUNT(*) FROM inbound_messages WHERE channel = 'tg'"),
      identities: count(d, "SELECT COUNT(*) FROM contact_identities"),
      outbox: outboxByStatus(d),
    }));
    const chatsGreeted = new Set(fake.sent.filter((m) => m.text.includes(GREETING)).map((m) => m.chatId));
    const spanningRestart = ackedBy.filter((set) => set.size === 2).length;
    const crashLines = `${stderrBefore}\n${bot.stderr()}`.split("\n").filter((line) => CRASH_SIGNS.test(line));
    keepLog("redelivery-before-restart", stderrBefore);
    keepLog("redelivery-after-restart", bot.stderr());
    printFigures("redelivery", {
      seed,
      updates: UPDATES,
      deliveries: UPDATES * COPIES,
      posts,
      refusedWhileRestarting: refused,
      restartAfterAcknowledged: restartedAfter,
      updatesAcknowledgedByBothProcesses: spanningRestart,
      greetingsSent: greetings(),
      chatsGreeted: chatsGreeted.size,
      messagesSent: fake.sent.length,
      inboundRows: db.inbound,
      identities: db.identities,
      outbox: db.outbox,
      limitsScale: LIMITS_SCALE,
      exitCode,
      seconds: secondsSince(started),
    });

    expect(restartedAfter).toBeGreaterThanOrEqual((UPDATES * COPIES) / 2);
    expect(restartedAfter).toBeLessThan(UPDATES * COPIES);
    expect(spanningRestart, "some updates were delivered to both processes").toBeGreaterThan(0);
    expect(acknowledged).toBe(UPDATES * COPIES);
    expect(greetings()).toBe(UPDATES);
    expect(chatsGreeted.size).toBe(UPDATES);
    expect(fake.sent.length).toBe(UPDATES);
    expect(db.inbound).toBe(UPDATES);
    expect(db.identities).toBe(UPDATES);
    expect(db.outbox).toEqual({ SENT: UPDATES });
    expect(crashLines).toEqual([]);
    expect(exitCode).toBe(0);
  });
});
