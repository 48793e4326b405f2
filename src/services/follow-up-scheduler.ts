import { randomUUID } from "node:crypto";
import type { OutboundMessage } from "../channels/types.ts";
import { actionChoiceId } from "../conversation/action-ids.ts";
import { caseCard, localTime } from "../conversation/notices.ts";
import type { Translate } from "../conversation/ports.ts";
import type { Db } from "../db/database.ts";
import { isRecordNotFound, isUniqueViolation } from "../db/database.ts";
import { StepWriter } from "../db/step-writer.ts";
import { type FollowUpFacts, type FollowUpKind, nextSendableTime, planFollowUps } from "../domain/follow-up.ts";
import type { Language } from "../domain/language.ts";
import { provinceByCode } from "../regions/provinces.ts";
import type { CaseDeskDeps } from "./case-desk.ts";
import type { Clock } from "./clock.ts";
import { type CaseRow, escalateCase, factsOfRow } from "./escalation.ts";
import { OfficeMailer } from "./office-mailer.ts";

/** What the scheduler is built from. */
export interface SchedulerDeps extends CaseDeskDeps {
  db: Db;
  clock: Clock;
  /** Names this instance in its claims, so two instances never run the same follow-up. */
  instanceId: string;
  /** Referrals unanswered past their deadline expire on each tick (each in a conditional transaction). */
  referrals?: { expireDue(): Promise<number> };
}

/** What a due follow-up leads to; the dry run lists these without doing them. */
export type FollowUpAction =
  | { kind: "skip"; why: string }
  | { kind: "postpone"; until: Date; why: string }
  | { kind: "remind-office"; officeCode: string }
  | { kind: "escalate" }
  | { kind: "notify-staff"; to: "assignee" | "supervisors" | "office"; officeCode: string }
  | { kind: "ask-reporter" };

/** One due follow-up as the dry run shows it. */
export interface FollowUpPreview {
  reference: string;
  kind: FollowUpKind;
  dueAt: Date;
  action: FollowUpAction;
}

const CLAIM_MS = 60_000;
const DAY_MS = 24 * 60 * 60_000;

type FollowUpRow = { id: string; caseId: string; kind: string; anchor: Date; dueAt: Date };

/** The columns of an open case the planner reads (`#openCases` selects them). */
interface OpenCase {
  status: string;
  urgency: string;
  routedAt: Date | null;
  serviceStartedAt: Date | null;
  monitoringStartedAt: Date | null;
  lastActivityAt: Date | null;
  createdAt: Date;
  contactPreference: string;
  reporterIdentityId: string | null;
  duressUsedAt: Date | null;
}

/** What the planner needs of an open case; `reachable` holds the reporters' chats that can still be written to. */
function followUpFactsOf(c: OpenCase, reachable: ReadonlySet<string>): FollowUpFacts {
  return {
    status: c.status,
    urgency: c.urgency === "URGENT" ? "URGENT" : "NORMAL",
    routedAt: c.routedAt,
    serviceStartedAt: c.serviceStartedAt,
    monitoringStartedAt: c.monitoringStartedAt,
    lastActivityAt: c.lastActivityAt ?? c.createdAt,
    // After a duress PIN the reporter's chat is not asked anything (the phone may be in other hands).
    reporterReachable:
      c.contactPreference === "CHAT" &&
      c.reporterIdentityId !== null &&
      c.duressUsedAt === null &&
      reachable.has(c.reporterIdentityId),
  };
}

/**
 * Runs follow-ups inside the service (DESIGN §2 Follow-up): it plans the rows each case should
 * have from its state (idempotent: one row per kind and anchor), claims due rows so that several
 * instances never run one twice, and acts in one transaction with the row marked done, so a
 * crash either sends nothing or everything of a follow-up.
 */
