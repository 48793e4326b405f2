import { z } from "zod";
import type { AgeGroup, Gender, VictimCount } from "./case.ts";

/** The victim types of the routing matrix (DESIGN §4). */
export const VICTIM_TYPES = ["CHILD", "ADULT_WOMAN", "ADULT_MAN", "GROUP_OR_UNKNOWN"] as const;
/** One of VICTIM_TYPES. */
export type VictimType = (typeof VICTIM_TYPES)[number];

/** The provincial office kinds a province has. */
export const PROVINCIAL_OFFICE_KINDS = ["DINSOS", "UPTDPPA"] as const;
/** One of PROVINCIAL_OFFICE_KINDS. */
export type ProvincialOfficeKind = (typeof PROVINCIAL_OFFICE_KINDS)[number];

const OfficeCode = z.string().regex(/^(DINSOS-\d{2}|UPTDPPA-\d{2}|NATIONAL|SAPA129|KP2MI)$/);
const PerVictimType = <T extends z.ZodType>(value: T) =>
  z.object({ CHILD: value, ADULT_WOMAN: value, ADULT_MAN: value, GROUP_OR_UNKNOWN: value });

/** zod schema of the routing matrix data file (src/directory/data/routing-matrix.json). */
export const RoutingMatrixSchema = z.object({
  inIndonesia: PerVictimType(z.enum(PROVINCIAL_OFFICE_KINDS)),
  abroad: z.object({ responsible: OfficeCode, copyToHomeProvince: z.enum(PROVINCIAL_OFFICE_KINDS).nullable() }),
  unknownPlace: OfficeCode,
  escalation: PerVictimType(OfficeCode),
  fallback: OfficeCode,
});
/** Which office acts on which case: data, validated on load. */
export type RoutingMatrix = z.infer<typeof RoutingMatrixSchema>;

/**
 * The victim type for routing: a child (under 18, any gender); a woman when any victim is
 * female (a group with a child or a woman counts as that); an adult man; otherwise unknown.
 */
export function victimTypeOf(age: AgeGroup, gender: Gender, _count: VictimCount): VictimType {
  if (age === "CHILD") return "CHILD";
  if (gender === "FEMALE" || gender === "MIXED") return "ADULT_WOMAN";
  if (gender === "MALE" && age === "ADULT") return "ADULT_MAN";
  return "GROUP_OR_UNKNOWN";
}

/** Where a case happened, as far as routing needs to know. */
export type RoutingPlace =
  | { kind: "province"; provinceCode: string }
  | { kind: "abroad"; homeProvinceCode: string | null }
  | { kind: "unknown" };

/** Where a report happened, as routing reads it; abroad even when the country is not known. */
export function routingPlaceOf(report: {
  provinceCode: string | null;
  abroad: boolean;
  homeProvinceCode: string | null;
}): RoutingPlace {
  if (report.provinceCode) return { kind: "province", provinceCode: report.provinceCode };
  if (report.abroad) return { kind: "abroad", homeProvinceCode: report.homeProvinceCode };
  return { kind: "unknown" };
}

/** The offices a case goes to and why. */
export interface RoutingDecision {
  responsible: string;
  copies: string[];
  reason: string;
}

/** Decides the responsible office and the copies for a new case (DESIGN §4). */
export function decideRoute(matrix: RoutingMatrix, place: RoutingPlace, victimType: VictimType): RoutingDecision {
  if (place.kind === "province") {
    const kind = matrix.inIndonesia[victimType];
    return {
      responsible: `${kind}-${place.provinceCode}`,
      copies: [],
      reason: `in Indonesia, province ${place.provinceCode}, victim ${victimType}: ${kind} of the province`,
    };
  }
  if (place.kind === "abroad") {
    const copyKind = matrix.abroad.copyToHomeProvince;
    const copies = copyKind && place.homeProvinceCode ? [`${copyKind}-${place.homeProvinceCode}`] : [];
    return {
      responsible: matrix.abroad.responsible,
      copies,
      reason:
        copies.length > 0
          ? `abroad: ${matrix.abroad.responsible}, copied to ${copies[0]} (home province ${place.homeProvinceCode})`
          : `abroad, home province unknown: ${matrix.abroad.responsible}`,
    };
  }
  return { responsible: matrix.unknownPlace, copies: [], reason: `place unknown: ${matrix.unknownPlace}` };
}

/** The office a missed deadline escalates to: SAPA 129 for women and children, the national desk otherwise. */
export function escalationTarget(matrix: RoutingMatrix, victimType: VictimType): string {
  return matrix.escalation[victimType];
}

/**
 * Whose chat receives an office's card: the office itself when it has an active destination,
 * else the fallback desk when that has one, else nobody yet (the card waits).
 */
export function cardRecipientOffice(
  officeCode: string,
  fallbackCode: string,
  hasDestination: (code: string) => boolean,
): { officeCode: string | null; viaFallback: boolean } {
  if (hasDestination(officeCode)) return { officeCode, viaFallback: false };
  if (officeCode !== fallbackCode && hasDestination(fallbackCode))
    return { officeCode: fallbackCode, viaFallback: true };
  return { officeCode: null, viaFallback: officeCode !== fallbackCode };
}
