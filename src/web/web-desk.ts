import { channelOf } from "../channels/types.ts";
import { localTime } from "../conversation/notices.ts";
import { outcomeText } from "../conversation/staff-replies.ts";
import type { OpenCasesNarrowing } from "../db/case-repository.ts";
import type { CaseRecord } from "../db/case-store.ts";
import type { Db } from "../db/database.ts";
import { isRecordNotFound, isUniqueViolation } from "../db/database.ts";
import type { IdentityStore } from "../db/identity-store.ts";
import { StepWriter } from "../db/step-writer.ts";
import { parseReference } from "../domain/reference.ts";
import type {
  CaseFacts,
  CaseFilter,
  CasePage,
  CaseStateNow,
  HistoryEntry,
  StaffAction,
  StaffActor,
  StaffOutcome,
} from "../domain/staff-actions.ts";
import { type CaseAccess, caseAccess } from "../domain/staff-scope.ts";
import { areasNamed } from "../regions/area-names.ts";
import type { CaseDeskDeps } from "../services/case-desk.ts";
import type { Clock } from "../services/clock.ts";
import { listCasePage } from "../services/staff-case-list.ts";
import { type AttemptMemory, PrismaStaffDesk } from "../services/staff-desk.ts";
import { caseHistoryOf, factsOf, stateNow } from "../services/staff-views.ts";
import type { WebSessionView } from "./web-auth.ts";
import {
  type AuditPage,
  type AuditQuery,
  auditPageFor,
  type Overview,
  oversightScope,
  overviewFor,
} from "./web-oversight.ts";

/** Outcomes that change what a group's card of the case says: the group hears of them. */
const GROUP_NEWS: ReadonlySet<StaffOutcome["kind"]> = new Set([
  "accepted",
  "assigned",
  "status_changed",
  "closed",
  "reopened",
  "transferred",
]);

/** How many cases one page of the web inbox shows. */
export const WEB_PAGE_SIZE = 25;
/** A web action that lost a race to another writer is run again this many times at most. */
const MAX_ATTEMPTS = 3;

/** What the web desk is built from: the chat's desk services, the database and the clock. */
export interface WebDeskDeps extends CaseDeskDeps {
  db: Db;
  clock: Clock;
  identities: IdentityStore;
}

/** The inbox's filters besides its tab: coded values, a place name as typed, a day range. */
export type InboxNarrowing = Omit<OpenCasesNarrowing, "place"> & { place?: string };

/** The choices the inbox's filters offer. */
export interface InboxChoices {
  /** Every office, for national staff; null for staff of one office. */
  offices: Array<{ code: string; name: string }> | null;
  colleagues: Array<{ id: string; name: string }>;
}

/** A case as the web's case page shows it before anything private is asked for. */
export interface CaseView {
  facts: CaseFacts;
  state: CaseStateNow;
  /** The version the page was read at: a form sends it back, and a change made meanwhile is refused. */
  version: number;
  access: Exclude<CaseAccess, "NONE">;
  /** Status changes, transfers, copies, notes, messages both ways and services, newest first. */
  timeline: HistoryEntry[];
  /** The offices a case can be transferred or copied to (every office but its own), by name. */
  offices: Array<{ code: string; name: string }>;
  /** Active staff of the case's office other than its assignee: whom it can be handed to. */
  colleagues: Array<{ id: string; name: string }>;
}

/**
 * The staff desk for the web inbox: the same services, authorization and audit as the chat
 * (every action runs through `PrismaStaffDesk.act`), committed in one transaction per request,
 * so the chat and the web are one desk.
 */
export class WebDesk {
  readonly #deps: WebDeskDeps;

  constructor(deps: WebDeskDeps) {
    this.#deps = deps;
  }

