import { type InboundMessage, InboundMessageSchema, type OutboundMessage } from "../channels/types.ts";
import { converse, type TurnResult } from "../conversation/engine.ts";
import type { ConversationStore, StoredConversation } from "../db/conversation-store.ts";
import type { Db } from "../db/database.ts";
import { isDuplicateInbound, isRecordNotFound, isUniqueViolation } from "../db/database.ts";
import type { EmergencyContactStore } from "../db/emergency-contact-store.ts";
import type { Identity, IdentityStore } from "../db/identity-store.ts";
import { recordInboundWrite } from "../db/inbound-record.ts";
import { StepWriter } from "../db/step-writer.ts";
import type { StaffActor } from "../domain/staff-actions.ts";
import { ReferralDesk } from "../partners/referral-desk.ts";
import type { CaseDeskDeps } from "./case-desk.ts";
import { PrismaCaseDesk } from "./case-desk.ts";
import type { Clock } from "./clock.ts";
import { KeyedMutex } from "./keyed-mutex.ts";
import { type AttemptMemory, PrismaStaffDesk } from "./staff-desk.ts";

/** Everything the conversation service is built from. */
export interface ConversationServiceDeps extends CaseDeskDeps {
  db: Db;
  /** The emergency contacts in force; the shipped file when absent. */
  emergencyContacts?: EmergencyContactStore;
  identities: IdentityStore;
  conversations: ConversationStore;
  clock: Clock;
  /** Runs after a commit in which staff enrolled, to deliver cards that waited for them. */
  onStaffEnrolled?: () => Promise<unknown>;
  /** Messages a private chat may send in a minute outside a report (default 20). */
  maxMessagesPerMinute?: number;
}

/** What happened to one inbound message. */
export interface HandleOutcome {
  status: "handled" | "duplicate";
  identity: Identity;
  /** How many replies were queued in the outbox. */
  replies: number;
}

/** Raised when the turn must run again: the conversation changed underneath, or a unique value collided. */
class StaleConversationError extends Error {
  override name = "StaleConversationError";
}

const MAX_ATTEMPTS = 3;
/** The window of the inbound limit; a chat over it gets at most one notice per window. */
const INBOUND_WINDOW_MS = 60_000;
const NOT_STAFF_TTL_MS = 30_000;
const RECENT_DELETABLE_MS = 47 * 60 * 60_000;

/**
 * The one door every inbound message goes through, whatever the channel: dedupe, the
 * dialogue engine, and one transaction holding the dedupe row, the new state, any case
 * rows and every message it causes in the outbox (DESIGN §6). A chat's messages are handled in order.
 */
export class ConversationService {
  readonly #deps: ConversationServiceDeps;
  readonly #mutex = new KeyedMutex();
  readonly #notStaff = new Map<string, number>();
  /** When each chat's recent messages outside a report came (per instance, the last minute). */
  readonly #recentMessages = new Map<string, number[]>();
  /** When each flooding chat was last told to slow down (per instance). */
  readonly #floodNoticeAt = new Map<string, number>();

  constructor(deps: ConversationServiceDeps) {
    this.#deps = deps;
  }

