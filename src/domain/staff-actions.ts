import type {
  AgeGroup,
  AssistanceStage,
  CaseStatus,
  Category,
  ContactPreference,
  Gender,
  Indicators,
  ReporterRole,
  Resolution,
  StaffRole,
  Urgency,
  VictimCount,
} from "./case.ts";
import type { ServiceType } from "./case-services.ts";
import type { Language } from "./language.ts";

/** The enrolled staff member sending a message. */
export interface StaffActor {
  id: string;
  name: string;
  officeCode: string;
  role: StaffRole;
  active: boolean;
  language: Language;
  /** The provider a PARTNER works for (absent or null for government staff). */
  providerCode?: string | null;
}

/**
 * Something staff can do to a case, from a card button or a text command. `confirmed` carries
 * the case version the staff member saw when they said yes: the change applies only to that.
 */
export type StaffAction =
  | { kind: "accept"; reference: string }
  | { kind: "details"; reference: string }
  | { kind: "history"; reference: string; page?: number }
  | { kind: "setStatus"; reference: string; status?: CaseStatus; stage?: AssistanceStage }
  | { kind: "note"; reference: string; text: string }
  | { kind: "reply"; reference: string; text: string }
  | { kind: "transfer"; reference: string; officeCode: string; confirmed?: number }
  | { kind: "copy"; reference: string; officeCode: string }
  | { kind: "close"; reference: string; resolution?: Resolution; confirmed?: number }
  | { kind: "reopen"; reference: string; reason?: string }
  | { kind: "assign"; reference: string; staffName?: string; staffId?: string }
  | {
      kind: "service";
      reference: string;
      service?: ServiceType;
      provider?: string;
      /** The day it was given, YYYY-MM-DD. */
      givenOn?: string;
      note?: string;
    }
  | { kind: "access"; reference: string }
  | { kind: "reissuePin"; reference: string }
  /** "Batal" on a confirmation: nothing changes. */
  | { kind: "cancel"; reference: string };

/** The kinds of StaffAction. */
export type StaffActionKind = StaffAction["kind"];

/** The short, coded facts of a case: what a card shows (no narrative, names or contacts). */
export interface CaseFacts {
  reference: string;
  status: CaseStatus;
  assistanceStage: AssistanceStage | null;
  urgency: Urgency;
  category: Category;
  provinceCode: string | null;
  regencyCode: string | null;
  country: string | null;
  homeProvinceCode: string | null;
  victimAgeGroup: AgeGroup;
  officeCode: string | null;
  /** Set on new reports in Indonesia: Indonesian, foreign or unknown victims (and the foreign country). */
  victimNationality?: string | null;
  victimCountry?: string | null;
}

/** Everything staff may see of a case in private: the facts plus the reporter's words and contact choice. */
export interface CaseDetails extends CaseFacts {
  reporterRole: ReporterRole;
  indicators: Indicators;
  victimGender: Gender;
  victimCount: VictimCount;
  narrative: string | null;
  placeDetail: { text?: string; latitude?: number; longitude?: number } | null;
  contactPreference: ContactPreference;
  contactNumber: string | null;
  copiedTo: string[];
  officeName: string | null;
  assignedStaffName: string | null;
  messages: Array<{
    direction: "FROM_REPORTER" | "TO_REPORTER" | "NOTE";
    text: string;
    at: Date;
    staffName: string | null;
  }>;
  /** How many messages there are in all; `messages` holds the latest. */
  messageCount: number;
  services: ServiceEntry[];
  /** True when the viewer's office only received a copy: contact details and the exchange with the reporter stay with the responsible office. */
  copyView: boolean;
  createdAt: Date;
}

/** A case as it stands now, for "this case was just changed" and "already accepted by". */
export interface CaseStateNow {
  reference: string;
  status: CaseStatus;
  stage: AssistanceStage | null;
  resolution: Resolution | null;
  officeName: string | null;
  assigneeName: string | null;
  /** When the latest change of status, office or assignee happened, and who made it. */
  changedAt: Date;
  changedBy: string | null;
  /** The province whose time zone the times are written in. */
  provinceCode: string | null;
}

/** One entry of a case's history, as staff read it. */
export interface HistoryEntry {
  at: Date;
  kind: "event" | "message" | "service";
  /** Event type, message direction, or service type. */
  type: string;
  who: string | null;
  fromStatus?: CaseStatus | null;
  toStatus?: CaseStatus | null;
  /** Message text, or the service provider and note; decrypted (a private view, audited). */
  text?: string | null;
  detail?: string | null;
}

/** One service recorded on a case, as staff read it. */
export interface ServiceEntry {
  type: ServiceType;
  stage: AssistanceStage;
  /** The day it was given (midnight UTC of that day). */
  givenOn: Date;
  recordedAt: Date;
  provider: string | null;
  note: string | null;
  staffName: string | null;
  officeCode: string;
}

