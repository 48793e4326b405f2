import { z } from "zod";
import type { AssistanceStage, CaseStatus, Resolution } from "../domain/case.ts";
import type { ServiceType } from "../domain/case-services.ts";
import { referralServicesOf, referralStatusOf } from "../domain/referrals.ts";
import type { FieldCipher } from "../security/field-cipher.ts";
import type { Db, Prisma } from "./database.ts";
import { insertRow, isSqliteUniqueError, type SqlValue, uniqueViolation } from "./direct-sqlite.ts";
import { type DeferredWrite, dualWrite } from "./step-writer.ts";

type CaseCreate = Prisma.CaseUncheckedCreateInput;
/** The columns of a new case: the fields of the model that hold a plain value (relations left out). */
type CaseColumns = {
  [K in keyof CaseCreate as Exclude<CaseCreate[K], undefined> extends SqlValue ? K : never]: CaseCreate[K];
};

/**
 * A new case as `submit` writes it, with or without Prisma: its columns, the offices it is
 * copied to and its first events.
 */
export type NewCaseRow = CaseColumns & {
  copies: Array<{ officeCode: string; createdAt: Date }>;
  events: Array<{
    type: string;
    actor: string;
    fromStatus?: string | null;
    toStatus?: string | null;
    reason?: string | null;
    data?: string | null;
    createdAt: Date;
  }>;
};

/**
 * A case as loaded for a decision: every column, its copies, and the version it was read at.
 * Writes that change status, office, assignee or closure apply only while the case still has
 * that version.
 */
export type CaseRecord = NonNullable<Awaited<ReturnType<CaseStore["load"]>>>;

/** A new referral's columns, as the referral desk decides them. */
export type NewReferralRow = Omit<Prisma.ReferralUncheckedCreateWithoutCaseInput, "createdAt" | "updatedAt">;

/** One line of the append-only case history (no personal data: free text goes to messages). */
export interface CaseEventInput {
  type: string;
  actor: string;
  reason: string;
  fromStatus?: CaseStatus | null;
  toStatus?: CaseStatus | null;
  data?: Record<string, unknown>;
}

/** Who wrote a case message. */
export type MessageDirection = "FROM_REPORTER" | "TO_REPORTER" | "NOTE";

/** The part of a transfer's or an escalation's event data that says where the case went from. */
const MoveData = z.object({ from: z.string().nullish(), moved: z.boolean().optional() });

const MESSAGE_CONTEXT = "case.message";
const SERVICE_CONTEXT = "case.service";

function eventRow(event: CaseEventInput, now: Date) {
  return {
    type: event.type,
    actor: event.actor,
    reason: event.reason,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    data: event.data ? JSON.stringify(event.data) : null,
    createdAt: now,
  };
}

/**
 * The one store of the case aggregate (DESIGN §1). Every write is named for what it means
 * (`accept`, `changeStatus`, `transfer`, `close`, `reopen`, `assign`, `recordService`,
 * `appendMessage`) and returns a deferred write that joins the caller's transaction. Changes of
 * status, office, assignee or closure are conditional on the version the decision was made on
 * and bump it: when another writer got there first, the update finds no row (Prisma P2025), the
 * whole transaction rolls back, and the caller reads the case again. Messages, notes, events,
 * services and key rotation leave the version alone.
 */
