import { z } from "zod";
import { SERVICE_TYPES, type ServiceType } from "../domain/case-services.ts";
import type { ReferralOutcome, ReferralView } from "../domain/referrals.ts";
import { CONSENT_METHODS, DECLINE_REASONS, OVERRIDE_GROUNDS, type ReferralConsent } from "../domain/referrals.ts";
import type { StaffActor } from "../domain/staff-actions.ts";
import type { ProviderRepository } from "../partners/provider-repository.ts";
import type { ReferralOption, ReferralService } from "../partners/referral-desk.ts";

/** What the referral screens are built from. */
export interface WebReferralsDeps {
  referrals: ReferralService;
  providers: ProviderRepository;
}

/** The referral part of a case page, for its responsible office. */
export interface CaseReferrals {
  referrals: ReferralView[];
  /** Active providers serving the case's place, whatever they offer. */
  options: ReferralOption[];
  /** The staff member may refer without consent (supervisors and national staff). */
  mayOverride: boolean;
}

/** The consent choices of the referral form: who and how, or an override's ground. */
export const CONSENT_CHOICES = [
  ...CONSENT_METHODS.map((method) => `VICTIM:${method}` as const),
  ...CONSENT_METHODS.map((method) => `GUARDIAN:${method}` as const),
  ...OVERRIDE_GROUNDS.map((ground) => `OVERRIDE:${ground}` as const),
] as const;

/** The referral form as posted: services are one checkbox each (`service_SHELTER=1`). */
export const ReferralForm = z
  .object({
    provider: z.string().trim().min(2).max(40),
    consent: z.enum(CONSENT_CHOICES),
    reason: z.string().trim().max(1000).optional().default(""),
    named: z.literal("1").optional(),
  })
  .passthrough()
  .transform((form) => {
    const record = form as Record<string, unknown>;
    const services = SERVICE_TYPES.filter((s) => record[`service_${s}`] === "1");
    const [source, detail] = form.consent.split(":") as [string, string];
    const consent: ReferralConsent =
      source === "OVERRIDE"
        ? { source: "OVERRIDE", ground: detail as (typeof OVERRIDE_GROUNDS)[number], reason: form.reason }
        : { source: source as "VICTIM" | "GUARDIAN", method: detail as (typeof CONSENT_METHODS)[number] };
    return { providerCode: form.provider.toUpperCase(), services, consent, named: form.named === "1" };
  });

/** A partner's action on a referral, as posted from its page. */
export const PartnerActionForm = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("accept") }),
  z.object({ kind: z.literal("decline"), reason: z.enum(DECLINE_REASONS) }),
  z.object({ kind: z.literal("story") }),
  z.object({
    kind: z.literal("service"),
    service: z.enum(SERVICE_TYPES),
    givenOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  }),
  z.object({ kind: z.literal("done") }),
]);
/** One of PartnerActionForm's shapes. */
export type PartnerAction = z.infer<typeof PartnerActionForm>;

/**
 * Referrals in the web inbox: the responsible office refers a case and withdraws consent from the
 * case page; a provider's staff answer, read the story once accepted, record services and close
 * their referrals from their own page. Every operation runs through the referral service.
 */
export class WebReferrals {
  readonly #deps: WebReferralsDeps;

  constructor(deps: WebReferralsDeps) {
    this.#deps = deps;
  }

  /** The case page's referral section, or null when the staff member's office is not responsible for the case. */
  async ofCase(staff: StaffActor, reference: string): Promise<CaseReferrals | null> {
    return this.#deps.referrals.run(async (desk) => {
      const referrals = await desk.ofCase(staff, reference);
      if (!Array.isArray(referrals)) return null;
      const options = await desk.options(staff, reference, []);
      return {
        referrals,
        options: Array.isArray(options) ? options : [],
        mayOverride: staff.role === "SUPERVISOR" || staff.role === "NATIONAL",
      };
    });
  }

  /** Refers the case as the form asks. */
  refer(
    staff: StaffActor,
    reference: string,
    form: { providerCode: string; services: ServiceType[]; consent: ReferralConsent; named: boolean },
  ): Promise<ReferralOutcome> {
    return this.#deps.referrals.run((desk) =>
      desk.refer(staff, {
        reference,
        providerCode: form.providerCode,
        services: form.services,
        consent: form.consent,
        providerNamedToVictim: form.named,
      }),
    );
  }

  /** The victim withdrew consent to a referral. */
  withdraw(staff: StaffActor, code: string): Promise<ReferralOutcome> {
    return this.#deps.referrals.run((desk) => desk.withdrawConsent(staff, code));
  }

  /** Referrals no partner answered in time: a supervisor's office's, or every office's for national staff. */
  overdueFor(staff: StaffActor): Promise<ReferralView[]> {
    const office = staff.role === "NATIONAL" ? null : staff.officeCode;
    return this.#deps.referrals.run((desk) => desk.overdueOf(office));
  }

  /** A partner organisation's name, for the header of its staff's pages. */
  async organisationName(providerCode: string): Promise<string> {
    return (await this.#deps.providers.get(providerCode))?.name ?? providerCode;
  }

  /** The referrals sent to the partner's organisation. */
  forPartner(partner: StaffActor): Promise<ReferralView[]> {
    return this.#deps.referrals.run((desk) => desk.forPartner(partner));
  }

  /** A partner's action on one of its referrals; `story` carries the report's story when one was asked for and allowed. */
  async partnerAct(
    partner: StaffActor,
    code: string,
    action: PartnerAction,
    givenOn: Date | null,
  ): Promise<{ outcome: ReferralOutcome | null; story: string | null }> {
    const { referrals } = this.#deps;
    switch (action.kind) {
      case "accept":
      case "decline": {
        const outcome = await referrals.run((desk) =>
          desk.answer(
            partner,
            code,
            action.kind === "accept" ? { accept: true } : { accept: false, reason: action.reason },
          ),
        );
        return { outcome, story: outcome.kind === "answered" ? outcome.story : null };
      }
      case "story": {
        const read = await referrals.run((desk) => desk.storyFor(partner, code));
        return { outcome: read ? null : { kind: "referral_not_found", code }, story: read?.story ?? null };
      }
      case "service":
        return {
          outcome: await referrals.run((desk) =>
            desk.recordService(partner, code, action.service, givenOn ?? new Date(`${action.givenOn}T00:00:00Z`)),
          ),
          story: null,
        };
      case "done":
        return { outcome: await referrals.run((desk) => desk.complete(partner, code)), story: null };
    }
  }
}
