import type { OutboundMessage } from "../../src/channels/types.ts";
import { converse } from "../../src/conversation/engine.ts";
import type { CaseDesk, DialogueSettings, StaffDesk } from "../../src/conversation/ports.ts";
import type { ConversationDoc } from "../../src/conversation/state.ts";
import type { Language } from "../../src/domain/language.ts";
import type { StaffActor } from "../../src/domain/staff-actions.ts";
import { createTranslator, loadLocales } from "../../src/i18n/i18n.ts";
import { FakeDesk, FakeStaffDesk } from "./fake-desk.ts";

const translate = createTranslator(loadLocales(), { strict: true });

/** Drives the pure engine like a person in one chat, keeping the state between messages. */
export class EngineChat {
  doc: ConversationDoc | null = null;
  now = new Date("2026-11-28T10:00:00Z");
  readonly desk: CaseDesk;
  readonly staffDesk: StaffDesk;
  staff: StaffActor | null;
  inGroup = false;
  readonly settings: DialogueSettings;
  readonly identityId: string;
  readonly transcript: OutboundMessage[] = [];
  languageHint: Language | undefined;

  constructor(
    options: {
      desk?: CaseDesk;
      staffDesk?: StaffDesk;
      staff?: StaffActor;
      identityId?: string;
      languageHint?: Language;
      settings?: Partial<DialogueSettings>;
    } = {},
  ) {
    this.desk = options.desk ?? new FakeDesk();
    this.staffDesk = options.staffDesk ?? new FakeStaffDesk();
    this.staff = options.staff ?? null;
    this.identityId = options.identityId ?? "identity-1";
    this.languageHint = options.languageHint;
    this.settings = {
      maxReportsPerDay: 5,
      maxRelaysPerDay: 20,
      conversationTtlMs: 24 * 60 * 60_000,
      defaultLanguage: "id",
      ...options.settings,
    };
  }

  /** Sends text (or a location) and returns the replies. */
  async send(
    text: string | { latitude: number; longitude: number } | { choiceId: string } | { text: string; replyTo: string },
  ): Promise<OutboundMessage[]> {
    const message =
      typeof text === "string"
        ? { text }
        : "choiceId" in text
          ? { choiceId: text.choiceId }
          : "replyTo" in text
            ? { text: text.text, replyTo: text.replyTo }
            : { location: text };
    const result = await converse(
      this.doc,
      { ...message, ...(this.languageHint ? { languageHint: this.languageHint } : {}) },
      {
        now: this.now,
        identityId: this.identityId,
        senderIdentityId: this.identityId,
        translate,
        desk: this.desk,
        staffDesk: this.staffDesk,
        staff: this.staff,
        latestChoices: this.lastChoiceObjects(),
        inGroup: this.inGroup,
        settings: this.settings,
      },
    );
    this.doc = result.doc;
    this.transcript.push(...result.replies);
    this.now = new Date(this.now.getTime() + 1000);
    return result.replies;
  }

  /** Sends several messages in order and returns the replies to the last. */
  async sendAll(...texts: string[]): Promise<OutboundMessage[]> {
    let replies: OutboundMessage[] = [];
    for (const text of texts) replies = await this.send(text);
    return replies;
  }

  /** The text of the last reply. */
  lastText(): string {
    return this.transcript[this.transcript.length - 1]?.text ?? "";
  }

  /** Delivers a message written by someone else (a card, a notice), as the outbox would. */
  receive(message: OutboundMessage): void {
    this.transcript.push(message);
  }

  /** The choices of the last message with choices, as the outbox reports them to the engine. */
  lastChoiceObjects(): NonNullable<OutboundMessage["choices"]> | null {
    for (let i = this.transcript.length - 1; i >= 0; i--) {
      const choices = this.transcript[i]?.choices;
      if (choices && choices.length > 0) return choices;
    }
    return null;
  }

  /** The labels of the last reply with choices. */
  lastChoices(): string[] {
    for (let i = this.transcript.length - 1; i >= 0; i--) {
      const choices = this.transcript[i]?.choices;
      if (choices) return choices.map((c) => c.label);
    }
    return [];
  }
}

/** Joins replies into one text for matching. */
export function textOf(replies: OutboundMessage[]): string {
  return replies
    .map((r) => [r.text, ...(r.choices ?? []).map((c, i) => `  ${i + 1}) ${c.label}`)].join("\n"))
    .join("\n\n");
}
