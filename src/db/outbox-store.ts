import { z } from "zod";
import { type ChannelKind, type Choice, type OutboundMessage, OutboundMessageSchema } from "../channels/types.ts";
import type { Delivery } from "../outbox/channel-sender.ts";
import { DecryptionError, type FieldCipher } from "../security/field-cipher.ts";
import { type Db, Prisma } from "./database.ts";
import { directSqliteOf, type SqlValue } from "./direct-sqlite.ts";
import { type DeferredWrite, dualWrite } from "./step-writer.ts";

/** An outbox row ready to send: decrypted payload and where it goes. */
export interface PendingMessage {
  id: number;
  identityId: string;
  channel: ChannelKind;
  message: OutboundMessage;
  attempts: number;
}

/** The oldest waiting row of one chat: the only one of that chat the dispatcher may send now. */
export interface DispatchHead {
  id: number;
  identityId: string;
  attempts: number;
  nextAttemptAt: Date | null;
  /** The chat has an emergency reply waiting (this row or a later one): it goes ahead of other chats. */
  urgent: boolean;
  /** How many of the chat's messages wait, this one included; null when not counted. */
  waiting: number | null;
}

/** A message a transaction just made pending: what the dispatcher needs to consider sending it. */
export interface CommittedMessage {
  id: number;
  identityId: string;
  channel: ChannelKind;
  urgent: boolean;
}

/**
 * Told after a commit that made messages pending: the rows when the write knows them, or null
 * when only the table can tell (look there).
 */
export type CommitListener = (committed: readonly CommittedMessage[] | null) => void;

const CommittedRowsSchema = z.array(
  z.object({ id: z.number(), identityId: z.string(), channel: z.enum(["tg", "wa", "term"]), urgent: z.boolean() }),
);
const UpdatedCountSchema = z.object({ count: z.number() });

const DeleteSchema = z.object({ platformMessageIds: z.array(z.string()) });

/** A card a chat has on its screen: the case it is about, when it arrived, its choices. */
export interface SentCard {
  caseId: string;
  sentAt: Date;
  choices: Choice[];
}

/** A chat that should receive a message, with its channel. */
export interface OutboxRecipient {
  identityId: string;
  channel: ChannelKind;
}

/** A claimed row's message, or why it could not be read (retried later like a network error). */
export type ClaimedDelivery = { ok: true; delivery: Delivery } | { ok: false; error: unknown };

const COMMITTED_COLUMNS = { id: true, identityId: true, channel: true, urgent: true } as const;
const DeliveryRowsSchema = z.array(
  z.object({
    kind: z.string(),
    payloadCipher: z.instanceof(Uint8Array).nullable(),
    identityId: z.string().nullable(),
    officeCode: z.string().nullable(),
  }),
);
type DeliveryRow = z.infer<typeof DeliveryRowsSchema>[number];

const INSERT_OUTBOX = `INSERT INTO "outbox_messages" ("identityId", "officeCode", "caseId", "channel", "status", "hasChoices", "urgent", "payloadCipher", "choicesCipher", "keyId", "createdAt", "kind", "attempts") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'MESSAGE', 0)`;
const INSERT_OUTBOX_RETURNING = `${INSERT_OUTBOX} RETURNING "id", "identityId", "channel", "urgent"`;

