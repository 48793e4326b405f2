import type { Db, Prisma } from "./database.ts";

/**
 * A write that joins the step's transaction; built lazily so nothing runs before commit. One that
 * carries `afterCommit` is told its result once the transaction committed (never when it rolled back).
 */
export type DeferredWrite = ((db: Db) => Prisma.PrismaPromise<unknown>) & {
  afterCommit?: (result: unknown) => void;
};

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
    const results = await db.$transaction(this.#writes.map((write) => write(db)));
    for (const [i, write] of this.#writes.entries()) write.afterCommit?.(results[i]);
  }
}
