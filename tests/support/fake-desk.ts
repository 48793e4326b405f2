import type {
  AssistanceProgress,
  CaseDesk,
  FollowUpAnswerOutcome,
  RelayOutcome,
  StaffDesk,
} from "../../src/conversation/ports.ts";
import { previewRoute } from "../../src/conversation/route-preview.ts";
import type { AssistanceStage } from "../../src/domain/case.ts";
import type { StageState } from "../../src/domain/case-services.ts";
import { DEFAULT_FOLLOW_UP_POLICY } from "../../src/domain/follow-up.ts";
import { generatePin, generateReference } from "../../src/domain/reference.ts";
import type { NewReport, ReportListing, StatusAnswer, SubmittedReport } from "../../src/domain/report.ts";
import type {
  CaseFilter,
  CaseLine,
  CasePage,
  EnrolOutcome,
  ReceivedCard,
  StaffAction,
  StaffActor,
  StaffChat,
  StaffOutcome,
  WebLinkOutcome,
} from "../../src/domain/staff-actions.ts";
import { chatLockedUntil } from "../../src/domain/status-lookup.ts";
import { viewerForReporter } from "../../src/domain/status-view.ts";

/** A stored report in the fake. */
export interface FakeCase {
  identityId: string;
  reference: string;
  pin: string;
  report: NewReport;
  createdAt: Date;
}

/** An in-memory CaseDesk with assertion helpers, for engine tests. */
export class FakeDesk implements CaseDesk {
  readonly cases: FakeCase[] = [];
  readonly failures: Array<{ identityId: string; at: Date }> = [];
  readonly relays: Array<{ identityId: string; text: string }> = [];
  readonly attached: string[] = [];
  readonly calls: string[] = [];
  duressPins = new Map<string, string>();
  followUpAnswers: Array<{ followUpId: string; answer: string }> = [];

  async submitReport(identityId: string, report: NewReport): Promise<SubmittedReport> {
    // The same routing and deadlines as the real desk (data files, default follow-up policy).
    const route = previewRoute(report);
    const submitted = {
      reference: generateReference(),
      pin: generatePin(),
      officeCode: route.responsible,
      copiedTo: route.copies,
      acceptWithinMs: DEFAULT_FOLLOW_UP_POLICY.ackDeadlineMs[report.urgency],
    };
    this.cases.push({ identityId, ...submitted, report, createdAt: new Date() });
    return submitted;
  }

  async countReportsSince(identityId: string, since: Date): Promise<number> {
    return this.cases.filter((c) => c.identityId === identityId && c.createdAt >= since).length;
  }

  async listReports(identityId: string): Promise<ReportListing[]> {
    return this.cases
      .filter((c) => c.identityId === identityId)
      .map((c) => ({ reference: c.reference, createdAt: c.createdAt }))
      .reverse();
  }

  async lookupLockedUntil(identityId: string, now: Date): Promise<Date | null> {
    return chatLockedUntil(
      this.failures.filter((f) => f.identityId === identityId).map((f) => f.at),
      now,
    );
  }

  async checkStatus(identityId: string, reference: string, pin: string, now: Date): Promise<StatusAnswer> {
    const locked = await this.lookupLockedUntil(identityId, now);
    if (locked) return { kind: "locked", until: locked };
    const found = this.cases.find((c) => c.reference === reference && c.pin === pin);
    if (!found) {
      this.failures.push({ identityId, at: now });
      return { kind: "not_found" };
    }
    return {
      kind: "found",
      reference,
      status: "RECEIVED",
      assistanceStage: null,
      viewer: viewerForReporter(found.report.reporterRole),
      updatedAt: found.createdAt,
      officeCode: previewRoute(found.report).responsible,
    };
  }

  readonly contactOffered = new Set<string>();

  async relayFromReporter(identityId: string, text: string): Promise<RelayOutcome> {
    const open = this.cases.filter((c) => c.identityId === identityId).at(-1);
    if (!open) return "no_case";
    this.relays.push({ identityId, text });
    if (open.report.contactPreference !== "NONE") return "relayed";
    if (this.contactOffered.has(open.reference)) return "relayed_anonymous";
    this.contactOffered.add(open.reference);
    return "relayed_anonymous_offer";
  }

  async allowContact(identityId: string, pin: string): Promise<"allowed" | "wrong_pin" | "no_case"> {
    const open = this.cases.filter((c) => c.identityId === identityId).at(-1);
    if (!open) return "no_case";
    if (open.pin !== pin) return "wrong_pin";
    open.report = { ...open.report, contactPreference: "CHAT" };
    return "allowed";
  }

  async attachToOpenCase(identityId: string, attachmentIds: readonly string[]): Promise<"attached" | "no_case"> {
    if (!this.cases.some((c) => c.identityId === identityId)) return "no_case";
    this.attached.push(...attachmentIds);
    return "attached";
  }

  async optOutOfContact(identityId: string): Promise<number> {
    const mine = this.cases.filter((c) => c.identityId === identityId);
    for (const c of mine) c.report = { ...c.report, contactPreference: "NONE" };
    this.calls.push("optOut");
    return mine.length;
  }

