import type { AgeGroup, AssistanceStage, StaffRole } from "./case.ts";
import { SERVICE_STAGE, SERVICE_TYPES, type ServiceType, type StageState } from "./case-services.ts";

/** Where a referral to a partner stands. */
export const REFERRAL_STATUSES = ["PENDING", "ACCEPTED", "DECLINED", "EXPIRED", "WITHDRAWN", "DONE"] as const;
/** One of REFERRAL_STATUSES. */
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** A stored status read back (a value no release wrote reads as pending: the office still sees it open). */
export function referralStatusOf(stored: string): ReferralStatus {
  return (REFERRAL_STATUSES as readonly string[]).includes(stored) ? (stored as ReferralStatus) : "PENDING";
}

/** A referral's services as stored (semicolon-separated codes), unknown codes left out. */
export function referralServicesOf(stored: string): ServiceType[] {
  return stored.split(";").filter((s): s is ServiceType => (SERVICE_TYPES as readonly string[]).includes(s));
}

/** Why a provider declined a referral. */
export const DECLINE_REASONS = ["CAPACITY", "NOT_ELIGIBLE", "OUT_OF_AREA", "OTHER"] as const;
/** One of DECLINE_REASONS. */
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** Who agreed to share the case with the provider: the victim, a child's parent or guardian, or a supervisor's override. */
export const CONSENT_SOURCES = ["VICTIM", "GUARDIAN", "OVERRIDE"] as const;
/** One of CONSENT_SOURCES. */
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** How the consent was given. */
export const CONSENT_METHODS = ["IN_PERSON", "PHONE", "CHAT", "WRITTEN"] as const;
/** One of CONSENT_METHODS. */
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** The only grounds on which a supervisor may refer without consent. */
export const OVERRIDE_GROUNDS = ["CHILD_BEST_INTEREST", "DANGER_TO_LIFE"] as const;
/** One of OVERRIDE_GROUNDS. */
export type OverrideGround = (typeof OVERRIDE_GROUNDS)[number];

/** How long a provider has to answer a referral, by the case's urgency. */
export const REFERRAL_ANSWER_MS = { normal: 2 * 24 * 60 * 60_000, urgent: 4 * 60 * 60_000 } as const;

/** The consent recorded with a referral. */
export type ReferralConsent =
  | { source: "VICTIM" | "GUARDIAN"; method: ConsentMethod }
  | { source: "OVERRIDE"; ground: OverrideGround; reason: string };

/** Why a consent cannot be recorded as given. */
export type ConsentRefusal =
  | "override_needs_supervisor"
  | "override_needs_reason"
  /** A guardian's consent, or the child's-best-interest ground, for a victim known to be an adult. */
  | "adult_victim";

/** The shortest override reason accepted: a word or two does not explain a decision to share without consent. */
export const OVERRIDE_REASON_MIN_LENGTH = 15;

/**
 * The reporter's consent covers government offices only: sharing with a partner needs the
 * victim's (or, for a child, a guardian's) own consent, or a supervisor's override on the grounds
 * of a child's best interest or a danger to life, with a written reason.
 */
export function consentRefusal(role: StaffRole, consent: ReferralConsent, victimAge: AgeGroup): ConsentRefusal | null {
  // An adult decides for themselves: a guardian speaks only for a child (or a victim of unknown age).
  const childOrUnknown = victimAge !== "ADULT";
  if (consent.source === "GUARDIAN") return childOrUnknown ? null : "adult_victim";
  if (consent.source !== "OVERRIDE") return null;
  if (consent.ground === "CHILD_BEST_INTEREST" && !childOrUnknown) return "adult_victim";
  if (role !== "SUPERVISOR" && role !== "NATIONAL") return "override_needs_supervisor";
  if (consent.reason.trim().length < OVERRIDE_REASON_MIN_LENGTH) return "override_needs_reason";
  return null;
}

/** When the provider must have answered a referral made at `at`. */
export function referralDueAt(at: Date, urgent: boolean): Date {
  return new Date(at.getTime() + (urgent ? REFERRAL_ANSWER_MS.urgent : REFERRAL_ANSWER_MS.normal));
}

/** What can happen to a referral. */
export type ReferralEvent = "accept" | "decline" | "expire" | "withdraw" | "complete";

/**
 * The referral's next status, or null when the event does not apply: a provider answers only a
 * pending referral before its deadline (an answer after it is too late: the office has been told
 * it is overdue and may have gone elsewhere); consent can be withdrawn until the work is done.
 */
