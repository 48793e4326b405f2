import { assignedNotice, caseCard, staffMessageToReporter, statusNotification } from "../conversation/notices.ts";
import type { StaffDesk } from "../conversation/ports.ts";
import type { CaseRecord } from "../db/case-store.ts";
import type { StepWriter } from "../db/step-writer.ts";
import type { AssistanceStage, CaseStatus, Resolution } from "../domain/case.ts";
import { type ServiceType, stageOfService } from "../domain/case-services.ts";
import { generatePin } from "../domain/reference.ts";
import type {
  CaseFilter,
  CasePage,
  EnrolOutcome,
  ReceivedCard,
  StaffAction,
  StaffActor,
  StaffChat,
  StaffOutcome,
  WebLinkOutcome,
} from "../domain/staff-actions.ts";
import { type CaseAccess, COPY_OFFICE_ACTIONS, caseAccess, supervises } from "../domain/staff-scope.ts";
import { canChangeStatus, STATUS_TRANSITIONS } from "../domain/status-transitions.ts";
import { statusStageFor, viewerForReporter } from "../domain/status-view.ts";
import type { CaseDeskDeps } from "./case-desk.ts";
import { OfficeMailer } from "./office-mailer.ts";
import { listCasePage } from "./staff-case-list.ts";
import { enrolStaff } from "./staff-enrolment.ts";
import { Coded, caseDetailsOf, caseHistoryOf, factsOf, HISTORY_PAGE_SIZE, stateNow } from "./staff-views.ts";

/**
 * What one inbound message remembers across its attempts: the version of each case it read for a
 * change. When the step is run again because its transaction lost a race, a case found at another
 * version was changed by someone else in between: the loser is told, nothing is done twice.
 */
export interface AttemptMemory {
  versions: Map<string, number>;
}

/** Actions that change status, office, assignee or closure: they work on a version of the case. */
const VERSIONED: ReadonlySet<StaffAction["kind"]> = new Set([
  "accept",
  "setStatus",
  "close",
  "transfer",
  "reopen",
  "assign",
]);

/**
 * The staff operations over the database for one inbound message. Every attempt, allowed or
 * refused, leaves an audit row; every change leaves a case event; reporters hear of changes in
 * their language; other offices get cards, all in the step's transaction. Case rows are written
 * only through the case store.
 */
export class PrismaStaffDesk implements StaffDesk {
  readonly #deps: CaseDeskDeps;
  readonly #writer: StepWriter;
  readonly #now: Date;
  readonly #mailer: OfficeMailer;
  readonly #attempt: AttemptMemory;

  constructor(deps: CaseDeskDeps, writer: StepWriter, now: Date, attempt: AttemptMemory = { versions: new Map() }) {
    this.#deps = deps;
    this.#writer = writer;
    this.#now = now;
    this.#attempt = attempt;
    this.#mailer = new OfficeMailer({ ...deps, fallbackOffice: deps.matrix.fallback }, writer, now);
  }

