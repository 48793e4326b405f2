import type { Language } from "../domain/language.ts";
import type { ReferralOutcome } from "../domain/referrals.ts";
import { localTime } from "./notices.ts";
import type { Translate } from "./ports.ts";

/** What a referral operation did, in words: the web page's notice and the chat's reply. */
export function referralOutcomeText(
  ctx: { t: Translate; language: Language },
  outcome: ReferralOutcome,
): { text: string; error: boolean } {
  const { t } = ctx;
  const key = (name: string, values: Record<string, string> = {}) => t(`staff:referral.outcome.${name}`, values);
  switch (outcome.kind) {
    case "referred": {
      const sent = key("referred", {
        code: outcome.referral.code,
        provider: outcome.referral.providerName,
        time: localTime(outcome.referral.dueAt, null, ctx.language),
      });
      // Nobody of the partner is enrolled in the bot: the office must reach it another way.
      return { text: outcome.partnerReachable ? sent : `${sent} ${key("unreachable")}`, error: false };
    }
    case "referred_already":
      return {
        text: key("referredAlready", { code: outcome.referral.code, provider: outcome.referral.providerName }),
        error: true,
      };
    case "no_services":
      return { text: key("noServices"), error: true };
    case "consent_refused":
      return {
        text: key(
          outcome.why === "override_needs_supervisor"
            ? "needSupervisor"
            : outcome.why === "adult_victim"
              ? "adultVictim"
              : "needReason",
        ),
        error: true,
      };
    case "unknown_provider":
      return { text: key("unknownProvider", { provider: outcome.providerCode }), error: true };
    case "provider_unsuitable":
      return {
        text: key(outcome.why === "services" ? "unsuitableServices" : outcome.why, { provider: outcome.providerCode }),
        error: true,
      };
    case "closed_already":
      return { text: key("closed"), error: true };
    case "not_found":
    case "not_allowed":
      return { text: key("notAllowed"), error: true };
    case "referral_not_found":
      return { text: key("notFound", { code: outcome.code }), error: true };
    case "wrong_state":
      return {
        text: key("wrongState", {
          code: outcome.referral.code,
          status: t(`staff:referral.status.${outcome.referral.status}`),
        }),
        error: true,
      };
    case "answered":
      return {
        text: key(outcome.referral.status === "ACCEPTED" ? "accepted" : "declined", { code: outcome.referral.code }),
        error: false,
      };
    case "service_recorded":
      return {
        text: key("serviceRecorded", {
          code: outcome.referral.code,
          service: t(`staff:serviceName.${outcome.service}`),
        }),
        error: false,
      };
    case "service_refused":
      return {
        text: key(outcome.why === "not_asked" ? "serviceNotAsked" : "serviceDate", { code: outcome.referral.code }),
        error: true,
      };
    case "completed":
      return { text: key("completed", { code: outcome.referral.code }), error: false };
    case "withdrawn":
      return { text: key("withdrawn", { code: outcome.referral.code }), error: false };
  }
}
