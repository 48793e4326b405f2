import type { AgeGroup, CaseStatus, Category, Gender, Urgency } from "./case.ts";

/**
 * A month's figures (issue: statistics and export), computed from coded fields only: never a
 * story, a contact or a name. Months run on Western Indonesia Time (UTC+7), as national reports do.
 */

/** A month written YYYY-MM. */
export type MonthText = `${number}-${number}`;

/** What the figures are computed from: one case's coded facts and its status changes. */
export interface CaseForStats {
  createdAt: Date;
  routedAt: Date | null;
  acknowledgedAt: Date | null;
  closedAt: Date | null;
  urgency: Urgency;
  category: Category;
  victimAgeGroup: AgeGroup;
  victimGender: Gender;
  provinceCode: string | null;
  country: string | null;
  resolution: string | null;
  /** The status the case has now. */
  status: CaseStatus;
  /** Status changes in time order: the status it left (when recorded), the one it took, and when. */
  statusChanges: ReadonlyArray<{ fromStatus: CaseStatus | null; toStatus: CaseStatus; at: Date }>;
}

/** A service recorded for a case. */
export interface ServiceForStats {
  type: string;
  stage: string;
  givenOn: Date;
}

/** A referral to a partner as the figures read it (codes and dates only). */
export interface ReferralForStats {
  createdAt: Date;
  /** When the provider answered; with no decline reason, it accepted. */
  answeredAt: Date | null;
  declineReason: string | null;
  status: string;
  closedAt: Date | null;
}

/**
 * A count as published: the number; "<5" where a small number could point to a person; "hidden"
 * for a larger count withheld because, with the published total, it would reveal a "<5".
 */
export type Cell = number | "<5" | "hidden";

/** The month's figures; every breakdown is a map from a coded value to its count. */
export interface MonthlyFigures {
  month: string;
  newReports: Cell;
  byCategory: Record<string, Cell>;
  byAgeGroup: Record<string, Cell>;
  byGender: Record<string, Cell>;
  byProvince: Record<string, Cell>;
  byDestinationCountry: Record<string, Cell>;
  /** Urgent reports as a share of new ones, in percent (null with no report, or when counts are hidden). */
  urgentPercent: number | null;
  /** Hours from routing to acceptance of the month's reports that were accepted. */
  hoursToAcceptance: { median: number | null; p90: number | null; accepted: Cell };
  /** The month's reports accepted after their deadline, or not accepted when it passed. */
  overdueAcceptances: Cell;
  /** Every case reported by the month's end, by the status it had then. */
  statusAtMonthEnd: Record<string, Cell>;
  /** Services given in the month, by type and by stage. */
  servicesByType: Record<string, Cell>;
  servicesByStage: Record<string, Cell>;
  /** Cases closed in the month, by how they ended. */
  closedByResolution: Record<string, Cell>;
  /** Referrals to partners made, accepted, declined and expired (unanswered) in the month. */
  referrals: Record<string, Cell>;
}

const WIB_OFFSET_MS = 7 * 3_600_000;
/** Counts from 1 to this minus one are published as "<5" outside the case's own office. */
export const SMALL_CELL = 5;

/** The first instant of a month (WIB) and of the month after it; null for text that is no month. */
export function monthBounds(month: string): { start: Date; end: Date } | null {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) return null;
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  return {
    start: new Date(Date.UTC(year, index, 1) - WIB_OFFSET_MS),
    end: new Date(Date.UTC(year, index + 1, 1) - WIB_OFFSET_MS),
  };
}

