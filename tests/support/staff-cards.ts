import { caseCard } from "../../src/conversation/notices.ts";
import type { CaseFacts, StaffActor } from "../../src/domain/staff-actions.ts";
import { createTranslator, loadLocales } from "../../src/i18n/i18n.ts";
import type { EngineChat } from "./engine-chat.ts";
import type { FakeStaffDesk } from "./fake-desk.ts";

const translate = createTranslator(loadLocales(), { strict: true });

/** Ani, an agent of the UPTD PPA of Jawa Timur. */
export const ANI: StaffActor = {
  id: "s1",
  name: "Ani",
  officeCode: "UPTDPPA-35",
  role: "AGENT",
  active: true,
  language: "id",
};

/** The coded facts of a case for a card (a child in Jawa Timur). */
export function factsFor(reference: string, overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    reference,
    status: "ROUTED",
    assistanceStage: null,
    urgency: "NORMAL",
    category: "FORCED_LABOUR",
    provinceCode: "35",
    regencyCode: null,
    country: null,
    homeProvinceCode: null,
    victimAgeGroup: "CHILD",
    officeCode: "UPTDPPA-35",
    ...overrides,
  };
}

/**
 * A card written for the chat, as the outbox would hold it: shown to the chat when `sent` (the
 * transcript holds it) or still waiting. Returns the card's platform message id.
 */
export function giveCard(
  chat: EngineChat,
  desk: FakeStaffDesk,
  facts: CaseFacts,
  options: { sent?: boolean; platformMessageId?: string } = {},
): string {
  const sent = options.sent ?? true;
  const card = caseCard(translate("id"), facts, { reason: "NEW", officeName: "UPTD PPA", viaFallback: false });
  const platformMessageId = options.platformMessageId ?? `m${desk.cards.length + 1}`;
  desk.cards.push({
    chat: chat.identityId,
    sent,
    sentAt: chat.now,
    reference: facts.reference,
    choices: card.choices ?? [],
    facts,
    platformMessageId,
  });
  // The outbox reports the latest message with choices written for the chat, sent or not.
  chat.receive(card);
  return platformMessageId;
}