/** The values of INSERT_OUTBOX for a row `#row` built. */
function outboxValues(row: {
  identityId: string | null;
  officeCode: string | null;
  caseId: string | null;
  channel: string;
  status: string;
  hasChoices: boolean;
  urgent: boolean;
  payloadCipher: Uint8Array;
  choicesCipher: Uint8Array | null;
  keyId: string;
  createdAt: Date;
}): SqlValue[] {
  return [
    row.identityId,
    row.officeCode,
    row.caseId,
    row.channel,
    row.status,
    row.hasChoices,
    row.urgent,
    row.payloadCipher,
    row.choicesCipher,
    row.keyId,
    row.createdAt,
  ];
}
const RELEASE_HELD = `UPDATE "outbox_messages" SET "status" = 'PENDING', "createdAt" = ? WHERE "identityId" = ? AND "status" = 'HELD'`;
/** `claimDelivery`'s statement with SQLite's placeholders. */
const CLAIM = `UPDATE "outbox_messages" SET "claimedBy" = ?, "claimedUntil" = ?
  WHERE "id" = ? AND "status" = 'PENDING' AND ("claimedBy" IS NULL OR "claimedBy" = ? OR "claimedUntil" < ?)
    AND NOT EXISTS (SELECT 1 FROM "outbox_messages" AS "older" WHERE "older"."status" = 'PENDING'
      AND "older"."identityId" = "outbox_messages"."identityId" AND "older"."id" < ?)
  RETURNING "kind", "payloadCipher", "identityId", "officeCode"`;
const PAYLOAD_CONTEXT = "outbox.payload";
const CHOICES_CONTEXT = "outbox.choices";
const ChoicesSchema = z.array(z.object({ id: z.string(), label: z.string() }));
const CACHE_LIMIT = 10_000;
/** How many messages one delete request takes on each channel. */
const DELETES_PER_REQUEST: Record<ChannelKind, number> = { tg: 100, wa: 1, term: 100 };

/**
 * The transactional outbox (DESIGN §6). Messages are written in the transaction of the change
 * that caused them, encrypted, and marked sent only after the channel accepted them. A card for
 * an office with no chat destination anywhere waits here (status WAITING) until one is set.
 */
export class OutboxStore {
  readonly #db: Db;
  readonly #cipher: FieldCipher;
  readonly #latestChoices = new Map<string, { id: number; choices: Choice[] }>();
  readonly #listeners = new Set<CommitListener>();

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  /**
   * Subscribes to messages made pending by this process's commits (a dispatcher takes them from
   * memory instead of looking in the table). Other processes' messages are only in the table.
   * Returns the unsubscribe function.
   */
  onCommitted(listener: CommitListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(committed: readonly CommittedMessage[] | null): void {
    for (const listener of this.#listeners) {
      // The rows are committed: a listener that fails must not make the step look failed (and be
      // repeated). The dispatcher's next look at the table finds them anyway.
      try {
        listener(committed);
      } catch {}
    }
  }

  /** A write that tells the listeners after commit: the rows it returned, or to look in the table. */
  #announcing(write: DeferredWrite, rowsKnown: boolean): DeferredWrite {
    return Object.assign(write, {
      afterCommit: (result: unknown) => {
        const rows = rowsKnown ? CommittedRowsSchema.safeParse(result) : null;
        if (rows?.success) {
          if (rows.data.length > 0) this.#emit(rows.data);
          return;
        }
        // A count of released rows, or a result of an unexpected shape: the table tells which.
        const updated = UpdatedCountSchema.safeParse(result);
        if (!updated.success || updated.data.count > 0) this.#emit(null);
      },
    });
  }

