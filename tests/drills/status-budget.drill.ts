/**
 * Drill: 100 chats guess the PIN of one known reference together, round after round, for 49
 * simulated hours (in process, through the conversation service on SQLite, with a controlled
 * clock; rounds 4 to 10 minutes apart). Every chat that is not locked asks in every round, at
 * the same instant. DESIGN §5: the reference's budget across all chats must bound the checks
 * (PIN comparisons) it gets in any 24 hours, whatever the number of chats, while the chat that
 * filed the case is always answered, and a victim access code is checked for a day after staff
 * issue it, the crowd trying it too (3 wrong tries per chat, which the victim's chat does not
 * share). Before the budget, each chat's own limit (5 failures in 15 minutes) was the only
 * bound: 48,000 checks a day from 100 chats.
 */
import { describe, expect, it } from "vitest";
import type { ChannelAddress } from "../../src/channels/types.ts";
import { generatePin } from "../../src/domain/reference.ts";
import { LOOKUP_RULES, maxChecksPerReferenceDay } from "../../src/domain/status-lookup.ts";
import { textOf } from "../support/engine-chat.ts";
import { REPORT_LINES, startTestApp } from "../support/test-app.ts";
import { printFigures, secondsSince } from "./support/figures.ts";
import { count, peek } from "./support/sqlite-peek.ts";
import { drillSeed, seededRandom } from "./support/webhook.ts";

const CHATS = 100;
const SIMULATED_HOURS = 49;
const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
/** The reporter's own chat checks its status this often during the attack. */
const REPORTER_EVERY = 2 * HOUR;
/** When staff issue the victim access code, counted from the start of the attack. */
const VICTIM_CODE_AT = 20 * HOUR;

type Answer = "checked" | "shown" | "wait" | "locked" | "other";

function answerOf(text: string): Answer {
  if (text.includes("Berikut kabar terbaru laporan Anda")) return "shown";
  if (text.includes("tidak ditemukan")) return "checked";
  if (text.includes("sedang dibatasi")) return "wait";
  if (text.includes("Terlalu banyak percobaan")) return "locked";
  return "other";
}

