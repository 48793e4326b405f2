/**
 * Drill: kill -9 of the bot during 500 concurrent intakes over the fake Bot API, then a
 * restart on the same SQLite file (DESIGN §6). Every chat goes through a whole report at once;
 * the bot's node process is killed when some have their confirmation and the rest are midway;
 * every chat then finishes. No confirmed report may be lost or doubled, every reply and card
 * must arrive, and messages delivered twice may number no more than the sends in flight at the kill.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FakeTelegramServer } from "../support/fake-telegram-server.ts";
import { freshDataDir } from "../support/run-command.ts";
import { CRASH_SIGNS, killNine, type RunningBot, startDrillBot, stopNodeGracefully } from "./support/bot-process.ts";
import { keepLog, printFigures, secondsSince, until } from "./support/figures.ts";
import { DRILL_PROVINCES, officeFor, sendCardsToGroups } from "./support/offices.ts";
import { driveManyReports } from "./support/report-driver.ts";
import { count, handledUpdate, outboxByStatus, peek, sentTelegramMessages } from "./support/sqlite-peek.ts";

const CHATS = 500;
/** The bot and the fake both run at 10× Telegram's limits (300 msg/s, 100 ms per chat, 200/min per group). */
const LIMITS_SCALE = 10;
/** Chats start this far apart, so that at the kill some are done and the rest are at every step. */
const STAGGER_MS = 40;
const KILL_AFTER_CONFIRMATIONS = 150;
/** How long the bot stays dead. */
const DOWNTIME_MS = 1500;
const FIRST_CHAT = 610_000;
const FIRST_GROUP = -1_009_000_000_000;

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** Duplicated deliveries as the chats saw them: the same text to the same chat more than once. */
function repeatedTexts(fake: FakeTelegramServer): number {
  const seen = new Map<string, number>();
  for (const m of fake.sent) {
    const key = `${m.chatId}\u0000${m.text}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  let repeats = 0;
  for (const n of seen.values()) repeats += n - 1;
  return repeats;
}

describe("kill -9 during 500 concurrent intakes", () => {
  it("loses no confirmed report, doubles none, delivers every reply and card, repeats at most what was in flight", {
    timeout: 15 * 60_000,
  }, async () => {
    const started = Date.now();
    const fake = await new FakeTelegramServer().scaleLimits(LIMITS_SCALE).start();
    cleanups.push(() => fake.stop());
    const { dir, env: dataEnv } = freshDataDir();
    const databasePath = path.join(dir, "bot.db");
    const env = {
      ...dataEnv,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_LIMITS_SCALE: String(LIMITS_SCALE),
    };

    // Ten offices (five provinces, girls and men), each with its own staff group.
    const groups = new Map<string, number>();
    for (const province of DRILL_PROVINCES) {
      for (const victim of ["girl", "man"] as const)
        groups.set(officeFor(province.code, victim), FIRST_GROUP - groups.size);
    }
    await sendCardsToGroups(env, groups);

    let bot: RunningBot = await startDrillBot(env);
    cleanups.push(() => bot.stop());

    let killed = false;
    let restartedAt = Number.POSITIVE_INFINITY;
    let lastUpdateBeforeKill = Number.POSITIVE_INFINITY;
    const deadline = Date.now() + 10 * 60_000;
    // A person whose tap never reached the bot taps again. Only an update the dead process had
    // taken (and confirmed) without handling can be lost; anything else is only slow.
    const onSilence = async (updateId: number): Promise<"wait" | "repeat"> => {
      if (!killed || updateId > lastUpdateBeforeKill || Date.now() - restartedAt < 20_000) return "wait";
      if (fake.isQueued(updateId)) return "wait";
      return peek(databasePath, (db) => handledUpdate(db, updateId)) ? "wait" : "repeat";
    };
    const crowd = driveManyReports(
      CHATS,
      {
        firstChat: FIRST_CHAT,
        staggerMs: STAGGER_MS,
        story: (i) => `Latihan ${i}: kerabat kami dipaksa bekerja tanpa upah.`,
      },
      { fake, patienceMs: 30_000, deadline, onSilence },
    );

    await until(
      () => crowd.confirmed() >= KILL_AFTER_CONFIRMATIONS,
      8 * 60_000,
      `${KILL_AFTER_CONFIRMATIONS} confirmations`,
      5,
    );
    const killSecond = secondsSince(started);
    await killNine(bot);
    keepLog("kill9-before-kill", bot.stderr());
    killed = true;
    lastUpdateBeforeKill = fake.lastUpdateId;
    // Requests the fake had already received when the process died still land (as on Telegram).
    await new Promise((r) => setTimeout(r, 300));
    const acceptedAtKill = fake.sent.length;
    const confirmedAtKill = new Map<number, string>();
    for (const m of fake.sent) {
      const reference = /Nomor laporan: (\S+)/.exec(m.text)?.[1];
      if (m.chatId > 0 && reference) confirmedAtKill.set(m.chatId, reference);
    }
    const atKill = peek(databasePath, (db) => ({
      sentRows: sentTelegramMessages(db),
      references: new Set(
        (db.prepare("SELECT reference FROM cases").all() as Array<{ reference: string }>).map((r) => r.reference),
      ),
    }));
    const sendsInFlightAtKill = acceptedAtKill - atKill.sentRows;
    const confirmedLostAtKill = [...confirmedAtKill.values()].filter((r) => !atKill.references.has(r)).length;

    await new Promise((r) => setTimeout(r, DOWNTIME_MS));
    bot = await startDrillBot(env);
    restartedAt = Date.now();
    // How long the new process waits before it sends again (the dead one's sending lease must lapse).
    let firstSendAfterRestartMs = -1;
    const stopWatching = fake.onSent(() => {
      firstSendAfterRestartMs = Date.now() - restartedAt;
      stopWatching();
    });

    const reports = await crowd.reports;
    const cardsDelivered = () => fake.sent.filter((m) => m.chatId < 0 && m.text.includes("Laporan baru masuk")).length;
    await until(
      () => cardsDelivered() >= CHATS && peek(databasePath, (db) => outboxByStatus(db).PENDING ?? 0) === 0,
      5 * 60_000,
      "every card and an empty outbox",
      250,
    );
    // A last look for anything still arriving, then a clean stop.
    await new Promise((r) => setTimeout(r, 1500));
    const exitCode = await stopNodeGracefully(bot);
    keepLog("kill9-after-restart", bot.stderr());
    const crashLines = bot
      .stderr()
      .split("\n")
      .filter((line) => CRASH_SIGNS.test(line));

    const final = peek(databasePath, (db) => ({
      cases: count(db, "SELECT COUNT(*) FROM cases"),
      references: new Set(
        (db.prepare("SELECT reference FROM cases").all() as Array<{ reference: string }>).map((r) => r.reference),
      ),
      outbox: outboxByStatus(db),
      sentRows: sentTelegramMessages(db),
    }));
    const chatReferences = reports.map((r) => r.reference);
    const confirmedLost = chatReferences.filter((r) => !final.references.has(r)).length;
    const cardReferences = new Set(
      fake.sent
        .filter((m) => m.chatId < 0)
        .flatMap((m) => [...m.text.matchAll(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/g)].map((x) => x[0])),
    );
    const deliveredTwice = fake.sent.length - final.sentRows;
    const figures = {
      chats: CHATS,
      limitsScale: LIMITS_SCALE,
      killAtSecond: killSecond,
      confirmedAtKill: confirmedAtKill.size,
      confirmedLostAtKill,
      acceptedAtKill,
      sentRowsAtKill: atKill.sentRows,
      sendsInFlightAtKill,
      updatesLostAtKill: reports.reduce((n, r) => n + r.repeats, 0),
      firstSendAfterRestartSeconds: Math.round(firstSendAfterRestartMs / 100) / 10,
      confirmedReports: reports.length,
      confirmedReportsLost: confirmedLost,
      casesInDb: final.cases,
      duplicatedReports: final.cases - new Set(chatReferences).size,
      cardsDelivered: cardsDelivered(),
      cardsWithDistinctReferences: cardReferences.size,
      outbox: final.outbox,
      acceptedByFakeServer: fake.sent.length,
      sentRowsInDb: final.sentRows,
      deliveredTwice,
      deliveredTwiceBySameText: repeatedTexts(fake),
      limitViolations: fake.violations,
      crashLinesAfterRestart: crashLines.length,
      exitCodeAfterRestart: exitCode,
      seconds: secondsSince(started),
    };
    printFigures("kill9", figures);

    expect(confirmedAtKill.size, "some chats had their confirmation before the kill").toBeGreaterThan(0);
    expect(confirmedAtKill.size, "other chats were midway at the kill").toBeLessThan(CHATS);
    expect(sendsInFlightAtKill).toBeGreaterThanOrEqual(0);
    expect(confirmedLostAtKill).toBe(0);
    expect(reports).toHaveLength(CHATS);
    expect(confirmedLost).toBe(0);
    expect(new Set(chatReferences).size).toBe(CHATS);
    expect(final.cases).toBe(CHATS);
    expect([...final.references].sort()).toEqual([...chatReferences].sort());
    expect(final.outbox.PENDING ?? 0).toBe(0);
    expect(final.outbox.WAITING ?? 0).toBe(0);
    expect(final.outbox.FAILED ?? 0).toBe(0);
    expect([...cardReferences].sort()).toEqual([...chatReferences].sort());
    expect(fake.sent.length).toBeGreaterThanOrEqual(final.sentRows);
    expect(deliveredTwice).toBeLessThanOrEqual(sendsInFlightAtKill);
    expect(repeatedTexts(fake)).toBeLessThanOrEqual(sendsInFlightAtKill);
    expect(crashLines).toEqual([]);
    expect(exitCode).toBe(0);
  });
});
