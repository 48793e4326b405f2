import type { Choice } from "../channels/types.ts";
import { SERVICE_TYPES, type ServiceType } from "../domain/case-services.ts";
import { parseReference } from "../domain/reference.ts";
import { CONSENT_METHODS, type ConsentMethod } from "../domain/referrals.ts";
import type { StaffActor } from "../domain/staff-actions.ts";
import type { ChatReferralRequest, ReferralPort } from "./ports.ts";
import { referralOutcomeText } from "./referral-replies.ts";
import type { Turn } from "./turn.ts";

// A referral is made in three presses after `/rujuk <ref> <services>`: the partner, the consent
// (who and how), then send. Every button carries all that was chosen before it, so a press never
// depends on a remembered step, and the desk checks everything again when it sends. Telegram
// allows 64 bytes of callback data: "r:s:" + reference (12) + services (4) + provider (<= 32) + 4.

type Consent = ChatReferralRequest["consent"];

/** At most this many partners are offered at once (a chat list longer than that is not read). */
const MAX_PARTNER_CHOICES = 9;

const METHOD_LETTER: Record<ConsentMethod, string> = { IN_PERSON: "I", PHONE: "P", CHAT: "C", WRITTEN: "W" };

/** The services as a hexadecimal bit set of their places in SERVICE_TYPES. */
function servicesMask(services: readonly ServiceType[]): string {
  return services.reduce((mask, s) => mask | (1 << SERVICE_TYPES.indexOf(s)), 0).toString(16);
}

function servicesOfMask(mask: string): ServiceType[] {
  const bits = /^[0-9a-f]{1,4}$/.test(mask) ? Number.parseInt(mask, 16) : 0;
  return SERVICE_TYPES.filter((_, i) => (bits & (1 << i)) !== 0);
}

function consentCode(consent: Consent): string {
  return `${consent.source === "GUARDIAN" ? "G" : "V"}${METHOD_LETTER[consent.method]}`;
}

function consentOfCode(code: string | undefined): Consent | null {
  const source = code?.[0] === "V" ? "VICTIM" : code?.[0] === "G" ? "GUARDIAN" : null;
  const method = CONSENT_METHODS.find((m) => METHOD_LETTER[m] === code?.[1]);
  return source && method && code?.length === 2 ? { source, method } : null;
}

/** A referral step's button id: "r:<step>:<reference without hyphens>[:<argument>...]". */
function stepId(step: "p" | "c" | "s" | "n" | "x", reference: string, ...args: string[]): string {
  return ["r", step, reference.replace(/-/g, ""), ...args].join(":");
}

/** The services in words, joined for a sentence. */
function serviceWords(turn: Turn, services: readonly ServiceType[]): string {
  return services.map((s) => turn.t(`staff:serviceName.${s}`)).join(", ");
}

/** `/rujuk <ref> <services>` from office staff: the partners that fit, to pick from. */
export async function startReferral(
  turn: Turn,
  staff: StaffActor,
  referrals: ReferralPort,
  command: { reference: string; services: ServiceType[]; unknown: string[] },
): Promise<void> {
  const { reference, services } = command;
  if (command.unknown.length > 0) {
    turn.sayKey("staff:referral.make.unknownService", {
      words: command.unknown.map((w) => `"${w}"`).join(", "),
      services: serviceWords(turn, SERVICE_TYPES),
      reference,
    });
    return;
  }
  const everyone = await referrals.choices(staff, reference, []);
  if (everyone.kind === "refused") {
    turn.say(referralOutcomeText({ t: turn.t, language: turn.doc.language }, everyone.outcome).text);
    return;
  }
  const available = SERVICE_TYPES.filter((s) => everyone.providers.some((p) => p.services.includes(s)));
  if (everyone.providers.length === 0) {
    turn.sayKey("staff:referral.make.noneServing", { reference });
    return;
  }
  if (services.length === 0) {
    turn.sayKey("staff:referral.make.askServices", {
      reference,
      example: turn.t(`staff:serviceName.${available[0] ?? "SHELTER"}`).toLowerCase(),
      services: serviceWords(turn, available),
    });
    return;
  }
  const fitting = everyone.providers.filter((p) => services.every((s) => p.services.includes(s)));
  if (fitting.length === 0) {
    turn.sayKey("staff:referral.make.noneOffering", {
      reference,
      services: serviceWords(turn, services),
      available: serviceWords(turn, available),
    });
    return;
  }
  const mask = servicesMask(services);
  const shown = fitting.slice(0, MAX_PARTNER_CHOICES);
  const choices: Choice[] = shown.map((p) => ({
    id: stepId("p", reference, mask, p.code),
    label: p.reviewOverdue ? `${p.name} (${turn.t("staff:referral.make.reviewDue")})` : p.name,
  }));
  choices.push({ id: stepId("x", reference), label: turn.t("staff:referral.make.cancel") });
  const more =
    fitting.length > shown.length
      ? `\n${turn.t("staff:referral.make.more", { shown: shown.length, total: fitting.length })}`
      : "";
  turn.askStaff(
    `${turn.t("staff:referral.make.pickProvider", { reference, services: serviceWords(turn, services) })}${more}`,
    choices,
  );
}

