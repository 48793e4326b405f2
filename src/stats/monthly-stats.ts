import type { Db } from "../db/database.ts";
import type { AnonymisableCase } from "../domain/anonymised-export.ts";
import { AGE_GROUPS, CASE_STATUSES, CATEGORIES, GENDERS, URGENCIES, type Urgency } from "../domain/case.ts";
import {
  type CaseForStats,
  type MonthlyFigures,
  monthBounds,
  monthlyFigures,
  suppressSmallCells,
} from "../domain/monthly-stats.ts";

/** Whose cases the figures count: one office's, one province's, or every case. */
export type StatsScope = { kind: "office"; code: string } | { kind: "province"; code: string } | { kind: "national" };

/** How to compute one month's figures. */
export interface MonthlyStatsRequest {
  month: string;
  scope: StatsScope;
  /** The office reading them: an office reads its own figures in full, everyone else with small counts hidden. */
  readerOfficeCode: string | null;
  ackDeadlineMs: Readonly<Record<Urgency, number>>;
  now: Date;
}

/** A stored code read back as one of the allowed ones, or the fallback for a value no release wrote. */
export function knownCode<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Reads the coded fields of the scope's cases and computes the month's figures; null for text that is no month. */
export async function loadMonthlyFigures(db: Db, request: MonthlyStatsRequest): Promise<MonthlyFigures | null> {
  const bounds = monthBounds(request.month);
  if (!bounds) return null;
  const { scope } = request;
  const where = {
    createdAt: { lt: bounds.end },
    ...(scope.kind === "office"
      ? { officeCode: scope.code }
      : scope.kind === "province"
        ? { provinceCode: scope.code }
        : {}),
  };
  const rows = await db.case.findMany({
    where,
    select: {
      id: true,
      createdAt: true,
      routedAt: true,
      acknowledgedAt: true,
      closedAt: true,
      urgency: true,
      category: true,
      victimAgeGroup: true,
      victimGender: true,
      provinceCode: true,
      country: true,
      resolution: true,
      status: true,
    },
  });
  const events = await db.caseEvent.findMany({
    where: { toStatus: { not: null }, createdAt: { lt: bounds.end }, case: where },
    select: { caseId: true, fromStatus: true, toStatus: true, createdAt: true },
    orderBy: { id: "asc" },
  });
  const changes = new Map<string, CaseForStats["statusChanges"][number][]>();
  for (const event of events) {
    const list = changes.get(event.caseId) ?? [];
    list.push({
      fromStatus: event.fromStatus ? knownCode(CASE_STATUSES, event.fromStatus, "RECEIVED") : null,
      toStatus: knownCode(CASE_STATUSES, event.toStatus ?? "", "RECEIVED"),
      at: event.createdAt,
    });
    changes.set(event.caseId, list);
  }
  const cases: CaseForStats[] = rows.map((row) => ({
    ...row,
    urgency: knownCode(URGENCIES, row.urgency, "NORMAL"),
    category: knownCode(CATEGORIES, row.category, "OTHER"),
    victimAgeGroup: knownCode(AGE_GROUPS, row.victimAgeGroup, "UNKNOWN"),
    victimGender: knownCode(GENDERS, row.victimGender, "UNKNOWN"),
    status: knownCode(CASE_STATUSES, row.status, "RECEIVED"),
    statusChanges: changes.get(row.id) ?? [],
  }));
  const services = await db.caseService.findMany({
    where: { givenOn: { gte: bounds.start, lt: bounds.end }, case: where },
    select: { type: true, stage: true, givenOn: true },
  });
  const referrals = await db.referral.findMany({
    where: {
      case: where,
      OR: [
        { createdAt: { gte: bounds.start, lt: bounds.end } },
        { answeredAt: { gte: bounds.start, lt: bounds.end } },
        { closedAt: { gte: bounds.start, lt: bounds.end } },
      ],
    },
    select: { createdAt: true, answeredAt: true, declineReason: true, status: true, closedAt: true },
  });
  const figures = monthlyFigures(request.month, cases, services, request.ackDeadlineMs, request.now, referrals);
  const own = scope.kind === "office" && request.readerOfficeCode === scope.code;
  return own ? figures : suppressSmallCells(figures);
}

/** The coded fields the anonymised export reads, of every case or of one year's (in WIB). */
export async function loadAnonymisableCases(db: Db, year: number | null): Promise<AnonymisableCase[]> {
  const from = year === null ? null : monthBounds(`${year}-01`);
  const to = year === null ? null : monthBounds(`${year + 1}-01`);
  const rows = await db.case.findMany({
    where: from && to ? { createdAt: { gte: from.start, lt: to.start } } : {},
    select: {
      createdAt: true,
      victimGender: true,
      victimAgeGroup: true,
      victimNationality: true,
      provinceCode: true,
      category: true,
      country: true,
    },
  });
  return rows.map((row) => ({
    ...row,
    victimGender: knownCode(GENDERS, row.victimGender, "UNKNOWN"),
    victimAgeGroup: knownCode(AGE_GROUPS, row.victimAgeGroup, "UNKNOWN"),
    category: knownCode(CATEGORIES, row.category, "OTHER"),
  }));
}