  #row(
    identityId: string | null,
    channel: string,
    message: OutboundMessage,
    now: Date,
    officeCode: string | null,
    caseId: string | null,
  ) {
    return {
      identityId,
      officeCode,
      caseId,
      channel,
      status: identityId ? "PENDING" : "WAITING",
      hasChoices: (message.choices?.length ?? 0) > 0,
      urgent: message.urgent === true,
      payloadCipher: this.#cipher.sealJson(message, PAYLOAD_CONTEXT, ownerOf({ identityId, officeCode })),
      choicesCipher: message.choices?.length
        ? this.#cipher.sealJson(message.choices, CHOICES_CONTEXT, ownerOf({ identityId, officeCode }))
        : null,
      keyId: this.#cipher.currentKeyId,
      createdAt: now,
    };
  }

  /**
   * The write that queues messages for one chat, in order. A staff card or notice names its
   * office and its case (kept outside the encrypted payload, so a number typed later can find it).
   */
  enqueueWrite(
    identityId: string,
    channel: ChannelKind,
    messages: readonly OutboundMessage[],
    now: Date,
    officeCode: string | null = null,
    caseId: string | null = null,
  ): DeferredWrite {
    const data = messages.map((message) => this.#row(identityId, channel, message, now, officeCode, caseId));
    return this.#announcing(
      dualWrite(
        (db) => db.outboxMessage.createManyAndReturn({ data, select: COMMITTED_COLUMNS }),
        (sql) =>
          data.map((row) => {
            const [inserted] = sql.all(INSERT_OUTBOX_RETURNING, outboxValues(row));
            return { ...inserted, urgent: inserted?.urgent === 1 };
          }),
      ),
      true,
    );
  }

  /**
   * The write that holds messages for a reporter who asked for no messages: they are sent only as
   * the answer to the person's next message (see `releaseHeldWrite`).
   */
  enqueueHeldWrite(
    identityId: string,
    channel: ChannelKind,
    messages: readonly OutboundMessage[],
    now: Date,
    caseId: string | null = null,
  ): (db: Db) => Prisma.PrismaPromise<unknown> {
    const data = messages.map((message) => ({
      ...this.#row(identityId, channel, message, now, null, caseId),
      status: "HELD",
    }));
    return (db) => db.outboxMessage.createMany({ data });
  }

  /**
   * The write that releases a chat's held messages, in the turn of a message the person wrote;
   * they count as queued now (not since they were held) for the backlog alerts.
   */
  releaseHeldWrite(identityId: string, now: Date): DeferredWrite {
    return this.#announcing(
      dualWrite(
        (db) =>
          db.outboxMessage.updateMany({
            where: { identityId, status: "HELD" },
            data: { status: "PENDING", createdAt: now },
          }),
        (sql) => ({ count: sql.run(RELEASE_HELD, [now, identityId]) }),
      ),
      false,
    );
  }

  /** The write that drops what is held about a case: a newer PIN replaces it, or a duress PIN was used. */
  dropHeldWrite(caseId: string): (db: Db) => Prisma.PrismaPromise<unknown> {
    return (db) => db.outboxMessage.deleteMany({ where: { caseId, status: "HELD" } });
  }

  /** Whether a chat (or an office without a destination) still has an unsent message about a case. */
  async hasUnsentAbout(caseId: string, to: { identityId: string } | { officeCode: string }): Promise<boolean> {
    const where =
      "identityId" in to
        ? { caseId, identityId: to.identityId, status: "PENDING" }
        : { caseId, officeCode: to.officeCode, identityId: null, status: "WAITING" };
    return (await this.#db.outboxMessage.findFirst({ where, select: { id: true } })) !== null;
  }

  /** The write that parks an office's messages until the office (or the national desk) gets a destination. */
  enqueueWaitingWrite(
    officeCode: string,
    messages: readonly OutboundMessage[],
    now: Date,
    caseId: string | null = null,
  ): DeferredWrite {
    const data = messages.map((message) => this.#row(null, "", message, now, officeCode, caseId));
    return dualWrite(
      (db) => db.outboxMessage.createMany({ data }),
      (sql) => ({ count: data.reduce((count, row) => count + sql.run(INSERT_OUTBOX, outboxValues(row)), 0) }),
    );
  }

  /** Pending messages in the order they were written, for one identity or one channel. */
  async pending(filter: { identityId?: string; channel?: ChannelKind }, limit = 100): Promise<PendingMessage[]> {
    const rows = await this.#db.outboxMessage.findMany({
      where: { status: "PENDING", kind: "MESSAGE", ...filter },
      orderBy: { id: "asc" },
      take: limit,
      select: { id: true, identityId: true, officeCode: true, channel: true, payloadCipher: true, attempts: true },
    });
    return rows.flatMap((row) =>
      row.identityId && row.payloadCipher
        ? [
            {
              id: row.id,
              identityId: row.identityId,
              channel: row.channel as ChannelKind,
              message: this.#open({ ...row, payloadCipher: row.payloadCipher }),
              attempts: row.attempts,
            },
          ]
        : [],
    );
  }

  #open(row: OwnedRow & { payloadCipher: Uint8Array }): OutboundMessage {
    return OutboundMessageSchema.parse(this.#cipher.openJson(row.payloadCipher, PAYLOAD_CONTEXT, ownerOf(row)));
  }

  /**
   * Marks messages sent; called only after the channel accepted them. What was said goes with
   * it (DESIGN §5): a sent row keeps only what "hapus", the limits and typed numbers need.
   */
  async markSent(ids: readonly number[], now: Date, platformMessageId: string | null = null): Promise<void> {
    await this.markDelivered(
      ids.map((id) => ({ id, platformMessageId })),
      now,
    );
  }

  /**
   * Marks messages sent as `markSent` does, each with the platform's id of it, in one statement:
   * the dispatcher marks together the sends that ended while the previous mark was written. Plain
   * SQL that SQLite and PostgreSQL both read (Prisma writes the placeholders of each; on SQLite it
   * runs on the direct connection): the hottest write of the outbox, and one commit for many rows.
   */
  async markDelivered(sent: ReadonlyArray<{ id: number; platformMessageId: string | null }>, now: Date): Promise<void> {
    if (sent.length === 0) return;
    const direct = directSqliteOf(this.#db);
    if (direct) {
      const cases = sent.map(() => "WHEN ? THEN ?").join(" ");
      const ids = sent.map(() => "?").join(", ");
      const params = [
        now,
        ...sent.flatMap(({ id, platformMessageId }) => [id, platformMessageId]),
        ...sent.map(({ id }) => id),
      ];
      const statement = `UPDATE "outbox_messages" SET "status" = 'SENT', "sentAt" = ?, "platformMessageId" = CASE "id" ${cases} END, "payloadCipher" = NULL, "claimedBy" = NULL, "claimedUntil" = NULL WHERE "id" IN (${ids})`;
      if (direct.tryTransaction(() => direct.run(statement, params))) return;
    }
    const platformIds = Prisma.join(
      sent.map(({ id, platformMessageId }) => Prisma.sql`WHEN ${id} THEN ${platformMessageId}`),
      " ",
    );
    await this.#db.$executeRaw`UPDATE "outbox_messages" SET "status" = 'SENT', "sentAt" = ${now},
      "platformMessageId" = CASE "id" ${platformIds} END, "payloadCipher" = NULL, "claimedBy" = NULL,
      "claimedUntil" = NULL WHERE "id" IN (${Prisma.join(sent.map(({ id }) => id))})`;
  }

  /**
   * Removes what was said from rows delivered or given up that still hold it (rows written before
   * payloads were dropped at delivery), keeping the choices of a message with choices. Returns
   * how many rows it cleared; run until 0.
   */
  async clearDeliveredPayloads(batch = 500): Promise<number> {
    const rows = await this.#db.outboxMessage.findMany({
      where: { status: { in: ["SENT", "FAILED"] }, payloadCipher: { not: null } },
      select: {
        id: true,
        identityId: true,
        officeCode: true,
        hasChoices: true,
        choicesCipher: true,
        payloadCipher: true,
      },
      take: batch,
    });
    for (const row of rows) {
      let choicesCipher = row.choicesCipher;
      if (row.hasChoices && !choicesCipher && row.payloadCipher) {
        const choices = this.#open({ ...row, payloadCipher: row.payloadCipher }).choices ?? [];
        choicesCipher = this.#cipher.sealJson(choices, CHOICES_CONTEXT, ownerOf(row));
      }
      await this.#db.outboxMessage.updateMany({
        where: { id: row.id, payloadCipher: { not: null } },
        data: { payloadCipher: null, choicesCipher },
      });
    }
    return rows.length;
  }

  /**
   * The write that asks the channel to delete recent messages of a chat, in order with its other
   * messages. Each row is one request to the platform (Telegram deletes 100 at once, WhatsApp one
   * at a time), so that the dispatcher paces and shares them like any other send.
   */
  enqueueDeleteWrite(
    identityId: string,
    channel: ChannelKind,
    platformMessageIds: readonly string[],
    now: Date,
  ): DeferredWrite {
    const size = DELETES_PER_REQUEST[channel];
    const data: Prisma.OutboxMessageCreateManyInput[] = [];
    for (let i = 0; i < platformMessageIds.length; i += size) {
      data.push({
        identityId,
        channel,
        status: "PENDING",
        kind: "DELETE",
        payloadCipher: this.#cipher.sealJson(
          { platformMessageIds: platformMessageIds.slice(i, i + size) },
          PAYLOAD_CONTEXT,
          identityId,
        ),
        keyId: this.#cipher.currentKeyId,
        createdAt: now,
      });
    }
    return this.#announcing((db) => db.outboxMessage.createManyAndReturn({ data, select: COMMITTED_COLUMNS }), true);
  }

  /**
   * For each chat of a channel, its oldest pending message: a chat's messages go out strictly
   * in order, so only that one may be sent (once its retry time has come). A chat whose oldest
   * message another instance has claimed is left to that instance. Payloads stay unread here:
   * only the row about to be sent is decrypted (claimDelivery()).
   */
  async dispatchHeads(
    channel: ChannelKind,
    options: { instanceId?: string; now?: Date; limit?: number; priorityIdentityId?: string | null } = {},
  ): Promise<DispatchHead[]> {
    const { instanceId = "", now = new Date(), limit = 2000, priorityIdentityId = null } = options;
    const heads = await this.#db.outboxMessage.groupBy({
      by: ["identityId"],
      where: { status: "PENDING", channel, identityId: { not: null } },
      _min: { id: true },
      _count: { _all: true },
      orderBy: { _min: { id: "asc" } },
      take: limit,
    });
    const waiting = new Map(heads.map((h) => [h.identityId, h._count._all]));
    // Chats with an emergency reply waiting anywhere in their queue (few: a separate query, as
    // PostgreSQL has no max() over booleans).
    const urgentRows = await this.#db.outboxMessage.findMany({
      where: { status: "PENDING", channel, urgent: true, identityId: { not: null } },
      distinct: ["identityId"],
      select: { identityId: true },
      take: 1000,
    });
    const urgent = new Set(urgentRows.flatMap((r) => (r.identityId ? [r.identityId] : [])));
    const ids = heads.flatMap((h) => (h._min.id === null ? [] : [h._min.id]));
    // Below the limit every chat with a message waiting is among the heads already. Beyond it (a
    // flood of chats), the operator alert chat and then emergencies are still found, up to 100 more chats.
    // Lists of ids are filtered here rather than in SQL: Prisma refuses a statement of more than
    // 999 values on SQLite unless it can split it, which it cannot with an order or a `notIn`.
    const extra =
      heads.length < limit
        ? []
        : [...new Set([...(priorityIdentityId ? [priorityIdentityId] : []), ...urgent])]
            .filter((identityId) => !waiting.has(identityId))
            .slice(0, 100);
    for (const identityId of extra) {
      const head = await this.#db.outboxMessage.findFirst({
        where: { status: "PENDING", identityId, channel },
        orderBy: { id: "asc" },
        select: { id: true },
      });
      if (head) ids.push(head.id);
      urgent.add(identityId);
    }
    if (ids.length === 0) return [];
    // Split by Prisma into statements of at most 999 ids (no order asked: sorted here).
    const rows = (
      await this.#db.outboxMessage.findMany({
        where: { id: { in: ids } },
        select: {
          id: true,
          identityId: true,
          attempts: true,
          nextAttemptAt: true,
          claimedBy: true,
          claimedUntil: true,
        },
      })
    ).sort((a, b) => a.id - b.id);
    return rows.flatMap((row) => {
      if (!row.identityId) return [];
      if (row.claimedBy && row.claimedBy !== instanceId && row.claimedUntil && row.claimedUntil > now) return [];
      return [
        {
          id: row.id,
          identityId: row.identityId,
          attempts: row.attempts,
          nextAttemptAt: row.nextAttemptAt,
          urgent: urgent.has(row.identityId),
          waiting: waiting.get(row.identityId) ?? null,
        },
      ];
    });
  }

  /** What one row asks the channel to do, decrypted: send a message, or delete recent ones. */
  #decodeDelivery(id: number, row: DeliveryRow): Delivery {
    if (!row.payloadCipher) throw new Error(`outbox row ${id} has no payload (delivered or given up)`);
    const payload = this.#cipher.openJson(row.payloadCipher, PAYLOAD_CONTEXT, ownerOf(row));
    return row.kind === "DELETE"
      ? { kind: "delete", platformMessageIds: DeleteSchema.parse(payload).platformMessageIds }
      : { kind: "message", message: OutboundMessageSchema.parse(payload) };
  }

  /**
   * Claims a pending message for one send by this instance (DESIGN §6), as one conditional
   * update: of two instances only one sees a count of 1, so a message is never sent by both.
   * A claim left by a crashed instance expires and the message is sent again (at least once).
   */
  async claim(id: number, instanceId: string, now: Date, ttlMs: number): Promise<boolean> {
    return (await this.claimDelivery(id, instanceId, now, ttlMs)) !== null;
  }

  /**
   * Claims a pending message as `claim` does and reads what it asks for, in one conditional
   * `UPDATE … WHERE id AND status AND (claim free) AND NOT EXISTS (an older pending row of the
   * chat) RETURNING`: of two instances only one gets the row, and never out of the chat's order
   * (a row the dispatcher was handed in memory may have an older one it never saw, another
   * process's, and that one goes first). Plain SQL that SQLite and PostgreSQL both read, as the
   * claim runs once per message sent. Null when another instance holds it, it is no longer
   * pending, or an older message of its chat still waits. A payload that cannot be read (a key
   * not configured yet) comes back as the error.
   */
  async claimDelivery(id: number, instanceId: string, now: Date, ttlMs: number): Promise<ClaimedDelivery | null> {
    const until = new Date(now.getTime() + ttlMs);
    const rows = DeliveryRowsSchema.parse(
      this.#claimDirect(id, instanceId, now, until) ??
        (await this.#db.$queryRaw`UPDATE "outbox_messages" SET "claimedBy" = ${instanceId}, "claimedUntil" = ${until}
        WHERE "id" = ${id} AND "status" = 'PENDING'
          AND ("claimedBy" IS NULL OR "claimedBy" = ${instanceId} OR "claimedUntil" < ${now})
          AND NOT EXISTS (SELECT 1 FROM "outbox_messages" AS "older" WHERE "older"."status" = 'PENDING'
            AND "older"."identityId" = "outbox_messages"."identityId" AND "older"."id" < ${id})
        RETURNING "kind", "payloadCipher", "identityId", "officeCode"`),
    );
    const row = rows[0];
    if (!row) return null;
    try {
      return { ok: true, delivery: this.#decodeDelivery(id, row) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** The claim as plain statements on SQLite; null when it did not run (PostgreSQL, or a Prisma transaction open). */
  #claimDirect(id: number, instanceId: string, now: Date, until: Date): unknown[] | null {
    const direct = directSqliteOf(this.#db);
    let rows: unknown[] | null = null;
    if (direct?.tryTransaction(() => (rows = direct.all(CLAIM, [instanceId, until, id, instanceId, now, id]))))
      return rows;
    return null;
  }

  /** Which chats of a channel got a message since a time, and when: what a new sender must count against the limits. */
  async sentSince(channel: ChannelKind, since: Date): Promise<Array<{ identityId: string; sentAt: Date }>> {
    const rows = await this.#db.outboxMessage.findMany({
      where: { channel, sentAt: { gte: since } },
      orderBy: { sentAt: "asc" },
      select: { identityId: true, sentAt: true },
    });
    return rows.flatMap((r) => (r.identityId && r.sentAt ? [{ identityId: r.identityId, sentAt: r.sentAt }] : []));
  }

  /** Messages waiting to be sent and the age of the oldest, for health checks and alerts. */
  async backlog(now: Date): Promise<{ pending: number; oldestAgeMs: number }> {
    const [pending, oldest] = await Promise.all([
      this.#db.outboxMessage.count({ where: { status: "PENDING" } }),
      this.#db.outboxMessage.findFirst({
        where: { status: "PENDING" },
        orderBy: { id: "asc" },
        select: { createdAt: true },
      }),
    ]);
    return { pending, oldestAgeMs: oldest ? Math.max(0, now.getTime() - oldest.createdAt.getTime()) : 0 };
  }

  /** Puts a message back for a later try. */
  async retryLater(id: number, attempts: number, nextAttemptAt: Date, lastError: string): Promise<void> {
    await this.#db.outboxMessage.update({
      where: { id },
      data: { attempts, nextAttemptAt, lastError: lastError.slice(0, 300), claimedBy: null, claimedUntil: null },
    });
  }

  /** Gives up on a message the platform will never accept. */
  async markFailed(id: number, lastError: string): Promise<void> {
    await this.#db.outboxMessage.update({
      where: { id },
      data: {
        status: "FAILED",
        lastError: lastError.slice(0, 300),
        payloadCipher: null,
        claimedBy: null,
        claimedUntil: null,
      },
    });
  }

  /** Gives up on every pending message of a chat that blocked the bot. */
  async failAllFor(identityId: string, lastError: string): Promise<number> {
    const result = await this.#db.outboxMessage.updateMany({
      where: { identityId, status: "PENDING" },
      data: { status: "FAILED", lastError, payloadCipher: null },
    });
    return result.count;
  }

  /** The platform ids of a chat's messages, both ways, since a time: what "hapus" may delete. */
  async recentPlatformMessageIds(identityId: string, since: Date): Promise<string[]> {
    const [sent, received] = await Promise.all([
      this.#db.outboxMessage.findMany({
        where: { identityId, status: "SENT", sentAt: { gte: since }, platformMessageId: { not: null } },
        select: { platformMessageId: true },
      }),
      this.#db.inboundMessage.findMany({
        where: { identityId, receivedAt: { gte: since }, platformMessageId: { not: null } },
        select: { platformMessageId: true },
      }),
    ]);
    return [...sent, ...received].flatMap((r) => (r.platformMessageId ? [r.platformMessageId] : []));
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
      select: { choicesCipher: true, payloadCipher: true, identityId: true, officeCode: true },
    });
    const choices = this.#choicesOf(row);
    if (this.#latestChoices.size >= CACHE_LIMIT) this.#latestChoices.clear();
    this.#latestChoices.set(identityId, { id: latest.id, choices });
    return choices;
  }

  /**
   * The cards (messages about a case, with choices) this chat has received since a time, newest
   * first: only rows marked SENT, because a card still waiting in the outbox is not on the screen.
   */
  async receivedCards(identityId: string, since: Date, limit = 20): Promise<SentCard[]> {
    const rows = await this.#db.outboxMessage.findMany({
      where: {
        identityId,
        status: "SENT",
        kind: "MESSAGE",
        hasChoices: true,
        caseId: { not: null },
        sentAt: { gte: since },
      },
      orderBy: [{ sentAt: "desc" }, { id: "desc" }],
      take: limit,
      select: {
        caseId: true,
        sentAt: true,
        choicesCipher: true,
        payloadCipher: true,
        identityId: true,
        officeCode: true,
      },
    });
    return rows.flatMap((row) => this.#card(row));
  }

  /**
   * The card a quoted message was, when the chat quoted one of the bot's sent cards. A WhatsApp
   * quote names the message key, which the sender stored after the time it was sent.
   */
  async quotedCard(identityId: string, quotedPlatformMessageId: string): Promise<SentCard | null> {
    const row = await this.#db.outboxMessage.findFirst({
      where: {
        identityId,
        status: "SENT",
        caseId: { not: null },
        hasChoices: true,
        OR: [
          { platformMessageId: quotedPlatformMessageId },
          { platformMessageId: { endsWith: `:${quotedPlatformMessageId}` } },
        ],
      },
      orderBy: { id: "desc" },
      select: {
        caseId: true,
        sentAt: true,
        choicesCipher: true,
        payloadCipher: true,
        identityId: true,
        officeCode: true,
      },
    });
    return row ? (this.#card(row)[0] ?? null) : null;
  }

  #rehome(envelope: Uint8Array | null, context: string, officeCode: string, identityId: string) {
    if (envelope === null) return null;
    return this.#cipher.reseal(envelope, context, ownerOf({ identityId: null, officeCode }), identityId);
  }

  #card(
    row: OwnedRow & {
      caseId: string | null;
      sentAt: Date | null;
      choicesCipher: Uint8Array | null;
      payloadCipher: Uint8Array | null;
    },
  ): SentCard[] {
    if (!row.caseId || !row.sentAt) return [];
    return [{ caseId: row.caseId, sentAt: row.sentAt, choices: this.#choicesOf(row) }];
  }

  /** A message's choices: kept on their own after delivery, or read from a payload not yet cleared. */
  #choicesOf(row: OwnedRow & { choicesCipher: Uint8Array | null; payloadCipher: Uint8Array | null }): Choice[] {
    if (row.choicesCipher)
      return ChoicesSchema.parse(this.#cipher.openJson(row.choicesCipher, CHOICES_CONTEXT, ownerOf(row)));
    return row.payloadCipher ? (this.#open({ ...row, payloadCipher: row.payloadCipher }).choices ?? []) : [];
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
    const released = await this.#db.$transaction(async (tx) => {
      const waiting = await tx.outboxMessage.findMany({
        where: { status: "WAITING", officeCode },
        orderBy: { id: "asc" },
        select: {
          id: true,
          payloadCipher: true,
          choicesCipher: true,
          keyId: true,
          hasChoices: true,
          urgent: true,
          caseId: true,
        },
      });
      const copies: Prisma.OutboxMessageCreateManyInput[] = [];
      let released = 0;
      for (const row of waiting) {
        // Sealed for the office while it waited; each chat's copy is sealed for that chat. A row
        // that cannot be opened (its key is gone) stays waiting, and holds back no other card.
        let sealed: Array<{
          payloadCipher: Uint8Array<ArrayBuffer> | null;
          choicesCipher: Uint8Array<ArrayBuffer> | null;
        }>;
        try {
          sealed = recipients.map((r) => ({
            payloadCipher: this.#rehome(row.payloadCipher, PAYLOAD_CONTEXT, officeCode, r.identityId),
            choicesCipher: this.#rehome(row.choicesCipher, CHOICES_CONTEXT, officeCode, r.identityId),
          }));
        } catch (error) {
          if (!(error instanceof DecryptionError)) throw error;
          continue;
        }
        // Two instances may release one office at once (both starting, or a start and the admin
        // CLI): only the one whose delete took the row copies it, so staff get each card once.
        const { count } = await tx.outboxMessage.deleteMany({ where: { id: row.id, status: "WAITING" } });
        if (count !== 1) continue;
        released++;
        recipients.forEach((r, i) => {
          copies.push({
            identityId: r.identityId,
            channel: r.channel,
            officeCode,
            status: "PENDING",
            hasChoices: row.hasChoices,
            urgent: row.urgent,
            caseId: row.caseId,
            payloadCipher: sealed[i]?.payloadCipher ?? null,
            choicesCipher: sealed[i]?.choicesCipher ?? null,
            keyId: this.#cipher.currentKeyId,
            createdAt: now,
          });
        });
      }
      if (copies.length > 0) await tx.outboxMessage.createMany({ data: copies });
      return released;
    });
    if (released > 0) this.#emit(null);
    return released;
  }
}

/** Which chat (or, while it waits for a destination, which office) a queued message belongs to. */
interface OwnedRow {
  identityId: string | null;
  officeCode: string | null;
}

/** The owner an outbox envelope is bound to: its chat, or the office it waits for. */
export function ownerOf(row: OwnedRow): string {
  return row.identityId ?? `office:${row.officeCode ?? ""}`;
}
