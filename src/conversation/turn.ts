import type { Choice, OutboundMessage } from "../channels/types.ts";
import type { Language } from "../domain/language.ts";
import { emergencyPlaceOf, emergencyText } from "./emergency-numbers.ts";
import type { Translate, TurnContext } from "./ports.ts";
import type { ConversationDoc, FlowState, StaffPrompt } from "./state.ts";

/** Something the engine asks its caller to do beyond sending replies to this chat. */
export type TurnEffect =
  | { type: "forgetChat" }
  /** Send to the person who wrote, in their own chat, rather than to the group they wrote in. */
  | { type: "replyPrivately"; message: OutboundMessage }
  /** A staff member enrolled: cards waiting for their office can now be delivered. */
  | { type: "staffEnrolled" };

/** After this many unusable answers in a row, the hint also shows the emergency numbers. */
const INVALID_BEFORE_EMERGENCY_HINT = 2;

/** One message being handled: the document being changed, the replies and effects so far. */
export class Turn {
  readonly replies: OutboundMessage[] = [];
  readonly effects: TurnEffect[] = [];
  /** Set when this turn's answer could not be used; keeps the invalid-answer count going. */
  answeredInvalid = false;
  /** Set by staff actions: their replies must not be followed by the reporter menu (it would replace a card's choices). */
  suppressMenu = false;
  /** Set when this turn shows the emergency numbers: its replies go ahead of other chats' messages. */
  urgent = false;
  /** True for the very first message of a chat (no stored conversation). */
  firstContact = false;
  /** The question a staff member was asked before this message, when this message is theirs to answer it. */
  pendingPrompt: StaffPrompt | null = null;
  /** Their question that stood too long: a number meant for it must not be taken for a card. */
  expiredPrompt: StaffPrompt | null = null;
  readonly doc: ConversationDoc;
  readonly ctx: TurnContext;

  constructor(doc: ConversationDoc, ctx: TurnContext) {
    this.doc = doc;
    this.ctx = ctx;
  }

  /** Renders locale keys in the conversation's current language. */
  get t(): Translate {
    return this.ctx.translate(this.doc.language);
  }

  /** Renderers for both languages, for matching labels typed in either. */
  get allLanguages(): Translate[] {
    return [this.ctx.translate("id"), this.ctx.translate("en")];
  }

  /** Adds a reply. */
  say(text: string, choices?: Choice[]): void {
    this.replies.push(choices && choices.length > 0 ? { text, choices } : { text });
  }

  /** Adds a reply rendered from a locale key. */
  sayKey(key: string, params?: Record<string, unknown>): void {
    this.say(this.t(key, params));
  }

  /**
   * Shows the emergency numbers (DESIGN §4), sent ahead of other chats: the public Indonesian
   * ones, or abroad the sourced numbers of the country the person is in.
   */
  sayEmergency(): void {
    this.urgent = true;
    this.say(emergencyText(this.t, emergencyPlaceOf(this.doc), this.ctx.emergency));
  }

  /** True when the person may be abroad, where Indonesian short numbers cannot be dialled. */
  get abroad(): boolean {
    return emergencyPlaceOf(this.doc).kind === "abroad";
  }

  /**
   * Asks the staff member who wrote a question with choices; their next message may answer it
   * by number or by its words (see handlers/card-reply.ts). Nothing else is asked after it.
   */
  askStaff(text: string, choices: Choice[], options: { confirm?: boolean; more?: StaffPrompt["more"] } = {}): void {
    const staff = this.ctx.staff;
    if (choices.length > 0 || options.more) {
      this.say(text, choices);
      if (staff)
        this.doc.staffPrompt = {
          staffId: staff.id,
          askedAt: this.ctx.now.toISOString(),
          choices,
          confirm: options.confirm ?? false,
          ...(options.more ? { more: options.more } : {}),
        };
    } else this.say(text);
  }

  /** Moves the conversation to another state. */
  setState(state: FlowState): void {
    this.doc.state = state;
  }

  /** Switches the language for this and later replies. */
  setLanguage(language: Language): void {
    this.doc.language = language;
    this.doc.languageChosen = true;
  }

  /** Explains why the answer was not usable; the engine then asks the question again. */
  invalid(hintKey: string, params?: Record<string, unknown>): void {
    this.answeredInvalid = true;
    this.doc.invalidAnswers += 1;
    const hint = this.t(hintKey, params);
    this.say(
      this.doc.invalidAnswers >= INVALID_BEFORE_EMERGENCY_HINT
        ? `${hint}\n\n${this.t(this.abroad ? "common:stuckHintAbroad" : "common:stuckHint")}`
        : hint,
    );
  }
}