  /** Handles one message from a person; a redelivered message (same channel and id) acts once. */
  async handle(raw: InboundMessage): Promise<HandleOutcome> {
    const message = InboundMessageSchema.parse(raw);
    const now = this.#deps.clock.now();
    const alias = message.personAlias;
    const identity = await this.#deps.identities.resolve(message.address, now, message.sender ? undefined : alias);
    if (identity.unreachable) await this.#deps.identities.markReachable(identity);
    const sender = message.sender ? await this.#deps.identities.resolve(message.sender, now, alias) : null;
    return this.#mutex.run(identity.id, async () => {
      // The versions of cases this message read for a change, kept across attempts: an attempt
      // that lost a race to another writer tells the staff member instead of acting on a case
      // they did not see.
      const memory: AttemptMemory = { versions: new Map() };
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.#handleOnce(identity, sender, message, memory, attempt === 1);
        } catch (error) {
          if (!(error instanceof StaleConversationError) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    });
  }

  async #staffBehind(identityId: string, now: Date): Promise<StaffActor | null> {
    // Most messages come from reporters; remembering "not staff" for a short while saves a query
    // per message. "Is staff" is never remembered, so a deactivation takes effect at once.
    const notStaffUntil = this.#notStaff.get(identityId);
    if (notStaffUntil !== undefined && notStaffUntil > now.getTime()) return null;
    const member = await this.#deps.staff.byIdentity(identityId);
    if (!member) {
      if (this.#notStaff.size >= 10_000) this.#notStaff.clear();
      this.#notStaff.set(identityId, now.getTime() + NOT_STAFF_TTL_MS);
    } else this.#notStaff.delete(identityId);
    return member
      ? {
          id: member.id,
          name: member.name,
          officeCode: member.officeCode,
          role: member.role,
          active: member.active,
          language: member.language,
          providerCode: member.providerCode,
        }
      : null;
  }

  async #handleOnce(
    identity: Identity,
    sender: Identity | null,
    message: InboundMessage,
    memory: AttemptMemory,
    firstAttempt: boolean,
  ): Promise<HandleOutcome> {
    const { conversations, settings, clock, logger, outbox } = this.#deps;
    const now = clock.now();
    const stored = await conversations.load(identity.id, settings.defaultLanguage, now);
    const writer = new StepWriter();
    writer.add(
      recordInboundWrite({
        channel: identity.channel,
        messageId: message.messageId,
        receivedAt: now,
        identityId: identity.id,
        platformMessageId: message.platformMessageId ?? null,
      }),
    );
    const staff = await this.#staffBehind((sender ?? identity).id, now);
    const inGroup = sender !== null;
    // A private chat sending faster than a person types is set aside, except inside a report: a
    // story typed over many messages must never be lost. Staff and groups are not limited here.
    // A turn run again after a conflict is the same message: counted once.
    const limited = !inGroup && !staff && stored?.doc.state.flow !== "intake";
    if (limited && firstAttempt && this.#flooding(identity.id, now)) {
      return this.#setAside(writer, identity, stored, now);
    }
    let result: TurnResult;
    try {
      result = await converse(stored?.doc ?? null, message, {
        now,
        identityId: identity.id,
        senderIdentityId: (sender ?? identity).id,
        translate: this.#deps.translate,
        desk: new PrismaCaseDesk(this.#deps, writer, now),
        staffDesk: new PrismaStaffDesk(this.#deps, writer, now, memory),
        ...(this.#deps.providers
          ? { referrals: new ReferralDesk({ ...this.#deps, providers: this.#deps.providers }, writer, now) }
          : {}),
        staff,
        // Messages with choices written by other conversations (cards, check-ins) reach staff, groups
        // and reporters between flows; mid-flow the current question is the one being answered.
        latestChoices:
          staff || inGroup || (stored?.doc.state.flow ?? "idle") === "idle"
            ? await outbox.latestChoices(identity.id)
            : null,
        inGroup,
        settings,
        ...(this.#deps.emergencyContacts ? { emergency: await this.#deps.emergencyContacts.directory(now) } : {}),
      });
    } catch (error) {
      logger.error({ event: "engine.failed", identityId: identity.id, err: error });
      return this.#replyWithError(identity, message, stored, now);
    }
    const save = conversations.saveWrite(identity.id, stored, result.doc, settings.conversationTtlMs);
    writer.add(save.write);
    for (const effect of result.effects) {
      if (effect.type !== "forgetChat") continue;
      // Delete what the platform still allows (Telegram: under 48 hours), before the reply that says so.
      const recent = await outbox.recentPlatformMessageIds(identity.id, new Date(now.getTime() - RECENT_DELETABLE_MS));
      if (message.platformMessageId) recent.push(message.platformMessageId);
      if (recent.length > 0) writer.add(outbox.enqueueDeleteWrite(identity.id, identity.channel, recent, now));
      writer.add(outbox.forgetSentWrite(identity.id));
    }
    // What was held for a reporter who asked for no messages (a reissued PIN) answers this
    // message, once the person is back at the menu: not in the middle of a report or a status
    // check (the phone may be in other hands, and a duress PIN drops it), and not on the turn of a
    // "hapus" (it would come after the deletion and stay on the screen).
    const forgetting = result.effects.some((effect) => effect.type === "forgetChat");
    if (sender === null && !forgetting && result.doc.state.flow === "idle")
      writer.add(outbox.releaseHeldWrite(identity.id, now));
    this.#queueReplies(writer, identity, result.replies, now);
    for (const effect of result.effects) {
      if (effect.type === "replyPrivately") this.#queueReplies(writer, sender ?? identity, [effect.message], now);
    }
    const outcome = await this.#commit(writer, identity, save.stored, result.replies.length);
    if (outcome.status === "handled" && result.effects.some((e) => e.type === "staffEnrolled")) {
      this.#notStaff.delete((sender ?? identity).id);
      await this.#deps
        .onStaffEnrolled?.()
        .catch((error: unknown) => logger.error({ event: "outbox.release_failed", err: error }));
    }
    if (outcome.status === "handled") {
      const state = result.doc.state;
      logger.info({
        event: "inbound.handled",
        identityId: identity.id,
        flow: state.flow,
        step: "step" in state ? state.step : undefined,
        replies: result.replies.length,
      });
    }
    return outcome;
  }

  /**
   * Counts this message against the chat's window and says whether it is over the limit. Only
   * messages outside a report count (a person tapping quickly through a report, then asking for
   * the status, is not a flood). Kept in memory: each instance limits what it receives.
   */
  #flooding(identityId: string, now: Date): boolean {
    const limit = this.#deps.maxMessagesPerMinute ?? 20;
    const since = now.getTime() - INBOUND_WINDOW_MS;
    const recent = (this.#recentMessages.get(identityId) ?? []).filter((at) => at > since);
    const over = recent.length >= limit;
    if (!over) recent.push(now.getTime());
    if (this.#recentMessages.size >= 10_000 && !this.#recentMessages.has(identityId)) this.#recentMessages.clear();
    this.#recentMessages.set(identityId, recent);
    return over;
  }

  /** Records a message over the limit (so a redelivery stays a duplicate) without acting on it; one notice per window. */
  async #setAside(
    writer: StepWriter,
    identity: Identity,
    stored: StoredConversation | null,
    now: Date,
  ): Promise<HandleOutcome> {
    const { logger, translate, settings } = this.#deps;
    const noticedAt = this.#floodNoticeAt.get(identity.id) ?? Number.NEGATIVE_INFINITY;
    const notice = noticedAt <= now.getTime() - INBOUND_WINDOW_MS;
    if (notice) {
      const language = stored?.doc.language ?? settings.defaultLanguage;
      this.#queueReplies(writer, identity, [{ text: translate(language)("common:slowDown") }], now);
      if (this.#floodNoticeAt.size >= 10_000) this.#floodNoticeAt.clear();
      this.#floodNoticeAt.set(identity.id, now.getTime());
    }
    logger.warn({ event: "inbound.set_aside", identityId: identity.id, noticed: notice });
    return this.#commit(writer, identity, null, notice ? 1 : 0);
  }

  #queueReplies(writer: StepWriter, identity: Identity, replies: readonly OutboundMessage[], now: Date): void {
    if (replies.length > 0) writer.add(this.#deps.outbox.enqueueWrite(identity.id, identity.channel, replies, now));
  }

  async #commit(
    writer: StepWriter,
    identity: Identity,
    stored: StoredConversation | null,
    replies: number,
  ): Promise<HandleOutcome> {
    const { conversations, logger } = this.#deps;
    try {
      await writer.commit(this.#deps.db);
    } catch (error) {
      conversations.forget(identity.id);
      if (isDuplicateInbound(error)) {
        logger.info({ event: "inbound.duplicate", identityId: identity.id });
        return { status: "duplicate", identity, replies: 0 };
      }
      // Another writer changed the conversation, or a new reference collided: run the turn again.
      if (isRecordNotFound(error) || isUniqueViolation(error)) throw new StaleConversationError();
      throw error;
    }
    if (stored) conversations.remember(identity.id, stored);
    return { status: "handled", identity, replies };
  }

  /** A bug must not leave the person without an answer: keep the state, say what to do, record the message. */
  async #replyWithError(
    identity: Identity,
    message: InboundMessage,
    stored: StoredConversation | null,
    now: Date,
  ): Promise<HandleOutcome> {
    const language = stored?.doc.language ?? message.languageHint ?? this.#deps.settings.defaultLanguage;
    const writer = new StepWriter();
    writer.add(
      recordInboundWrite({
        channel: identity.channel,
        messageId: message.messageId,
        receivedAt: now,
        identityId: null,
        platformMessageId: null,
      }),
    );
    this.#queueReplies(writer, identity, [{ text: this.#deps.translate(language)("common:error") }], now);
    return this.#commit(writer, identity, null, 1);
  }
}
