import { z } from "zod";
import type { CaseRecord } from "../db/case-store.ts";
import {
  AGE_GROUPS,
  ASSISTANCE_STAGES,
  CASE_STATUSES,
  CATEGORIES,
  CONTACT_PREFERENCES,
  GENDERS,
  IndicatorsSchema,
  REPORTER_ROLES,
  RESOLUTIONS,
  URGENCIES,
  VICTIM_COUNTS,
} from "../domain/case.ts";
import { SERVICE_TYPES } from "../domain/case-services.ts";
import type { CaseDetails, CaseFacts, CaseStateNow, HistoryEntry, ServiceEntry } from "../domain/staff-actions.ts";
import type { CaseDeskDeps } from "./case-desk.ts";

/** Coded columns are plain text in the database; they are read back through the domain's enums. */
export const Coded = {
  status: z.enum(CASE_STATUSES),
  stage: z.enum(ASSISTANCE_STAGES).nullable(),
  resolution: z.enum(RESOLUTIONS).nullable(),
  urgency: z.enum(URGENCIES),
  category: z.enum(CATEGORIES),
  age: z.enum(AGE_GROUPS),
  gender: z.enum(GENDERS),
  count: z.enum(VICTIM_COUNTS),
  role: z.enum(REPORTER_ROLES),
  contact: z.enum(CONTACT_PREFERENCES),
  service: z.enum(SERVICE_TYPES),
};

/** The coded facts of a case: what a card shows. */
export function factsOf(row: CaseRecord): CaseFacts {
  return {
    reference: row.reference,
    status: Coded.status.parse(row.status),
    assistanceStage: Coded.stage.parse(row.assistanceStage),
    urgency: Coded.urgency.parse(row.urgency),
    category: Coded.category.parse(row.category),
    provinceCode: row.provinceCode,
    regencyCode: row.regencyCode,
    country: row.country,
    homeProvinceCode: row.homeProvinceCode,
    victimAgeGroup: Coded.age.parse(row.victimAgeGroup),
    officeCode: row.officeCode,
  };
}

type ViewDeps = Pick<CaseDeskDeps, "cipher" | "offices" | "staff" | "caseStore">;

/** Names staff by id, each looked up once. */
export function staffNamer(deps: Pick<CaseDeskDeps, "staff">): (id: string | null) => Promise<string | null> {
  const names = new Map<string, string>();
  return async (id) => {
    if (!id) return null;
    if (!names.has(id)) names.set(id, (await deps.staff.get(id))?.name ?? "-");
    return names.get(id) ?? null;
  };
}

/** Who an actor string names, as staff read it: a staff member's name, or null for the system and the reporter. */
async function actorName(actor: string, nameOf: (id: string | null) => Promise<string | null>): Promise<string | null> {
  if (actor.startsWith("staff:")) return nameOf(actor.slice("staff:".length));
  if (actor.startsWith("admin")) return actor;
  return null;
}

/** The case as it stands now, with who last changed its status, office or assignee. */
export async function stateNow(deps: ViewDeps, row: CaseRecord): Promise<CaseStateNow> {
  const nameOf = staffNamer(deps);
  const change = await deps.caseStore.lastChange(row.id);
  return {
    reference: row.reference,
    status: Coded.status.parse(row.status),
    stage: Coded.stage.parse(row.assistanceStage),
    resolution: Coded.resolution.parse(row.resolution),
    officeName: row.officeCode ? ((await deps.offices.get(row.officeCode))?.name ?? row.officeCode) : null,
    assigneeName: await nameOf(row.assignedStaffId),
    changedAt: change?.createdAt ?? row.updatedAt,
    changedBy: change ? await actorName(change.actor, nameOf) : null,
    provinceCode: row.provinceCode ?? row.homeProvinceCode,
  };
}

const MESSAGES_IN_DETAILS = 10;

/**
 * Decrypts everything staff may see of a case; callers audit the view. An office that only
 * received a copy sees the notes but not the reporter's contact details or the exchange with them,
 * which stay with the responsible office.
 */
