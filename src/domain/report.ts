import type {
  AgeGroup,
  AssistanceStage,
  CaseStatus,
  Category,
  ContactPreference,
  Gender,
  Indicators,
  Nationality,
  ReporterRole,
  Urgency,
  VictimCount,
} from "./case.ts";
import type { Language } from "./language.ts";
import type { StatusViewer } from "./status-view.ts";

/** A confirmed report, ready to become a case. Free-text fields are encrypted when stored. */
export interface NewReport {
  urgency: Urgency;
  reporterRole: ReporterRole;
  category: Category;
  indicators: Indicators;
  provinceCode: string | null;
  /** Kemendagri regency and district codes ("32.01", "32.01.16") when the person named them. */
  regencyCode: string | null;
  districtCode: string | null;
  /** True when it happens outside Indonesia, whether or not the country is known. */
  abroad: boolean;
  /** ISO 3166-1 alpha-2 when abroad and known. */
  country: string | null;
  homeProvinceCode: string | null;
  /** What the reporter typed about the place, and a shared pin, if any. */
  placeDetail: { text?: string; latitude?: number; longitude?: number } | null;
  victimAgeGroup: AgeGroup;
  victimGender: Gender;
  victimCount: VictimCount;
  /** In Indonesia: Indonesian, foreign or unknown victims; null abroad or when not asked. */
  victimNationality: Nationality | null;
  /** ISO 3166-1 alpha-2 of foreign victims, when known. */
  victimCountry: string | null;
  narrative: string | null;
  contactPreference: ContactPreference;
  contactNumber: string | null;
  consentToShare: boolean;
  language: Language;
  /** Files sent with the report, already stored encrypted. */
  attachmentIds: string[];
}

/** What the reporter receives once the report is stored. */
export interface SubmittedReport {
  reference: string;
  pin: string;
  /** The office responsible for the case, and the offices that got a copy. */
  officeCode: string;
  copiedTo: string[];
  /** How long the office has to accept the case, from now (the scheduler escalates after it). */
  acceptWithinMs: number;
}

/** A report listed under "my reports": the reference only, the status needs the PIN. */
export interface ReportListing {
  reference: string;
  createdAt: Date;
}

/** The answer to a status look-up; "not found" covers a wrong PIN too, on purpose. */
export type StatusAnswer =
  | {
      kind: "found";
      reference: string;
      status: CaseStatus;
      assistanceStage: AssistanceStage | null;
      viewer: StatusViewer;
      updatedAt: Date;
      /** The office handling the case; null where it must not be named (the emergency PIN's harmless view). */
      officeCode: string | null;
    }
  | { kind: "not_found" }
  | { kind: "locked"; until: Date }
  /** The reference had many failures: this attempt was not checked, whether or not the reference exists. */
  | { kind: "wait"; until: Date };