/** What happened when staff acted; the dialogue turns it into words. */
export type StaffOutcome =
  | { kind: "not_found"; reference: string }
  | { kind: "not_allowed"; reference: string }
  /** The staff member's office only received a copy: it may read, note, record services and issue access. */
  | { kind: "copy_only"; reference: string }
  /** Reopening (and handing over another's case) is for supervisors and national staff. */
  | { kind: "supervisors_only"; reference: string }
  | { kind: "closed_already"; reference: string }
  | { kind: "accepted"; reference: string }
  | { kind: "already_accepted"; state: CaseStateNow }
  /** The case changed after the staff member saw it: nothing was done. */
  | { kind: "changed_meanwhile"; state: CaseStateNow }
  /** A confirmation came after the case had left the staff member's office: nothing was done. */
  | { kind: "moved_away"; reference: string }
  | { kind: "details"; details: CaseDetails }
  | {
      kind: "history";
      reference: string;
      entries: HistoryEntry[];
      page: number;
      pages: number;
      /** The province whose time zone the times are written in. */
      provinceCode: string | null;
    }
  | { kind: "choose_status"; reference: string; current: CaseStatus; allowed: CaseStatus[] }
  | { kind: "choose_stage"; reference: string }
  | { kind: "invalid_transition"; reference: string; from: CaseStatus; to: CaseStatus; allowed: CaseStatus[] }
  | { kind: "status_changed"; reference: string; status: CaseStatus; stage: AssistanceStage | null }
  | { kind: "choose_resolution"; reference: string }
  /** A far-reaching change waits for the staff member's yes; `version` is the case as they see it. */
  | {
      kind: "confirm";
      reference: string;
      version: number;
      change: { kind: "close"; resolution: Resolution } | { kind: "transfer"; officeCode: string; officeName: string };
    }
  | { kind: "cancelled"; reference: string }
  | { kind: "closed"; reference: string; resolution: Resolution }
  | { kind: "reopen_needs_reason"; reference: string }
  | { kind: "not_closed"; reference: string }
  | { kind: "purged"; reference: string }
  | { kind: "reopened"; reference: string; status: CaseStatus }
  | { kind: "noted"; reference: string }
  | { kind: "replied"; reference: string }
  | { kind: "cannot_reply"; reference: string; why: "anonymous" | "other_number" }
  | { kind: "unknown_office"; officeCode: string }
  | { kind: "same_office"; reference: string; officeCode: string }
  | { kind: "transferred"; reference: string; officeCode: string; officeName: string }
  | { kind: "copied"; reference: string; officeCode: string; officeName: string }
  | { kind: "choose_assignee"; reference: string; colleagues: Array<{ id: string; name: string }> }
  | { kind: "unknown_staff"; reference: string; name: string; matches: string[] }
  | { kind: "assigned"; reference: string; name: string }
  | { kind: "choose_service"; reference: string }
  | { kind: "service_recorded"; reference: string; service: ServiceType; stage: AssistanceStage }
  | { kind: "access_issued"; reference: string; pin: string }
  | { kind: "consent_withdrawn"; reference: string }
  | { kind: "pin_reissued"; reference: string }
  | { kind: "pin_held"; reference: string }
  /** A new PIN for staff to hand over; `duress` when it was not sent because the duress PIN was used. */
  | { kind: "pin_shown"; reference: string; pin: string; duress?: boolean };

/** The outcome of `/staff <invite-code>`. */
export type EnrolOutcome =
  | { kind: "enrolled"; staff: StaffActor; officeName: string }
  | { kind: "invalid" }
  | { kind: "expired" }
  /** Too many wrong codes from this chat lately: no code is tried until `until`. */
  | { kind: "limited"; until: Date }
  | { kind: "already"; staff: StaffActor };

/** The answer to `/masuk`: a one-time link to the web inbox, or why there is none. */
export type WebLinkOutcome =
  | { kind: "link"; url: string; expiresAt: Date }
  /** The web inbox is not enabled on this server. */
  | { kind: "off" }
  /** Asked in a group: the link goes only to the staff member's own chat. */
  | { kind: "private_only" };

/** One line of `/kasus`: an open case visible to the staff member. */
export interface CaseLine {
  reference: string;
  status: CaseStatus;
  urgency: Urgency;
  category: Category;
  provinceCode: string | null;
  regencyCode: string | null;
  country: string | null;
  createdAt: Date;
  assigneeName: string | null;
  /** The next deadline: accepting (while routed) or the 7-day service limit (in assistance). */
  deadline: { kind: "accept" | "service"; at: Date } | null;
  /** True when the staff member's office holds only a copy. */
  copy: boolean;
}

/** Filters of `/kasus`. */
export type CaseFilter =
  | { kind: "all" }
  | { kind: "mine" }
  | { kind: "new" }
  | { kind: "overdue" }
  | { kind: "status"; status: CaseStatus }
  | { kind: "place"; text: string };

/** One page of `/kasus`. */
export interface CasePage {
  lines: CaseLine[];
  /** How many cases match in all. */
  total: number;
  /** The position of the first line, from 0. */
  offset: number;
  /** A place filter that named no regency or province. */
  unknownPlace?: boolean;
  /** Nothing may be listed here: a group that serves none of the staff member's offices. */
  noScope?: boolean;
}

/** Where a staff member is typing, for the scope of lists. */
export interface StaffChat {
  /** The chat the message came from (the group, in a group). */
  chatIdentityId: string;
  inGroup: boolean;
}

/** A card (a message about a case with actions) this chat received, for numbers typed and quotes. */
export interface ReceivedCard {
  reference: string;
  /** The card's own choices: "1" means its first. */
  choices: Array<{ id: string; label: string }>;
  sentAt: Date;
  facts: CaseFacts;
}
