import { z } from "zod";
import { SERVICE_TYPES } from "./case-services.ts";

/** The kinds of partner service a case can be referred to. */
export const PROVIDER_KINDS = [
  "NGO_SHELTER",
  "UPTD_PPA",
  "DINSOS_SHELTER",
  "HEALTH",
  "PSYCHOSOCIAL",
  "LEGAL_AID",
  "RELIGIOUS",
  "IOM",
  "LPSK",
  "KP2MI",
  "POLICE",
  "SAPA_129",
  "OTHER",
] as const;
/** One of PROVIDER_KINDS. */
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** The groups of people a provider serves. */
export const PROVIDER_POPULATIONS = ["WOMEN", "CHILDREN", "MEN", "MIGRANT_WORKERS", "FOREIGNERS"] as const;
/** One of PROVIDER_POPULATIONS. */
export type ProviderPopulation = (typeof PROVIDER_POPULATIONS)[number];

/** The province code that means "every province" (a national organisation). */
export const EVERY_PROVINCE = "*";

/** One area a provider serves: a province (or EVERY_PROVINCE), whole or one regency of it. */
export interface ProviderArea {
  provinceCode: string;
  /** Null when the whole province is served. */
  regencyCode: string | null;
}

/** A provider's code: what the CLI, the CSV and referrals name it by. */
export const ProviderCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, "2 to 32 letters, digits or dashes, such as NTB-LBH-1");

/** A partner service as the directory holds it. */
export const ProviderRecordSchema = z.object({
  code: ProviderCodeSchema,
  name: z.string().trim().min(2, "at least 2 characters").max(160, "at most 160 characters"),
  kind: z.enum(PROVIDER_KINDS),
  services: z.array(z.enum(SERVICE_TYPES)).min(1, "at least one service"),
  areas: z
    .array(z.object({ provinceCode: z.string(), regencyCode: z.string().nullable() }))
    .min(1, "at least one area"),
  populations: z.array(z.enum(PROVIDER_POPULATIONS)),
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/, "language codes such as id, en, sas")),
  hours: z.string().trim().max(200).nullable(),
  contacts: z.string().trim().max(400).nullable(),
  acceptsChatReferrals: z.boolean(),
  active: z.boolean(),
  verifiedAt: z.date().nullable(),
  reviewDueAt: z.date().nullable(),
});
/** A partner service as the directory holds it. */
export type ProviderRecord = z.infer<typeof ProviderRecordSchema>;

/** True when the provider's last verification is due for review (or it was never verified). */
export function reviewOverdue(provider: Pick<ProviderRecord, "reviewDueAt" | "verifiedAt">, now: Date): boolean {
  return provider.verifiedAt === null || (provider.reviewDueAt !== null && provider.reviewDueAt <= now);
}

/**
 * True when a provider serving `areas` serves this place: a regency it covers (or its whole
 * province), or, for a place known only to its province, any part of that province.
 */
export function servesPlace(
  areas: readonly ProviderArea[],
  place: { provinceCode: string | null; regencyCode: string | null },
): boolean {
  return areas.some(
    (area) =>
      area.provinceCode === EVERY_PROVINCE ||
      (area.provinceCode === place.provinceCode &&
        (area.regencyCode === null || place.regencyCode === null || area.regencyCode === place.regencyCode)),
  );
}

/** The calendar day of a date in Western Indonesia Time, YYYY-MM-DD (a day imported as UTC midnight stays that day). */
export function dayOf(date: Date): string {
  return new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}
