import { z } from "zod";
import { CHANNEL_KINDS, type ChannelKind } from "../channels/types.ts";
import {
  ASSISTANCE_STAGES,
  type AssistanceStage,
  CASE_STATUSES,
  type CaseStatus,
  REPORTER_ROLES,
  type ReporterRole,
} from "../domain/case.ts";
import type { Db, Prisma } from "./database.ts";

/** The coded columns of a case, safe to list: no personal data. */
export interface CaseListing {
  reference: string;
  status: CaseStatus;
  assistanceStage: string | null;
  urgency: string;
  category: string;
  reporterRole: string;
  provinceCode: string | null;
  regencyCode: string | null;
  country: string | null;
  homeProvinceCode: string | null;
  victimNationality: string | null;
  victimCountry: string | null;
  officeCode: string | null;
  copiedTo: string[];
  language: string;
  lookupFlagged: boolean;
  createdAt: Date;
}

/** What a status look-up needs of a case. */
export interface CaseForLookup {
  id: string;
  reference: string;
  pinHash: string;
  status: CaseStatus;
  assistanceStage: AssistanceStage | null;
  reporterRole: ReporterRole;
  victimPinHash: string | null;
  /** When staff last issued the victim PIN: a fresh one is checked even while the reference waits. */
  victimPinIssuedAt: Date | null;
  duressPinHash: string | null;
  /** The chat that filed the case (null once its contact data was erased): exempt from the reference's budget. */
  reporterIdentityId: string | null;
  officeCode: string | null;
  createdAt: Date;
  lookupFlagged: boolean;
  updatedAt: Date;
}

// Coded columns are plain text in the database; read them back through the domain's enums.
const StatusColumn = z.enum(CASE_STATUSES);
const StageColumn = z.enum(ASSISTANCE_STAGES).nullable();
const RoleColumn = z.enum(REPORTER_ROLES);
const toStatus = (value: string): CaseStatus => StatusColumn.parse(value);

/** Reads of cases and status look-ups; writes go through the step's transaction. */
export class CaseRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The references an identity reported, newest first. */
  async listByReporter(identityId: string): Promise<Array<{ reference: string; createdAt: Date }>> {
    return this.#db.case.findMany({
      where: { reporterIdentityId: identityId },
      orderBy: { createdAt: "desc" },
      select: { reference: true, createdAt: true },
      take: 20,
    });
  }

  /** A case by its reference, for a status look-up. */
  async findForLookup(reference: string): Promise<CaseForLookup | null> {
    const row = await this.#db.case.findUnique({
      where: { reference },
      select: {
        id: true,
        reference: true,
        pinHash: true,
        status: true,
        assistanceStage: true,
        reporterRole: true,
        victimPinHash: true,
        duressPinHash: true,
        reporterIdentityId: true,
        officeCode: true,
        createdAt: true,
        lookupFlagged: true,
        updatedAt: true,
        events: {
          where: { type: "VICTIM_ACCESS_ISSUED" },
          orderBy: { id: "desc" },
          take: 1,
          select: { createdAt: true },
        },
      },
    });
    if (!row) return null;
    const { events, ...lookup } = row;
    return {
      ...lookup,
      victimPinIssuedAt: lookup.victimPinHash === null ? null : (events[0]?.createdAt ?? null),
      status: toStatus(row.status),
      assistanceStage: StageColumn.parse(row.assistanceStage),
      reporterRole: RoleColumn.parse(row.reporterRole),
    };
  }

  /** When an identity's failed look-ups happened since a time (tries of a fresh victim PIN are not counted). */
  async failedLookupsByIdentity(identityId: string, since: Date): Promise<Date[]> {
    const rows = await this.#db.statusLookup.findMany({
      where: { identityId, success: false, freshVictimPinTry: false, createdAt: { gt: since } },
      select: { createdAt: true },
    });
    return rows.map((r) => r.createdAt);
  }

  /** How many wrong tries of a fresh victim PIN an identity made on a reference (any of its hashes) since a time. */
  freshVictimPinTries(identityId: string, referenceHashes: readonly string[], since: Date): Promise<number> {
    return this.#db.statusLookup.count({
      where: {
        identityId,
        referenceHash: { in: [...referenceHashes] },
        success: false,
        freshVictimPinTry: true,
        createdAt: { gte: since },
      },
    });
  }

  /** Every case, newest first, with coded columns only. */
  async list(): Promise<CaseListing[]> {
    const rows = await this.#db.case.findMany({
      orderBy: { createdAt: "desc" },
      select: {
        reference: true,
        status: true,
        assistanceStage: true,
        urgency: true,
        category: true,
        reporterRole: true,
        provinceCode: true,
        regencyCode: true,
        country: true,
        homeProvinceCode: true,
        victimNationality: true,
        victimCountry: true,
        officeCode: true,
        copies: { select: { officeCode: true }, orderBy: { createdAt: "asc" } },
        language: true,
        lookupFlagged: true,
        createdAt: true,
      },
    });
    return rows.map(({ copies, ...row }) => ({
      ...row,
      status: toStatus(row.status),
      copiedTo: copies.map((c) => c.officeCode),
    }));
  }

  /** The channel of a chat identity (to write to a reporter), or null if it no longer exists. */
  async channelOfIdentity(identityId: string): Promise<ChannelKind | null> {
    const row = await this.#db.contactIdentity.findUnique({ where: { id: identityId }, select: { channel: true } });
    return row && (CHANNEL_KINDS as readonly string[]).includes(row.channel) ? (row.channel as ChannelKind) : null;
  }

  /** The reporter's most recent case that is not closed, or null. */
  latestOpenOfReporter(identityId: string) {
    return this.#db.case.findFirst({
      where: { reporterIdentityId: identityId, status: { not: "CLOSED" } },
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        reference: true,
        officeCode: true,
        urgency: true,
        category: true,
        provinceCode: true,
        country: true,
        homeProvinceCode: true,
        victimAgeGroup: true,
        status: true,
        assistanceStage: true,
        regencyCode: true,
        contactPreference: true,
        contactOfferedAt: true,
        pinHash: true,
      },
    });
  }

  /** The cases a chat reported, newest first, with what the reporter's settings change. */
  ofReporter(identityId: string) {
    return this.#db.case.findMany({
      where: { reporterIdentityId: identityId },
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        reference: true,
        pinHash: true,
        victimPinHash: true,
        officeCode: true,
        contactPreference: true,
        consentToShare: true,
        copies: { select: { officeCode: true } },
      },
    });
  }

  /** A follow-up with its case reference, for recording an answer. */
  async followUpForAnswer(id: string) {
    const row = await this.#db.followUp.findUnique({
      where: { id },
      select: { id: true, kind: true, status: true, answer: true, case: { select: { reference: true } } },
    });
    return row
      ? { id: row.id, kind: row.kind, status: row.status, answer: row.answer, caseReference: row.case.reference }
      : null;
  }

  /** How many messages a reporter had passed on to offices since a time. */
  relaysSince(identityId: string, since: Date): Promise<number> {
    return this.#db.caseMessage.count({
      where: { direction: "FROM_REPORTER", createdAt: { gte: since }, case: { reporterIdentityId: identityId } },
    });
  }

  /**
   * One page of the open cases in a scope (every office, or some offices with what was copied to
   * them), filtered, newest first, with the total so a list never stops silently.
   */
  async openCasesPage(query: OpenCasesQuery): Promise<{ total: number; rows: OpenCaseRow[] }> {
    const where = openCasesWhere(query);
    const [total, rows] = await Promise.all([
      this.#db.case.count({ where }),
      this.#db.case.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        skip: query.offset,
        take: query.limit,
        select: {
          reference: true,
          status: true,
          urgency: true,
          category: true,
          provinceCode: true,
          regencyCode: true,
          country: true,
          officeCode: true,
          assignedStaffId: true,
          routedAt: true,
          serviceStartedAt: true,
          createdAt: true,
        },
      }),
    ]);
    return { total, rows: rows.map((row) => ({ ...row, status: toStatus(row.status) })) };
  }
}

