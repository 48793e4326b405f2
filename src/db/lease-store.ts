import type { Db } from "./database.ts";
import { isUniqueViolation } from "./database.ts";

/** Who holds a lease and until when. */
export interface LeaseHolder {
  holder: string;
  expiresAt: Date;
}

/**
 * Named leases in the database (DESIGN §6): work that only one instance may do at a time (a
 * channel's dispatcher, the WhatsApp socket, an operator alert) belongs to whoever holds its
 * lease. Taking and renewing are single conditional writes, so on SQLite and PostgreSQL alike
 * two instances never both succeed; a holder that dies stops renewing and loses it at expiry.
 */
export class LeaseStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Takes or renews the lease for `ttlMs` when it is free, expired or already ours; returns
   * whether this holder has it now.
   */
  async acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const taken = await this.#db.lease.updateMany({
      where: { name, OR: [{ holder }, { expiresAt: { lt: now } }] },
      data: { holder, expiresAt, updatedAt: now },
    });
    if (taken.count === 1) return true;
    try {
      await this.#db.lease.create({ data: { name, holder, expiresAt, updatedAt: now } });
      return true;
    } catch (error) {
      // Another instance holds it (the row exists and is live) or created it a moment ago.
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Gives the lease up at once, so another instance need not wait for it to expire. */
  async release(name: string, holder: string): Promise<void> {
    await this.#db.lease.deleteMany({ where: { name, holder } });
  }

  /** The current holder, or null when nobody holds a live lease. */
  async holderOf(name: string, now: Date): Promise<LeaseHolder | null> {
    const row = await this.#db.lease.findUnique({ where: { name }, select: { holder: true, expiresAt: true } });
    return row && row.expiresAt >= now ? row : null;
  }
}
