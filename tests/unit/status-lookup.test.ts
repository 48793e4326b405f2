import { describe, expect, it } from "vitest";
import type { StatusAnswer } from "../../src/domain/report.ts";
import {
  admitLookup,
  LOOKUP_RULES,
  type LookupAdmission,
  type LookupAsker,
  maxChecksPerReferenceDay,
  type ReferenceBudget,
  reachesFlagThreshold,
  referenceOpensAt,
  refundSuccess,
  UNUSED_BUDGET,
} from "../../src/domain/status-lookup.ts";
import { EngineChat } from "../support/engine-chat.ts";
import { FakeDesk } from "../support/fake-desk.ts";

const START = new Date("2026-11-28T10:00:00Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (ms: number) => new Date(START.getTime() + ms);

const STRANGER: LookupAsker = { reportersChat: false, victimPinIssuedAt: null, freshPinTries: 0 };
const REPORTERS_CHAT: LookupAsker = { reportersChat: true, victimPinIssuedAt: null, freshPinTries: 0 };

/** A reference's budget driven like the service drives it: admit, store the charge, every check wrong. */
class Budget {
  state: ReferenceBudget = UNUSED_BUDGET;

  ask(now: Date, asker: LookupAsker = STRANGER): LookupAdmission {
    const admission = admitLookup(this.state, asker, now);
    if (admission.kind === "check" && admission.pins === "all" && admission.charge) this.state = admission.charge.after;
    return admission;
  }

  /** Asks every minute from `from` to `to` (a chat polling), returning the times checks were made. */
  pollEveryMinute(from: number, to: number): number[] {
    const checked: number[] = [];
    for (let t = from; t < to; t += MINUTE) if (this.ask(at(t)).kind === "check") checked.push(t);
    return checked;
  }
}

describe("the budget of one reference across every chat", () => {
  it("checks 10 failures at once, then one at a time after a wait that doubles from a minute to an hour", () => {
    const budget = new Budget();
    for (let i = 0; i < 10; i++) expect(budget.ask(START).kind).toBe("check");
    expect(reachesFlagThreshold(budget.state.failures)).toBe(true);
    // Everyone else who asks at that moment waits, whichever chat it is.
    const waiting = budget.ask(START);
    expect(waiting).toEqual({ kind: "wait", until: at(MINUTE) });

    const checked = budget.pollEveryMinute(MINUTE, 6 * HOUR);
    const gaps = checked.slice(1).map((t, i) => (t - (checked[i] as number)) / MINUTE);
    expect(gaps.slice(0, 8)).toEqual([2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it("gives no chat a check while the reference waits, and charges nothing for a wait", () => {
    const budget = new Budget();
    for (let i = 0; i < 11; i++) budget.ask(START);
    const before = budget.state;
    for (let s = 1; s < 60; s++) expect(budget.ask(at(s * 1000)).kind).toBe("wait");
    expect(budget.state).toBe(before);
  });

  it("answers the same whether or not a case has the reference (the budget is by reference, not by case)", () => {
    const unknown = new Budget();
    const known = new Budget();
    for (let i = 0; i < 12; i++) {
      // A stranger to a case and a guess at a reference nobody has are the same asker.
      expect(unknown.ask(at(i * 1000))).toEqual(known.ask(at(i * 1000), { ...STRANGER }));
    }
  });

  it("never refuses the right PIN for good: the wait is at most an hour, and a quiet day starts afresh", () => {
    const budget = new Budget();
    for (let i = 0; i < 1000; i++) budget.ask(at(i * HOUR));
    const last = budget.state.lastFailureAt as Date;
    expect(referenceOpensAt(budget.state, last)?.getTime()).toBe(last.getTime() + LOOKUP_RULES.maxIntervalMs);
    // A day without a failure forgets them all: 10 checks at once again.
    const quiet = at(last.getTime() - START.getTime() + 24 * HOUR);
    for (let i = 0; i < 10; i++) expect(budget.ask(quiet).kind).toBe("check");
    expect(budget.state.failures).toBe(10);
  });

  it("does not forget failures while an attack goes on, so later days get one check an hour", () => {
    const budget = new Budget();
    const firstDay = budget.pollEveryMinute(0, 24 * HOUR).length;
    const secondDay = budget.pollEveryMinute(24 * HOUR, 48 * HOUR).length;
    expect(firstDay).toBe(maxChecksPerReferenceDay());
    expect(secondDay).toBe(24);
  });

  it("bounds the checks in any 24 hours to 38, which makes a six-digit PIN a matter of decades", () => {
    expect(maxChecksPerReferenceDay()).toBe(38);
    // Two PINs per case (reporter and victim): the chance of a hit in a year of guessing.
    const yearlyChance = (maxChecksPerReferenceDay() * 365 * 2) / 1_000_000;
    expect(yearlyChance).toBeLessThan(0.03);
  });

  it("never makes the chat that filed the case wait, and charges nothing for it", () => {
    const budget = new Budget();
    for (let i = 0; i < 30; i++) budget.ask(START);
    const before = budget.state;
    expect(budget.ask(START, REPORTERS_CHAT)).toEqual({ kind: "check", pins: "all", charge: null });
    expect(budget.state).toBe(before);
  });

  it("checks a victim PIN issued in the last day while the reference waits, 3 wrong tries per chat and issue", () => {
    const budget = new Budget();
    for (let i = 0; i < 20; i++) budget.ask(START);
    const before = budget.state;
    const victim = (freshPinTries: number, issuedAt = at(-23 * HOUR)): LookupAsker => ({
      reportersChat: false,
      victimPinIssuedAt: issuedAt,
      freshPinTries,
    });
    // The fresh PIN is compared, and the reference's budget is not charged for it.
    expect(budget.ask(START, victim(0))).toEqual({ kind: "check", pins: "fresh_victim", until: at(MINUTE) });
    expect(budget.ask(START, victim(2)).kind).toBe("check");
    expect(budget.state).toBe(before);
    // A chat that tried it wrong 3 times waits like everyone else; other chats' tries are their own.
    expect(budget.ask(START, victim(3))).toEqual({ kind: "wait", until: at(MINUTE) });
    // A PIN issued over a day ago waits like any other.
    expect(budget.ask(START, victim(0, at(-25 * HOUR))).kind).toBe("wait");
  });

  it("gives a right PIN back: the budget is as before, or one failure less when others changed it meanwhile", () => {
    const budget = new Budget();
    for (let i = 0; i < 8; i++) budget.ask(START);
    const admission = budget.ask(at(MINUTE));
    if (admission.kind !== "check" || admission.pins !== "all" || !admission.charge)
      throw new Error("expected a charged check");
    expect(refundSuccess(budget.state, admission.charge)).toEqual(admission.charge.before);
    // Another chat failed in between: only this check's failure is taken off.
    budget.ask(at(MINUTE));
    const refunded = refundSuccess(budget.state, admission.charge);
    expect(refunded.failures).toBe(9);
    expect(refunded.lastFailureAt).toEqual(at(MINUTE));
  });
});

/** A desk whose every look-up finds the reference waiting until a given time. */
class WaitingDesk extends FakeDesk {
  until = new Date(0);
  override async checkStatus(): Promise<StatusAnswer> {
    return { kind: "wait", until: this.until };
  }
}

describe("what a person reads while a reference waits", () => {
  it("says the PIN was not checked, when to try again and whom to call, in either language", async () => {
    const desk = new WaitingDesk();
    const chat = new EngineChat({ desk });
    desk.until = new Date(chat.now.getTime() + 42 * MINUTE + 5_000);
    const id = (await chat.send("status K7QM-4TZP-9XWR 123456")).map((r) => r.text).join("\n");
    expect(id).toContain("PIN Anda belum diperiksa. Coba lagi dalam 43 menit.");
    expect(id).toContain("SAPA 129");
    expect(chat.doc?.state.flow).toBe("idle");

    const english = new EngineChat({ desk, languageHint: "en" });
    desk.until = new Date(english.now.getTime() + 10_000);
    const en = (await english.send("status K7QM-4TZP-9XWR 123456")).map((r) => r.text).join("\n");
    expect(en).toContain("Your PIN has not been checked. Please try again in 1 minutes.");
  });
});