export async function caseDetailsOf(deps: ViewDeps, row: CaseRecord, copyView = false): Promise<CaseDetails> {
  const { cipher, offices, caseStore: store } = deps;
  const nameOf = staffNamer(deps);
  const { total, messages: latest } = await store.messages(row.id, copyView ? undefined : MESSAGES_IN_DETAILS);
  const visible = copyView ? latest.filter((m) => m.direction === "NOTE").slice(-MESSAGES_IN_DETAILS) : latest;
  const messages: CaseDetails["messages"] = [];
  for (const m of visible) {
    messages.push({ direction: m.direction, text: m.text, at: m.at, staffName: await nameOf(m.staffId) });
  }
  return {
    ...factsOf(row),
    reporterRole: Coded.role.parse(row.reporterRole),
    indicators: IndicatorsSchema.parse(JSON.parse(row.indicators)),
    victimGender: Coded.gender.parse(row.victimGender),
    victimCount: Coded.count.parse(row.victimCount),
    narrative: row.narrativeCipher ? cipher.open(row.narrativeCipher, "case.narrative", row.id) : null,
    placeDetail: row.placeCipher
      ? PlaceDetailSchema.parse(cipher.openJson(row.placeCipher, "case.place", row.id))
      : null,
    contactPreference: Coded.contact.parse(row.contactPreference),
    contactNumber: !copyView && row.contactCipher ? cipher.open(row.contactCipher, "case.contact", row.id) : null,
    copiedTo: row.copies.map((c) => c.officeCode),
    officeName: row.officeCode ? ((await offices.get(row.officeCode))?.name ?? row.officeCode) : null,
    assignedStaffName: await nameOf(row.assignedStaffId),
    messages,
    messageCount: copyView ? messages.length : total,
    services: await servicesOf(deps, row.id, nameOf),
    copyView,
    createdAt: row.createdAt,
  };
}

async function servicesOf(
  deps: ViewDeps,
  caseId: string,
  nameOf: (id: string | null) => Promise<string | null>,
): Promise<ServiceEntry[]> {
  const entries: ServiceEntry[] = [];
  for (const s of await deps.caseStore.services(caseId)) {
    entries.push({
      type: Coded.service.parse(s.type),
      stage: z.enum(ASSISTANCE_STAGES).parse(s.stage),
      givenOn: s.givenOn,
      recordedAt: s.createdAt,
      provider: s.provider,
      note: s.note,
      staffName: await nameOf(s.staffId),
      officeCode: s.officeCode,
    });
  }
  return entries;
}

/** How many history entries one page shows. */
export const HISTORY_PAGE_SIZE = 15;

/**
 * The whole timeline of a case, oldest first: status changes, transfers, copies, escalations
 * with who and when, notes and messages both ways, services. A copy office's view leaves out the
 * exchange with the reporter, as its details do.
 */
export async function caseHistoryOf(deps: ViewDeps, row: CaseRecord, copyView: boolean): Promise<HistoryEntry[]> {
  const nameOf = staffNamer(deps);
  const entries: HistoryEntry[] = [];
  for (const event of await deps.caseStore.events(row.id)) {
    // Messages and services have entries of their own, with their words.
    if (["REPORTER_MESSAGE", "REPLY_SENT", "NOTE_ADDED", "SERVICE_RECORDED"].includes(event.type)) continue;
    entries.push({
      at: event.createdAt,
      kind: "event",
      type: event.type,
      who: await actorName(event.actor, nameOf),
      fromStatus: event.fromStatus ? Coded.status.parse(event.fromStatus) : null,
      toStatus: event.toStatus ? Coded.status.parse(event.toStatus) : null,
      detail: event.type === "ASSIGNED" ? await nameOf(assignee(event.data)) : eventDetail(event.type, event.data),
    });
  }
  for (const m of (await deps.caseStore.messages(row.id)).messages) {
    if (copyView && m.direction !== "NOTE") continue;
    entries.push({ at: m.at, kind: "message", type: m.direction, who: await nameOf(m.staffId), text: m.text });
  }
  for (const s of await servicesOf(deps, row.id, nameOf)) {
    entries.push({
      at: s.recordedAt,
      kind: "service",
      type: s.type,
      who: s.staffName,
      detail: s.stage,
      text: [s.givenOn.toISOString().slice(0, 10), s.provider, s.note].filter(Boolean).join(" · "),
    });
  }
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The staff id an ASSIGNED event handed the case to. */
function assignee(data: string | null): string | null {
  const parsed = z.looseObject({ to: z.string().nullish() }).safeParse(data ? JSON.parse(data) : null);
  return parsed.success ? (parsed.data.to ?? null) : null;
}

/** The office codes and resolution an event's data names, for its line in the history. */
function eventDetail(type: string, data: string | null): string | null {
  if (!data) return null;
  const parsed = z
    .looseObject({
      to: z.string().nullish(),
      officeCode: z.string().nullish(),
      resolution: z.string().nullish(),
      stage: z.string().nullish(),
    })
    .safeParse(JSON.parse(data));
  if (!parsed.success) return null;
  if (type === "CLOSED") return parsed.data.resolution ?? null;
  if (type === "STATUS_CHANGED") return typeof parsed.data.stage === "string" ? parsed.data.stage : null;
  if (type === "ROUTED") return parsed.data.officeCode ?? null;
  if (type === "TRANSFERRED" || type === "COPIED" || type === "ESCALATED") return parsed.data.to ?? null;
  return null;
}

const PlaceDetailSchema = z.object({
  text: z.string().optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});
