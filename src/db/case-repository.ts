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
import type { Db } from "./database.ts";

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
  duressPinHash: string | null;
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

  /** How many cases an identity reported since a time. */
  countByReporterSince(identityId: string, since: Date): Promise<number> {
    return this.#db.case.count({ where: { reporterIdentityId: identityId, createdAt: { gte: since } } });
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
        officeCode: true,
        createdAt: true,
        lookupFlagged: true,
        updatedAt: true,
      },
    });
    return row
      ? {
          ...row,
          status: toStatus(row.status),
          assistanceStage: StageColumn.parse(row.assistanceStage),
          reporterRole: RoleColumn.parse(row.reporterRole),
        }
      : null;
  }

  /** When an identity's failed look-ups happened since a time. */
  async failedLookupsByIdentity(identityId: string, since: Date): Promise<Date[]> {
    const rows = await this.#db.statusLookup.findMany({
      where: { identityId, success: false, createdAt: { gt: since } },
      select: { createdAt: true },
    });
    return rows.map((r) => r.createdAt);
  }

  /** How many failed look-ups a reference had since a time, whoever made them, under any of its hashes (one per HMAC key). */
  failedLookupsByReference(referenceHashes: readonly string[], since: Date): Promise<number> {
    return this.#db.statusLookup.count({
      where: { referenceHash: { in: [...referenceHashes] }, success: false, createdAt: { gt: since } },
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

  /** Everything about a case that staff actions and the details view need, by reference. */
  findForStaff(reference: string) {
    return this.#db.case.findUnique({
      where: { reference },
      include: {
        copies: { select: { officeCode: true }, orderBy: { createdAt: "asc" } },
        messages: { orderBy: { id: "asc" } },
      },
    });
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

  /** Open cases an office holds or was copied, or all open cases; newest first. */
  async openCases(officeCode: string | null, limit = 30) {
    const where =
      officeCode === null
        ? { status: { not: "CLOSED" } }
        : { status: { not: "CLOSED" }, OR: [{ officeCode }, { copies: { some: { officeCode } } }] };
    return this.#db.case.findMany({
      where,
      orderBy: { createdAt: "desc" },
      take: limit,
      select: {
        reference: true,
        status: true,
        urgency: true,
        category: true,
        provinceCode: true,
        country: true,
        createdAt: true,
      },
    });
  }
}
