/**
 * Drill: 100,000 status guesses from 100 chats, in process, through the conversation service
 * on SQLite with a controlled clock (DESIGN §5). Chats guess all at once, round after round,
 * the clock moving on 10 to 200 seconds between rounds (about 29 hours in all). Every answer
 * is checked against the rule: a chat with 5 failures in the last 15 minutes is locked out,
 * and a locked chat gets "locked" even for the right reference and PIN; a guess at one of the
 * real references may instead be told to wait (that reference's budget across all chats, which
 * the status-budget drill measures). No guess may ever see a case. The reference entropy is
 * computed from the alphabet and length.
 */
import { describe, expect, it } from "vitest";
import type { ChannelAddress } from "../../src/channels/types.ts";
import { CROCKFORD_ALPHABET, generatePin, generateReference } from "../../src/domain/reference.ts";
import { LOOKUP_RULES } from "../../src/domain/status-lookup.ts";
import { REPORT_LINES, startTestApp } from "../support/test-app.ts";
import { printFigures, secondsSince } from "./support/figures.ts";
import { count, peek } from "./support/sqlite-peek.ts";
import { drillSeed, seededRandom } from "./support/webhook.ts";

const CHATS = 100;
const GUESSES = 100_000;
const REAL_CASES = 5;
const MIN_ENTROPY_BITS = 50;

type Answer = "found" | "not_found" | "locked" | "wait" | "other";

function answerOf(text: string): Answer {
  if (text.includes("Berikut kabar terbaru laporan Anda")) return "found";
  if (text.includes("tidak ditemukan")) return "not_found";
  if (text.includes("Terlalu banyak percobaan")) return "locked";
  if (text.includes("sedang dibatasi")) return "wait";
  return "other";
}