/**
 * A press of a referral step's button ("r:..."), or its number or words: the consent after the
 * partner, the sending after the consent. Only a choice of the question just asked counts: a button
 * of an older question (a consent given weeks ago) must not send a referral now. False when the id
 * is not a referral step's.
 */
export async function referralStep(
  turn: Turn,
  staff: StaffActor,
  referrals: ReferralPort,
  id: string,
): Promise<boolean> {
  const [prefix, step, compact, mask = "", providerCode = "", consentArg, namedArg] = id.split(":");
  const reference = compact ? parseReference(compact) : null;
  if (prefix !== "r" || !reference) return false;
  if (!turn.pendingPrompt?.choices.some((choice) => choice.id === id)) {
    turn.sayKey("staff:referral.make.expired", { reference });
    return true;
  }
  if (step === "x") {
    turn.sayKey("staff:referral.make.cancelled", { reference });
    return true;
  }
  if (step === "n") {
    turn.sayKey("staff:referral.make.needConsent", { reference });
    return true;
  }
  const services = servicesOfMask(mask);
  if (step === "p") {
    const choices = await referrals.choices(staff, reference, services);
    if (choices.kind === "refused") {
      turn.say(referralOutcomeText({ t: turn.t, language: turn.doc.language }, choices.outcome).text);
      return true;
    }
    const picked = choices.providers.find((p) => p.code === providerCode);
    if (!picked) {
      turn.sayKey("staff:referral.make.providerGone", { reference });
      return true;
    }
    const sources = choices.guardianMayConsent ? (["VICTIM", "GUARDIAN"] as const) : (["VICTIM"] as const);
    const options: Choice[] = sources.flatMap((source) =>
      CONSENT_METHODS.map((method) => ({
        id: stepId("c", reference, mask, providerCode, consentCode({ source, method })),
        label: turn.t(`web:referrals.consentChoice.${source}_${method}`),
      })),
    );
    options.push(
      { id: stepId("n", reference), label: turn.t("staff:referral.make.noConsentYet") },
      { id: stepId("x", reference), label: turn.t("staff:referral.make.cancel") },
    );
    turn.askStaff(turn.t("staff:referral.make.pickConsent", { reference, provider: picked.name }), options);
    return true;
  }
  const consent = consentOfCode(consentArg);
  if (!consent || services.length === 0) return false;
  if (step === "c") {
    turn.askStaff(
      turn.t("staff:referral.make.confirm", {
        reference,
        provider: (await referrals.providerName(providerCode)) ?? providerCode,
        services: serviceWords(turn, services),
        consent: turn.t(`web:referrals.consentChoice.${consent.source}_${consent.method}`),
      }),
      // Not naming the partner comes first: a reflexive "1" must not put its name on the victim's status.
      [
        {
          id: stepId("s", reference, mask, providerCode, consentArg as string, "0"),
          label: turn.t("staff:referral.make.sendUnnamed"),
        },
        {
          id: stepId("s", reference, mask, providerCode, consentArg as string, "1"),
          label: turn.t("staff:referral.make.sendNamed"),
        },
        { id: stepId("x", reference), label: turn.t("staff:referral.make.cancel") },
      ],
    );
    return true;
  }
  if (step !== "s" || (namedArg !== "1" && namedArg !== "0")) return false;
  const outcome = await referrals.refer(staff, {
    reference,
    providerCode,
    services,
    consent,
    providerNamedToVictim: namedArg === "1",
  });
  turn.say(referralOutcomeText({ t: turn.t, language: turn.doc.language }, outcome).text);
  return true;
}
