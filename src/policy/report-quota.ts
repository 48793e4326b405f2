import type { ChannelAddress } from "../channels/types.ts";
import type { Db } from "../db/database.ts";
import { type DeferredWrite, dualWrite } from "../db/step-writer.ts";
import type { Hasher } from "../security/hasher.ts";

/** How long a report counts against its chat's daily limit; its mark is deleted after that. */
export const REPORT_QUOTA_WINDOW_MS = 24 * 60 * 60_000;

/**
 * The daily report limit of a chat (DESIGN §2), counted in the one table this policy governs,
 * `report_quota_marks`: one row per report opened, holding a keyed hash of the chat's address
 * and the time. Not the case's reporter link, which erasing contact data removes: counting by
 * it let a chat open its maximum, erase, and open as many again (issue 13, item 5). A mark
 * names no case and no identity row (its hash has a subkey of its own), and maintenance
 * deletes it once it no longer counts.
 */
export class ReportQuota {
  readonly #db: Db;
  readonly #hasher: Hasher;
  readonly #addressOf: (identityId: string) => Promise<ChannelAddress>;

  constructor(db: Db, hasher: Hasher, addressOf: (identityId: string) => Promise<ChannelAddress>) {
    this.#db = db;
    this.#hasher = hasher;
    this.#addressOf = addressOf;
  }

  /** How many reports the chat of an identity opened since a time. */
  async countSince(identityId: string, since: Date): Promise<number> {
    // Marks made under an older HMAC key still count until they expire.
    const hashes = this.#hasher.reportQuotaCandidates(await this.#addressOf(identityId));
    return this.#db.reportQuotaMark.count({ where: { chatHash: { in: hashes }, createdAt: { gte: since } } });
  }

  /** The write that counts one report against the chat of an identity, for the step's transaction. */
  async markWrite(identityId: string, now: Date): Promise<DeferredWrite> {
    const [chatHash] = this.#hasher.reportQuotaCandidates(await this.#addressOf(identityId));
    const data = { chatHash: chatHash as string, createdAt: now };
    return dualWrite(
      (db) => db.reportQuotaMark.create({ data, select: { id: true } }),
      (sql) =>
        sql.all('INSERT INTO "report_quota_marks" ("chatHash", "createdAt") VALUES (?, ?) RETURNING "id"', [
          data.chatHash,
          now,
        ])[0],
    );
  }

  /** Deletes the marks that no longer count; returns how many. */
  async prune(now: Date): Promise<number> {
    const { count } = await this.#db.reportQuotaMark.deleteMany({
      where: { createdAt: { lt: new Date(now.getTime() - REPORT_QUOTA_WINDOW_MS) } },
    });
    return count;
  }
}