  /**
   * One page of the staff member's open cases (their scope, as in their private chat), 25 a page,
   * narrowed by the inbox's filters; a place name that names no area lists nothing and says so.
   */
  async listCases(staff: StaffActor, filter: CaseFilter, page: number, narrow: InboxNarrowing = {}): Promise<CasePage> {
    const { place, ...rest } = narrow;
    const areas = place ? areasNamed(place) : null;
    if (areas && areas.provinceCodes.length === 0 && areas.regencyCodes.length === 0)
      return { lines: [], total: 0, offset: 0, unknownPlace: true };
    return listCasePage(
      this.#deps,
      staff,
      // The web is the staff member's own desk: the scope of their private chat, not of a group.
      { chatIdentityId: "", inGroup: false },
      filter,
      (Math.max(1, page) - 1) * WEB_PAGE_SIZE,
      this.#deps.clock.now(),
      WEB_PAGE_SIZE,
      { ...rest, ...(areas ? { place: areas } : {}) },
    );
  }

  /** What the inbox's filters offer: the offices (for national staff, who see them all) and the colleagues of the office. */
  async filterChoices(staff: StaffActor): Promise<InboxChoices> {
    const offices =
      staff.role === "NATIONAL"
        ? (await this.#deps.offices.list())
            .map((office) => ({ code: office.code, name: office.name }))
            .sort((a, b) => a.name.localeCompare(b.name, "id"))
        : null;
    const colleagues = (await this.#deps.staff.activeOf(staff.officeCode)).map((m) => ({ id: m.id, name: m.name }));
    return { offices, colleagues };
  }

  /**
   * A case's page: its facts, state and timeline (reading the timeline is audited, as `/riwayat`
   * is). Null for a case that does not exist or is not the staff member's office's; a refusal
   * leaves an audit row, as in the chat.
   */
  async caseView(staff: StaffActor, reference: string): Promise<CaseView | null> {
    const { caseStore, audit, db, logger } = this.#deps;
    const now = this.#deps.clock.now();
    const actor = `staff:${staff.id}`;
    const row = await caseStore.load(reference);
    const access = row
      ? caseAccess(staff, { officeCode: row.officeCode, copiedTo: row.copies.map((c) => c.officeCode) })
      : "NONE";
    if (!row || access === "NONE") {
      await audit.record(
        {
          actor,
          action: "case.view.refused",
          caseId: row?.id ?? null,
          detail: `${row ? "not the staff member's office" : "not found"}; web; reference tried ${reference}`,
        },
        now,
      )(db);
      if (row) logger.warn({ event: "staff.refused", staffId: staff.id, caseId: row.id, action: "view" });
      return null;
    }
    const timeline = (await caseHistoryOf(this.#deps, row, access === "COPY")).reverse();
    await audit.record({ actor, action: "case.history_viewed", caseId: row.id, detail: "web" }, now)(db);
    const officeCode = row.officeCode ?? staff.officeCode;
    const offices = (await this.#deps.offices.list())
      .filter((office) => office.code !== officeCode)
      .map((office) => ({ code: office.code, name: office.name }))
      .sort((a, b) => a.name.localeCompare(b.name, "id"));
    const colleagues = (await this.#deps.staff.activeOf(officeCode))
      .filter((member) => member.id !== row.assignedStaffId)
      .map((member) => ({ id: member.id, name: member.name }));
    return {
      facts: factsOf(row),
      state: await stateNow(this.#deps, row),
      version: row.version,
      access,
      timeline,
      offices,
      colleagues,
    };
  }

  /**
   * Carries out an action as the chat would, in one transaction. `seenVersion` is the version the
   * staff member's page showed: a case changed since is not acted on (`changed_meanwhile`).
   */
  async act(staff: StaffActor, action: StaffAction, seenVersion?: number): Promise<StaffOutcome> {
    const memory: AttemptMemory = { versions: new Map() };
    for (let attempt = 1; ; attempt++) {
      const writer = new StepWriter();
      const now = this.#deps.clock.now();
      const before = await this.#deps.caseStore.load(action.reference);
      // The version the page showed stands for the first read: a case changed since is not acted on.
      if (attempt === 1 && before && seenVersion !== undefined) memory.versions.set(before.id, seenVersion);
      const desk = new PrismaStaffDesk(this.#deps, writer, now, memory);
      const outcome = await desk.act(staff, action);
      if (before && GROUP_NEWS.has(outcome.kind)) await this.#tellGroups(writer, before, staff, outcome, now);
      try {
        await writer.commit(this.#deps.db);
        return outcome;
      } catch (error) {
        // Another writer changed the case between the read and the commit: decide again (the
        // memory of the version seen turns it into "changed meanwhile" for versioned actions).
        if (!(isRecordNotFound(error) || isUniqueViolation(error)) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The supervisor overview of the staff member's offices (every office for national staff); null for agents. */
  async overview(staff: StaffActor): Promise<Overview | null> {
    const scope = oversightScope(staff);
    return scope === "none" ? null : overviewFor(this.#deps, staff, scope);
  }

  /**
   * One page of the audit log in the staff member's oversight (null for agents), with the staff
   * a filter may name. A reference that names no case lists nothing. Reading it is audited.
   */
  async auditPage(
    staff: StaffActor,
    query: Omit<AuditQuery, "caseId">,
    reference: string,
    viewed: string,
  ): Promise<{ page: AuditPage; unknownReference: boolean; staff: Array<{ id: string; name: string }> } | null> {
    const scope = oversightScope(staff);
    if (scope === "none") return null;
    const { caseStore, audit, db } = this.#deps;
    const parsed = reference ? parseReference(reference.replace(/\s+/g, "")) : null;
    const found = parsed ? await caseStore.load(parsed) : null;
    // Another office's case reads as unknown: the screen must not confirm that a reference exists.
    const row =
      found &&
      caseAccess(staff, { officeCode: found.officeCode, copiedTo: found.copies.map((c) => c.officeCode) }) !== "NONE"
        ? found
        : null;
    const unknownReference = reference !== "" && !row;
    const page = unknownReference
      ? { lines: [], total: 0, offset: 0 }
      : await auditPageFor(this.#deps, scope, { ...query, ...(row ? { caseId: row.id } : {}) });
    await audit.record(
      { actor: `staff:${staff.id}`, action: "audit.viewed", detail: viewed },
      this.#deps.clock.now(),
    )(db);
    const members = (await this.#deps.staff.list())
      .filter((member) => scope === null || scope.includes(member.officeCode))
      .map((member) => ({ id: member.id, name: member.name }));
    return { page, unknownReference, staff: members };
  }

  /**
   * A change made on the web is told in the group chats that hold the case's card (its office's,
   * and those of offices with a copy), as the chat would have shown it had it been made there:
   * nobody in the group presses "Terima" on a case a colleague already took on the web.
   */
  async #tellGroups(
    writer: StepWriter,
    before: CaseRecord,
    staff: StaffActor,
    outcome: StaffOutcome,
    now: Date,
  ): Promise<void> {
    const { offices, outbox, translate } = this.#deps;
    // The card went to the office's chat, or to the fallback office's when the office had none.
    const holder = before.cardOfficeCode ?? before.officeCode;
    const codes = new Set([holder, ...before.copies.map((copy) => copy.officeCode)]);
    // A transfer by someone of another office (a national desk) is told to the office that held
    // the case by the desk itself ("transferredAway"): not twice.
    if (outcome.kind === "transferred" && before.officeCode !== staff.officeCode) codes.delete(holder);
    const told = new Set<string>();
    for (const code of codes) {
      if (!code) continue;
      for (const group of (await offices.recipientsOf(code)).filter((r) => r.staffId === null)) {
        // One group may serve several offices: it hears once.
        if (told.has(group.identityId)) continue;
        told.add(group.identityId);
        const t = translate(group.language);
        const text = t("staff:web.changedOnWeb", { text: outcomeText(t, outcome, staff.name, group.language) });
        writer.add(outbox.enqueueWrite(group.identityId, group.channel, [{ text }], now, code, before.id));
      }
    }
  }

  /** Tells the staff member in their chat that a browser just logged in as them, so a stolen link is noticed. */
  async announceLogin(session: WebSessionView): Promise<void> {
    const { identities, outbox, translate, db, audit } = this.#deps;
    const now = this.#deps.clock.now();
    const writer = new StepWriter();
    writer.add(audit.record({ actor: `staff:${session.staff.id}`, action: "web.logged_in", detail: null }, now));
    if (session.identityId) {
      const channel = channelOf(await identities.addressOf(session.identityId));
      const time = localTime(now, null, session.staff.language);
      const text = translate(session.staff.language)("staff:web.loginNotice", { time });
      writer.add(outbox.enqueueWrite(session.identityId, channel, [{ text }], now));
    }
    await writer.commit(db);
  }
}
