import type { Choice } from "../channels/types.ts";
import type { EmergencyDirectory } from "../directory/emergency-contacts.ts";
import type { AssistanceStage, Urgency } from "../domain/case.ts";
import type { ServiceType, StageState } from "../domain/case-services.ts";
import type { Language } from "../domain/language.ts";
import type { ConsentMethod, DeclineReason, ReferralOutcome, ReferralView } from "../domain/referrals.ts";
import type { NewReport, ReportListing, StatusAnswer, SubmittedReport } from "../domain/report.ts";
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

/** Renders a locale key in one language. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

/**
 * The case operations the dialogue needs. The service implements it over the database
 * (writes join the step's transaction); tests use an in-memory fake.
 */
export interface CaseDesk {
  /** Stores a confirmed report and returns its reference and PIN. */
  submitReport(identityId: string, report: NewReport): Promise<SubmittedReport>;
  /** How many reports this chat opened since a time, for the daily limit. */
  countReportsSince(identityId: string, since: Date): Promise<number>;
  /** The references of reports opened from this chat, newest first. */
  listReports(identityId: string): Promise<ReportListing[]>;
  /** When this chat may look up a status again, or null if it may now. */
  lookupLockedUntil(identityId: string, now: Date): Promise<Date | null>;
  /** Checks a reference + PIN, counting failures per chat and per reference. */
  checkStatus(identityId: string, reference: string, pin: string, now: Date): Promise<StatusAnswer>;
  /**
   * Attaches a message written outside any flow to the chat's latest open case and tells its
   * office; "no_case" when the chat has none, "limited" past the daily limit.
   */
  relayFromReporter(identityId: string, text: string): Promise<RelayOutcome>;
  /**
   * Lets staff reply in this chat to the chat's latest open case, once its PIN is typed (the
   * phone may be in someone else's hands): an anonymous reporter's answer to the offer.
   */
  allowContact(identityId: string, pin: string): Promise<"allowed" | "wrong_pin" | "no_case">;
  /** Adds files to the chat's latest open case and tells its office; "no_case" when there is none. */
  attachToOpenCase(identityId: string, attachmentIds: readonly string[]): Promise<"attached" | "no_case">;
  /** Stops every message to this chat about its reports; returns how many reports it covers. */
  optOutOfContact(identityId: string): Promise<number>;
  /** Records that the reporter withdrew consent to share one of their reports, and tells its office. */
  withdrawConsent(identityId: string, reference: string): Promise<"withdrawn" | "not_found">;
  /** Removes this chat and any contact number from the chat's reports; returns how many. */
  eraseContactData(identityId: string): Promise<number>;
  /** Sets a second, emergency PIN on one of the chat's reports after checking its PIN. */
  setDuressPin(
    identityId: string,
    reference: string,
    pin: string,
    duressPin: string,
  ): Promise<"set" | "wrong_pin" | "same_pin">;
  /** Asks the office of the chat's latest report for a new PIN. */
  requestNewPin(identityId: string): Promise<"requested" | "no_reports">;
  /** Records the answer to a follow-up question (a check-in) and acts on it. */
  answerFollowUp(identityId: string, followUpId: string, answer: string): Promise<FollowUpAnswerOutcome>;
  /**
   * How far each assistance stage of a case has come, for a victim who opened its status (stage
   * states only, never the services: a phone may be seen by the trafficker), with the names of the
   * partner organisations working on it that the victim was told in person (and no other).
   */
  assistanceProgress(reference: string): Promise<AssistanceProgress | null>;
}

/** A victim's view of their assistance: each stage's state, and the partners they already know of. */
export interface AssistanceProgress {
  states: Record<AssistanceStage, StageState>;
  partners: string[];
}

/**
 * What became of a message a reporter wrote after filing: passed on (to an anonymous reporter's
 * case, with the offer to allow contact the first time), or not, and why.
 */
export type RelayOutcome = "relayed" | "relayed_anonymous" | "relayed_anonymous_offer" | "no_case" | "limited";

/** What answering a follow-up led to. */
export type FollowUpAnswerOutcome = "thanks" | "escalated" | "alerted" | "gone";