function countBy<T>(items: readonly T[], key: (item: T) => string | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    if (k !== null) counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/** The value at a fraction (0–1) of an ascending list, by the nearest-rank method. */
function rank(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? null;
}

function hours(ms: number): number {
  return Math.round((ms / 3_600_000) * 10) / 10;
}

/**
 * The status a case had at an instant: the one its last change before then took; with none, the
 * one its first later change left; with no change at all, the status it has now.
 */
export function statusAt(item: CaseForStats, at: Date): CaseStatus {
  let status: CaseStatus | null = null;
  for (const change of item.statusChanges) {
    if (change.at < at) status = change.toStatus;
    else return status ?? change.fromStatus ?? "RECEIVED";
  }
  return status ?? item.status;
}

/**
 * The month's figures in full, for the office the cases belong to. `cases` are every case of the
 * scope (any month: the status at the month's end counts older ones too); `services` those of the
 * scope's cases. `now` bounds "not accepted when the deadline passed" for the current month.
 */
export function monthlyFigures(
  month: string,
  cases: readonly CaseForStats[],
  services: readonly ServiceForStats[],
  ackDeadlineMs: Readonly<Record<Urgency, number>>,
  now: Date,
  referrals: readonly ReferralForStats[] = [],
): MonthlyFigures {
  const bounds = monthBounds(month);
  if (!bounds) throw new Error(`not a month: ${month}`);
  const { start, end } = bounds;
  const within = (at: Date | null) => at !== null && at >= start && at < end;
  const reported = cases.filter((c) => within(c.createdAt));
  // The first routing and the first acceptance: a transfer, an escalation or a reopening routes a
  // case again, and must not make a late acceptance look quick.
  const routedFirst = (c: CaseForStats) =>
    (c.statusChanges.find((change) => change.toStatus === "ROUTED")?.at ?? c.routedAt ?? c.createdAt).getTime();
  const acceptedFirst = (c: CaseForStats) =>
    (c.statusChanges.find((change) => change.toStatus === "ACKNOWLEDGED")?.at ?? c.acknowledgedAt)?.getTime() ?? null;
  const accepted = reported.filter((c) => acceptedFirst(c) !== null);
  const waits = accepted.map((c) => Math.max(0, (acceptedFirst(c) as number) - routedFirst(c))).sort((a, b) => a - b);
  const horizon = Math.min(end.getTime(), now.getTime());
  const overdue = reported.filter((c) => {
    const deadline = routedFirst(c) + ackDeadlineMs[c.urgency];
    const acceptedAt = acceptedFirst(c);
    if (acceptedAt !== null) return acceptedAt > deadline;
    // Not accepted: late once the deadline passed, unless the case was closed before it.
    return deadline < horizon && !(c.closedAt && c.closedAt.getTime() <= deadline);
  }).length;
  const urgent = reported.filter((c) => c.urgency === "URGENT").length;
  const givenInMonth = services.filter((s) => within(s.givenOn));
  const referralCounts = countBy(
    [
      ...referrals.filter((r) => within(r.createdAt)).map(() => "MADE"),
      ...referrals.filter((r) => within(r.answeredAt)).map((r) => (r.declineReason ? "DECLINED" : "ACCEPTED")),
      ...referrals.filter((r) => r.status === "EXPIRED" && within(r.closedAt)).map(() => "EXPIRED"),
    ],
    (key) => key,
  );
  return {
    month,
    newReports: reported.length,
    byCategory: countBy(reported, (c) => c.category),
    byAgeGroup: countBy(reported, (c) => c.victimAgeGroup),
    byGender: countBy(reported, (c) => c.victimGender),
    byProvince: countBy(reported, (c) => c.provinceCode ?? "UNKNOWN"),
    byDestinationCountry: countBy(reported, (c) => c.country),
    urgentPercent: reported.length === 0 ? null : Math.round((urgent / reported.length) * 1000) / 10,
    hoursToAcceptance: {
      median: waits.length === 0 ? null : hours(rank(waits, 0.5) ?? 0),
      p90: waits.length === 0 ? null : hours(rank(waits, 0.9) ?? 0),
      accepted: accepted.length,
    },
    overdueAcceptances: overdue,
    statusAtMonthEnd: countBy(
      cases.filter((c) => c.createdAt < end),
      (c) => statusAt(c, end),
    ),
    servicesByType: countBy(givenInMonth, (s) => s.type),
    servicesByStage: countBy(givenInMonth, (s) => s.stage),
    closedByResolution: countBy(
      cases.filter((c) => within(c.closedAt)),
      (c) => c.resolution ?? "UNKNOWN",
    ),
    referrals: referralCounts,
  };
}

function small(value: Cell): boolean {
  return typeof value === "number" && value > 0 && value < SMALL_CELL;
}

/**
 * Hides small counts of one breakdown. The hidden counts' sum is the total less the counts shown,
 * so unless a larger count is withheld with them, two "<5" summing to 2 would read as 1 and 1:
 * the smallest count still shown is withheld ("hidden") too.
 */
function suppressBreakdown(counts: Record<string, Cell>): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const [key, value] of Object.entries(counts)) out[key] = small(value) ? "<5" : value;
  if (Object.values(out).includes("<5")) {
    const shown = Object.entries(out)
      .filter((entry): entry is [string, number] => typeof entry[1] === "number" && entry[1] > 0)
      .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
    const next = shown[0];
    if (next) out[next[0]] = "hidden";
  }
  return out;
}

