import { type ChannelKind, type Choice, type OutboundMessage, OutboundMessageSchema } from "../channels/types.ts";
import type { FieldCipher } from "../security/field-cipher.ts";
import type { Db, Prisma } from "./database.ts";

/** An outbox row ready to send: decrypted payload and where it goes. */
export interface PendingMessage {
  id: number;
  identityId: string;
  channel: ChannelKind;
  message: OutboundMessage;
  attempts: number;
}

/** A chat that should receive a message, with its channel. */
export interface OutboxRecipient {
  identityId: string;
  channel: ChannelKind;
}

const PAYLOAD_CONTEXT = "outbox.payload";
const CACHE_LIMIT = 10_000;

/**
 * The transactional outbox (DESIGN §6). Messages are written in the transaction of the change
 * that caused them, encrypted, and marked sent only after the channel accepted them. A card for
 * an office with no chat destination anywhere waits here (status WAITING) until one is set.
 */
export class OutboxStore {
  readonly #db: Db;
  readonly #cipher: FieldCipher;
  readonly #latestChoices = new Map<string, { id: number; choices: Choice[] }>();

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  #row(identityId: string | null, channel: string, message: OutboundMessage, now: Date, officeCode: string | null) {
    return {
      identityId,
      officeCode,
      channel,
      status: identityId ? "PENDING" : "WAITING",
      hasChoices: (message.choices?.length ?? 0) > 0,
      payloadCipher: this.#cipher.sealJson(message, PAYLOAD_CONTEXT),
      keyId: this.#cipher.currentKeyId,
      createdAt: now,
    };
  }

  /** The write that queues messages for one chat, in order. */
  enqueueWrite(
    identityId: string,
    channel: ChannelKind,
    messages: readonly OutboundMessage[],
    now: Date,
    officeCode: string | null = null,
  ): (db: Db) => Prisma.PrismaPromise<unknown> {
    const data = messages.map((message) => this.#row(identityId, channel, message, now, officeCode));
    return (db) => db.outboxMessage.createMany({ data });
  }

  /** The write that parks an office's messages until the office (or the national desk) gets a destination. */
  enqueueWaitingWrite(
    officeCode: string,
    messages: readonly OutboundMessage[],
    now: Date,
  ): (db: Db) => Prisma.PrismaPromise<unknown> {
    const data = messages.map((message) => this.#row(null, "", message, now, officeCode));
    return (db) => db.outboxMessage.createMany({ data });
  }

  /** Pending messages in the order they were written, for one identity or one channel. */
  async pending(filter: { identityId?: string; channel?: ChannelKind }, limit = 100): Promise<PendingMessage[]> {
    const rows = await this.#db.outboxMessage.findMany({
      where: { status: "PENDING", ...filter },
      orderBy: { id: "asc" },
      take: limit,
      select: { id: true, identityId: true, channel: true, payloadCipher: true, attempts: true },
    });
    return rows.flatMap((row) =>
      row.identityId
        ? [
            {
              id: row.id,
              identityId: row.identityId,
              channel: row.channel as ChannelKind,
              message: this.#open(row.payloadCipher),
              attempts: row.attempts,
            },
          ]
        : [],
    );
  }

  #open(payload: Uint8Array): OutboundMessage {
    return OutboundMessageSchema.parse(this.#cipher.openJson(payload, PAYLOAD_CONTEXT));
  }

  /** Marks messages sent; called only after the channel accepted them. */
  async markSent(ids: readonly number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.#db.outboxMessage.updateMany({ where: { id: { in: [...ids] } }, data: { status: "SENT", sentAt: now } });
  }

  /** The write that removes an identity's already-sent messages ("hapus"); pending ones still go out. */
  forgetSentWrite(identityId: string): (db: Db) => Prisma.PrismaPromise<unknown> {
    this.#latestChoices.delete(identityId);
    return (db) => db.outboxMessage.deleteMany({ where: { identityId, status: "SENT" } });
  }

  /**
   * The choices of the latest message with choices written for a chat, sent or not: a number the
   * person types answers that message (a staff card, say), whoever wrote it.
   */
  async latestChoices(identityId: string): Promise<Choice[] | null> {
    const latest = await this.#db.outboxMessage.findFirst({
      where: { identityId, hasChoices: true },
      orderBy: { id: "desc" },
      select: { id: true },
    });
    if (!latest) return null;
    const cached = this.#latestChoices.get(identityId);
    if (cached?.id === latest.id) return cached.choices;
    const row = await this.#db.outboxMessage.findUniqueOrThrow({
      where: { id: latest.id },
      select: { payloadCipher: true },
    });
    const choices = this.#open(row.payloadCipher).choices ?? [];
    if (this.#latestChoices.size >= CACHE_LIMIT) this.#latestChoices.clear();
    this.#latestChoices.set(identityId, { id: latest.id, choices });
    return choices;
  }

  /** How many messages wait for an office destination, by office. */
  async waitingByOffice(): Promise<Map<string, number>> {
    const rows = await this.#db.outboxMessage.groupBy({
      by: ["officeCode"],
      where: { status: "WAITING" },
      _count: true,
    });
    return new Map(rows.map((r) => [r.officeCode ?? "", r._count]));
  }

  /**
   * Hands waiting messages of an office to the chats that now receive them, oldest first, as one
   * transaction. Returns how many messages were released.
   */
  async releaseWaiting(officeCode: string, recipients: readonly OutboxRecipient[], now: Date): Promise<number> {
    if (recipients.length === 0) return 0;
    const waiting = await this.#db.outboxMessage.findMany({
      where: { status: "WAITING", officeCode },
      orderBy: { id: "asc" },
      select: { id: true, payloadCipher: true, keyId: true, hasChoices: true },
    });
    if (waiting.length === 0) return 0;
    const copies = waiting.flatMap((row) =>
      recipients.map((r) => ({
        identityId: r.identityId,
        channel: r.channel,
        officeCode,
        status: "PENDING",
        hasChoices: row.hasChoices,
        payloadCipher: row.payloadCipher,
        keyId: row.keyId,
        createdAt: now,
      })),
    );
    await this.#db.$transaction([
      this.#db.outboxMessage.createMany({ data: copies }),
      this.#db.outboxMessage.deleteMany({ where: { id: { in: waiting.map((w) => w.id) } } }),
    ]);
    return waiting.length;
  }
}