  async withdrawConsent(identityId: string, reference: string): Promise<"withdrawn" | "not_found"> {
    const found = this.cases.find((c) => c.identityId === identityId && c.reference === reference);
    if (!found) return "not_found";
    found.report = { ...found.report, consentToShare: false };
    this.calls.push(`withdraw:${reference}`);
    return "withdrawn";
  }

  async eraseContactData(identityId: string): Promise<number> {
    const mine = this.cases.filter((c) => c.identityId === identityId);
    for (const c of mine) {
      c.identityId = "";
      c.report = { ...c.report, contactPreference: "NONE", contactNumber: null };
    }
    this.calls.push("erase");
    return mine.length;
  }

  async setDuressPin(
    identityId: string,
    reference: string,
    pin: string,
    duressPin: string,
  ): Promise<"set" | "wrong_pin" | "same_pin"> {
    const found = this.cases.find((c) => c.identityId === identityId && c.reference === reference);
    if (!found || found.pin !== pin) return "wrong_pin";
    if (duressPin === pin) return "same_pin";
    this.duressPins.set(reference, duressPin);
    return "set";
  }

  async requestNewPin(identityId: string): Promise<"requested" | "no_reports"> {
    return this.cases.some((c) => c.identityId === identityId) ? "requested" : "no_reports";
  }

  async answerFollowUp(_identityId: string, followUpId: string, answer: string): Promise<FollowUpAnswerOutcome> {
    this.followUpAnswers.push({ followUpId, answer });
    return answer === "no" ? "escalated" : answer === "unsafe" ? "alerted" : "thanks";
  }

  /** Stage states the victim's status shows, by reference (set by tests). */
  stages = new Map<string, Record<AssistanceStage, StageState>>();

  async assistanceProgress(reference: string): Promise<AssistanceProgress | null> {
    const states = this.stages.get(reference);
    return states ? { states, partners: [] } : null;
  }

  /** The only stored case; fails the test when there is not exactly one. */
  only(): FakeCase {
    if (this.cases.length !== 1) throw new Error(`expected one case, found ${this.cases.length}`);
    return this.cases[0] as FakeCase;
  }
}

/** A card as the fake outbox holds it: sent (on the chat's screen) or still waiting. */
export interface FakeCard extends ReceivedCard {
  chat: string;
  sent: boolean;
  platformMessageId?: string;
}

/** A StaffDesk that records what it was asked and answers with prepared outcomes. */
export class FakeStaffDesk implements StaffDesk {
  readonly actions: StaffAction[] = [];
  readonly refusals: Array<{ identityId: string; action: StaffAction; why: string }> = [];
  readonly lists: Array<{ filter: CaseFilter; offset: number; chat: StaffChat }> = [];
  enrolOutcome: EnrolOutcome = { kind: "invalid" };
  cases: CaseLine[] = [];
  /** Cards the fake outbox holds, in the order they were written. */
  readonly cards: FakeCard[] = [];
  answer: (action: StaffAction) => StaffOutcome = (action) => ({ kind: "not_found", reference: action.reference });
  /** What `/masuk` answers; the calls are recorded in `webLogins`. */
  webLink: WebLinkOutcome = { kind: "off" };
  readonly webLogins: Array<{ staffId: string; chat: StaffChat }> = [];
  /** How many sessions `/keluar` ends; the staff ids asked are in `webLogouts`. */
  openSessions = 0;
  readonly webLogouts: string[] = [];

  async enrol(): Promise<EnrolOutcome> {
    return this.enrolOutcome;
  }

  async listCases(_staff: StaffActor, chat: StaffChat, filter: CaseFilter, offset: number): Promise<CasePage> {
    this.lists.push({ filter, offset, chat });
    return { lines: this.cases.slice(offset, offset + 10), total: this.cases.length, offset };
  }

  async act(_staff: StaffActor, action: StaffAction): Promise<StaffOutcome> {
    this.actions.push(action);
    return this.answer(action);
  }

  async webLoginLink(staff: StaffActor, chat: StaffChat): Promise<WebLinkOutcome> {
    this.webLogins.push({ staffId: staff.id, chat });
    return chat.inGroup ? { kind: "private_only" } : this.webLink;
  }

  async endWebSessions(staff: StaffActor): Promise<number> {
    this.webLogouts.push(staff.id);
    const open = this.openSessions;
    this.openSessions = 0;
    return open;
  }

  async refuse(identityId: string, action: StaffAction, why: "not_staff" | "inactive"): Promise<void> {
    this.refusals.push({ identityId, action, why });
  }

  async receivedCards(chatIdentityId: string, since: Date): Promise<ReceivedCard[]> {
    const seen = new Set<string>();
    return [...this.cards]
      .reverse()
      .filter((c) => c.chat === chatIdentityId && c.sent && c.sentAt >= since)
      .filter((c) => !seen.has(c.reference) && seen.add(c.reference) !== undefined);
  }

  async quotedCard(chatIdentityId: string, platformMessageId: string): Promise<ReceivedCard | null> {
    return (
      this.cards.find((c) => c.chat === chatIdentityId && c.sent && c.platformMessageId === platformMessageId) ?? null
    );
  }
}
