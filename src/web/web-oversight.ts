import { CASE_STATUSES, type CaseStatus } from "../domain/case.ts";
import type { CasePage, StaffActor } from "../domain/staff-actions.ts";
import { supervises } from "../domain/staff-scope.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { listCasePage } from "../services/staff-case-list.ts";
import { staffNamer } from "../services/staff-views.ts";
import type { WebDeskDeps } from "./web-desk.ts";

/** How many overdue cases the overview lists, and audit rows a page shows. */
export const OVERVIEW_OVERDUE = 25;
export const AUDIT_PAGE_SIZE = 50;

const OPEN: readonly CaseStatus[] = CASE_STATUSES.filter((status) => status !== "CLOSED");

/** One office's open cases on the supervisor overview. */
export interface OfficeCounts {
  officeCode: string;
  officeName: string;
  byStatus: Record<string, number>;
  open: number;
  unassigned: number;
}

/** What a supervisor (their office) or national staff (every office) sees at a glance. */
export interface Overview {
  offices: OfficeCounts[];
  /** The same counts over all offices of the scope. */
  totals: OfficeCounts;
  /** The oldest overdue cases come last; the newest first, as in the inbox. */
  overdue: CasePage;
  /** Open cases held by each active staff member of the scope, the busiest first. */
  workload: Array<{ staffId: string; name: string; officeCode: string; open: number }>;
}

/** The offices a supervisor oversees (their own), or null for national staff (all); agents oversee none. */
export function oversightScope(staff: StaffActor): string[] | null | "none" {
  if (!supervises(staff.role)) return "none";
  return staff.role === "NATIONAL" ? null : [staff.officeCode];
}

/** The supervisor overview: open cases by office and status, those nobody holds, overdue ones, and workload. */
export async function overviewFor(deps: WebDeskDeps, staff: StaffActor, offices: string[] | null): Promise<Overview> {
  const db = deps.db;
  const now = deps.clock.now();
  const inScope = offices === null ? {} : { officeCode: { in: offices } };
  const grouped = await db.case.groupBy({
    by: ["officeCode", "status"],
    where: { status: { in: [...OPEN] }, ...inScope },
    _count: { _all: true },
  });
  const unassigned = await db.case.groupBy({
    by: ["officeCode"],
    where: { status: { in: [...OPEN] }, assignedStaffId: null, ...inScope },
    _count: { _all: true },
  });
  const names = new Map((await deps.offices.list()).map((office) => [office.code, office.name]));
  const byOffice = new Map<string, OfficeCounts>();
  const countsOf = (code: string) => {
    let counts = byOffice.get(code);
    if (!counts) {
      counts = { officeCode: code, officeName: names.get(code) ?? code, byStatus: {}, open: 0, unassigned: 0 };
      byOffice.set(code, counts);
    }
    return counts;
  };
  for (const office of offices ?? []) countsOf(office);
  const totals: OfficeCounts = { officeCode: "", officeName: "", byStatus: {}, open: 0, unassigned: 0 };
  for (const row of grouped) {
    const counts = countsOf(row.officeCode ?? "-");
    for (const target of [counts, totals]) {
      target.byStatus[row.status] = (target.byStatus[row.status] ?? 0) + row._count._all;
      target.open += row._count._all;
    }
  }
  for (const row of unassigned) {
    countsOf(row.officeCode ?? "-").unassigned += row._count._all;
    totals.unassigned += row._count._all;
  }
  // Like the counts, the cases the office holds (not those it received a copy of).
  const overdue = await listCasePage(
    deps,
    staff,
    { chatIdentityId: "", inGroup: false },
    { kind: "overdue" },
    0,
    now,
    OVERVIEW_OVERDUE,
    offices?.length === 1 ? { officeCode: offices[0] as string } : {},
  );
  const held = await db.case.groupBy({
    by: ["assignedStaffId"],
    where: { status: { in: [...OPEN] }, assignedStaffId: { not: null }, ...inScope },
    _count: { _all: true },
  });
  const heldBy = new Map(held.map((row) => [row.assignedStaffId ?? "", row._count._all]));
  const members = (await deps.staff.list()).filter(
    (member) => member.active && (offices === null || offices.includes(member.officeCode)),
  );
  const workload = members
    .map((member) => ({
      staffId: member.id,
      name: member.name,
      officeCode: member.officeCode,
      open: heldBy.get(member.id) ?? 0,
    }))
    .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name, "id"));
  return {
    offices: [...byOffice.values()].sort((a, b) => b.open - a.open || a.officeName.localeCompare(b.officeName, "id")),
    totals,
    overdue,
    workload,
  };
}