export class CaseStore {
  readonly #db: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  /** A case by reference with its copies, for a decision; null when there is none. */
  load(reference: string) {
    return this.#db.case.findUnique({
      where: { reference },
      include: { copies: { select: { officeCode: true }, orderBy: { createdAt: "asc" } } },
    });
  }

  /** A case by id with its copies, for a decision; null when there is none. */
  loadById(id: string) {
    return this.#db.case.findUnique({
      where: { id },
      include: { copies: { select: { officeCode: true }, orderBy: { createdAt: "asc" } } },
    });
  }

  /** The messages of a case in order, decrypted, with how many there are; `latest` limits to the last ones. */
  async messages(caseId: string, latest?: number) {
    const total = await this.#db.caseMessage.count({ where: { caseId } });
    const rows = await this.#db.caseMessage.findMany({
      where: { caseId },
      orderBy: { id: latest === undefined ? "asc" : "desc" },
      ...(latest === undefined ? {} : { take: latest }),
    });
    if (latest !== undefined) rows.reverse();
    return {
      total,
      messages: rows.map((m) => ({
        direction: m.direction as MessageDirection,
        staffId: m.staffId,
        text: this.#cipher.open(m.bodyCipher, MESSAGE_CONTEXT, caseId),
        at: m.createdAt,
      })),
    };
  }

  /** The services recorded on a case, in order, decrypted. */
  async services(caseId: string) {
    const rows = await this.#db.caseService.findMany({ where: { caseId }, orderBy: { id: "asc" } });
    return rows.map((s) => ({
      type: s.type,
      stage: s.stage,
      officeCode: s.officeCode,
      staffId: s.staffId,
      givenOn: s.givenOn,
      provider: s.providerCipher ? this.#cipher.open(s.providerCipher, SERVICE_CONTEXT, caseId) : null,
      note: s.noteCipher ? this.#cipher.open(s.noteCipher, SERVICE_CONTEXT, caseId) : null,
      createdAt: s.createdAt,
    }));
  }

  /** The stages services were recorded under (codes only, no names of services). */
  async servedStages(caseId: string): Promise<string[]> {
    const rows = await this.#db.caseService.findMany({
      where: { caseId },
      distinct: ["stage"],
      select: { stage: true },
    });
    return rows.map((r) => r.stage);
  }

  /** The referrals of a case as the victim's progress reads them (codes only). */
  async referralsOf(caseId: string) {
    const rows = await this.#db.referral.findMany({
      where: { caseId },
      select: { status: true, services: true, providerCode: true, providerNamedToVictim: true },
      orderBy: { createdAt: "asc" },
    });
    return rows.map((row) => ({
      ...row,
      status: referralStatusOf(row.status),
      services: referralServicesOf(row.services),
    }));
  }

  /** True when the case was transferred or escalated away from an office at some point. */
  async movedAwayFrom(caseId: string, officeCode: string): Promise<boolean> {
    const moves = await this.#db.caseEvent.findMany({
      where: { caseId, type: { in: ["TRANSFERRED", "ESCALATED"] } },
      select: { type: true, data: true },
    });
    return moves.some(({ type, data }) => {
      const parsed = MoveData.safeParse(data ? JSON.parse(data) : null);
      return (
        parsed.success && parsed.data.from === officeCode && (type === "TRANSFERRED" || parsed.data.moved === true)
      );
    });
  }

  /** The events of a case in order. */
  events(caseId: string) {
    return this.#db.caseEvent.findMany({ where: { caseId }, orderBy: { id: "asc" } });
  }

  /** The latest change of status, office or assignee: when, and by whom ("staff:<id>", "system"). */
  lastChange(caseId: string) {
    return this.#db.caseEvent.findFirst({
      where: {
        caseId,
        OR: [{ toStatus: { not: null } }, { type: { in: ["TRANSFERRED", "ESCALATED", "ASSIGNED", "UNASSIGNED"] } }],
      },
      orderBy: { id: "desc" },
      select: { actor: true, createdAt: true },
    });
  }

  /** The status a case had when it was last closed, from its history. */
  async statusBeforeClosing(caseId: string): Promise<string | null> {
    const closed = await this.#db.caseEvent.findFirst({
      where: { caseId, type: "CLOSED" },
      orderBy: { id: "desc" },
      select: { fromStatus: true },
    });
    return closed?.fromStatus ?? null;
  }

  /** The write that stores a new, routed case with its copies and first events. */
  submit(data: NewCaseRow): DeferredWrite {
    const { copies, events, ...row } = data;
    return dualWrite(
      (db) =>
        db.case.create({
          data: { ...row, copies: { create: copies }, events: { create: events } },
          select: { id: true },
        }),
      (sql) => {
        try {
          insertRow(sql, "cases", row);
        } catch (error) {
          throw isSqliteUniqueError(error) ? uniqueViolation("Case") : error;
        }
        for (const copy of copies) insertRow(sql, "case_copies", { caseId: row.id, ...copy });
        for (const event of events) insertRow(sql, "case_events", { caseId: row.id, ...event });
        return { id: row.id };
      },
    );
  }

  #versioned(
    record: CaseRecord,
    data: Prisma.CaseUncheckedUpdateInput,
    event: CaseEventInput,
    now: Date,
    more: Pick<Prisma.CaseUncheckedUpdateInput, "copies" | "messages"> = {},
  ): DeferredWrite {
    const where = { id: record.id, version: record.version };
    return (db) =>
      db.case.update({
        where,
        data: {
          ...data,
          ...more,
          updatedAt: now,
          version: { increment: 1 },
          events: { create: eventRow(event, now) },
        },
        select: { id: true },
      });
  }

  /** A staff member takes the case: acknowledged, assigned to them, the acceptance clock stopped. */
  accept(record: CaseRecord, staffId: string, now: Date): DeferredWrite {
    return this.#versioned(
      record,
      {
        status: "ACKNOWLEDGED",
        assistanceStage: null,
        assignedStaffId: staffId,
        assignedAt: now,
        acknowledgedAt: now,
        lastActivityAt: now,
      },
      {
        type: "ACKNOWLEDGED",
        actor: `staff:${staffId}`,
        fromStatus: record.status as CaseStatus,
        toStatus: "ACKNOWLEDGED",
        reason: "status set by staff",
        data: { stage: null, resolution: null },
      },
      now,
    );
  }

  /** A new status (and service stage within ASSISTANCE); the clocks of UU 21/2007 start on first entry. */
  changeStatus(
    record: CaseRecord,
    change: { to: CaseStatus; stage: AssistanceStage | null; actor: string },
    now: Date,
  ): DeferredWrite {
    const { to, stage } = change;
    return this.#versioned(
      record,
      {
        status: to,
        assistanceStage: to === "ASSISTANCE" ? stage : to === "MONITORING" ? record.assistanceStage : null,
        lastActivityAt: now,
        // The clocks start on first entry: UU 21/2007's 7 days, and the check-ins after reintegration.
        ...(to === "ASSISTANCE" && !record.serviceStartedAt ? { serviceStartedAt: now } : {}),
        ...(to === "MONITORING" && !record.monitoringStartedAt ? { monitoringStartedAt: now } : {}),
      },
      {
        type: "STATUS_CHANGED",
        actor: change.actor,
        fromStatus: record.status as CaseStatus,
        toStatus: to,
        reason: to === "ASSISTANCE" ? `assistance stage ${stage}` : "status set by staff",
        data: { stage, resolution: null },
      },
      now,
    );
  }

  /** Closes the case with its resolution; the stage it was in stays recorded for a reopening. */
  close(record: CaseRecord, resolution: Resolution, actor: string, now: Date): DeferredWrite {
    return this.#versioned(
      record,
      { status: "CLOSED", resolution, closedAt: now, lastActivityAt: now },
      {
        type: "CLOSED",
        actor,
        fromStatus: record.status as CaseStatus,
        toStatus: "CLOSED",
        reason: `closed: ${resolution}`,
        data: { stage: record.assistanceStage, resolution },
      },
      now,
    );
  }

  /**
   * Reopens a closed case at the status it had before closing; the reason is kept as an
   * encrypted note (it is free text). Back at ROUTED, the office's acceptance clock starts again.
   */
  reopen(record: CaseRecord, to: CaseStatus, reason: string, staffId: string, now: Date): DeferredWrite {
    return this.#versioned(
      record,
      {
        status: to,
        resolution: null,
        closedAt: null,
        lastActivityAt: now,
        ...(to === "ROUTED" ? { routedAt: now, assignedStaffId: null, assignedAt: null } : {}),
      },
      {
        type: "REOPENED",
        actor: `staff:${staffId}`,
        fromStatus: "CLOSED",
        toStatus: to,
        reason: "reopened by a supervisor (reason in the notes)",
      },
      now,
      { messages: { create: this.#messageRow(record.id, "NOTE", staffId, reason, now) } },
    );
  }

  /** Routes the case to another office: it is accepted there afresh. */
  transfer(
    record: CaseRecord,
    to: { officeCode: string; cardOfficeCode: string | null },
    actor: string,
    now: Date,
  ): DeferredWrite {
    return this.#versioned(
      record,
      {
        officeCode: to.officeCode,
        cardOfficeCode: to.cardOfficeCode,
        status: "ROUTED",
        assistanceStage: null,
        assignedStaffId: null,
        assignedAt: null,
        routedAt: now,
        lastActivityAt: now,
      },
      {
        type: "TRANSFERRED",
        actor,
        fromStatus: record.status as CaseStatus,
        toStatus: "ROUTED",
        reason: `transferred from ${record.officeCode} to ${to.officeCode}`,
        data: { from: record.officeCode, to: to.officeCode, cardOffice: to.cardOfficeCode },
      },
      now,
    );
  }

  /**
   * Escalation (DESIGN §4): a case nobody accepted moves to the target (a change of office,
   * version-checked: if someone accepted it meanwhile, nothing happens); an accepted one is copied.
   */
  escalate(
    record: CaseRecord,
    escalation: { moves: boolean; target: string; cardOfficeCode: string | null; newCopies: string[]; reason: string },
    now: Date,
  ): DeferredWrite {
    const event: CaseEventInput = {
      type: "ESCALATED",
      actor: "system",
      reason: escalation.reason,
      data: {
        from: record.officeCode,
        to: escalation.target,
        moved: escalation.moves,
        cardOffice: escalation.cardOfficeCode,
      },
    };
    const copies = { create: escalation.newCopies.map((officeCode) => ({ officeCode, createdAt: now })) };
    if (escalation.moves) {
      return this.#versioned(
        record,
        {
          escalatedAt: now,
          officeCode: escalation.target,
          routedAt: now,
          cardOfficeCode: escalation.cardOfficeCode,
        },
        event,
        now,
        { copies },
      );
    }
    return (db) =>
      db.case.update({
        where: { id: record.id },
        data: { escalatedAt: now, updatedAt: now, copies, events: { create: eventRow(event, now) } },
        select: { id: true },
      });
  }

  /** Hands the case to a staff member of its office. */
  assign(record: CaseRecord, staffId: string, actor: string, now: Date): DeferredWrite {
    return this.#versioned(
      record,
      { assignedStaffId: staffId, assignedAt: now, lastActivityAt: now },
      {
        type: "ASSIGNED",
        actor,
        reason: `handed from ${record.assignedStaffId ?? "nobody"} to ${staffId}`,
        data: { from: record.assignedStaffId, to: staffId },
      },
      now,
    );
  }

  /** Returns the case to its office's queue (its assignee left). */
  unassign(record: CaseRecord, actor: string, reason: string, now: Date): DeferredWrite {
    return this.#versioned(
      record,
      { assignedStaffId: null, assignedAt: null },
      { type: "UNASSIGNED", actor, reason, data: { from: record.assignedStaffId } },
      now,
    );
  }

  /** Copies the case to another office (it reads and helps; it does not take the case over). */
  copy(
    caseId: string,
    to: { officeCode: string; cardOfficeCode: string | null },
    actor: string,
    now: Date,
  ): DeferredWrite {
    return (db) =>
      db.case.update({
        where: { id: caseId },
        data: {
          updatedAt: now,
          copies: { create: { officeCode: to.officeCode, createdAt: now } },
          events: {
            create: eventRow(
              {
                type: "COPIED",
                actor,
                reason: `copied to ${to.officeCode}`,
                data: { to: to.officeCode, cardOffice: to.cardOfficeCode },
              },
              now,
            ),
          },
        },
        select: { id: true },
      });
  }

  #messageRow(caseId: string, direction: MessageDirection, staffId: string | null, text: string, now: Date) {
    return {
      direction,
      staffId,
      bodyCipher: this.#cipher.seal(text, MESSAGE_CONTEXT, caseId),
      keyId: this.#cipher.currentKeyId,
      createdAt: now,
    };
  }

  /** Adds a message (reporter's words, a staff reply or a note), encrypted, with its event. */
  appendMessage(
    caseId: string,
    message: { direction: MessageDirection; staffId: string | null; text: string },
    event: CaseEventInput,
    now: Date,
    also: Pick<Prisma.CaseUncheckedUpdateInput, "contactOfferedAt"> = {},
  ): DeferredWrite {
    return (db) =>
      db.case.update({
        where: { id: caseId },
        data: {
          ...also,
          updatedAt: now,
          lastActivityAt: now,
          messages: { create: this.#messageRow(caseId, message.direction, message.staffId, message.text, now) },
          events: { create: eventRow(event, now) },
        },
        select: { id: true },
      });
  }

  /** Records a service given to the victim; provider and note are free text and encrypted. */
  recordService(
    caseId: string,
    service: {
      type: ServiceType;
      stage: AssistanceStage;
      officeCode: string;
      staffId: string;
      givenOn: Date;
      provider: string | null;
      note: string | null;
      /** The referral a partner gave it under. */
      referralId?: string | null;
    },
    now: Date,
  ): DeferredWrite {
    const seal = (text: string | null) => (text ? this.#cipher.seal(text, SERVICE_CONTEXT, caseId) : null);
    return (db) =>
      db.case.update({
        where: { id: caseId },
        data: {
          updatedAt: now,
          lastActivityAt: now,
          services: {
            create: {
              type: service.type,
              stage: service.stage,
              officeCode: service.officeCode,
              staffId: service.staffId,
              givenOn: service.givenOn,
              providerCipher: seal(service.provider),
              noteCipher: seal(service.note),
              keyId: this.#cipher.currentKeyId,
              createdAt: now,
              referralId: service.referralId ?? null,
            },
          },
          events: {
            create: eventRow(
              {
                type: "SERVICE_RECORDED",
                actor: `staff:${service.staffId}`,
                reason: `${service.type} (${service.stage}) by ${service.officeCode}`,
              },
              now,
            ),
          },
        },
        select: { id: true },
      });
  }

  /** A referral of the case to a partner provider, with its event (codes only). */
  refer(caseId: string, referral: NewReferralRow, event: CaseEventInput, now: Date): DeferredWrite {
    return (db) =>
      db.case.update({
        where: { id: caseId },
        data: {
          updatedAt: now,
          lastActivityAt: now,
          referrals: { create: { ...referral, createdAt: now, updatedAt: now } },
          events: { create: eventRow(event, now) },
        },
        select: { id: true },
      });
  }

  /**
   * Moves a referral on, only while it still has the status it was read with: of a provider's
   * answer and the deadline passing at the same moment, one finds no row and its transaction rolls back.
   */
  moveReferral(
    referral: { id: string; caseId: string; status: string },
    to: string,
    fields: Pick<
      Prisma.ReferralUncheckedUpdateInput,
      "answeredAt" | "answeredByStaffId" | "declineReason" | "closedAt"
    >,
    event: CaseEventInput,
    now: Date,
  ): DeferredWrite[] {
    return [
      (db) =>
        db.referral.update({
          where: { id: referral.id, status: referral.status },
          // An ended referral frees its case and provider for a new one.
          data: { ...fields, status: to, updatedAt: now, ...(to === "ACCEPTED" ? {} : { openKey: null }) },
          select: { id: true },
        }),
      this.recordEvent(referral.caseId, event, now),
    ];
  }

  /** Appends an event and nothing else. */
  recordEvent(caseId: string, event: CaseEventInput, now: Date): DeferredWrite {
    return (db) => db.caseEvent.create({ data: { caseId, ...eventRow(event, now) }, select: { id: true } });
  }

  /**
   * Changes a column that is neither status, office, assignee nor closure (PINs, flags, the
   * reporter's contact settings), with the event that explains it.
   */
  #annotate(
    caseId: string,
    data: Prisma.CaseUncheckedUpdateInput,
    event: CaseEventInput,
    now: Date,
    activity = false,
  ): DeferredWrite {
    return (db) =>
      db.case.update({
        where: { id: caseId },
        data: {
          ...data,
          updatedAt: now,
          ...(activity ? { lastActivityAt: now } : {}),
          events: { create: eventRow(event, now) },
        },
        select: { id: true },
      });
  }

  /** A new reporter PIN (its hash), issued by staff. */
  setReporterPin(caseId: string, pinHash: string, staffId: string, now: Date): DeferredWrite {
    return this.#annotate(
      caseId,
      { pinHash },
      { type: "PIN_REISSUED", actor: `staff:${staffId}`, reason: "a new reporter PIN was issued" },
      now,
      true,
    );
  }

  /** A victim access PIN (its hash); the previous one stops working. */
  setVictimPin(caseId: string, victimPinHash: string, staffId: string, now: Date): DeferredWrite {
    return this.#annotate(
      caseId,
      { victimPinHash },
      { type: "VICTIM_ACCESS_ISSUED", actor: `staff:${staffId}`, reason: "victim access code issued" },
      now,
    );
  }

  /** Flags a case whose reference drew many failed status look-ups. */
  flagLookups(caseId: string, failures: number, now: Date): DeferredWrite {
    return this.#annotate(
      caseId,
      { lookupFlagged: true },
      {
        type: "LOOKUP_FLAGGED",
        actor: "system",
        reason: `${failures} failed status look-ups from other chats, with no day's pause between them`,
      },
      now,
    );
  }

  /** Records that the emergency PIN opened the status. */
  flagDuress(caseId: string, now: Date): DeferredWrite {
    return (db) =>
      db.case.update({
        where: { id: caseId },
        data: {
          duressUsedAt: now,
          lookupFlagged: true,
          events: {
            create: eventRow(
              { type: "DURESS_PIN_USED", actor: "system", reason: "status opened with the emergency PIN" },
              now,
            ),
          },
        },
        select: { id: true },
      });
  }

  /** Records a reporter's "I do not feel safe" after reintegration. */
  flagRetraffickingRisk(caseId: string, now: Date): DeferredWrite {
    return this.#annotate(
      caseId,
      { retraffickingRiskAt: now, lookupFlagged: true },
      { type: "RETRAFFICKING_RISK", actor: "reporter", reason: "reporter does not feel safe after reintegration" },
      now,
      true,
    );
  }

  /** The reporter asked not to be contacted about this case. */
  optOutOfContact(caseId: string, now: Date): DeferredWrite {
    return this.#annotate(
      caseId,
      { contactPreference: "NONE" },
      { type: "CONTACT_OPT_OUT", actor: "reporter", reason: "the reporter asked not to be contacted" },
      now,
    );
  }

  /** An anonymous reporter typed the case PIN to allow replies in this chat. */
  allowContact(caseId: string, now: Date): DeferredWrite {
    return this.#annotate(
      caseId,
      { contactPreference: "CHAT" },
      {
        type: "CONTACT_ALLOWED",
        actor: "reporter",
        reason: "the anonymous reporter typed the case PIN to allow replies in this chat",
      },
      now,
    );
  }

  /** The reporter withdrew consent to share the report. */
  withdrawConsent(caseId: string, now: Date): DeferredWrite {
    return this.#annotate(
      caseId,
      { consentToShare: false, consentWithdrawnAt: now },
      { type: "CONSENT_WITHDRAWN", actor: "reporter", reason: "the reporter withdrew consent to share the report" },
      now,
    );
  }

  /** The reporter asked to erase their contact details: the chat link and any number go. */
  eraseContact(caseId: string, now: Date): DeferredWrite {
    return this.#annotate(
      caseId,
      { contactCipher: null, contactPreference: "NONE", reporterIdentityId: null },
      { type: "CONTACT_ERASED", actor: "reporter", reason: "the reporter asked to erase their contact details" },
      now,
    );
  }

  /** The reporter set an emergency PIN (its hash). */
  setDuressPin(caseId: string, duressPinHash: string, now: Date): DeferredWrite {
    return this.#annotate(
      caseId,
      { duressPinHash },
      { type: "DURESS_PIN_SET", actor: "reporter", reason: "the reporter set an emergency PIN" },
      now,
    );
  }

  /** The reporter asked for a new PIN from the chat that reported. */
  requestPin(caseId: string, now: Date): DeferredWrite {
    return this.#annotate(
      caseId,
      {},
      {
        type: "PIN_REQUESTED",
        actor: "reporter",
        reason: "the reporter asked for a new PIN from the chat that reported",
      },
      now,
    );
  }

  /**
   * Retention (DESIGN §5): removes the narrative, place details, contact data, reporter link,
   * PINs, messages, attachments and service notes of a closed case; the coded record stays.
   * Conditional on the version read, so a case reopened meanwhile keeps everything.
   */
  purge(record: CaseRecord, days: number, now: Date): Prisma.PrismaPromise<unknown>[] {
    const db = this.#db;
    return [
      db.attachment.deleteMany({ where: { caseId: record.id } }),
      db.caseMessage.deleteMany({ where: { caseId: record.id } }),
      db.caseService.updateMany({ where: { caseId: record.id }, data: { providerCipher: null, noteCipher: null } }),
      db.case.update({
        where: { id: record.id, version: record.version, status: "CLOSED" },
        data: {
          narrativeCipher: null,
          placeCipher: null,
          contactCipher: null,
          reporterIdentityId: null,
          victimPinHash: null,
          duressPinHash: null,
          purgedAt: now,
          updatedAt: now,
          events: {
            create: eventRow({ type: "PURGED", actor: "system", reason: `closed more than ${days} days ago` }, now),
          },
        },
        select: { id: true },
      }),
    ];
  }
}
