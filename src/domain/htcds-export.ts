import type {
  AgeGroup,
  AssistanceStage,
  CaseStatus,
  Category,
  Gender,
  Indicators,
  Nationality,
  ReporterRole,
  Resolution,
  Urgency,
  VictimCount,
} from "./case.ts";
import type { ServiceType } from "./case-services.ts";
import { dayOf } from "./providers.ts";

/*
 * The subset of the IOM Human Trafficking Case Data Standard (HTCDS, github.com/UNMigration/HTCDS,
 * CC BY 4.0) this export uses. Field names and value names are taken from the repository's readable
 * text: the ODK form `Toolkit/Survey/htcds_xlsform.xml` (commit 2606448, v1.0 value lists: gender,
 * citizenship, type of exploitation), `HTCDS Field Reference.md` (af4f847: cas_Status, hte_ fields)
 * and `Field Definitions.md` (26ef6a6, the 2.0 definitions of methods of control and trafficking
 * status). The 2.0 field list itself ships only as a spreadsheet (`HTCDS Field Standards 2.0.ods`);
 * docs/htcds-subset.md says what to check against it. Columns without an HTCDS field keep our names.
 * No endorsement by IOM is implied.
 */

/** An HTCDS multi-select value list is written with this separator in one CSV cell. */
export const MULTI_SELECT_SEPARATOR = ";";

/** prs_Gender, IOM standard values (HTCDS v1.0): a group of women and men has no single gender. */
const GENDER: Readonly<Record<Gender, string>> = {
  FEMALE: "Feminine",
  MALE: "Masculine",
  MIXED: "NonSpecifiedUnknown",
  UNKNOWN: "NonSpecifiedUnknown",
};

/**
 * vic_TypeOfExploitation from the reporter's category. Debt bondage, fishing vessels and domestic
 * work are forced labour (the industry goes to vic_ForcedLabourIndustry); "child exploitation" may be
 * labour or sexual, so it is Other; a migrant worker in trouble abroad, or "unsure", states no type.
 */
const EXPLOITATION: Readonly<Record<Category, string>> = {
  FORCED_LABOUR: "ForcedLabour",
  SEXUAL_EXPLOITATION: "SexualExploitation",
  MIGRANT_WORKER_ABROAD: "",
  CHILD_EXPLOITATION: "Other",
  FORCED_MARRIAGE: "ForcedMarriage",
  DEBT_BONDAGE: "ForcedLabour",
  FISHING_VESSEL: "ForcedLabour",
  DOMESTIC_WORK: "ForcedLabour",
  ORGAN_TRADE: "OrganRemoval",
  OTHER: "Other",
  UNSURE: "",
};

/** vic_ForcedLabourIndustry (ISIC v4 sections) where the category names the industry. */
const INDUSTRY: Partial<Record<Category, string>> = {
  FISHING_VESSEL: "A_AgricultureForestryAndFishing",
  DOMESTIC_WORK: "T_ActivitiesOfHouseholdsAsEmployers",
};

/** vic_MethodsOfControl from the intake's indicator answers (HTCDS 2.0 Field Definitions). */
function methodsOfControl(indicators: Indicators): string[] {
  const methods: string[] = [];
  if (indicators.debt === "YES") methods.push("DebtBondage");
  if (indicators.deceived === "YES") methods.push("FalsePromises");
  if (indicators.freeToLeave === "NO") methods.push("RestrictsMovement");
  if (indicators.documentsHeld === "YES") methods.push("WithholdsDocuments");
  return methods;
}

/** cas_Status: Active, FollowUp, Closed or ClosedReferred. */
function caseStatus(status: CaseStatus, resolution: Resolution | null): string {
  if (status === "CLOSED") return resolution === "REFERRED_ELSEWHERE" ? "ClosedReferred" : "Closed";
  return status === "MONITORING" ? "FollowUp" : "Active";
}

