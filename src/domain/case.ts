import { z } from "zod";

/** The life of a case (DESIGN §3); names are used as-is in code and machine-readable output. */
export const CASE_STATUSES = [
  "RECEIVED",
  "ROUTED",
  "ACKNOWLEDGED",
  "ASSESSMENT",
  "ASSISTANCE",
  "MONITORING",
  "CLOSED",
] as const;
/** A case's place in the status model. */
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The service stage of a case in ASSISTANCE: return, recovery or reintegration. */
export const ASSISTANCE_STAGES = ["RETURN", "RECOVERY", "REINTEGRATION"] as const;
/** One of ASSISTANCE_STAGES. */
export type AssistanceStage = (typeof ASSISTANCE_STAGES)[number];

/** URGENT when someone is in immediate danger at the time of reporting. */
export const URGENCIES = ["URGENT", "NORMAL"] as const;
/** One of URGENCIES. */
export type Urgency = (typeof URGENCIES)[number];

/** What is happening, as the reporter describes it (DESIGN §2 step 4). */
export const CATEGORIES = [
  "FORCED_LABOUR",
  "SEXUAL_EXPLOITATION",
  "MIGRANT_WORKER_ABROAD",
  "CHILD_EXPLOITATION",
  "FORCED_MARRIAGE",
  "DEBT_BONDAGE",
  "FISHING_VESSEL",
  "DOMESTIC_WORK",
  "ORGAN_TRADE",
  "OTHER",
  "UNSURE",
] as const;
/** One of CATEGORIES. */
export type Category = (typeof CATEGORIES)[number];
/** zod schema of a category code. */
export const CategorySchema = z.enum(CATEGORIES);

/** Who is making the report. */
export const REPORTER_ROLES = ["VICTIM", "FAMILY", "FRIEND", "WITNESS", "ORGANISATION", "UNKNOWN"] as const;
/** One of REPORTER_ROLES. */
export type ReporterRole = (typeof REPORTER_ROLES)[number];

/** The victim's age group; CHILD means under 18. */
export const AGE_GROUPS = ["CHILD", "ADULT", "UNKNOWN"] as const;
/** One of AGE_GROUPS. */
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** The victim's gender as the reporter knows it; MIXED for a group of women and men. */
export const GENDERS = ["FEMALE", "MALE", "MIXED", "UNKNOWN"] as const;
/** One of GENDERS. */
export type Gender = (typeof GENDERS)[number];

/** How many people are affected. */
export const VICTIM_COUNTS = ["ONE", "FEW", "MANY", "UNKNOWN"] as const;
/** One of VICTIM_COUNTS. */
export type VictimCount = (typeof VICTIM_COUNTS)[number];

/** Whether the victims are Indonesian citizens, asked when the place is in Indonesia. */
export const NATIONALITIES = ["INDONESIAN", "FOREIGN", "UNKNOWN"] as const;
/** One of NATIONALITIES. */
export type Nationality = (typeof NATIONALITIES)[number];

/** How staff may reach the reporter: in this chat, on another number, or not at all. */
export const CONTACT_PREFERENCES = ["CHAT", "OTHER_NUMBER", "NONE"] as const;
/** One of CONTACT_PREFERENCES. */
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number];

/** Answer to one of the short indicator questions. */
export const INDICATOR_ANSWERS = ["YES", "NO", "UNKNOWN"] as const;
/** One of INDICATOR_ANSWERS. */
export type IndicatorAnswer = (typeof INDICATOR_ANSWERS)[number];

/** The short indicator questions of the intake (DESIGN §2 step 4). */
export const INDICATORS = ["documentsHeld", "freeToLeave", "debt", "deceived"] as const;
/** One of INDICATORS. */
export type Indicator = (typeof INDICATORS)[number];

/** Coded indicator answers; a question not asked or skipped is absent. */
export const IndicatorsSchema = z.partialRecord(z.enum(INDICATORS), z.enum(INDICATOR_ANSWERS));
/** Coded indicator answers. */
export type Indicators = z.infer<typeof IndicatorsSchema>;

/**
 * The elements of the crime of trafficking in UU 21/2007 Art. 1 and 2 that the answers point
 * to: an act (recruiting, moving, harbouring), a means (deception, debt, coercion) and an
 * exploitative purpose. Used by staff to triage; never shown to the reporter as a verdict.
 */
export interface TppoElements {
  act: boolean;
  means: boolean;
  purpose: boolean;
}

const EXPLOITATIVE: ReadonlySet<Category> = new Set([
  "FORCED_LABOUR",
  "SEXUAL_EXPLOITATION",
  "CHILD_EXPLOITATION",
  "FORCED_MARRIAGE",
  "DEBT_BONDAGE",
  "FISHING_VESSEL",
  "DOMESTIC_WORK",
  "ORGAN_TRADE",
]);

/** Maps a category and the indicator answers to the act / means / purpose elements of UU 21/2007. */
export function tppoElements(category: Category, indicators: Indicators): TppoElements {
  const means =
    indicators.deceived === "YES" ||
    indicators.debt === "YES" ||
    indicators.documentsHeld === "YES" ||
    indicators.freeToLeave === "NO";
  return {
    // Being moved abroad or held by someone who took the documents is the "act" of
    // recruiting, transporting or harbouring.
    act: category === "MIGRANT_WORKER_ABROAD" || indicators.documentsHeld === "YES" || indicators.deceived === "YES",
    means,
    purpose: EXPLOITATIVE.has(category),
  };
}

/** How a closed case ended (DESIGN §3). */
export const RESOLUTIONS = ["ASSISTED", "REFERRED_ELSEWHERE", "UNREACHABLE", "NOT_TRAFFICKING", "DUPLICATE"] as const;
/** One of RESOLUTIONS. */
export type Resolution = (typeof RESOLUTIONS)[number];

/**
 * Staff roles (DESIGN §2): an agent and an office supervisor work on their office's cases; national
 * staff on all; partner staff (of a provider, not an office) only on the referrals sent to it.
 */
export const STAFF_ROLES = ["AGENT", "SUPERVISOR", "NATIONAL", "PARTNER"] as const;
/** One of STAFF_ROLES. */
export type StaffRole = (typeof STAFF_ROLES)[number];