/** A count as published beside its total: "<5" when small, "hidden" when the rest of the total is small (it would reveal those). */
function beside(count: Cell, total: Cell): Cell {
  if (typeof count !== "number") return count;
  if (small(count)) return "<5";
  return typeof total === "number" && small(total - count) ? "hidden" : count;
}

/** Waiting times are published from this many accepted reports: with fewer, the 90th percentile is one case's wait. */
const PERCENTILE_MINIMUM = 10;

/** True when the urgent share would reveal a small number of urgent (or of ordinary) reports. */
function urgentHidden(figures: MonthlyFigures): boolean {
  if (typeof figures.newReports !== "number" || figures.urgentPercent === null) return false;
  const urgent = Math.round((figures.urgentPercent * figures.newReports) / 100);
  return small(urgent) || small(figures.newReports - urgent);
}

/** The waiting times as published: none from fewer than PERCENTILE_MINIMUM acceptances, no count that reveals a few. */
function hiddenWaits(figures: MonthlyFigures): MonthlyFigures["hoursToAcceptance"] {
  const { accepted } = figures.hoursToAcceptance;
  const few = typeof accepted !== "number" || accepted < PERCENTILE_MINIMUM;
  return {
    median: few ? null : figures.hoursToAcceptance.median,
    p90: few ? null : figures.hoursToAcceptance.p90,
    accepted: beside(accepted, figures.newReports),
  };
}

/**
 * The figures as published outside the cases' own office: counts from 1 to 4 read "<5", a second
 * count is hidden where a total would reveal a hidden one, and the urgent share and waiting times
 * are left out when the counts under them are that small.
 */
export function suppressSmallCells(figures: MonthlyFigures): MonthlyFigures {
  const total = figures.newReports;
  const fewReports = small(total);
  return {
    ...figures,
    newReports: fewReports ? "<5" : total,
    byCategory: suppressBreakdown(figures.byCategory),
    byAgeGroup: suppressBreakdown(figures.byAgeGroup),
    byGender: suppressBreakdown(figures.byGender),
    byProvince: suppressBreakdown(figures.byProvince),
    byDestinationCountry: suppressBreakdown(figures.byDestinationCountry),
    urgentPercent: fewReports || urgentHidden(figures) ? null : figures.urgentPercent,
    hoursToAcceptance: hiddenWaits(figures),
    overdueAcceptances: beside(figures.overdueAcceptances, total),
    statusAtMonthEnd: suppressBreakdown(figures.statusAtMonthEnd),
    servicesByType: suppressBreakdown(figures.servicesByType),
    servicesByStage: suppressBreakdown(figures.servicesByStage),
    closedByResolution: suppressBreakdown(figures.closedByResolution),
    referrals: suppressBreakdown(figures.referrals),
  };
}
