import { type ChannelKind, type OutboundMessage, OutboundMessageSchema } from "../channels/types.ts";
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

const PAYLOAD_CONTEXT = "outbox.payload";

/**
 * The transactional outbox (DESIGN §6). Messages are written in the transaction of the change
 * that caused them, encrypted, and marked sent only after the channel accepted them.
 */
export class OutboxStore {
  readonly #db: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  /** The write that queues messages for one identity, in order. */
  enqueueWrite(
    identityId: string,
    channel: ChannelKind,
    messages: readonly OutboundMessage[],
    now: Date,
  ): (db: Db) => Prisma.PrismaPromise<unknown> {
    const data = messages.map((message) => ({
      identityId,
      channel,
      status: "PENDING",
      payloadCipher: this.#cipher.sealJson(message, PAYLOAD_CONTEXT),
      keyId: this.#cipher.currentKeyId,
      createdAt: now,
    }));
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
    return rows.map((row) => ({
      id: row.id,
      identityId: row.identityId,
      channel: row.channel as ChannelKind,
      message: OutboundMessageSchema.parse(this.#cipher.openJson(row.payloadCipher, PAYLOAD_CONTEXT)),
      attempts: row.attempts,
    }));
  }

  /** Marks messages sent; called only after the channel accepted them. */
  async markSent(ids: readonly number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.#db.outboxMessage.updateMany({ where: { id: { in: [...ids] } }, data: { status: "SENT", sentAt: now } });
  }

  /** The write that removes an identity's already-sent messages ("hapus"); pending ones still go out. */
  forgetSentWrite(identityId: string): (db: Db) => Prisma.PrismaPromise<unknown> {
    return (db) => db.outboxMessage.deleteMany({ where: { identityId, status: "SENT" } });
  }
}