describe("100,000 status guesses from 100 chats", () => {
  it("locks every chat after 5 failures in 15 minutes and never reveals a case", { timeout: 15 * 60_000 }, async () => {
    const started = Date.now();
    const seed = drillSeed();
    const random = seededRandom(seed);
    // SQLite: the drill reads its file afterwards to check what was stored.
    const t = await startTestApp({}, "sqlite");
    const { app, clock } = t;

    const cases: Array<{ reference: string; pin: string }> = [];
    for (let k = 0; k < REAL_CASES; k++) {
      const replies = await t.sendAll(`victim${k}`, ...REPORT_LINES(`Cerita ${k}`, `08123456789${k}`));
      const text = replies.map((r) => r.text).join("\n");
      const reference = /Nomor laporan: (\S+)/.exec(text)?.[1];
      const pin = /PIN: (\d{6})/.exec(text)?.[1];
      if (!reference || !pin) throw new Error("a real case did not get a reference and PIN");
      cases.push({ reference, pin });
    }

    const chats = await Promise.all(
      Array.from({ length: CHATS }, async (_, i) => ({
        address: `term:guesser${i}` as ChannelAddress,
        identityId: (await app.identities.resolve(`term:guesser${i}` as ChannelAddress, clock.now())).id,
        failures: [] as number[],
      })),
    );
    const byIdentity = new Map(chats.map((c) => [c.identityId, c]));
    const tally: Record<Answer, number> = { found: 0, not_found: 0, locked: 0, wait: 0, other: 0 };
    let mismatches = 0;
    let rightPinWhileLocked = 0;
    let revealed = 0;
    let errorLogs = 0;
    let guesses = 0;
    let maxAnsweredIn15Min = 0;
    const firstMismatches: string[] = [];

    for (let round = 0; guesses < GUESSES; round++) {
      const now = clock.now();
      const windowStart = now.getTime() - LOOKUP_RULES.chatWindowMs;
      const expected = new Map<string, Answer>();
      // Guesses at a real reference may be told to wait instead of checked.
      const mayWait = new Set<string>();
      const sent = chats.slice(0, Math.min(CHATS, GUESSES - guesses));
      await Promise.all(
        sent.map(async (chat) => {
          const recent = chat.failures.filter((at) => at > windowStart).length;
          const locked = recent >= LOOKUP_RULES.chatFailureLimit;
          expected.set(chat.identityId, locked ? "locked" : "not_found");
          const target = cases[Math.floor(random() * cases.length)] as { reference: string; pin: string };
          let text: string;
          if (locked && random() < 0.5) {
            // The right reference and PIN: a locked chat must not see the case even then.
            rightPinWhileLocked++;
            text = `status ${target.reference} ${target.pin}`;
          } else if (random() < 0.5) {
            let pin = generatePin();
            while (pin === target.pin) pin = generatePin();
            text = `status ${target.reference} ${pin}`;
            mayWait.add(chat.identityId);
          } else {
            text = `status ${generateReference()} ${generatePin()}`;
          }
          await app.conversation.handle({
            address: chat.address,
            messageId: `${chat.address}:${round}`,
            receivedAt: now,
            text,
          });
        }),
      );
      guesses += sent.length;
      const pending = await app.outbox.pending({ channel: "term" }, 10 * CHATS);
      await app.outbox.markSent(
        pending.map((p) => p.id),
        now,
      );
      const answered = new Set<string>();
      for (const reply of pending) {
        const chat = byIdentity.get(reply.identityId);
        if (!chat) continue;
        answered.add(chat.identityId);
        const answer = answerOf(reply.message.text);
        tally[answer]++;
        if (cases.some((c) => reply.message.text.includes(c.reference))) revealed++;
        const allowed = answer === expected.get(chat.identityId) || (answer === "wait" && mayWait.has(chat.identityId));
        if (!allowed) {
          mismatches++;
          if (firstMismatches.length < 5)
            firstMismatches.push(`round ${round}: expected ${expected.get(chat.identityId)}, got ${answer}`);
        }
        if (answer === "not_found") {
          chat.failures.push(now.getTime());
          const inWindow = chat.failures.filter((at) => at > windowStart).length;
          maxAnsweredIn15Min = Math.max(maxAnsweredIn15Min, inWindow);
        }
      }
      // A guess with no answer at all is a failure of the drill too.
      mismatches += sent.length - answered.size;
      if (sent.length > answered.size && firstMismatches.length < 5)
        firstMismatches.push(`round ${round}: ${sent.length - answered.size} guesses got no answer`);
      // The logs are for failures; keep only the count, not 100,000 steps of them.
      errorLogs += t.logs.filter((line) => /"level":(50|60)/.test(line)).length;
      t.logs.length = 0;
      clock.advance(10_000 + Math.floor(random() * 190_000));
    }
    const simulatedHours =
      Math.round((clock.now().getTime() - new Date("2026-11-28T03:00:00Z").getTime()) / 360_000) / 10;

    const databasePath = `${t.dir}/bot.db`;
    const stored = peek(databasePath, (db) => ({
      successes: count(db, "SELECT COUNT(*) FROM status_lookups WHERE success = 1"),
      failures: count(db, "SELECT COUNT(*) FROM status_lookups WHERE success = 0"),
      flaggedCases: count(db, 'SELECT COUNT(*) FROM cases WHERE "lookupFlagged" = 1'),
    }));
    await t.close();

    const compactLength = generateReference().replace(/-/g, "").length;
    const entropyBits = compactLength * Math.log2(CROCKFORD_ALPHABET.length);
    const sample = new Set(Array.from({ length: 20_000 }, () => generateReference()));
    const lockedShare = tally.locked / guesses;
    const guessesPerSecond = Math.round(guesses / ((Date.now() - started) / 1000));
    printFigures("statusGuesses", {
      seed,
      chats: CHATS,
      guesses,
      simulatedHours,
      answers: tally,
      lockedShare: Math.round(lockedShare * 1000) / 1000,
      mismatchesWithLockoutRule: mismatches,
      maxAnsweredFailuresIn15MinPerChat: maxAnsweredIn15Min,
      rightPinWhileLocked,
      casesRevealed: revealed + tally.found,
      storedLookups: { failures: stored.failures, successes: stored.successes },
      casesFlaggedForStaff: stored.flaggedCases,
      referenceWaits: tally.wait,
      sleeps: t.sleeps.length,
      errorLogs,
      referenceAlphabet: CROCKFORD_ALPHABET.length,
      referenceLength: compactLength,
      referenceEntropyBits: entropyBits,
      distinctIn20000References: sample.size,
      guessesPerSecond,
      seconds: secondsSince(started),
    });

    expect(firstMismatches).toEqual([]);
    expect(mismatches).toBe(0);
    expect(guesses).toBe(GUESSES);
    expect(tally.found).toBe(0);
    expect(tally.other).toBe(0);
    expect(revealed).toBe(0);
    expect(stored.successes).toBe(0);
    expect(stored.failures).toBe(tally.not_found);
    expect(maxAnsweredIn15Min).toBeLessThanOrEqual(LOOKUP_RULES.chatFailureLimit);
    expect(rightPinWhileLocked).toBeGreaterThan(1000);
    expect(tally.locked).toBeGreaterThan(0);
    expect(errorLogs).toBe(0);
    expect(t.sleeps).toEqual([]);
    expect(entropyBits).toBeGreaterThanOrEqual(MIN_ENTROPY_BITS);
    expect(sample.size).toBe(20_000);
  });
});