/** What `/kasus` asks for: a scope, a filter, a page. */
export interface OpenCasesQuery {
  /** Null for every office; else the offices whose cases (held or copied) are listed. */
  officeCodes: string[] | null;
  filter:
    | { kind: "all" }
    | { kind: "mine"; staffId: string }
    | { kind: "new" }
    | { kind: "overdue"; now: Date; ackDeadlineMs: Record<"URGENT" | "NORMAL", number>; serviceDeadlineMs: number }
    | { kind: "status"; status: CaseStatus }
    | { kind: "place"; provinceCodes: string[]; regencyCodes: string[] };
  offset: number;
  limit: number;
}

/** One open case as `/kasus` lists it (coded columns only). */
export interface OpenCaseRow {
  reference: string;
  status: CaseStatus;
  urgency: string;
  category: string;
  provinceCode: string | null;
  regencyCode: string | null;
  country: string | null;
  officeCode: string | null;
  assignedStaffId: string | null;
  routedAt: Date | null;
  serviceStartedAt: Date | null;
  createdAt: Date;
}

function openCasesWhere(query: OpenCasesQuery): Prisma.CaseWhereInput {
  const scope: Prisma.CaseWhereInput =
    query.officeCodes === null
      ? {}
      : {
          OR: [
            { officeCode: { in: query.officeCodes } },
            { copies: { some: { officeCode: { in: query.officeCodes } } } },
          ],
        };
  const filter = query.filter;
  let narrowed: Prisma.CaseWhereInput = {};
  switch (filter.kind) {
    case "mine":
      narrowed = { assignedStaffId: filter.staffId };
      break;
    case "new":
      narrowed = { status: "ROUTED" };
      break;
    case "overdue": {
      const before = (ms: number) => new Date(filter.now.getTime() - ms);
      narrowed = {
        OR: [
          { status: "ROUTED", urgency: "URGENT", routedAt: { lt: before(filter.ackDeadlineMs.URGENT) } },
          { status: "ROUTED", urgency: "NORMAL", routedAt: { lt: before(filter.ackDeadlineMs.NORMAL) } },
          { status: "ASSISTANCE", serviceStartedAt: { lt: before(filter.serviceDeadlineMs) } },
        ],
      };
      break;
    }
    case "status":
      narrowed = { status: filter.status };
      break;
    case "place":
      narrowed = {
        OR: [{ provinceCode: { in: filter.provinceCodes } }, { regencyCode: { in: filter.regencyCodes } }],
      };
      break;
    case "all":
      break;
  }
  return { AND: [{ status: { not: "CLOSED" } }, scope, narrowed] };
}
