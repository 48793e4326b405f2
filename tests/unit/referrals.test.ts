import { describe, expect, it } from "vitest";
import { detectStaffCommand } from "../../src/conversation/staff-commands.ts";
import {
  consentRefusal,
  nextReferralStatus,
  providerSeesStory,
  REFERRAL_ANSWER_MS,
  referralDueAt,
  referralOverdue,
  stageStatesWithReferrals,
} from "../../src/domain/referrals.ts";
import { caseAccess } from "../../src/domain/staff-scope.ts";
import { createTranslator, loadLocales } from "../../src/i18n/i18n.ts";

const AT = new Date("2026-12-01T02:00:00Z");
const HOUR = 3_600_000;

describe("referral rules", () => {
  it("gives a provider 2 days to answer, 4 hours for an urgent case", () => {
    expect(referralDueAt(AT, false).toISOString()).toBe("2026-12-03T02:00:00.000Z");
    expect(referralDueAt(AT, true).toISOString()).toBe("2026-12-01T06:00:00.000Z");
    expect(REFERRAL_ANSWER_MS.urgent).toBe(4 * HOUR);
  });

  it("lets a provider answer a pending referral before its deadline only, and expires it after", () => {
    const pending = { status: "PENDING" as const, dueAt: new Date(AT.getTime() + 4 * HOUR) };
    const before = new Date(AT.getTime() + 4 * HOUR - 1);
    const after = new Date(AT.getTime() + 4 * HOUR);
    expect(nextReferralStatus(pending, "accept", before)).toBe("ACCEPTED");
    expect(nextReferralStatus(pending, "decline", before)).toBe("DECLINED");
    expect(nextReferralStatus(pending, "expire", before)).toBeNull();
    expect(nextReferralStatus(pending, "accept", after)).toBeNull();
    expect(nextReferralStatus(pending, "expire", after)).toBe("EXPIRED");
    expect(referralOverdue(pending, before)).toBe(false);
    expect(referralOverdue(pending, after)).toBe(true);
    expect(referralOverdue({ ...pending, status: "EXPIRED" }, before)).toBe(true);
    expect(referralOverdue({ ...pending, status: "ACCEPTED" }, after)).toBe(false);
  });

  it("answers once: an accepted or declined referral is not answered again; only accepted work is done", () => {
    const due = new Date(AT.getTime() + 48 * HOUR);
    for (const status of ["ACCEPTED", "DECLINED", "EXPIRED", "WITHDRAWN", "DONE"] as const) {
      expect(nextReferralStatus({ status, dueAt: due }, "accept", AT)).toBeNull();
      expect(nextReferralStatus({ status, dueAt: due }, "decline", AT)).toBeNull();
    }
    expect(nextReferralStatus({ status: "ACCEPTED", dueAt: due }, "complete", AT)).toBe("DONE");
    expect(nextReferralStatus({ status: "PENDING", dueAt: due }, "complete", AT)).toBeNull();
    expect(nextReferralStatus({ status: "ACCEPTED", dueAt: due }, "withdraw", AT)).toBe("WITHDRAWN");
    expect(nextReferralStatus({ status: "DONE", dueAt: due }, "withdraw", AT)).toBeNull();
  });

  it("shows the story to a provider only while it works on the case: accepted, not done or withdrawn", () => {
    expect(providerSeesStory("PENDING")).toBe(false);
    expect(providerSeesStory("ACCEPTED")).toBe(true);
    expect(providerSeesStory("DONE")).toBe(false);
    expect(providerSeesStory("WITHDRAWN")).toBe(false);
    expect(providerSeesStory("DECLINED")).toBe(false);
  });

  it("records the victim's consent from any staff member, an override only from a supervisor with a reason", () => {
    expect(consentRefusal("AGENT", { source: "VICTIM", method: "IN_PERSON" }, "ADULT")).toBeNull();
    expect(consentRefusal("AGENT", { source: "GUARDIAN", method: "PHONE" }, "CHILD")).toBeNull();
    const override = {
      source: "OVERRIDE" as const,
      ground: "DANGER_TO_LIFE" as const,
      reason: "Pelaku mencari korban di rumah keluarga.",
    };
    expect(consentRefusal("AGENT", override, "ADULT")).toBe("override_needs_supervisor");
    expect(consentRefusal("PARTNER", override, "ADULT")).toBe("override_needs_supervisor");
    expect(consentRefusal("SUPERVISOR", override, "ADULT")).toBeNull();
    expect(consentRefusal("NATIONAL", override, "CHILD")).toBeNull();
    expect(consentRefusal("SUPERVISOR", { ...override, reason: "bahaya" }, "ADULT")).toBe("override_needs_reason");
  });

  it("lets a guardian, or a child's best interest, speak only for a child (or a victim of unknown age)", () => {
    const best = {
      source: "OVERRIDE" as const,
      ground: "CHILD_BEST_INTEREST" as const,
      reason: "Anak sendirian tanpa wali di kota ini.",
    };
    expect(consentRefusal("AGENT", { source: "GUARDIAN", method: "IN_PERSON" }, "ADULT")).toBe("adult_victim");
    expect(consentRefusal("AGENT", { source: "GUARDIAN", method: "IN_PERSON" }, "UNKNOWN")).toBeNull();
    expect(consentRefusal("SUPERVISOR", best, "ADULT")).toBe("adult_victim");
    expect(consentRefusal("SUPERVISOR", best, "CHILD")).toBeNull();
  });

  it("counts a partner's accepted work as in progress and finished work as done, ignoring declined referrals", () => {
    const base = { RETURN: "NOT_STARTED", RECOVERY: "NOT_STARTED", REINTEGRATION: "IN_PROGRESS" } as const;
    expect(
      stageStatesWithReferrals(base, [
        { status: "DONE", services: ["SHELTER", "HEALTH"] },
        { status: "DECLINED", services: ["LEGAL_AID", "RETURN_TRAVEL"] },
      ]),
    ).toEqual({ RETURN: "NOT_STARTED", RECOVERY: "DONE", REINTEGRATION: "IN_PROGRESS" });
    expect(
      stageStatesWithReferrals({ RETURN: "NOT_STARTED", RECOVERY: "NOT_STARTED", REINTEGRATION: "NOT_STARTED" }, [
        { status: "ACCEPTED", services: ["RETURN_TRAVEL"] },
        { status: "EXPIRED", services: ["SHELTER"] },
      ]),
    ).toEqual({ RETURN: "IN_PROGRESS", RECOVERY: "NOT_STARTED", REINTEGRATION: "NOT_STARTED" });
    // Work done under a referral does not end a stage the case is still in.
    expect(
      stageStatesWithReferrals({ RETURN: "NOT_STARTED", RECOVERY: "IN_PROGRESS", REINTEGRATION: "NOT_STARTED" }, [
        { status: "DONE", services: ["SHELTER"] },
      ]).RECOVERY,
    ).toBe("IN_PROGRESS");
  });
});