/** A case as the HTCDS export reads it: coded fields only, never a contact, a name or the story. */
export interface CaseForHtcds {
  reference: string;
  createdAt: Date;
  acknowledgedAt: Date | null;
  closedAt: Date | null;
  status: CaseStatus;
  assistanceStage: AssistanceStage | null;
  resolution: Resolution | null;
  urgency: Urgency;
  category: Category;
  indicators: Indicators;
  reporterRole: ReporterRole;
  victimAgeGroup: AgeGroup;
  victimGender: Gender;
  victimCount: VictimCount;
  /** Null for cases abroad (not asked). */
  victimNationality: Nationality | null;
  /** ISO 3166-1 alpha-2 of a foreign victim, when known. */
  victimCountry: string | null;
  provinceCode: string | null;
  regencyCode: string | null;
  /** ISO 3166-1 alpha-2 of a case abroad. */
  country: string | null;
  homeProvinceCode: string | null;
  officeCode: string | null;
  services: ReadonlyArray<{ type: ServiceType; givenOn: Date }>;
}

/** Names of areas by code, given by the caller so that this module stays free of the region dataset. */
export type AreaNamer = (code: string) => string | null;

/**
 * The export's columns in order: HTCDS field names where the standard has one, ours otherwise.
 * The README lists them with their meaning; a test keeps the two in step.
 */
export const HTCDS_EXPORT_COLUMNS = [
  "case_reference",
  "reported_on",
  "accepted_on",
  "closed_on",
  "office_code",
  "cas_Status",
  "case_status",
  "assistance_stage",
  "resolution",
  "urgency",
  "reporter_role",
  "vic_TraffickingStatus",
  "vic_TypeOfExploitation",
  "vic_ForcedLabourIndustry",
  "vic_MethodsOfControl",
  "category",
  "prs_Gender",
  "victim_age_group",
  "victim_count",
  "prs_Citizenship",
  "hte_Country",
  "hte_State",
  "hte_City",
  "province_code",
  "regency_code",
  "prs_MailingState",
  "services_given",
] as const;
/** One of HTCDS_EXPORT_COLUMNS. */
export type HtcdsColumn = (typeof HTCDS_EXPORT_COLUMNS)[number];

function day(date: Date | null): string {
  return date ? dayOf(date) : "";
}

/** prs_Citizenship: ISO 3166-1 alpha-2, "ID" for Indonesians; empty when not known (and for cases abroad, where it is not asked). */
function citizenship(item: CaseForHtcds): string {
  if (item.victimNationality === "INDONESIAN") return "ID";
  if (item.victimNationality === "FOREIGN") return item.victimCountry ?? "";
  return "";
}

/** One case as a row of the export, every value a code, a day or an official area name. */
export function htcdsRow(item: CaseForHtcds, areaName: AreaNamer): Record<HtcdsColumn, string> {
  const services = [...item.services]
    .sort((a, b) => a.givenOn.getTime() - b.givenOn.getTime() || a.type.localeCompare(b.type))
    .map((service) => `${service.type}:${dayOf(service.givenOn)}`);
  return {
    case_reference: item.reference,
    reported_on: day(item.createdAt),
    accepted_on: day(item.acknowledgedAt),
    closed_on: day(item.closedAt),
    office_code: item.officeCode ?? "",
    cas_Status: caseStatus(item.status, item.resolution),
    case_status: item.status,
    assistance_stage: item.assistanceStage ?? "",
    resolution: item.resolution ?? "",
    urgency: item.urgency,
    reporter_role: item.reporterRole,
    // Nothing here verifies that someone was trafficked: a report stays a possible victim unless staff found it was not.
    vic_TraffickingStatus:
      item.resolution === "NOT_TRAFFICKING" ? "NotAVictimOfTrafficking" : "PossibleVictimOfTrafficking",
    vic_TypeOfExploitation: EXPLOITATION[item.category],
    vic_ForcedLabourIndustry: INDUSTRY[item.category] ?? "",
    vic_MethodsOfControl: methodsOfControl(item.indicators).join(MULTI_SELECT_SEPARATOR),
    category: item.category,
    prs_Gender: GENDER[item.victimGender],
    victim_age_group: item.victimAgeGroup,
    victim_count: item.victimCount,
    prs_Citizenship: citizenship(item),
    hte_Country: item.country ?? (item.provinceCode ? "ID" : ""),
    hte_State: item.provinceCode ? (areaName(item.provinceCode) ?? "") : "",
    hte_City: item.regencyCode ? (areaName(item.regencyCode) ?? "") : "",
    province_code: item.provinceCode ?? "",
    regency_code: item.regencyCode ?? "",
    prs_MailingState: item.homeProvinceCode ? (areaName(item.homeProvinceCode) ?? "") : "",
    services_given: services.join(MULTI_SELECT_SEPARATOR),
  };
}