/** The most timestamps that fall in any window of `spanMs`. */
function maxInAnyWindow(times: readonly number[], spanMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= spanMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe("100 chats guessing the PIN of one reference for two days", () => {
  it("get a bounded number of checks a day, while the reporter's own chat and a fresh victim code get through", {
    timeout: 40 * 60_000,
  }, async () => {
    const started = Date.now();
    const seed = drillSeed();
    const random = seededRandom(seed);
    const t = await startTestApp({}, "sqlite");
    const { app, clock } = t;

    const done = textOf(await t.sendAll("reporter", ...REPORT_LINES("Cerita", "081234567890")));
    const reference = /Nomor laporan: (\S+)/.exec(done)?.[1] as string;
    const pin = /PIN: (\d{6})/.exec(done)?.[1] as string;
    if (!reference || !pin) throw new Error("the case did not get a reference and PIN");
    const member = await app.staff.add(
      { name: "Ani", officeCode: "UPTDPPA-35", role: "AGENT", language: "id" },
      clock.now(),
    );
    const invite = await app.staff.createInvite(member.id, clock.now());
    await app.offices.setDestination("UPTDPPA-35", "STAFF_CHATS", null, clock.now());
    await t.send("ani", `/staff ${invite.code}`);
    await t.deliver("ani");

    const chats = await Promise.all(
      Array.from({ length: CHATS }, async (_, i) => {
        const address = `term:guesser${i}` as ChannelAddress;
        return { address, identityId: (await app.identities.resolve(address, clock.now())).id };
      }),
    );
    const byIdentity = new Map(chats.map((c) => [c.identityId, c]));
    const tally: Record<Answer, number> = { checked: 0, shown: 0, wait: 0, locked: 0, other: 0 };
    const checkTimes: number[] = [];
    let firstRoundChecks = -1;
    let guesses = 0;
    let errorLogs = 0;
    const reporter = { asked: 0, shown: 0 };
    const victim = { freshShown: false, afterADayWaited: false, victimPin: "" };
    const attackStart = clock.now().getTime();
    let nextReporterCheck = attackStart + REPORTER_EVERY;

    for (let round = 0; clock.now().getTime() - attackStart < SIMULATED_HOURS * HOUR; round++) {
      const now = clock.now();
      await Promise.all(
        chats.map(async (chat) => {
          let guess = generatePin();
          while (guess === pin || guess === victim.victimPin) guess = generatePin();
          await app.conversation.handle({
            address: chat.address,
            messageId: `${chat.address}:${round}`,
            receivedAt: now,
            text: `status ${reference} ${guess}`,
          });
        }),
      );
      guesses += chats.length;
      const pending = await app.outbox.pending({ channel: "term" }, 10 * CHATS);
      await app.outbox.markSent(
        pending.map((p) => p.id),
        now,
      );
      let checksThisRound = 0;
      for (const reply of pending) {
        if (!byIdentity.has(reply.identityId)) continue;
        const answer = answerOf(reply.message.text);
        tally[answer]++;
        if (answer === "checked" || answer === "shown") {
          checksThisRound++;
          checkTimes.push(now.getTime());
        }
      }
      if (round === 0) firstRoundChecks = checksThisRound;

      // The chat that filed the case, at the same instant as the guesses.
      if (now.getTime() >= nextReporterCheck) {
        nextReporterCheck += REPORTER_EVERY;
        reporter.asked++;
        if (answerOf(textOf(await t.send("reporter", `status ${reference} ${pin}`))) === "shown") reporter.shown++;
      }
      const sinceStart = now.getTime() - attackStart;
      if (!victim.victimPin && sinceStart >= VICTIM_CODE_AT) {
        const issued = textOf(await t.send("ani", `/akses ${reference}`));
        victim.victimPin = /PIN korban: (\d{6})/.exec(issued)?.[1] ?? "";
        if (!victim.victimPin) throw new Error("no victim access code");
      }
      if (victim.victimPin && !victim.freshShown && sinceStart >= VICTIM_CODE_AT + HOUR) {
        victim.freshShown =
          answerOf(textOf(await t.send("victim", `status ${reference} ${victim.victimPin}`))) === "shown";
      }
      if (victim.victimPin && !victim.afterADayWaited && sinceStart >= VICTIM_CODE_AT + DAY + HOUR) {
        // The crowd took any check open at this instant: a code over a day old waits like any PIN.
        victim.afterADayWaited =
          answerOf(textOf(await t.send("victim", `status ${reference} ${victim.victimPin}`))) === "wait";
      }
      errorLogs += t.logs.filter((line) => /"level":(50|60)/.test(line)).length;
      t.logs.length = 0;
      clock.advance(4 * 60_000 + Math.floor(random() * 6 * 60_000));
    }

    const simulatedHours = Math.round((clock.now().getTime() - attackStart) / 360_000) / 10;
    const stored = peek(`${t.dir}/bot.db`, (db) => ({
      failedChecks: count(db, 'SELECT COUNT(*) FROM status_lookups WHERE success = 0 AND "freshVictimPinTry" = 0'),
      freshCodeTries: count(db, 'SELECT COUNT(*) FROM status_lookups WHERE "freshVictimPinTry" = 1 AND success = 0'),
      budgets: count(db, "SELECT COUNT(*) FROM status_lookup_budgets"),
      flagged: count(db, 'SELECT COUNT(*) FROM cases WHERE "lookupFlagged" = 1'),
    }));
    await t.close();

    const bound = maxChecksPerReferenceDay();
    const perDay = [0, 1, 2].map(
      (d) => checkTimes.filter((at) => at >= attackStart + d * DAY && at < attackStart + (d + 1) * DAY).length,
    );
    const maxChecksIn24h = maxInAnyWindow(checkTimes, DAY);
    const perChatLimitOnly = CHATS * LOOKUP_RULES.chatFailureLimit * (DAY / LOOKUP_RULES.chatWindowMs);
    printFigures("statusBudget", {
      seed,
      chats: CHATS,
      simulatedHours,
      guesses,
      answers: tally,
      firstRoundChecks,
      checksPerDay: perDay,
      maxChecksIn24h,
      ruleMaxChecksIn24h: bound,
      checksPerDayWithChatLimitOnly: perChatLimitOnly,
      reporterChat: reporter,
      victimCode: { shownWithin24hOfIssue: victim.freshShown, waitedAfter24h: victim.afterADayWaited },
      storedFailedChecks: stored.failedChecks,
      wrongTriesOfFreshVictimCode: stored.freshCodeTries,
      ruleMaxWrongTriesOfFreshVictimCode: CHATS * LOOKUP_RULES.freshVictimPinTriesPerChat,
      budgetRows: stored.budgets,
      casesFlaggedForStaff: stored.flagged,
      sleeps: t.sleeps.length,
      errorLogs,
      guessesPerSecond: Math.round(guesses / ((Date.now() - started) / 1000)),
      seconds: secondsSince(started),
    });

    expect(tally.other).toBe(0);
    expect(tally.shown).toBe(0);
    expect(firstRoundChecks).toBe(LOOKUP_RULES.referenceFlagThreshold);
    expect(maxChecksIn24h).toBeLessThanOrEqual(bound);
    for (const day of perDay) expect(day).toBeLessThanOrEqual(bound);
    // An attack that goes on keeps the reference at one check an hour.
    expect(perDay[1]).toBeLessThanOrEqual(25);
    expect(reporter.asked).toBeGreaterThanOrEqual(20);
    expect(reporter.shown).toBe(reporter.asked);
    expect(victim.freshShown).toBe(true);
    expect(victim.afterADayWaited).toBe(true);
    expect(stored.failedChecks).toBe(tally.checked);
    // The crowd's wrong tries of the fresh code: at most 3 per chat.
    expect(stored.freshCodeTries).toBeGreaterThan(0);
    expect(stored.freshCodeTries).toBeLessThanOrEqual(CHATS * LOOKUP_RULES.freshVictimPinTriesPerChat);
    expect(stored.flagged).toBe(1);
    expect(t.sleeps).toEqual([]);
    expect(errorLogs).toBe(0);
  });
});
