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
import type { Language } from "./language.ts";

/** The enrolled staff member sending a message. */
export interface StaffActor {
  id: string;
  name: string;
  officeCode: string;
  role: StaffRole;
  active: boolean;
  language: Language;
}

/** Something staff can do to a case, from a card button or a text command. */
export type StaffAction =
  | { kind: "accept"; reference: string }
  | { kind: "details"; reference: string }
  | { kind: "setStatus"; reference: string; status?: CaseStatus; stage?: AssistanceStage }
  | { kind: "note"; reference: string; text: string }
  | { kind: "reply"; reference: string; text: string }
  | { kind: "transfer"; reference: string; officeCode: string }
  | { kind: "copy"; reference: string; officeCode: string }
  | { kind: "close"; reference: string; resolution?: Resolution }
  | { kind: "access"; reference: string }
  | { kind: "reissuePin"; reference: string };

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
  createdAt: Date;
}

/** What happened when staff acted; the dialogue turns it into words. */
export type StaffOutcome =
  | { kind: "not_found"; reference: string }
  | { kind: "not_allowed"; reference: string }
  | { kind: "closed_already"; reference: string }
  | { kind: "accepted"; reference: string }
  | { kind: "details"; details: CaseDetails }
  | { kind: "choose_status"; reference: string; current: CaseStatus; allowed: CaseStatus[] }
  | { kind: "choose_stage"; reference: string }
  | { kind: "invalid_transition"; reference: string; from: CaseStatus; to: CaseStatus; allowed: CaseStatus[] }
  | { kind: "status_changed"; reference: string; status: CaseStatus; stage: AssistanceStage | null }
  | { kind: "choose_resolution"; reference: string }
  | { kind: "closed"; reference: string; resolution: Resolution }
  | { kind: "noted"; reference: string }
  | { kind: "replied"; reference: string }
  | { kind: "cannot_reply"; reference: string; why: "anonymous" | "other_number" }
  | { kind: "unknown_office"; officeCode: string }
  | { kind: "same_office"; reference: string; officeCode: string }
  | { kind: "transferred"; reference: string; officeCode: string; officeName: string }
  | { kind: "copied"; reference: string; officeCode: string; officeName: string }
  | { kind: "access_issued"; reference: string; pin: string }
  | { kind: "consent_withdrawn"; reference: string }
  | { kind: "pin_reissued"; reference: string }
  | { kind: "pin_shown"; reference: string; pin: string };

/** The outcome of `/staff <invite-code>`. */
export type EnrolOutcome =
  | { kind: "enrolled"; staff: StaffActor; officeName: string }
  | { kind: "invalid" }
  | { kind: "expired" }
  | { kind: "already"; staff: StaffActor };

/** One line of `/kasus`: an open case visible to the staff member. */
export interface CaseLine {
  reference: string;
  status: CaseStatus;
  urgency: Urgency;
  category: Category;
  provinceCode: string | null;
  country: string | null;
  createdAt: Date;
}