const translate = createTranslator(loadLocales(), { strict: true });
const both = [translate("id"), translate("en")];

describe("partner staff's referral commands, as typed", () => {
  it("reads the code however it is typed, and the reason of a decline in either language", () => {
    expect(detectStaffCommand("/terimarujukan 7kq2-m9xt", both)).toEqual({
      kind: "referral",
      command: { kind: "accept", code: "7KQ2-M9XT" },
    });
    expect(detectStaffCommand("/acceptreferral 7KQ2 M9XT", both)).toEqual({
      kind: "referral",
      command: { kind: "accept", code: "7KQ2-M9XT" },
    });
    expect(detectStaffCommand("/tolakrujukan 7KQ2M9XT maaf kak lagi penuh", both)).toEqual({
      kind: "referral",
      command: { kind: "decline", code: "7KQ2-M9XT", reason: "CAPACITY" },
    });
    expect(detectStaffCommand("/declinereferral 7KQ2-M9XT outside our area", both)).toMatchObject({
      command: { reason: "OUT_OF_AREA" },
    });
    expect(detectStaffCommand("/tolakrujukan 7KQ2-M9XT", both)).toMatchObject({ command: { reason: null } });
    expect(detectStaffCommand("/selesairujukan 7KQ2-M9XT", both)).toMatchObject({ command: { kind: "done" } });
    expect(detectStaffCommand("/rujukan", both)).toEqual({ kind: "referral", command: { kind: "list" } });
    expect(detectStaffCommand("/terimarujukan", both)).toEqual({ kind: "usage", example: "/terimarujukan 7KQ2-M9XT" });
    // "terima kasih" is never a command, and a case reference is not a referral code.
    expect(detectStaffCommand("terima rujukan 7KQ2-M9XT", both)).toBeNull();
    expect(detectStaffCommand("/terimarujukan K7QM-4TZP-9XWR", both)).toMatchObject({ kind: "usage" });
  });

  it("gives partner staff no access to any case as an office would", () => {
    const partner = { role: "PARTNER" as const, officeCode: "partner:IOM-FIKTIF", active: true };
    expect(caseAccess(partner, { officeCode: "partner:IOM-FIKTIF", copiedTo: [] })).toBe("NONE");
    expect(caseAccess(partner, { officeCode: "UPTDPPA-52", copiedTo: ["partner:IOM-FIKTIF"] })).toBe("NONE");
  });
});
