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
import { type Db, Prisma } from "./database.ts";

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

/** A case as listPages() reads it: the listing, its id (where the next page starts) and its copies. */
type CaseListingRow = Omit<CaseListing, "status" | "copiedTo"> & {
  id: string;
  status: string;
  copies: Array<{ officeCode: string }>;
};

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

  /** Every case, newest first, with coded columns only (all pages of listPages()). */
  async list(): Promise<CaseListing[]> {
    const all: CaseListing[] = [];
    for await (const page of this.listPages()) all.push(...page);
    return all;
  }

  /**
   * Every case, newest first, with coded columns only, a page at a time: memory stays the same
   * for any number of cases, and the copies of a page are read with one statement under the
   * query compiler's limit of bound values for SQLite (999). Pages follow the last case seen (created before it, or at the same
   * time with a lower id), so a case filed meanwhile is not listed twice nor shifts the pages.
   */
  async *listPages(pageSize = 500): AsyncGenerator<CaseListing[]> {
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const rows: Array<CaseListingRow> = await this.#db.case.findMany({
        where: after
          ? {
              OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
            }
          : {},
        // Both descending, so one backward walk of the (createdAt, id) index serves every page.
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: pageSize,
        select: {
          id: true,
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
      if (rows.length > 0)
        yield rows.map(({ copies, id: _id, ...row }) => ({
          ...row,
          status: toStatus(row.status),
          copiedTo: copies.map((c) => c.officeCode),
        }));
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = { createdAt: last.createdAt, id: last.id };
    }
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
        reporterRole: true,
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
    // Plain SQL that SQLite and PostgreSQL both read, for plans an index can serve at any size: a
    // copy is found by `id IN (the copies' case ids)`, which the planner can join by index (an
    // EXISTS per case made it read every open case). "Not closed" is written for each plan: as
    // `<> 'CLOSED'` the page walks the newest-first index and stops after a page; as the open
    // statuses the count reads only the status index's open entries.
    const narrowed = Prisma.join([...openCasesConditions(query)], " AND ");
    const [counted, page] = await Promise.all([
      this.#db.$queryRaw`SELECT COUNT(*) AS "total" FROM "cases"
        WHERE "status" IN (${Prisma.join(OPEN_STATUSES)}) AND ${narrowed}`,
      this.#db.$queryRaw`SELECT "id" FROM "cases" WHERE "status" <> 'CLOSED' AND ${narrowed}
        ORDER BY "createdAt" DESC, "id" ASC LIMIT ${query.limit} OFFSET ${query.offset}`,
    ]);
    const total = CountRowsSchema.parse(counted)[0]?.total ?? 0;
    const ids = IdRowsSchema.parse(page).map((row) => row.id);
    if (ids.length === 0) return { total, rows: [] };
    // The scope again: a case closed or transferred away since its id was read is left out.
    const rows = await this.#db.case.findMany({
      where: {
        id: { in: ids },
        status: { not: "CLOSED" },
        ...(query.officeCodes === null
          ? {}
          : {
              OR: [
                { officeCode: { in: query.officeCodes } },
                { copies: { some: { officeCode: { in: query.officeCodes } } } },
              ],
            }),
      },
      select: {
        id: true,
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
    });
    const byId = new Map(rows.map(({ id, ...row }) => [id, { ...row, status: toStatus(row.status) }]));
    return { total, rows: ids.flatMap((id) => byId.get(id) ?? []) };
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
  /** Further conditions, all of which must hold (the web inbox's filters). */
  narrow?: OpenCasesNarrowing;
  offset: number;
  limit: number;
}

/** Filters that narrow a list of open cases further; each one given must hold. */
export interface OpenCasesNarrowing {
  status?: CaseStatus;
  urgency?: "URGENT" | "NORMAL";
  category?: string;
  /** The office holding the case. */
  officeCode?: string;
  /** A place: cases in any of these provinces or regencies. */
  place?: { provinceCodes: string[]; regencyCodes: string[] };
  /** A staff member's id, or null for cases nobody accepted or holds. */
  assignedStaffId?: string | null;
  /** Reported on or after this time. */
  createdFrom?: Date;
  /** Reported before this time. */
  createdBefore?: Date;
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

const OPEN_STATUSES = CASE_STATUSES.filter((status) => status !== "CLOSED");
const CountRowsSchema = z.array(z.object({ total: z.coerce.number() }));
const IdRowsSchema = z.array(z.object({ id: z.string() }));

/** The conditions of the web inbox's filters. */
function* narrowingConditions(narrow: OpenCasesNarrowing): Generator<Prisma.Sql> {
  if (narrow.status) yield Prisma.sql`"status" = ${narrow.status}`;
  if (narrow.urgency) yield Prisma.sql`"urgency" = ${narrow.urgency}`;
  if (narrow.category) yield Prisma.sql`"category" = ${narrow.category}`;
  if (narrow.officeCode) yield Prisma.sql`"officeCode" = ${narrow.officeCode}`;
  if (narrow.place) {
    const { provinceCodes, regencyCodes } = narrow.place;
    const places = [
      ...(provinceCodes.length > 0 ? [Prisma.sql`"provinceCode" IN (${Prisma.join(provinceCodes)})`] : []),
      ...(regencyCodes.length > 0 ? [Prisma.sql`"regencyCode" IN (${Prisma.join(regencyCodes)})`] : []),
    ];
    yield places.length > 0 ? Prisma.sql`(${Prisma.join(places, " OR ")})` : Prisma.sql`1 = 0`;
  }
  if (narrow.assignedStaffId === null) yield Prisma.sql`"assignedStaffId" IS NULL`;
  else if (narrow.assignedStaffId) yield Prisma.sql`"assignedStaffId" = ${narrow.assignedStaffId}`;
  if (narrow.createdFrom) yield Prisma.sql`"createdAt" >= ${narrow.createdFrom}`;
  if (narrow.createdBefore) yield Prisma.sql`"createdAt" < ${narrow.createdBefore}`;
}

/** The conditions of `/kasus` besides "not closed": the scope (held or copied) and the filter. */
function* openCasesConditions(query: OpenCasesQuery): Generator<Prisma.Sql> {
  yield Prisma.sql`1 = 1`;
  if (query.officeCodes !== null) {
    const offices = query.officeCodes.length > 0 ? Prisma.join(query.officeCodes) : Prisma.sql`NULL`;
    yield Prisma.sql`("officeCode" IN (${offices})
      OR "id" IN (SELECT "caseId" FROM "case_copies" WHERE "officeCode" IN (${offices})))`;
  }
  yield* narrowingConditions(query.narrow ?? {});
  const filter = query.filter;
  switch (filter.kind) {
    case "mine":
      yield Prisma.sql`"assignedStaffId" = ${filter.staffId}`;
      return;
    case "new":
      yield Prisma.sql`"status" = 'ROUTED'`;
      return;
    case "overdue": {
      const before = (ms: number) => new Date(filter.now.getTime() - ms);
      yield Prisma.sql`(("status" = 'ROUTED' AND "urgency" = 'URGENT' AND "routedAt" < ${before(filter.ackDeadlineMs.URGENT)})
        OR ("status" = 'ROUTED' AND "urgency" = 'NORMAL' AND "routedAt" < ${before(filter.ackDeadlineMs.NORMAL)})
        OR ("status" = 'ASSISTANCE' AND "serviceStartedAt" < ${before(filter.serviceDeadlineMs)}))`;
      return;
    }
    case "status":
      yield Prisma.sql`"status" = ${filter.status}`;
      return;
    case "place":
      yield* narrowingConditions({ place: filter });
      return;
    case "all":
      return;
  }
}
