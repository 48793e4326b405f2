import { describe, expect, it } from "vitest";
import type { CaseStatus } from "../../src/domain/case.ts";
import {
  type CaseForStats,
  monthBounds,
  monthlyFigures,
  type ReferralForStats,
  type ServiceForStats,
  suppressSmallCells,
} from "../../src/domain/monthly-stats.ts";

const HOUR = 3_600_000;
const DEADLINES = { URGENT: 30 * 60_000, NORMAL: 24 * HOUR };
const NOW = new Date("2026-12-06T03:00:00Z");

/** A case reported at `at` (UTC), with what happened to it `+hours` later. */
function reported(
  at: string,
  facts: Partial<CaseForStats> & { acceptedAfterHours?: number; changes?: Array<[CaseStatus, string]> } = {},
): CaseForStats {
  const createdAt = new Date(at);
  const { acceptedAfterHours, changes = [], ...rest } = facts;
  return {
    createdAt,
    routedAt: createdAt,
    acknowledgedAt: acceptedAfterHours === undefined ? null : new Date(createdAt.getTime() + acceptedAfterHours * HOUR),
    closedAt: null,
    urgency: "NORMAL",
    category: "FORCED_LABOUR",
    victimAgeGroup: "ADULT",
    victimGender: "FEMALE",
    provinceCode: "52",
    country: null,
    resolution: null,
    status: changes.at(-1)?.[0] ?? "ROUTED",
    statusChanges: [
      { fromStatus: "RECEIVED" as const, toStatus: "ROUTED" as const, at: createdAt },
      ...changes.map(([toStatus, when]) => ({ fromStatus: null, toStatus, at: new Date(when) })),
    ],
    ...rest,
  };
}

/** November 2026 in NTB and Jawa Timur: 12 reports, one in October, one in December. */
const CASES: CaseForStats[] = [
  // Reported 31 October 18:00 UTC = 1 November 01:00 WIB: November's.
  reported("2026-10-31T18:00:00Z", { acceptedAfterHours: 2, changes: [["ACKNOWLEDGED", "2026-10-31T20:00:00Z"]] }),
  reported("2026-11-02T03:00:00Z", { acceptedAfterHours: 1, changes: [["ACKNOWLEDGED", "2026-11-02T04:00:00Z"]] }),
  reported("2026-11-03T03:00:00Z", {
    acceptedAfterHours: 4,
    category: "MIGRANT_WORKER_ABROAD",
    country: "MY",
    changes: [
      ["ACKNOWLEDGED", "2026-11-03T07:00:00Z"],
      ["ASSISTANCE", "2026-11-10T00:00:00Z"],
    ],
  }),
  reported("2026-11-04T03:00:00Z", {
    acceptedAfterHours: 30,
    category: "MIGRANT_WORKER_ABROAD",
    country: "MY",
    changes: [["ACKNOWLEDGED", "2026-11-05T09:00:00Z"]],
  }),
  reported("2026-11-05T03:00:00Z", {
    acceptedAfterHours: 0.25,
    urgency: "URGENT",
    victimAgeGroup: "CHILD",
    category: "CHILD_EXPLOITATION",
    changes: [["ACKNOWLEDGED", "2026-11-05T03:15:00Z"]],
  }),
  reported("2026-11-06T03:00:00Z", {
    acceptedAfterHours: 2,
    urgency: "URGENT",
    victimAgeGroup: "CHILD",
    category: "CHILD_EXPLOITATION",
    changes: [["ACKNOWLEDGED", "2026-11-06T05:00:00Z"]],
  }),
  reported("2026-11-10T03:00:00Z", {
    acceptedAfterHours: 3,
    victimGender: "MALE",
    category: "FISHING_VESSEL",
    country: "TW",
    provinceCode: "35",
    closedAt: new Date("2026-11-20T00:00:00Z"),
    resolution: "ASSISTED",
    changes: [
      ["ACKNOWLEDGED", "2026-11-10T06:00:00Z"],
      ["CLOSED", "2026-11-20T00:00:00Z"],
    ],
  }),
  reported("2026-11-12T03:00:00Z", { acceptedAfterHours: 5, victimGender: "MALE", provinceCode: "35" }),
  reported("2026-11-15T03:00:00Z", { acceptedAfterHours: 6, changes: [["ACKNOWLEDGED", "2026-11-15T09:00:00Z"]] }),
  reported("2026-11-20T03:00:00Z", { acceptedAfterHours: 8, changes: [["ACKNOWLEDGED", "2026-11-20T11:00:00Z"]] }),
  // Never accepted: its deadline passed on 23 November.
  reported("2026-11-22T03:00:00Z", { victimAgeGroup: "UNKNOWN", victimGender: "UNKNOWN" }),
  // Reported on 30 November 16:00 UTC = 23:00 WIB: still November, and its deadline is in December.
  reported("2026-11-30T16:00:00Z"),
  // Reported in October and closed as a duplicate in November.
  reported("2026-10-20T03:00:00Z", {
    acceptedAfterHours: 1,
    closedAt: new Date("2026-11-02T00:00:00Z"),
    resolution: "DUPLICATE",
    changes: [
      ["ACKNOWLEDGED", "2026-10-20T04:00:00Z"],
      ["CLOSED", "2026-11-02T00:00:00Z"],
    ],
  }),
  // 30 November 17:00 UTC is 1 December 00:00 WIB: December's.
  reported("2026-11-30T17:00:00Z"),
];

