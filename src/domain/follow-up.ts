import { dateFormat } from "../text/date-format.ts";
import type { Urgency } from "./case.ts";

/** The follow-ups the scheduler runs (DESIGN §2 Follow-up). */
export const FOLLOW_UP_KINDS = [
  "ACK_REMINDER",
  "ACK_ESCALATION",
  "STALE_ASSIGNEE",
  "STALE_SUPERVISOR",
  "SERVICE_REMINDER",
  "SERVICE_DEADLINE",
  "REPORTER_CHECKIN",
  "MONITORING_CHECKIN_30",
  "MONITORING_CHECKIN_90",
] as const;
/** One of FOLLOW_UP_KINDS. */
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

/** Follow-ups that write to the reporter: they go out in the reporter's local time, never in quiet hours. */
export const REPORTER_FOLLOW_UPS: ReadonlySet<FollowUpKind> = new Set([
  "REPORTER_CHECKIN",
  "MONITORING_CHECKIN_30",
  "MONITORING_CHECKIN_90",
]);

/** The timings of follow-ups; the acknowledgement deadlines and quiet hours are configurable. */
export interface FollowUpPolicy {
  ackDeadlineMs: Record<Urgency, number>;
  staleAssigneeMs: number;
  staleSupervisorMs: number;
  /** UU 21/2007 Art. 52-53: services within 7 days of the request. */
  serviceDeadlineMs: number;
  serviceReminderBeforeMs: number;
  reporterCheckInMs: number;
  monitoringCheckInsMs: readonly [number, number];
  /** Local hours when nothing is sent to a reporter: [start, end), e.g. 21 to 7. */
  quietHours: { start: number; end: number };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The defaults of the follow-up issue: urgent 30 minutes, normal 24 hours, quiet 21:00-07:00. */
export const DEFAULT_FOLLOW_UP_POLICY: FollowUpPolicy = {
  ackDeadlineMs: { URGENT: 30 * MINUTE, NORMAL: 24 * HOUR },
  staleAssigneeMs: 7 * DAY,
  staleSupervisorMs: 14 * DAY,
  serviceDeadlineMs: 7 * DAY,
  serviceReminderBeforeMs: 2 * DAY,
  reporterCheckInMs: 3 * DAY,
  monitoringCheckInsMs: [30 * DAY, 90 * DAY],
  quietHours: { start: 21, end: 7 },
};

/** What the scheduler knows of a case when it decides which follow-ups are due. */
export interface FollowUpFacts {
  status: string;
  urgency: Urgency;
  routedAt: Date | null;
  serviceStartedAt: Date | null;
  monitoringStartedAt: Date | null;
  /** The latest thing a person (staff or reporter) did on the case. */
  lastActivityAt: Date;
  /** The reporter agreed to be contacted in this chat, still consents, and can be reached. */
  reporterReachable: boolean;
}

/** A follow-up that should exist: its kind, when it is due, and the moment it counts from (its identity). */
export interface PlannedFollowUp {
  kind: FollowUpKind;
  dueAt: Date;
  anchor: Date;
}

/**
 * The follow-ups a case should have now, from its state alone: planning twice plans the same
 * rows (same kind and anchor), so the scheduler can plan on every pass without duplicates.
 */
export function planFollowUps(facts: FollowUpFacts, policy: FollowUpPolicy): PlannedFollowUp[] {
  const planned: PlannedFollowUp[] = [];
  const at = (anchor: Date, ms: number) => new Date(anchor.getTime() + ms);
  if (facts.status === "CLOSED") return planned;
  if (facts.status === "ROUTED" && facts.routedAt) {
    const deadline = policy.ackDeadlineMs[facts.urgency];
    planned.push({ kind: "ACK_REMINDER", dueAt: at(facts.routedAt, deadline / 2), anchor: facts.routedAt });
    planned.push({ kind: "ACK_ESCALATION", dueAt: at(facts.routedAt, deadline), anchor: facts.routedAt });
  }
  if (facts.routedAt && facts.reporterReachable) {
    planned.push({
      kind: "REPORTER_CHECKIN",
      dueAt: at(facts.routedAt, policy.reporterCheckInMs),
      anchor: facts.routedAt,
    });
  }
  if (facts.status !== "ROUTED" && facts.status !== "RECEIVED") {
    planned.push({
      kind: "STALE_ASSIGNEE",
      dueAt: at(facts.lastActivityAt, policy.staleAssigneeMs),
      anchor: facts.lastActivityAt,
    });
    planned.push({
      kind: "STALE_SUPERVISOR",
      dueAt: at(facts.lastActivityAt, policy.staleSupervisorMs),
      anchor: facts.lastActivityAt,
    });
  }
  if (facts.status === "ASSISTANCE" && facts.serviceStartedAt) {
    planned.push({
      kind: "SERVICE_REMINDER",
      dueAt: at(facts.serviceStartedAt, policy.serviceDeadlineMs - policy.serviceReminderBeforeMs),
      anchor: facts.serviceStartedAt,
    });
    planned.push({
      kind: "SERVICE_DEADLINE",
      dueAt: at(facts.serviceStartedAt, policy.serviceDeadlineMs),
      anchor: facts.serviceStartedAt,
    });
  }
  if (facts.status === "MONITORING" && facts.monitoringStartedAt && facts.reporterReachable) {
    const [first, second] = policy.monitoringCheckInsMs;
    planned.push({
      kind: "MONITORING_CHECKIN_30",
      dueAt: at(facts.monitoringStartedAt, first),
      anchor: facts.monitoringStartedAt,
    });
    planned.push({
      kind: "MONITORING_CHECKIN_90",
      dueAt: at(facts.monitoringStartedAt, second),
      anchor: facts.monitoringStartedAt,
    });
  }
  return planned;
}

/** The hour and minute of a moment in a time zone. */
function localClock(at: Date, timeZone: string): { hour: number; minute: number } {
  const parts = dateFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hour: value("hour"), minute: value("minute") };
}

/**
 * The first moment at or after `at` outside the quiet hours of the reporter's time zone
 * (WIB, WITA or WIT from their province): a follow-up due at 23:00 waits until 07:00.
 */
export function nextSendableTime(at: Date, timeZone: string, quiet: FollowUpPolicy["quietHours"]): Date {
  const { hour, minute } = localClock(at, timeZone);
  const inQuiet =
    quiet.start > quiet.end ? hour >= quiet.start || hour < quiet.end : hour >= quiet.start && hour < quiet.end;
  if (!inQuiet) return at;
  const minutesNow = hour * 60 + minute;
  const minutesEnd = quiet.end * 60;
  const wait = (minutesEnd - minutesNow + 24 * 60) % (24 * 60) || 24 * 60;
  const later = new Date(at.getTime() + wait * MINUTE);
  later.setUTCSeconds(0, 0);
  return later;
}