export function nextReferralStatus(
  referral: { status: ReferralStatus; dueAt: Date },
  event: ReferralEvent,
  now: Date,
): ReferralStatus | null {
  const pending = referral.status === "PENDING";
  const inTime = now.getTime() < referral.dueAt.getTime();
  switch (event) {
    case "accept":
      return pending && inTime ? "ACCEPTED" : null;
    case "decline":
      return pending && inTime ? "DECLINED" : null;
    case "expire":
      return pending && !inTime ? "EXPIRED" : null;
    case "withdraw":
      return pending || referral.status === "ACCEPTED" ? "WITHDRAWN" : null;
    case "complete":
      return referral.status === "ACCEPTED" ? "DONE" : null;
  }
}

/** An unanswered referral past its deadline (expired, or about to be marked so): the office must act. */
export function referralOverdue(referral: { status: ReferralStatus; dueAt: Date }, now: Date): boolean {
  return referral.status === "EXPIRED" || (referral.status === "PENDING" && now.getTime() >= referral.dueAt.getTime());
}

/** The provider may see the case's story (never the reporter's contact) only while it works on it: accepted, not yet done or withdrawn. */
export function providerSeesStory(status: ReferralStatus): boolean {
  // Once the work is done (or consent withdrawn), the partner's access to the case ends.
  return status === "ACCEPTED";
}

/** The stages a referral's services belong to (OTHER counts for none: its stage is the case's). */
export function stagesOfServices(services: readonly ServiceType[]): Set<AssistanceStage> {
  const stages = new Set<AssistanceStage>();
  for (const service of services) if (service !== "OTHER") stages.add(SERVICE_STAGE[service]);
  return stages;
}

/**
 * Each stage's state with referrals counted: a stage a partner has accepted to work on (and not
 * finished) is in progress even before a service is recorded; a stage whose referred work is done
 * and that is not otherwise in progress (the case's current stage, or services recorded for it) is
 * done. Declined, expired and withdrawn referrals change nothing.
 */
export function stageStatesWithReferrals(
  base: Record<AssistanceStage, StageState>,
  referrals: ReadonlyArray<{ status: ReferralStatus; services: readonly ServiceType[] }>,
): Record<AssistanceStage, StageState> {
  const open = new Set<AssistanceStage>();
  const done = new Set<AssistanceStage>();
  for (const referral of referrals) {
    const stages = stagesOfServices(referral.services);
    if (referral.status === "ACCEPTED") for (const stage of stages) open.add(stage);
    if (referral.status === "DONE") for (const stage of stages) done.add(stage);
  }
  const states = { ...base };
  for (const stage of Object.keys(states) as AssistanceStage[]) {
    if (open.has(stage)) states[stage] = "IN_PROGRESS";
    else if (done.has(stage) && states[stage] !== "IN_PROGRESS") states[stage] = "DONE";
  }
  return states;
}

/** A referral as staff and partners read it: codes and dates, the provider's name, never the victim's. */
export interface ReferralView {
  code: string;
  reference: string;
  providerCode: string;
  providerName: string;
  officeCode: string;
  services: ServiceType[];
  status: ReferralStatus;
  urgent: boolean;
  dueAt: Date;
  /** Unanswered past its deadline. */
  overdue: boolean;
  declineReason: DeclineReason | null;
  createdAt: Date;
}

/** What a referral operation did, or why it did nothing. */
export type ReferralOutcome =
  | { kind: "not_found"; reference: string }
  | { kind: "not_allowed" }
  | { kind: "closed_already"; reference: string }
  | { kind: "unknown_provider"; providerCode: string }
  | { kind: "provider_unsuitable"; providerCode: string; why: "inactive" | "area" | "services" }
  | { kind: "no_services" }
  | { kind: "consent_refused"; why: ConsentRefusal }
  | { kind: "referred_already"; referral: ReferralView }
  | { kind: "referral_not_found"; code: string }
  /** The event does not apply to the referral as it stands (answered already, past its deadline, not accepted). */
  | { kind: "wrong_state"; referral: ReferralView }
  /** `partnerReachable` is false when no staff of the provider is enrolled: the office must call it. */
  | { kind: "referred"; referral: ReferralView; partnerReachable: boolean }
  /** An accepted referral comes with the report's story for the partner (never the reporter's contact). */
  | { kind: "answered"; referral: ReferralView; story: string | null }
  | { kind: "service_recorded"; referral: ReferralView; service: ServiceType }
  /** A service the referral did not ask for, or a day before the referral or in the future. */
  | { kind: "service_refused"; referral: ReferralView; why: "not_asked" | "date" }
  | { kind: "completed"; referral: ReferralView }
  | { kind: "withdrawn"; referral: ReferralView };