const SERVICES: ServiceForStats[] = [
  { type: "SHELTER", stage: "RECOVERY", givenOn: new Date("2026-11-10T00:00:00Z") },
  { type: "HEALTH", stage: "RECOVERY", givenOn: new Date("2026-11-11T00:00:00Z") },
  { type: "RETURN_TRAVEL", stage: "RETURN", givenOn: new Date("2026-11-30T00:00:00Z") },
  { type: "LEGAL_AID", stage: "RECOVERY", givenOn: new Date("2026-12-01T00:00:00Z") },
];

const referral = (createdAt: string, fields: Partial<ReferralForStats> = {}): ReferralForStats => ({
  createdAt: new Date(createdAt),
  answeredAt: null,
  declineReason: null,
  status: "PENDING",
  closedAt: null,
  ...fields,
});

const REFERRALS: ReferralForStats[] = [
  referral("2026-11-03T03:00:00Z", { answeredAt: new Date("2026-11-04T03:00:00Z"), status: "DONE" }),
  referral("2026-11-05T03:00:00Z", {
    answeredAt: new Date("2026-11-05T09:00:00Z"),
    declineReason: "CAPACITY",
    status: "DECLINED",
  }),
  referral("2026-11-06T03:00:00Z", { status: "EXPIRED", closedAt: new Date("2026-11-08T03:00:00Z") }),
  // Made in October, accepted in November: November counts the acceptance only.
  referral("2026-10-30T03:00:00Z", { answeredAt: new Date("2026-11-01T03:00:00Z"), status: "ACCEPTED" }),
  // 30 November 18:00 UTC is 1 December in WIB.
  referral("2026-11-30T18:00:00Z"),
];

