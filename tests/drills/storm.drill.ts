/**
 * Drill: a 429/5xx storm from the fake Bot API, shortened: 60 seconds of storm stand for the
 * five minutes of the issue (time scale 1:5), with retry_after values of 1 to 5 seconds
 * (Telegram's are often 5 to 30) and Telegram's real limits (TELEGRAM_LIMITS_SCALE=1). During
 * it, 24 people file whole reports whose cards all go to one staff group (more than the group's
 * 20 a minute) and 60 more chat with the bot. Nothing may be lost, nothing sent to a chat
 * before the retry_after it was given, and no limit exceeded (30 a second, 1 a second per
 * chat, 20 a minute per group).
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FakeTelegramServer } from "../support/fake-telegram-server.ts";
import { freshDataDir } from "../support/run-command.ts";
import { CRASH_SIGNS, type RunningBot, startDrillBot, stopNodeGracefully } from "./support/bot-process.ts";
import { keepLog, printFigures, secondsSince, until } from "./support/figures.ts";
import { officeFor, sendCardsToGroups } from "./support/offices.ts";
import { type DrivenReport, driveReport } from "./support/report-driver.ts";
import { outboxByStatus, peek, sentTelegramMessages } from "./support/sqlite-peek.ts";

const STORM_MS = 60_000;
/** The storm stands for five minutes. */
const TIME_SCALE = 5;
const RATE_429 = 0.03;
const RATE_5XX = 0.1;
const RETRY_AFTER_S: [number, number] = [1, 5];
const REPORTERS = 24;
const CHATTERS = 60;
const GROUP = -1_007_000_000_001;
const FIRST_REPORTER = 630_000;
const FIRST_CHATTER = 640_000;
const CHATTER_WORDS = ["halo", "bantuan", "darurat", "halo"];

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

describe("a 429/5xx storm from the Bot API", () => {
  it("loses nothing, sends nothing before retry_after, and exceeds no limit", { timeout: 15 * 60_000 }, async () => {
    const started = Date.now();
    const fake = await new FakeTelegramServer().start();
    cleanups.push(() => fake.stop());
    const { dir, env: dataEnv } = freshDataDir();
    const databasePath = path.join(dir, "bot.db");
    const env = { ...dataEnv, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot };
    await sendCardsToGroups(env, new Map([[officeFor("35", "girl"), GROUP]]));
    const bot: RunningBot = await startDrillBot(env);
    cleanups.push(() => bot.stop());

    const stormStart = Date.now();
    const stormEnd = stormStart + STORM_MS;
    fake.faults = {
      rate429: RATE_429,
      retryAfterSeconds: RETRY_AFTER_S[0],
      retryAfterMaxSeconds: RETRY_AFTER_S[1],
      rate5xx: RATE_5XX,
      until: stormEnd,
    };
    const deadline = Date.now() + 10 * 60_000;
    const reports: Array<Promise<DrivenReport>> = Array.from({ length: REPORTERS }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 400));
      return driveReport(
        FIRST_REPORTER + i,
        { province: "Jawa Timur", victim: "girl", story: `Badai ${i}: anak tetangga dibawa ke kota lain.` },
        { fake, patienceMs: 60_000, deadline },
      );
    });
    let chatterMessages = 0;
    const chatters = Array.from({ length: CHATTERS }, async (_, i) => {
      const chatId = FIRST_CHATTER + i;
      await new Promise((r) => setTimeout(r, Math.random() * 5000));
      for (let turn = 0; Date.now() < stormEnd; turn++) {
        const before = fake.messagesTo(chatId).length;
        fake.userText(chatId, CHATTER_WORDS[turn % CHATTER_WORDS.length] as string);
        chatterMessages++;
        const reply = await fake.nextMessage(chatId, () => true, before, Math.max(1000, deadline - Date.now()));
        if (!reply) throw new Error(`chat ${chatId} got no reply`);
        await new Promise((r) => setTimeout(r, 1000 + Math.random() * 3000));
      }
    });
    for (const p of [...reports, ...chatters]) p.catch(() => {});
    const done = await Promise.all(reports);
    await Promise.all(chatters);
    const cards = () => fake.sent.filter((m) => m.chatId === GROUP && m.text.includes("Laporan baru masuk"));
    await until(
      () => cards().length >= REPORTERS && peek(databasePath, (db) => outboxByStatus(db).PENDING ?? 0) === 0,
      5 * 60_000,
      "every card and an empty outbox",
      250,
    );
    const drainedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    const exitCode = await stopNodeGracefully(bot);
    const final = peek(databasePath, (db) => ({ outbox: outboxByStatus(db), sentRows: sentTelegramMessages(db) }));

    const sends = fake.calls.filter((c) => c.method === "sendMessage");
    const injected429 = sends.filter((c) => c.status === 429).length;
    const injected5xx = sends.filter((c) => c.status >= 500).length;
    keepLog("storm", bot.stderr());
    const crashLines = bot
      .stderr()
      .split("\n")
      .filter((line) => CRASH_SIGNS.test(line));
    const cardReferences = cards().map((m) => /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(m.text)?.[0]);
    printFigures("storm", {
      stormSeconds: STORM_MS / 1000,
      standsForSeconds: (STORM_MS / 1000) * TIME_SCALE,
      timeScale: `1:${TIME_SCALE}`,
      retryAfterSeconds: RETRY_AFTER_S,
      rate429: RATE_429,
      rate5xx: RATE_5XX,
      limitsScale: 1,
      reports: done.length,
      chatterMessages,
      sendAttempts: sends.length,
      injected429,
      injected5xx,
      messagesAccepted: fake.sent.length,
      sentRowsInDb: final.sentRows,
      outbox: final.outbox,
      cards: cardReferences.length,
      violations: fake.violations,
      peaks: { ...fake.peaks, minChatIntervalMs: Math.round(fake.peaks.minChatIntervalMs) },
      drainSecondsAfterStorm: Math.round((drainedAt - stormEnd) / 100) / 10,
      exitCode,
      seconds: secondsSince(started),
    });

    expect(injected429, "the storm answered 429s").toBeGreaterThanOrEqual(3);
    expect(injected5xx, "the storm answered 5xx").toBeGreaterThanOrEqual(10);
    expect(fake.violations).toEqual({ overall: 0, perChat: 0, perGroup: 0, beforeRetryAfter: 0 });
    expect(done).toHaveLength(REPORTERS);
    expect(new Set(cardReferences)).toEqual(new Set(done.map((r) => r.reference)));
    expect(cardReferences).toHaveLength(REPORTERS);
    expect(final.outbox.PENDING ?? 0).toBe(0);
    expect(final.outbox.FAILED ?? 0).toBe(0);
    expect(final.outbox.WAITING ?? 0).toBe(0);
    // No crash, so every message was accepted exactly once.
    expect(fake.sent.length).toBe(final.sentRows);
    expect(crashLines).toEqual([]);
    expect(exitCode).toBe(0);
  });
});
