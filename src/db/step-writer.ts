import type { Db, Prisma } from "./database.ts";

/** A write that joins the step's transaction; built lazily so nothing runs before commit. */
export type DeferredWrite = (db: Db) => Prisma.PrismaPromise<unknown>;

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

  /** Commits every write in one transaction. */
  async commit(db: Db): Promise<void> {
    if (this.#writes.length === 0) return;
    await db.$transaction(this.#writes.map((write) => write(db)));
  }
}
