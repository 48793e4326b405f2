import type { Db } from "./database.ts";
import { isSqliteUniqueError, uniqueViolation } from "./direct-sqlite.ts";
import { type DeferredWrite, dualWrite } from "./step-writer.ts";

/** One handled inbound message, as its dedupe row records it. */
export interface InboundRecord {
  channel: string;
  messageId: string;
  receivedAt: Date;
  identityId: string | null;
  platformMessageId: string | null;
}

const INSERT_INBOUND =
  'INSERT INTO "inbound_messages" ("channel", "messageId", "receivedAt", "identityId", "platformMessageId") VALUES (?, ?, ?, ?, ?)';

/**
 * The write of a message's dedupe row, first in its step's transaction: a redelivered message
 * fails here (a unique violation on InboundMessage) and nothing else of the step commits.
 */
export function recordInboundWrite(record: InboundRecord): DeferredWrite {
  return dualWrite(
    (db: Db) => db.inboundMessage.create({ data: record, select: { messageId: true } }),
    (sql) => {
      try {
        sql.run(INSERT_INBOUND, [
          record.channel,
          record.messageId,
          record.receivedAt,
          record.identityId,
          record.platformMessageId,
        ]);
      } catch (error) {
        throw isSqliteUniqueError(error) ? uniqueViolation("InboundMessage") : error;
      }
      return { messageId: record.messageId };
    },
  );
}
