import { type InboundMessage, InboundMessageSchema, type OutboundMessage } from "../channels/types.ts";
import { converse, type TurnResult } from "../conversation/engine.ts";
import type { DialogueSettings, Translate } from "../conversation/ports.ts";
import type { CaseRepository } from "../db/case-repository.ts";
import type { ConversationStore, StoredConversation } from "../db/conversation-store.ts";
import { type Db, isDuplicateInbound, isRecordNotFound, isUniqueViolation } from "../db/database.ts";
import type { Identity, IdentityStore } from "../db/identity-store.ts";
import type { OutboxStore } from "../db/outbox-store.ts";
import { StepWriter } from "../db/step-writer.ts";
import type { Language } from "../domain/language.ts";
import type { Logger } from "../logging/logger.ts";
import type { FieldCipher } from "../security/field-cipher.ts";
import type { Hasher } from "../security/hasher.ts";
import { PrismaCaseDesk } from "./case-desk.ts";
import type { Clock, Sleep } from "./clock.ts";
import { KeyedMutex } from "./keyed-mutex.ts";

/** Everything the conversation service is built from. */
export interface ConversationServiceDeps {
  db: Db;
  identities: IdentityStore;
  conversations: ConversationStore;
  outbox: OutboxStore;
  cases: CaseRepository;
  cipher: FieldCipher;
  hasher: Hasher;
  translate: (language: Language) => Translate;
  settings: DialogueSettings;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
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

/**
 * The one door every inbound message goes through, whatever the channel: dedupe, the
 * dialogue engine, and one transaction holding the dedupe row, the new state, any case
 * rows and the replies in the outbox (DESIGN §6). Messages of one chat are handled in order.
 */
export class ConversationService {
  readonly #deps: ConversationServiceDeps;
  readonly #mutex = new KeyedMutex();

  constructor(deps: ConversationServiceDeps) {
    this.#deps = deps;
  }

  /** Handles one message from a person; a redelivered message (same channel and id) acts once. */
  async handle(raw: InboundMessage): Promise<HandleOutcome> {
    const message = InboundMessageSchema.parse(raw);
    const identity = await this.#deps.identities.resolve(message.address, this.#deps.clock.now());
    return this.#mutex.run(identity.id, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.#handleOnce(identity, message);
        } catch (error) {
          if (!(error instanceof StaleConversationError) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    });
  }

  async #handleOnce(identity: Identity, message: InboundMessage): Promise<HandleOutcome> {
    const { conversations, settings, clock, logger } = this.#deps;
    const now = clock.now();
    const stored = await conversations.load(identity.id, settings.defaultLanguage, now);
    const writer = new StepWriter();
    // First in the transaction: a redelivered message fails here and nothing else commits.
    writer.add((db) =>
      db.inboundMessage.create({ data: { channel: identity.channel, messageId: message.messageId, receivedAt: now } }),
    );
    let result: TurnResult;
    try {
      result = await converse(stored?.doc ?? null, message, {
        now,
        identityId: identity.id,
        translate: this.#deps.translate,
        desk: new PrismaCaseDesk(this.#deps, writer, now),
        settings,
      });
    } catch (error) {
      logger.error({ event: "engine.failed", identityId: identity.id, err: error });
      return this.#replyWithError(identity, message, stored, now);
    }
    const save = conversations.saveWrite(identity.id, stored, result.doc, settings.conversationTtlMs);
    writer.add(save.write);
    this.#queueReplies(writer, identity, result.replies, now);
    for (const effect of result.effects) {
      if (effect.type === "forgetChat") writer.add(this.#deps.outbox.forgetSentWrite(identity.id));
    }
    const outcome = await this.#commit(writer, identity, save.stored, result.replies.length);
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
    writer.add((db) =>
      db.inboundMessage.create({ data: { channel: identity.channel, messageId: message.messageId, receivedAt: now } }),
    );
    this.#queueReplies(writer, identity, [{ text: this.#deps.translate(language)("common:error") }], now);
    return this.#commit(writer, identity, null, 1);
  }
}