describe("a month's figures", () => {
  it("runs months on Western Indonesia Time", () => {
    expect(monthBounds("2026-11")).toEqual({
      start: new Date("2026-10-31T17:00:00Z"),
      end: new Date("2026-11-30T17:00:00Z"),
    });
    expect(monthBounds("2026-13")).toBeNull();
    expect(monthBounds("Nov 2026")).toBeNull();
  });

  it("counts a seeded November in full for the office's own reading", () => {
    expect(monthlyFigures("2026-11", CASES, SERVICES, DEADLINES, NOW, REFERRALS)).toEqual({
      month: "2026-11",
      newReports: 12,
      byCategory: { FORCED_LABOUR: 7, MIGRANT_WORKER_ABROAD: 2, CHILD_EXPLOITATION: 2, FISHING_VESSEL: 1 },
      byAgeGroup: { ADULT: 9, CHILD: 2, UNKNOWN: 1 },
      byGender: { FEMALE: 9, MALE: 2, UNKNOWN: 1 },
      byProvince: { "52": 10, "35": 2 },
      byDestinationCountry: { MY: 2, TW: 1 },
      urgentPercent: 16.7,
      // Waits of 10 accepted reports: 0.25, 1, 2, 2, 3, 4, 5, 6, 8, 30 hours.
      hoursToAcceptance: { median: 3, p90: 8, accepted: 10 },
      // 30 hours against 24 (normal), 2 hours against 30 minutes (urgent), and one never accepted.
      overdueAcceptances: 3,
      statusAtMonthEnd: { ACKNOWLEDGED: 7, ASSISTANCE: 1, CLOSED: 2, ROUTED: 3 },
      servicesByType: { SHELTER: 1, HEALTH: 1, RETURN_TRAVEL: 1 },
      servicesByStage: { RECOVERY: 2, RETURN: 1 },
      closedByResolution: { ASSISTED: 1, DUPLICATE: 1 },
      referrals: { MADE: 3, ACCEPTED: 2, DECLINED: 1, EXPIRED: 1 },
    });
  });

  it("hides counts under 5 outside the office, with a larger count withheld beside them so that no total reveals them", () => {
    const shown = suppressSmallCells(monthlyFigures("2026-11", CASES, SERVICES, DEADLINES, NOW, REFERRALS));
    expect(shown).toMatchObject({
      newReports: 12,
      // 2 + 2 + 1 hidden would follow from 12 - 7: the 7 is withheld too.
      byCategory: {
        FORCED_LABOUR: "hidden",
        MIGRANT_WORKER_ABROAD: "<5",
        CHILD_EXPLOITATION: "<5",
        FISHING_VESSEL: "<5",
      },
      byAgeGroup: { ADULT: "hidden", CHILD: "<5", UNKNOWN: "<5" },
      byProvince: { "52": "hidden", "35": "<5" },
      // 2 urgent reports of 12: the share would reveal them.
      urgentPercent: null,
      // 10 accepted of 12 would reveal the 2 that were not; 10 acceptances are enough for the times.
      hoursToAcceptance: { median: 3, p90: 8, accepted: "hidden" },
      overdueAcceptances: "<5",
      statusAtMonthEnd: { ACKNOWLEDGED: "hidden", ASSISTANCE: "<5", CLOSED: "<5", ROUTED: "<5" },
      closedByResolution: { ASSISTED: "<5", DUPLICATE: "<5" },
      servicesByType: { SHELTER: "<5", HEALTH: "<5", RETURN_TRAVEL: "<5" },
      referrals: { MADE: "<5", ACCEPTED: "<5", DECLINED: "<5", EXPIRED: "<5" },
    });
    const empty = monthlyFigures("2026-11", [], [], DEADLINES, NOW);
    // Two "<5" summing to 2 would read as 1 and 1: the next count is withheld with them.
    expect(suppressSmallCells({ ...empty, byGender: { FEMALE: 20, MALE: 1, MIXED: 1 } }).byGender).toEqual({
      FEMALE: "hidden",
      MALE: "<5",
      MIXED: "<5",
    });
    expect(suppressSmallCells({ ...empty, byGender: { FEMALE: 9, MALE: 6, UNKNOWN: 1 } }).byGender).toEqual({
      FEMALE: 9,
      MALE: "hidden",
      UNKNOWN: "<5",
    });
    expect(suppressSmallCells({ ...empty, byGender: { FEMALE: 9, MALE: 6 } }).byGender).toEqual({ FEMALE: 9, MALE: 6 });
    // Fewer than 10 acceptances: no waiting times (the 90th percentile would be one case's wait).
    const few = suppressSmallCells(monthlyFigures("2026-11", CASES.slice(0, 8), [], DEADLINES, NOW));
    expect(few).toMatchObject({ newReports: 8, hoursToAcceptance: { median: null, p90: null, accepted: 8 } });
    const fewer = suppressSmallCells(monthlyFigures("2026-11", CASES.slice(0, 3), [], DEADLINES, NOW));
    expect(fewer).toMatchObject({
      newReports: "<5",
      urgentPercent: null,
      hoursToAcceptance: { median: null, p90: null },
    });
  });

  it("counts the wait from the first routing to the first acceptance, so an escalation does not hide a late one", () => {
    // Routed on 2 November, not accepted within 24 hours, escalated (routed again), accepted 2 hours later.
    const late = reported("2026-11-02T03:00:00Z", {
      routedAt: new Date("2026-11-03T03:00:00Z"),
      acknowledgedAt: new Date("2026-11-03T05:00:00Z"),
      changes: [
        ["ROUTED", "2026-11-03T03:00:00Z"],
        ["ACKNOWLEDGED", "2026-11-03T05:00:00Z"],
      ],
    });
    expect(monthlyFigures("2026-11", [late], [], DEADLINES, NOW)).toMatchObject({
      hoursToAcceptance: { median: 26, p90: 26, accepted: 1 },
      overdueAcceptances: 1,
    });
  });
});