export class FollowUpScheduler {
  readonly #deps: SchedulerDeps;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();
  /** Set by stop(): a tick in progress leaves the rest of its work to the next start or another instance. */
  #stopping = false;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  /** Plans and runs what is due now; returns how many follow-ups were acted on. */
  async tick(): Promise<number> {
    const now = this.#deps.clock.now();
    await this.plan(now);
    const done = await this.runDue(now);
    if (!this.#stopping) await this.#deps.referrals?.expireDue();
    return done;
  }

  /** Runs ticks every interval until stopped; a tick still running when the next is due is not doubled. */
  start(intervalMs = 60_000): void {
    this.#stopping = false;
    let busy = false;
    const loop = () => {
      if (busy || this.#stopping) return;
      busy = true;
      this.#running = this.tick()
        .catch((error: unknown) => this.#deps.logger.error({ event: "followups.tick_failed", err: error }))
        .finally(() => {
          busy = false;
        });
    };
    loop();
    this.#timer = setInterval(loop, intervalMs);
    this.#timer.unref();
  }

  /** Stops the loop and waits for a tick in progress, which ends after the follow-up at hand. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  async #openCases() {
    return this.#deps.db.case.findMany({
      where: { status: { not: "CLOSED" }, purgedAt: null },
      select: {
        id: true,
        status: true,
        urgency: true,
        routedAt: true,
        serviceStartedAt: true,
        monitoringStartedAt: true,
        lastActivityAt: true,
        createdAt: true,
        contactPreference: true,
        reporterIdentityId: true,
        duressUsedAt: true,
      },
    });
  }

  /** Creates the follow-up rows open cases should have and do not have yet; returns how many. */
  async plan(now: Date): Promise<number> {
    const { db, followUps } = this.#deps;
    const cases = await this.#openCases();
    if (cases.length === 0) return 0;
    const reachable = await this.#reachableReporters(cases.map((c) => c.reporterIdentityId));
    const existing = await db.followUp.findMany({
      where: { caseId: { in: cases.map((c) => c.id) } },
      select: { caseId: true, kind: true, anchor: true },
    });
    const known = new Set(existing.map((f) => `${f.caseId}|${f.kind}|${f.anchor.getTime()}`));
    let created = 0;
    for (const c of cases) {
      if (this.#stopping) break;
      const planned = planFollowUps(followUpFactsOf(c, reachable), followUps);
      for (const p of planned) {
        if (known.has(`${c.id}|${p.kind}|${p.anchor.getTime()}`)) continue;
        try {
          await db.followUp.create({
            data: {
              id: randomUUID(),
              caseId: c.id,
              kind: p.kind,
              anchor: p.anchor,
              dueAt: p.dueAt,
              status: "PENDING",
              createdAt: now,
            },
            select: { id: true },
          });
          created++;
        } catch (error) {
          // Another instance planned it first.
          if (!isUniqueViolation(error)) throw error;
        }
      }
    }
    return created;
  }

  async #reachableReporters(ids: ReadonlyArray<string | null>): Promise<Set<string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Set();
    const rows = await this.#deps.db.contactIdentity.findMany({
      where: { id: { in: wanted }, unreachableAt: null },
      select: { id: true },
    });
    return new Set(rows.map((r) => r.id));
  }

  async #due(now: Date, limit: number): Promise<FollowUpRow[]> {
    return this.#deps.db.followUp.findMany({
      where: { status: "PENDING", dueAt: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
      orderBy: { dueAt: "asc" },
      take: limit,
      select: { id: true, caseId: true, kind: true, anchor: true, dueAt: true },
    });
  }

  /** Claims and runs due follow-ups; returns how many were acted on (sent, escalated, skipped). */
  async runDue(now: Date, limit = 100): Promise<number> {
    const { db, instanceId, logger } = this.#deps;
    let done = 0;
    for (const followUp of await this.#due(now, limit)) {
      if (this.#stopping) break;
      // A claim is one conditional update: of two instances, only one sees a row count of 1.
      const claim = await db.followUp.updateMany({
        where: { id: followUp.id, status: "PENDING", OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
        data: { claimedBy: instanceId, claimedUntil: new Date(now.getTime() + CLAIM_MS) },
      });
      if (claim.count !== 1) continue;
      try {
        if (await this.#run(followUp, now)) done++;
      } catch (error) {
        logger.error({ event: "followups.run_failed", followUpId: followUp.id, kind: followUp.kind, err: error });
      }
    }
    return done;
  }

  #caseRow(caseId: string): Promise<CaseRow | null> {
    return this.#deps.caseStore.loadById(caseId);
  }

  /** Decides what a due follow-up does now, from the case as it is. */
  async decide(followUp: FollowUpRow, row: CaseRow | null, now: Date): Promise<FollowUpAction> {
    const kind = followUp.kind as FollowUpKind;
    if (!row || row.status === "CLOSED" || row.purgedAt) return { kind: "skip", why: "case closed" };
    const same = (at: Date | null) => at !== null && at.getTime() === followUp.anchor.getTime();
    switch (kind) {
      case "ACK_REMINDER":
      case "ACK_ESCALATION":
        if (row.status !== "ROUTED" || !same(row.routedAt)) return { kind: "skip", why: "accepted or routed again" };
        return kind === "ACK_REMINDER"
          ? { kind: "remind-office", officeCode: row.officeCode ?? this.#deps.matrix.fallback }
          : { kind: "escalate" };
      case "STALE_ASSIGNEE":
      case "STALE_SUPERVISOR":
        if (!same(row.lastActivityAt ?? row.createdAt)) return { kind: "skip", why: "activity since" };
        return {
          kind: "notify-staff",
          to: kind === "STALE_ASSIGNEE" ? (row.assignedStaffId ? "assignee" : "office") : "supervisors",
          officeCode: row.officeCode ?? this.#deps.matrix.fallback,
        };
      case "SERVICE_REMINDER":
      case "SERVICE_DEADLINE":
        if (row.status !== "ASSISTANCE" || !same(row.serviceStartedAt))
          return { kind: "skip", why: "no longer in assistance" };
        return {
          kind: "notify-staff",
          to: row.assignedStaffId ? "assignee" : "office",
          officeCode: row.officeCode ?? this.#deps.matrix.fallback,
        };
      case "REPORTER_CHECKIN":
      case "MONITORING_CHECKIN_30":
      case "MONITORING_CHECKIN_90": {
        if (kind !== "REPORTER_CHECKIN" && (row.status !== "MONITORING" || !same(row.monitoringStartedAt))) {
          return { kind: "skip", why: "no longer in monitoring" };
        }
        const reachable =
          row.contactPreference === "CHAT" &&
          row.reporterIdentityId !== null &&
          (await this.#reachableReporters([row.reporterIdentityId])).has(row.reporterIdentityId);
        if (!reachable) return { kind: "skip", why: "reporter cannot or does not want to be contacted" };
        const zone = provinceByCode(row.provinceCode ?? row.homeProvinceCode ?? "")?.timeZone ?? "Asia/Jakarta";
        const sendable = nextSendableTime(now, zone, this.#deps.followUps.quietHours);
        if (sendable.getTime() > now.getTime())
          return { kind: "postpone", until: sendable, why: "quiet hours in the reporter's time zone" };
        return { kind: "ask-reporter" };
      }
    }
  }

  async #run(followUp: FollowUpRow, now: Date): Promise<boolean> {
    const { db, instanceId } = this.#deps;
    const row = await this.#caseRow(followUp.caseId);
    const action = await this.decide(followUp, row, now);
    const writer = new StepWriter();
    const mailer = new OfficeMailer({ ...this.#deps, fallbackOffice: this.#deps.matrix.fallback }, writer, now);
    if (action.kind === "postpone") {
      writer.add((d) =>
        d.followUp.update({
          where: { id: followUp.id, claimedBy: instanceId },
          data: { dueAt: action.until, claimedBy: null, claimedUntil: null },
          select: { id: true },
        }),
      );
      await writer.commit(db);
      return false;
    }
    if (row && action.kind !== "skip") await this.#act(action, followUp, row, writer, mailer, now);
    // Marked done in the same transaction as what it sent: only the claiming instance can.
    writer.add((d) =>
      d.followUp.update({
        where: { id: followUp.id, claimedBy: instanceId },
        data: { status: action.kind === "skip" ? "SKIPPED" : "DONE", doneAt: now, claimedUntil: null },
        select: { id: true },
      }),
    );
    try {
      await writer.commit(db);
    } catch (error) {
      if (!isRecordNotFound(error)) throw error;
      // The case changed after it was read (staff accepted it as it escalated): nothing happened;
      // the follow-up is released to be decided again on the case as it is now.
      await db.followUp.updateMany({
        where: { id: followUp.id, claimedBy: instanceId },
        data: { claimedBy: null, claimedUntil: null },
      });
      this.#deps.logger.info({ event: "followups.case_changed", followUpId: followUp.id, kind: followUp.kind });
      return false;
    }
    this.#deps.logger.info({
      event: "followups.ran",
      followUpId: followUp.id,
      kind: followUp.kind,
      action: action.kind,
    });
    return true;
  }

  async #act(
    action: FollowUpAction,
    followUp: FollowUpRow,
    row: CaseRow,
    writer: StepWriter,
    mailer: OfficeMailer,
    now: Date,
  ) {
    const kind = followUp.kind as FollowUpKind;
    const facts = factsOfRow(row);
    const event = (type: string, reason: string) =>
      writer.add(this.#deps.caseStore.recordEvent(row.id, { type, actor: "system", reason }, now));
    const zoneProvince = row.provinceCode ?? row.homeProvinceCode;
    if (action.kind === "remind-office") {
      const office = (await this.#deps.offices.get(action.officeCode))?.name ?? action.officeCode;
      const acceptBy = localTime(
        new Date(followUp.anchor.getTime() + this.#deps.followUps.ackDeadlineMs[facts.urgency]),
        zoneProvince,
        "id",
      );
      await mailer.send(
        action.officeCode,
        (t, viaFallback) => caseCard(t, facts, { reason: "REMINDER", officeName: office, viaFallback, acceptBy }),
        row.id,
      );
      event("ACK_REMINDER", "not accepted at half the acceptance deadline");
      return;
    }
    if (action.kind === "escalate") {
      await escalateCase(this.#deps, writer, mailer, now, row, "ACK_DEADLINE");
      return;
    }
    if (action.kind === "ask-reporter") {
      // The phone may be in the trafficker's hands once the duress PIN was used: no question goes to it.
      if (row.duressUsedAt) {
        event("CHECKIN_WITHHELD", "duress PIN used");
        return;
      }
      const identityId = row.reporterIdentityId as string;
      const channel = await this.#deps.cases.channelOfIdentity(identityId);
      if (!channel) return;
      const language: Language = row.language === "en" ? "en" : "id";
      const message = checkInMessage(this.#deps.translate(language), kind, followUp.id, row.reference);
      writer.add(this.#deps.outbox.enqueueWrite(identityId, channel, [message], now));
      event("CHECKIN_SENT", kind);
      return;
    }
    if (action.kind === "notify-staff") {
      const days = Math.round((now.getTime() - followUp.anchor.getTime()) / DAY_MS);
      const serviceEnd = localTime(
        new Date((row.serviceStartedAt ?? now).getTime() + this.#deps.followUps.serviceDeadlineMs),
        zoneProvince,
        "id",
      );
      const office = (await this.#deps.offices.get(action.officeCode))?.name ?? action.officeCode;
      const render = (t: Translate): OutboundMessage => ({
        text:
          kind === "SERVICE_REMINDER"
            ? t("staff:followUp.serviceReminder", { reference: row.reference, time: serviceEnd })
            : kind === "SERVICE_DEADLINE"
              ? t("staff:followUp.serviceDeadline", { reference: row.reference, time: serviceEnd })
              : kind === "STALE_SUPERVISOR"
                ? t("staff:followUp.staleSupervisor", { reference: row.reference, office, days })
                : t("staff:followUp.stale", { reference: row.reference, days }),
        choices: [{ id: actionChoiceId("det", row.reference), label: t("staff:card.details") }],
      });
      await this.#notifyStaff(action, row, render, writer, mailer, now);
      event(
        kind === "SERVICE_REMINDER" || kind === "SERVICE_DEADLINE" ? kind : "STALE_REMINDER",
        `${kind} (${action.to})`,
      );
    }
  }

  /** Staff notices go to the assignee's own chat, the office's supervisors, or the office's destination. */
  async #notifyStaff(
    action: Extract<FollowUpAction, { kind: "notify-staff" }>,
    row: CaseRow,
    render: (t: Translate) => OutboundMessage,
    writer: StepWriter,
    mailer: OfficeMailer,
    now: Date,
  ): Promise<void> {
    const { staff, translate, outbox, cases } = this.#deps;
    const members = [];
    if (action.to === "assignee" && row.assignedStaffId) {
      const member = await staff.get(row.assignedStaffId);
      if (member?.active && member.identityId) members.push(member);
    }
    if (action.to === "supervisors") {
      const all = await staff.list();
      const ofOffice = all.filter(
        (m) => m.active && m.identityId && m.role === "SUPERVISOR" && m.officeCode === action.officeCode,
      );
      members.push(
        ...(ofOffice.length > 0 ? ofOffice : all.filter((m) => m.active && m.identityId && m.role === "NATIONAL")),
      );
    }
    let reached = false;
    for (const member of members) {
      const channel = await cases.channelOfIdentity(member.identityId as string);
      if (!channel) continue;
      writer.add(
        outbox.enqueueWrite(
          member.identityId as string,
          channel,
          [render(translate(member.language))],
          now,
          action.officeCode,
          row.id,
        ),
      );
      reached = true;
    }
    if (!reached) await mailer.send(action.officeCode, (t) => render(t), row.id);
  }

  /** What would run now, and why, without doing it (admin followups --dry-run). */
  async preview(now: Date): Promise<FollowUpPreview[]> {
    const { db, followUps } = this.#deps;
    const cases = await this.#openCases();
    const reachable = await this.#reachableReporters(cases.map((c) => c.reporterIdentityId));
    const existing = await db.followUp.findMany({
      where: { caseId: { in: cases.map((c) => c.id) } },
      select: { id: true, caseId: true, kind: true, anchor: true, dueAt: true, status: true },
    });
    const byKey = new Map(existing.map((f) => [`${f.caseId}|${f.kind}|${f.anchor.getTime()}`, f]));
    const previews: FollowUpPreview[] = [];
    for (const c of cases) {
      if (this.#stopping) break;
      const planned = planFollowUps(followUpFactsOf(c, reachable), followUps);
      for (const p of planned) {
        const row = byKey.get(`${c.id}|${p.kind}|${p.anchor.getTime()}`);
        const dueAt = row?.dueAt ?? p.dueAt;
        if ((row && row.status !== "PENDING") || dueAt.getTime() > now.getTime()) continue;
        const caseRow = await this.#caseRow(c.id);
        const followUp = { id: row?.id ?? "(planned)", caseId: c.id, kind: p.kind, anchor: p.anchor, dueAt };
        previews.push({
          reference: caseRow?.reference ?? c.id,
          kind: p.kind,
          dueAt,
          action: await this.decide(followUp, caseRow, now),
        });
      }
    }
    return previews.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }
}

/** The question a check-in asks the reporter; its first line names nothing (lock screens show it). */
export function checkInMessage(
  t: Translate,
  kind: FollowUpKind,
  followUpId: string,
  reference: string,
): OutboundMessage {
  if (kind === "REPORTER_CHECKIN") {
    return {
      text: t("privacy:checkIn.question", { reference }),
      choices: [
        { id: `f:${followUpId}:yes`, label: t("privacy:checkIn.yes") },
        { id: `f:${followUpId}:no`, label: t("privacy:checkIn.no") },
      ],
    };
  }
  return {
    text: t("privacy:monitoring.question", { reference }),
    choices: [
      { id: `f:${followUpId}:safe`, label: t("privacy:monitoring.safe") },
      { id: `f:${followUpId}:unsafe`, label: t("privacy:monitoring.unsafe") },
    ],
  };
}
