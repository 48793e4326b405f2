import type { OpenCasesNarrowing, OpenCasesQuery } from "../db/case-repository.ts";
import type { CaseFilter, CaseLine, CasePage, StaffActor, StaffChat } from "../domain/staff-actions.ts";
import { listScope } from "../domain/staff-scope.ts";
import { areasNamed } from "../regions/area-names.ts";
import type { CaseDeskDeps } from "./case-desk.ts";
import { Coded, staffNamer } from "./staff-views.ts";

/** How many cases one page of `/kasus` shows; "lagi" shows the next. */
export const CASE_PAGE_SIZE = 10;

/**
 * One page of `/kasus` for a staff member in a chat: their scope (in a group, only the offices
 * that group serves), a filter, newest first, each line with its assignee and next deadline.
 */
export async function listCasePage(
  deps: CaseDeskDeps,
  staff: StaffActor,
  chat: StaffChat,
  filter: CaseFilter,
  offset: number,
  now: Date,
  limit = CASE_PAGE_SIZE,
  narrow: OpenCasesNarrowing = {},
): Promise<CasePage> {
  const groupOffices = chat.inGroup ? await deps.offices.servedByGroup(chat.chatIdentityId) : [];
  const scope = listScope(staff, { inGroup: chat.inGroup, groupOffices });
  const officeCodes = scope.kind === "all" ? null : scope.officeCodes;
  if (officeCodes !== null && officeCodes.length === 0) return { lines: [], total: 0, offset: 0, noScope: true };
  let queryFilter: OpenCasesQuery["filter"];
  switch (filter.kind) {
    case "mine":
      queryFilter = { kind: "mine", staffId: staff.id };
      break;
    case "overdue":
      queryFilter = {
        kind: "overdue",
        now,
        ackDeadlineMs: deps.followUps.ackDeadlineMs,
        serviceDeadlineMs: deps.followUps.serviceDeadlineMs,
      };
      break;
    case "place": {
      const areas = areasNamed(filter.text);
      if (areas.provinceCodes.length === 0 && areas.regencyCodes.length === 0)
        return { lines: [], total: 0, offset: 0, unknownPlace: true };
      queryFilter = { kind: "place", ...areas };
      break;
    }
    default:
      queryFilter = filter;
  }
  const { total, rows } = await deps.cases.openCasesPage({
    officeCodes,
    filter: queryFilter,
    narrow,
    offset,
    limit,
  });
  const nameOf = staffNamer(deps);
  const lines: CaseLine[] = [];
  for (const row of rows) {
    const urgency = Coded.urgency.parse(row.urgency);
    const deadline =
      row.status === "ROUTED" && row.routedAt
        ? { kind: "accept" as const, at: new Date(row.routedAt.getTime() + deps.followUps.ackDeadlineMs[urgency]) }
        : row.status === "ASSISTANCE" && row.serviceStartedAt
          ? {
              kind: "service" as const,
              at: new Date(row.serviceStartedAt.getTime() + deps.followUps.serviceDeadlineMs),
            }
          : null;
    lines.push({
      reference: row.reference,
      status: row.status,
      urgency,
      category: Coded.category.parse(row.category),
      provinceCode: row.provinceCode,
      regencyCode: row.regencyCode,
      country: row.country,
      createdAt: row.createdAt,
      assigneeName: await nameOf(row.assignedStaffId),
      deadline,
      copy: officeCodes !== null && !officeCodes.includes(row.officeCode ?? ""),
    });
  }
  return { lines, total, offset };
}