/** The staff operations the dialogue needs; every action is authorised and audited behind it. */
export interface StaffDesk {
  /** Links the chat identity to the staff record of a single-use invite code. */
  enrol(identityId: string, code: string): Promise<EnrolOutcome>;
  /** One page of the open cases a staff member may see from this chat, newest first, with the total. */
  listCases(staff: StaffActor, chat: StaffChat, filter: CaseFilter, offset: number): Promise<CasePage>;
  /** Carries out one action on a case, or says why not. */
  act(staff: StaffActor, action: StaffAction): Promise<StaffOutcome>;
  /** Records an attempt by someone who may not act (not staff, or no longer active), with the reference tried. */
  refuse(identityId: string, action: StaffAction, why: "not_staff" | "inactive"): Promise<void>;
  /** A one-time login link to the web inbox, only in the staff member's own chat (audited). */
  webLoginLink(staff: StaffActor, chat: StaffChat): Promise<WebLinkOutcome>;
  /** Ends every web session of the staff member and voids their unused links; returns how many sessions were open. */
  endWebSessions(staff: StaffActor): Promise<number>;
  /** The cards this chat received (sent, not waiting) since a time, one per case, newest first. */
  receivedCards(chatIdentityId: string, since: Date): Promise<ReceivedCard[]>;
  /** The card a quoted message was, or null when it was not one of the bot's cards. */
  quotedCard(chatIdentityId: string, platformMessageId: string): Promise<ReceivedCard | null>;
}

/** Settings that shape the dialogue. */
export interface DialogueSettings {
  maxReportsPerDay: number;
  maxRelaysPerDay: number;
  conversationTtlMs: number;
  defaultLanguage: Language;
  /** How long an office has to accept a case, by urgency (the scheduler's deadlines); the defaults when absent. */
  acceptDeadlinesMs?: Record<Urgency, number>;
}

/** The partners an office may refer one of its cases to, as the chat offers them. */
export type ReferralChoices =
  /** Not this staff member's office's case (or no such case): the outcome says so. */
  | { kind: "refused"; outcome: ReferralOutcome }
  | {
      kind: "choices";
      reference: string;
      /** A child or a victim of unknown age: a parent or guardian may consent for them. */
      guardianMayConsent: boolean;
      providers: Array<{ code: string; name: string; services: ServiceType[]; reviewOverdue: boolean }>;
    };

/** The referral operations staff run from the chat: partners answer, offices refer (the web inbox has the rest). */
export interface ReferralPort {
  /** Active partners serving the case's place that offer every service asked (any, when none is asked). */
  choices(staff: StaffActor, reference: string, services: readonly ServiceType[]): Promise<ReferralChoices>;
  /** Refers a case to a partner with the victim's (or guardian's) consent. */
  refer(staff: StaffActor, request: ChatReferralRequest): Promise<ReferralOutcome>;
  /** A provider's name as the directory holds it, or null. */
  providerName(code: string): Promise<string | null>;
  /** Records a service given under an accepted referral, on a day between the referral and today. */
  recordService(actor: StaffActor, code: string, service: ServiceType, givenOn: Date): Promise<ReferralOutcome>;
  answer(
    partner: StaffActor,
    code: string,
    answer: { accept: true } | { accept: false; reason: DeclineReason },
  ): Promise<ReferralOutcome>;
  complete(actor: StaffActor, code: string): Promise<ReferralOutcome>;
  forPartner(partner: StaffActor): Promise<ReferralView[]>;
}

/** A referral as the chat makes it: consent given by the victim or a guardian (an override needs the web inbox). */
export interface ChatReferralRequest {
  reference: string;
  providerCode: string;
  services: readonly ServiceType[];
  consent: { source: "VICTIM" | "GUARDIAN"; method: ConsentMethod };
  providerNamedToVictim: boolean;
}

/** What the engine needs for one turn besides the state and the message. */
export interface TurnContext {
  now: Date;
  identityId: string;
  translate(language: Language): Translate;
  desk: CaseDesk;
  staffDesk: StaffDesk;
  /** Referrals from the chat (partners answer, offices refer); absent where no partner directory is wired (engine tests). */
  referrals?: ReferralPort;
  /** Who wrote: the chat itself in a private chat, the member in a group (staff enrol as themselves). */
  senderIdentityId: string;
  /** The enrolled staff member behind this message, if any (active or not). */
  staff: StaffActor | null;
  /** The choices of the latest message with choices sent to this chat, which may be a staff card. */
  latestChoices: Choice[] | null;
  /** True in a group chat, where only staff commands are answered. */
  inGroup: boolean;
  settings: DialogueSettings;
  /** The emergency contacts in force (admins' edits over the shipped file); the shipped file when absent. */
  emergency?: EmergencyDirectory;
}
