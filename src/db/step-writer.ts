import type { Db, Prisma } from "./database.ts";
import { type DirectSqlite, directSqliteOf } from "./direct-sqlite.ts";

/**
 * A write that joins the step's transaction; built lazily so nothing runs before commit. One that
 * carries `afterCommit` is told its result once the transaction committed (never when it rolled back).
 * One that carries `direct` can also run as plain statements on SQLite, returning what the Prisma
 * form returns and raising the same Prisma errors (unique value taken, row version stale).
 */
export type DeferredWrite = ((db: Db) => Prisma.PrismaPromise<unknown>) & {
  afterCommit?: (result: unknown) => void;
  direct?: (sql: DirectSqlite) => unknown;
};

/** A write with both forms: through Prisma, and as plain statements on SQLite. */
export function dualWrite(
  prisma: (db: Db) => Prisma.PrismaPromise<unknown>,
  direct: (sql: DirectSqlite) => unknown,
): DeferredWrite {
  return Object.assign(prisma, { direct });
}

/**
 * Collects the writes one inbound message causes (dedupe row, state, case rows, outbox) and
 * commits them in one transaction: either the whole step happened or none of it did.
 */
export class StepWriter {
  readonly #writes: DeferredWrite[] = [];

  /** Adds a write to the transaction. */
  add(write: DeferredWrite): void {
    this.#writes.push(write);
  }

  /** Commits every write in one transaction, then tells the writes that asked what they wrote. */
  async commit(db: Db): Promise<void> {
    if (this.#writes.length === 0) return;
    const results = this.#commitDirect(db) ?? (await db.$transaction(this.#writes.map((write) => write(db))));
    for (const [i, write] of this.#writes.entries()) write.afterCommit?.(results[i]);
  }

  /**
   * The common step (an answer in a dialogue) on SQLite, without Prisma's query interpreter: only
   * when every write has a direct form and no Prisma transaction is open. Null when it did not run.
   */
  #commitDirect(db: Db): unknown[] | null {
    const writes = this.#writes;
    const direct = writes.every((write) => write.direct) ? directSqliteOf(db) : null;
    if (!direct) return null;
    const results: unknown[] = [];
    const ran = direct.tryTransaction(() => {
      for (const write of writes) results.push(write.direct?.(direct));
    });
    return ran ? results : null;
  }
}