/** The audit screen's filters. */
export interface AuditQuery {
  staffId?: string;
  /** A case's id (the reference as typed is resolved first). */
  caseId?: string;
  /** The start of an action's name ("case.", "web.logged_in"). */
  action?: string;
  from?: Date;
  before?: Date;
  page: number;
}

/** One page of the audit log. */
export interface AuditPage {
  lines: AuditLine[];
  total: number;
  offset: number;
}

/** One audit row as the screen shows it. */
export interface AuditLine {
  at: Date;
  /** A staff member's name, or the kind of actor (a chat, an admin, the system). */
  who: string;
  action: string;
  reference: string | null;
  detail: string | null;
}

/**
 * One page of the audit log, newest first: for a supervisor the rows about their office's cases
 * and by their office's staff; for national staff all rows.
 */
export async function auditPageFor(deps: WebDeskDeps, offices: string[] | null, query: AuditQuery): Promise<AuditPage> {
  const conditions: Prisma.Sql[] = [Prisma.sql`1 = 1`];
  if (offices !== null) {
    const codes = Prisma.join(offices);
    const actors = (await deps.staff.list())
      .filter((member) => offices.includes(member.officeCode))
      .map((member) => `staff:${member.id}`);
    conditions.push(
      Prisma.sql`("caseId" IN (SELECT "id" FROM "cases" WHERE "officeCode" IN (${codes}))${
        actors.length > 0 ? Prisma.sql` OR "actor" IN (${Prisma.join(actors)})` : Prisma.empty
      })`,
    );
  }
  if (query.staffId) conditions.push(Prisma.sql`"actor" = ${`staff:${query.staffId}`}`);
  if (query.caseId) conditions.push(Prisma.sql`"caseId" = ${query.caseId}`);
  // The typed start of a name, with LIKE's own characters escaped ("web.logged_in" has one).
  if (query.action)
    conditions.push(Prisma.sql`"action" LIKE ${`${query.action.replace(/[%_\\]/g, "\\$&")}%`} ESCAPE '\\'`);
  if (query.from) conditions.push(Prisma.sql`"createdAt" >= ${query.from}`);
  if (query.before) conditions.push(Prisma.sql`"createdAt" < ${query.before}`);
  const where = Prisma.join(conditions, " AND ");
  const offset = (Math.max(1, query.page) - 1) * AUDIT_PAGE_SIZE;
  const [counted, rows] = await Promise.all([
    deps.db.$queryRaw<Array<{ total: number | bigint }>>`SELECT COUNT(*) AS "total" FROM "audit_log" WHERE ${where}`,
    deps.db.$queryRaw<
      Array<{
        id: number;
        actor: string;
        action: string;
        caseId: string | null;
        detail: string | null;
        createdAt: Date | string;
      }>
    >`
      SELECT "id", "actor", "action", "caseId", "detail", "createdAt" FROM "audit_log" WHERE ${where}
      ORDER BY "id" DESC LIMIT ${AUDIT_PAGE_SIZE} OFFSET ${offset}`,
  ]);
  const nameOf = staffNamer(deps);
  const references = new Map<string, string | null>();
  const lines: AuditLine[] = [];
  for (const row of rows) {
    if (row.caseId && !references.has(row.caseId))
      references.set(row.caseId, (await deps.caseStore.loadById(row.caseId))?.reference ?? null);
    lines.push({
      at: row.createdAt instanceof Date ? row.createdAt : new Date(row.createdAt),
      who: row.actor.startsWith("staff:")
        ? ((await nameOf(row.actor.slice("staff:".length))) ?? row.actor)
        : (row.actor.split(":")[0] ?? row.actor),
      action: row.action,
      reference: row.caseId ? (references.get(row.caseId) ?? null) : null,
      detail: row.detail,
    });
  }
  return { lines, total: Number(counted[0]?.total ?? 0), offset };
}