  #audit(actor: string, action: string, caseId: string | null, detail?: string): void {
    this.#writer.add(this.#deps.audit.record({ actor, action, caseId, detail: detail ?? null }, this.#now));
  }

  enrol(identityId: string, code: string): Promise<EnrolOutcome> {
    return enrolStaff(this.#deps, this.#writer, this.#now, identityId, code);
  }

  async listCases(staff: StaffActor, chat: StaffChat, filter: CaseFilter, offset: number): Promise<CasePage> {
    this.#audit(`staff:${staff.id}`, "cases.listed", null, `${filter.kind}${offset > 0 ? ` from ${offset}` : ""}`);
    return listCasePage(this.#deps, staff, chat, filter, offset, this.#now);
  }

  async webLoginLink(staff: StaffActor, chat: StaffChat): Promise<WebLinkOutcome> {
    const actor = `staff:${staff.id}`;
    const baseUrl = this.#deps.webAddress?.baseUrl ?? null;
    const auth = this.#deps.webAuth;
    if (!baseUrl || !auth) {
      this.#audit(actor, "web.link_refused", null, "the web inbox is off");
      return { kind: "off" };
    }
    // A link opens a session as this staff member: it goes to their own chat, never to a group.
    if (chat.inGroup) {
      this.#audit(actor, "web.link_refused", null, "asked in a group");
      return { kind: "private_only" };
    }
    const link = auth.newLink(staff.id, this.#now);
    this.#writer.add(link.write);
    this.#audit(actor, "web.link_sent", null);
    this.#deps.logger.info({ event: "web.link_sent", staffId: staff.id });
    return { kind: "link", url: `${baseUrl}/masuk/${link.token}`, expiresAt: link.expiresAt };
  }

  async endWebSessions(staff: StaffActor): Promise<number> {
    const auth = this.#deps.webAuth;
    const open = auth ? await auth.countOpen(staff.id, this.#now) : 0;
    for (const write of auth?.endAllWrite(staff.id, this.#now) ?? []) this.#writer.add(write);
    this.#audit(`staff:${staff.id}`, "web.logged_out_everywhere", null, `${open} session(s)`);
    this.#deps.logger.info({ event: "web.logged_out_everywhere", staffId: staff.id, sessions: open });
    return open;
  }

  async refuse(identityId: string, action: StaffAction, why: "not_staff" | "inactive"): Promise<void> {
    const found = await this.#deps.caseStore.load(action.reference);
    this.#audit(
      `identity:${identityId}`,
      `case.${action.kind}.refused`,
      found?.id ?? null,
      `${why === "not_staff" ? "not staff" : "staff member deactivated"}; reference tried ${action.reference}`,
    );
    this.#deps.logger.warn({ event: "staff.refused", identityId, caseId: found?.id, action: action.kind, why });
  }

  async receivedCards(chatIdentityId: string, since: Date): Promise<ReceivedCard[]> {
    const seen = new Set<string>();
    const cards: ReceivedCard[] = [];
    for (const sent of await this.#deps.outbox.receivedCards(chatIdentityId, since)) {
      // One per case: its newest card stands for it.
      if (seen.has(sent.caseId)) continue;
      seen.add(sent.caseId);
      const row = await this.#deps.caseStore.loadById(sent.caseId);
      if (row)
        cards.push({ reference: row.reference, choices: sent.choices, sentAt: sent.sentAt, facts: factsOf(row) });
    }
    return cards;
  }

  async quotedCard(chatIdentityId: string, platformMessageId: string): Promise<ReceivedCard | null> {
    const sent = await this.#deps.outbox.quotedCard(chatIdentityId, platformMessageId);
    const row = sent ? await this.#deps.caseStore.loadById(sent.caseId) : null;
    return sent && row
      ? { reference: row.reference, choices: sent.choices, sentAt: sent.sentAt, facts: factsOf(row) }
      : null;
  }

  async act(staff: StaffActor, action: StaffAction): Promise<StaffOutcome> {
    const actor = `staff:${staff.id}`;
    const row = await this.#deps.caseStore.load(action.reference);
    if (!row) {
      this.#audit(actor, `case.${action.kind}.refused`, null, `not found; reference tried ${action.reference}`);
      return { kind: "not_found", reference: action.reference };
    }
    const access = caseAccess(staff, { officeCode: row.officeCode, copiedTo: row.copies.map((c) => c.officeCode) });
    if (access === "NONE") {
      this.#deps.logger.warn({ event: "staff.refused", staffId: staff.id, caseId: row.id, action: action.kind });
      const confirmed = "confirmed" in action ? action.confirmed : undefined;
      // The loser of a race with a transfer (a confirmation given before the case left this
      // office) hears that it moved, not that it was never theirs; a forged or stray confirmation
      // of another office's case is refused like any other command.
      if (
        confirmed !== undefined &&
        confirmed !== row.version &&
        (await this.#deps.caseStore.movedAwayFrom(row.id, staff.officeCode))
      ) {
        this.#audit(actor, `case.${action.kind}.refused`, row.id, "the case left the office meanwhile");
        return { kind: "moved_away", reference: row.reference };
      }
      this.#audit(actor, `case.${action.kind}.refused`, row.id, "not the staff member's office");
      return { kind: "not_allowed", reference: row.reference };
    }
    if (access === "COPY" && !COPY_OFFICE_ACTIONS.has(action.kind)) {
      this.#audit(actor, `case.${action.kind}.refused`, row.id, "the office holds a copy only");
      return { kind: "copy_only", reference: row.reference };
    }
    if (VERSIONED.has(action.kind)) {
      const changed = await this.#changedMeanwhile(staff, action, row);
      if (changed) return changed;
    }
    if (action.kind === "details") return this.#details(staff, row, access);
    if (action.kind === "history") return this.#history(staff, row, access, action.page ?? 1);
    if (action.kind === "cancel") {
      this.#audit(actor, "case.change_cancelled", row.id);
      return { kind: "cancelled", reference: row.reference };
    }
    if (action.kind === "reopen") return this.#reopen(staff, row, action.reason);
    if (row.status === "CLOSED") {
      this.#audit(actor, `case.${action.kind}.refused`, row.id, "case closed");
      return { kind: "closed_already", reference: row.reference };
    }
    switch (action.kind) {
      case "accept":
        return this.#accept(staff, row);
      case "setStatus":
        return this.#setStatus(staff, row, action.status, action.stage);
      case "close":
        return this.#close(staff, row, action.resolution, action.confirmed);
      case "note":
        return this.#note(staff, row, action.text);
      case "reply":
        return this.#reply(staff, row, action.text);
      case "transfer":
        return this.#transfer(staff, row, action.officeCode, action.confirmed);
      case "copy":
        return this.#copy(staff, row, action.officeCode);
      case "assign":
        return this.#assign(staff, row, action.staffName, action.staffId);
      case "service":
        return this.#service(staff, row, action);
      case "access":
        return this.#access(staff, row);
      case "reissuePin":
        return this.#reissuePin(staff, row);
    }
  }

  /**
   * The loser of a race: a confirmation given for a version the case no longer has, or a step run
   * again after another writer changed the case between this step's read and its commit.
   */
  async #changedMeanwhile(staff: StaffActor, action: StaffAction, row: CaseRecord): Promise<StaffOutcome | null> {
    const confirmed = "confirmed" in action ? action.confirmed : undefined;
    const seen = this.#attempt.versions.get(row.id);
    const stale =
      (confirmed !== undefined && confirmed !== row.version) || (seen !== undefined && seen !== row.version);
    this.#attempt.versions.set(row.id, row.version);
    if (!stale) return null;
    this.#audit(`staff:${staff.id}`, `case.${action.kind}.refused`, row.id, "the case changed meanwhile");
    return { kind: "changed_meanwhile", state: await stateNow(this.#deps, row) };
  }

  async #details(staff: StaffActor, row: CaseRecord, access: CaseAccess): Promise<StaffOutcome> {
    const details = await caseDetailsOf(this.#deps, row, access === "COPY");
    this.#audit(`staff:${staff.id}`, "case.details_viewed", row.id);
    this.#deps.logger.info({ event: "case.details_viewed", staffId: staff.id, caseId: row.id });
    return { kind: "details", details };
  }

  async #history(staff: StaffActor, row: CaseRecord, access: CaseAccess, page: number): Promise<StaffOutcome> {
    const all = await caseHistoryOf(this.#deps, row, access === "COPY");
    const pages = Math.max(1, Math.ceil(all.length / HISTORY_PAGE_SIZE));
    const shown = Math.min(Math.max(1, page), pages);
    this.#audit(`staff:${staff.id}`, "case.history_viewed", row.id, `page ${shown} of ${pages}`);
    return {
      kind: "history",
      reference: row.reference,
      entries: all.slice((shown - 1) * HISTORY_PAGE_SIZE, shown * HISTORY_PAGE_SIZE),
      page: shown,
      pages,
      provinceCode: row.provinceCode ?? row.homeProvinceCode,
    };
  }

  async #accept(staff: StaffActor, row: CaseRecord): Promise<StaffOutcome> {
    const actor = `staff:${staff.id}`;
    if (row.assignedStaffId) {
      // Taken already: by this staff member, or by a colleague who must hand it over (/serahkan).
      this.#audit(actor, "case.accept.refused", row.id, "already accepted");
      return { kind: "already_accepted", state: await stateNow(this.#deps, row) };
    }
    if (row.status !== "ROUTED") {
      // Back in the office queue (its assignee left): taking it changes the assignee only.
      this.#writer.add(this.#deps.caseStore.assign(row, staff.id, actor, this.#now));
      this.#audit(actor, "case.accept", row.id, "taken from the office queue");
      return { kind: "accepted", reference: row.reference };
    }
    this.#writer.add(this.#deps.caseStore.accept(row, staff.id, this.#now));
    this.#audit(actor, "case.accept", row.id, "ROUTED->ACKNOWLEDGED");
    await this.#notifyReporter(row, "ACKNOWLEDGED", null);
    return { kind: "accepted", reference: row.reference };
  }

  async #setStatus(
    staff: StaffActor,
    row: CaseRecord,
    status: CaseStatus | undefined,
    stage: AssistanceStage | undefined,
  ): Promise<StaffOutcome> {
    const current = Coded.status.parse(row.status);
    const allowed = [...STATUS_TRANSITIONS[current], ...(current === "ASSISTANCE" ? (["ASSISTANCE"] as const) : [])];
    if (!status) return { kind: "choose_status", reference: row.reference, current, allowed: [...new Set(allowed)] };
    const currentStage = Coded.stage.parse(row.assistanceStage);
    if (!canChangeStatus(current, status) || (status === current && stage === currentStage)) {
      this.#audit(`staff:${staff.id}`, "case.setStatus.refused", row.id, `${current}->${status} not allowed`);
      return {
        kind: "invalid_transition",
        reference: row.reference,
        from: current,
        to: status,
        allowed: [...STATUS_TRANSITIONS[current]],
      };
    }
    if (status === "CLOSED") return { kind: "choose_resolution", reference: row.reference };
    if (status === "ACKNOWLEDGED") return this.#accept(staff, row);
    if (status === "ASSISTANCE" && !stage) return { kind: "choose_stage", reference: row.reference };
    const newStage = status === "ASSISTANCE" ? (stage ?? null) : null;
    this.#writer.add(
      this.#deps.caseStore.changeStatus(row, { to: status, stage: newStage, actor: `staff:${staff.id}` }, this.#now),
    );
    this.#audit(
      `staff:${staff.id}`,
      "case.setStatus",
      row.id,
      `${current}->${status}${newStage ? `:${newStage}` : ""}`,
    );
    await this.#notifyReporter(row, status, newStage);
    return { kind: "status_changed", reference: row.reference, status, stage: newStage };
  }

  async #close(
    staff: StaffActor,
    row: CaseRecord,
    resolution: Resolution | undefined,
    confirmed: number | undefined,
  ): Promise<StaffOutcome> {
    if (!resolution) return { kind: "choose_resolution", reference: row.reference };
    // Closing ends the help a victim gets: it happens only after a yes given to this very version.
    if (confirmed === undefined) {
      return { kind: "confirm", reference: row.reference, version: row.version, change: { kind: "close", resolution } };
    }
    const from = Coded.status.parse(row.status);
    this.#writer.add(this.#deps.caseStore.close(row, resolution, `staff:${staff.id}`, this.#now));
    this.#audit(`staff:${staff.id}`, "case.close", row.id, `${from}->CLOSED:${resolution}`);
    await this.#notifyReporter(row, "CLOSED", null);
    return { kind: "closed", reference: row.reference, resolution };
  }

  async #reopen(staff: StaffActor, row: CaseRecord, reason: string | undefined): Promise<StaffOutcome> {
    const actor = `staff:${staff.id}`;
    if (!supervises(staff.role)) {
      this.#audit(actor, "case.reopen.refused", row.id, "not a supervisor");
      return { kind: "supervisors_only", reference: row.reference };
    }
    if (row.status !== "CLOSED") return { kind: "not_closed", reference: row.reference };
    if (row.purgedAt) {
      this.#audit(actor, "case.reopen.refused", row.id, "purged by retention");
      return { kind: "purged", reference: row.reference };
    }
    if (!reason?.trim()) return { kind: "reopen_needs_reason", reference: row.reference };
    const before = Coded.status.safeParse(await this.#deps.caseStore.statusBeforeClosing(row.id));
    // A case closed before anyone accepted it goes back to the office's queue, with a new acceptance clock.
    const to: CaseStatus =
      !before.success || before.data === "CLOSED" || before.data === "RECEIVED" ? "ROUTED" : before.data;
    this.#writer.add(this.#deps.caseStore.reopen(row, to, reason.trim(), staff.id, this.#now));
    this.#audit(actor, "case.reopen", row.id, `CLOSED->${to}`);
    await this.#notifyReporter(row, to, to === "ASSISTANCE" ? Coded.stage.parse(row.assistanceStage) : null);
    return { kind: "reopened", reference: row.reference, status: to };
  }

  /**
   * Tells a reporter who agreed to be contacted in this chat (and has not opted out or withdrawn
   * consent, nor used the duress PIN), when the stage they can see changes.
   */
  async #notifyReporter(row: CaseRecord, to: CaseStatus, toStage: AssistanceStage | null): Promise<void> {
    if (row.contactPreference !== "CHAT" || !row.reporterIdentityId || !row.consentToShare) return;
    // Once the duress PIN was used the phone may be in the trafficker's hands, and was shown a
    // harmless status: news pushed to it would give the case away. Staff may still write on purpose.
    if (row.duressUsedAt) return;
    const viewer = viewerForReporter(Coded.role.parse(row.reporterRole));
    const from = Coded.status.parse(row.status);
    const fromStage = Coded.stage.parse(row.assistanceStage);
    if (statusStageFor(viewer, from, fromStage) === statusStageFor(viewer, to, toStage)) return;
    const channel = await this.#deps.cases.channelOfIdentity(row.reporterIdentityId);
    if (!channel) return;
    const language = row.language === "en" ? "en" : "id";
    const message = statusNotification(this.#deps.translate(language), viewer, row.reference, to, toStage);
    this.#writer.add(this.#deps.outbox.enqueueWrite(row.reporterIdentityId, channel, [message], this.#now));
  }

  #note(staff: StaffActor, row: CaseRecord, text: string): StaffOutcome {
    this.#writer.add(
      this.#deps.caseStore.appendMessage(
        row.id,
        { direction: "NOTE", staffId: staff.id, text },
        { type: "NOTE_ADDED", actor: `staff:${staff.id}`, reason: "note added" },
        this.#now,
      ),
    );
    this.#audit(`staff:${staff.id}`, "case.note", row.id);
    return { kind: "noted", reference: row.reference };
  }

  async #reply(staff: StaffActor, row: CaseRecord, text: string): Promise<StaffOutcome> {
    if (row.contactPreference === "NONE" || !row.reporterIdentityId) {
      this.#audit(`staff:${staff.id}`, "case.reply.refused", row.id, "reporter is anonymous");
      return { kind: "cannot_reply", reference: row.reference, why: "anonymous" };
    }
    if (row.contactPreference === "OTHER_NUMBER") {
      this.#audit(`staff:${staff.id}`, "case.reply.refused", row.id, "reporter asked for another number");
      return { kind: "cannot_reply", reference: row.reference, why: "other_number" };
    }
    const channel = await this.#deps.cases.channelOfIdentity(row.reporterIdentityId);
    if (!channel) return { kind: "cannot_reply", reference: row.reference, why: "anonymous" };
    const { outbox, translate } = this.#deps;
    const language = row.language === "en" ? "en" : "id";
    this.#writer.add(
      outbox.enqueueWrite(
        row.reporterIdentityId,
        channel,
        [staffMessageToReporter(translate(language), row.reference, text)],
        this.#now,
      ),
    );
    this.#writer.add(
      this.#deps.caseStore.appendMessage(
        row.id,
        { direction: "TO_REPORTER", staffId: staff.id, text },
        { type: "REPLY_SENT", actor: `staff:${staff.id}`, reason: "staff replied to the reporter" },
        this.#now,
      ),
    );
    this.#audit(`staff:${staff.id}`, "case.reply", row.id);
    return { kind: "replied", reference: row.reference };
  }

  /** The office a transfer or copy names, after the checks every reroute needs; or why not. */
  async #rerouteTarget(staff: StaffActor, row: CaseRecord, kind: "transfer" | "copy", code: string) {
    const office = await this.#deps.offices.get(code);
    if (!office) {
      this.#audit(`staff:${staff.id}`, `case.${kind}.refused`, row.id, `unknown office ${code.slice(0, 40)}`);
      return { refused: { kind: "unknown_office", officeCode: code } as StaffOutcome };
    }
    // The reporter withdrew consent: nothing more is shared with anyone.
    if (!row.consentToShare) {
      this.#audit(`staff:${staff.id}`, `case.${kind}.refused`, row.id, "consent withdrawn");
      return { refused: { kind: "consent_withdrawn", reference: row.reference } as StaffOutcome };
    }
    const copiedTo = row.copies.map((c) => c.officeCode);
    if (row.officeCode === office.code || (kind === "copy" && copiedTo.includes(office.code))) {
      return {
        refused: { kind: "same_office", reference: row.reference, officeCode: office.code } as StaffOutcome,
      };
    }
    return { office };
  }

  async #transfer(
    staff: StaffActor,
    row: CaseRecord,
    code: string,
    confirmed: number | undefined,
  ): Promise<StaffOutcome> {
    const target = await this.#rerouteTarget(staff, row, "transfer", code);
    if (!target.office) return target.refused;
    const office = target.office;
    if (confirmed === undefined) {
      return {
        kind: "confirm",
        reference: row.reference,
        version: row.version,
        change: { kind: "transfer", officeCode: office.code, officeName: office.name },
      };
    }
    const facts = factsOf(row);
    const delivery = await this.#mailer.send(
      office.code,
      (t, viaFallback) => caseCard(t, facts, { reason: "TRANSFER", officeName: office.name, viaFallback }),
      row.id,
    );
    this.#writer.add(
      this.#deps.caseStore.transfer(
        row,
        { officeCode: office.code, cardOfficeCode: delivery.deliveredTo },
        `staff:${staff.id}`,
        this.#now,
      ),
    );
    // The office that held the case hears of it when someone else moved it away (a national desk, say).
    if (row.officeCode && row.officeCode !== staff.officeCode) {
      const previous = row.officeCode;
      await this.#mailer.send(
        previous,
        (t) => ({
          text: t("staff:transferredAway", { reference: row.reference, office: office.name, name: staff.name }),
        }),
        row.id,
      );
    }
    this.#audit(`staff:${staff.id}`, "case.transfer", row.id, `${row.officeCode}->${office.code}`);
    await this.#notifyReporter(row, "ROUTED", null);
    return { kind: "transferred", reference: row.reference, officeCode: office.code, officeName: office.name };
  }

  async #copy(staff: StaffActor, row: CaseRecord, code: string): Promise<StaffOutcome> {
    const target = await this.#rerouteTarget(staff, row, "copy", code);
    if (!target.office) return target.refused;
    const office = target.office;
    const facts = factsOf(row);
    const delivery = await this.#mailer.send(
      office.code,
      (t, viaFallback) => caseCard(t, facts, { reason: "COPY", officeName: office.name, viaFallback }),
      row.id,
    );
    this.#writer.add(
      this.#deps.caseStore.copy(
        row.id,
        { officeCode: office.code, cardOfficeCode: delivery.deliveredTo },
        `staff:${staff.id}`,
        this.#now,
      ),
    );
    this.#audit(`staff:${staff.id}`, "case.copy", row.id, `${row.officeCode}->${office.code}`);
    return { kind: "copied", reference: row.reference, officeCode: office.code, officeName: office.name };
  }

  /**
   * Hands a case to a colleague of its office: supervisors (and national staff) any case, an
   * agent only a case assigned to them. The new assignee hears of it in their own chat.
   */
  async #assign(
    staff: StaffActor,
    row: CaseRecord,
    name: string | undefined,
    staffId: string | undefined,
  ): Promise<StaffOutcome> {
    const actor = `staff:${staff.id}`;
    if (!supervises(staff.role) && row.assignedStaffId !== staff.id) {
      this.#audit(actor, "case.assign.refused", row.id, "not the assignee nor a supervisor");
      return { kind: "supervisors_only", reference: row.reference };
    }
    const officeCode = row.officeCode ?? staff.officeCode;
    const colleagues = (await this.#deps.staff.activeOf(officeCode)).filter((m) => m.id !== row.assignedStaffId);
    if (!name?.trim() && !staffId) {
      return {
        kind: "choose_assignee",
        reference: row.reference,
        colleagues: colleagues.map((m) => ({ id: m.id, name: m.name })),
      };
    }
    const matches = staffId
      ? colleagues.filter((m) => m.id === staffId)
      : await this.#deps.staff.byName(name ?? "", { officeCode, active: true });
    const member = matches.length === 1 ? matches[0] : undefined;
    if (!member) {
      this.#audit(actor, "case.assign.refused", row.id, matches.length === 0 ? "no such colleague" : "ambiguous name");
      return { kind: "unknown_staff", reference: row.reference, name: name ?? "", matches: matches.map((m) => m.name) };
    }
    if (member.id === row.assignedStaffId) return { kind: "assigned", reference: row.reference, name: member.name };
    // A case nobody accepted yet is accepted on the new assignee's behalf.
    this.#writer.add(
      row.status === "ROUTED"
        ? this.#deps.caseStore.accept(row, member.id, this.#now)
        : this.#deps.caseStore.assign(row, member.id, actor, this.#now),
    );
    this.#audit(actor, "case.assign", row.id, `${row.assignedStaffId ?? "nobody"}->${member.id}`);
    if (row.status === "ROUTED") await this.#notifyReporter(row, "ACKNOWLEDGED", null);
    if (member.identityId) {
      const channel = await this.#deps.cases.channelOfIdentity(member.identityId);
      if (channel) {
        const t = this.#deps.translate(member.language);
        this.#writer.add(
          this.#deps.outbox.enqueueWrite(
            member.identityId,
            channel,
            [assignedNotice(t, factsOf(row), staff.name)],
            this.#now,
            officeCode,
            row.id,
          ),
        );
      }
    }
    return { kind: "assigned", reference: row.reference, name: member.name };
  }

  #service(staff: StaffActor, row: CaseRecord, action: Extract<StaffAction, { kind: "service" }>): StaffOutcome {
    if (!action.service) return { kind: "choose_service", reference: row.reference };
    const type: ServiceType = action.service;
    const stage = stageOfService(type, Coded.stage.parse(row.assistanceStage));
    const givenOn = action.givenOn ? new Date(`${action.givenOn}T00:00:00Z`) : this.#now;
    this.#writer.add(
      this.#deps.caseStore.recordService(
        row.id,
        {
          type,
          stage,
          officeCode: staff.officeCode,
          staffId: staff.id,
          givenOn,
          provider: action.provider?.trim() || null,
          note: action.note?.trim() || null,
        },
        this.#now,
      ),
    );
    this.#audit(`staff:${staff.id}`, "case.service", row.id, `${type}:${stage}`);
    return { kind: "service_recorded", reference: row.reference, service: type, stage };
  }

  /**
   * A new reporter PIN: sent to the reporter's chat when they agreed to messages there, held for
   * their next message when they did not (nothing unasked goes to such a chat), else (or once the
   * duress PIN was used) shown to staff to hand over.
   */
  async #reissuePin(staff: StaffActor, row: CaseRecord): Promise<StaffOutcome> {
    const pin = generatePin();
    this.#writer.add(
      this.#deps.caseStore.setReporterPin(row.id, this.#deps.hasher.pin(row.reference, pin), staff.id, this.#now),
    );
    this.#audit(`staff:${staff.id}`, "case.pin_reissued", row.id);
    if (row.duressUsedAt) {
      // The phone may be in the trafficker's hands: a real PIN sent there would open the real status.
      this.#writer.add(this.#deps.outbox.dropHeldWrite(row.id));
      return { kind: "pin_shown", reference: row.reference, pin, duress: true };
    }
    const channel = row.reporterIdentityId ? await this.#deps.cases.channelOfIdentity(row.reporterIdentityId) : null;
    if (row.reporterIdentityId && channel) {
      const t = this.#deps.translate(row.language === "en" ? "en" : "id");
      const message = [{ text: t("privacy:newPin", { reference: row.reference, pin }) }];
      // A PIN still held from an earlier reissue no longer works: it must not arrive later.
      this.#writer.add(this.#deps.outbox.dropHeldWrite(row.id));
      if (row.contactPreference !== "CHAT") {
        this.#writer.add(
          this.#deps.outbox.enqueueHeldWrite(row.reporterIdentityId, channel, message, this.#now, row.id),
        );
        return { kind: "pin_held", reference: row.reference };
      }
      this.#writer.add(this.#deps.outbox.enqueueWrite(row.reporterIdentityId, channel, message, this.#now));
      return { kind: "pin_reissued", reference: row.reference };
    }
    return { kind: "pin_shown", reference: row.reference, pin };
  }

  #access(staff: StaffActor, row: CaseRecord): StaffOutcome {
    const pin = generatePin();
    const hash = this.#deps.hasher.victimPin(row.reference, pin);
    this.#writer.add(this.#deps.caseStore.setVictimPin(row.id, hash, staff.id, this.#now));
    this.#audit(`staff:${staff.id}`, "case.access_issued", row.id);
    return { kind: "access_issued", reference: row.reference, pin };
  }
}

export { caseDetailsOf };
