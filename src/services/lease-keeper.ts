import type { LeaseStore } from "../db/lease-store.ts";
import type { Logger } from "../logging/logger.ts";
import type { Clock } from "./clock.ts";

/** The work a lease guards: started when this instance takes the lease, stopped when it loses it. */
export interface LeasedWork {
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** The promise's value, or a rejection once `ms` have passed without one. */
async function answerWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a keeper is built from. */
export interface LeaseKeeperDeps {
  leases: LeaseStore;
  clock: Clock;
  logger: Logger;
  /** The lease's name, e.g. "dispatch:telegram" or "whatsapp:socket". */
  name: string;
  /** This instance's id. */
  holder: string;
  /** How long a taken lease lasts without renewal; a dead holder is replaced after this. */
  ttlMs: number;
  work: LeasedWork;
}

/**
 * Keeps one lease for this instance and runs the work it guards only while holding it: tries
 * (or renews) every third of the lease time, starts the work on taking it, and stops the work
 * as soon as a renewal fails or finds another holder, before the lease could expire under it.
 */
export class LeaseKeeper {
  readonly #deps: LeaseKeeperDeps;
  #timer: NodeJS.Timeout | null = null;
  #holding = false;
  /** When our lease runs out unless renewed: the work stops before this even if the database is unreachable. */
  #heldUntil = 0;
  #tick: Promise<void> = Promise.resolve();
  #stopped = false;
  /** Tries in a row the database did not answer in time or failed. */
  #failures = 0;

  constructor(deps: LeaseKeeperDeps) {
    this.#deps = deps;
  }

  /** True while this instance holds the lease and runs the work. */
  get holding(): boolean {
    return this.#holding;
  }

  /** Tries at once, then keeps trying and renewing until stopped; resolves after the first try. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#runTick();
    const every = Math.max(50, Math.floor(this.#deps.ttlMs / 3));
    this.#timer = setInterval(() => void this.#runTick(), every);
    this.#timer.unref();
  }

  /** Stops the work (if running) and releases the lease so a standby takes over without waiting. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#tick;
    if (this.#holding) {
      this.#holding = false;
      await this.#deps.work.stop();
    }
    const { leases, name, holder, logger } = this.#deps;
    await leases
      .release(name, holder)
      .catch((error: unknown) => logger.warn({ event: "lease.release_failed", lease: name, err: error }));
  }

  #runTick(): Promise<void> {
    this.#tick = this.#tick.then(() => this.#once());
    return this.#tick;
  }

  async #once(): Promise<void> {
    if (this.#stopped) return;
    const { leases, clock, logger, name, holder, ttlMs, work } = this.#deps;
    const now = clock.now();
    let held: boolean;
    try {
      // A database that hangs (a failover, a dead connection) counts as failing: waiting on it
      // could keep the work running after the lease expired and a standby took over.
      held = await answerWithin(leases.acquire(name, holder, now, ttlMs), Math.max(50, Math.floor(ttlMs / 3)));
      if (held) this.#heldUntil = now.getTime() + ttlMs;
      this.#failures = 0;
    } catch (error) {
      // Unreachable database: keep working only while the lease we last took is surely still ours.
      held = this.#holding && clock.now().getTime() < this.#heldUntil - Math.floor(ttlMs / 3);
      // A late or failed try is a warning: a busy database (a loaded machine) answers the next one,
      // and the work stops meanwhile where it must (lease.lost). Three in a row are a whole lease
      // time without the database: an error an operator has to look at.
      this.#failures++;
      const log = this.#failures >= 3 ? logger.error.bind(logger) : logger.warn.bind(logger);
      log({ event: "lease.renew_failed", lease: name, stillHeld: held, failures: this.#failures, err: error });
    }
    if (held && !this.#holding && !this.#stopped) {
      this.#holding = true;
      logger.info({ event: "lease.taken", lease: name });
      try {
        await work.start();
      } catch (error) {
        logger.error({ event: "lease.work_start_failed", lease: name, err: error });
        this.#holding = false;
        await leases.release(name, holder).catch(() => {});
      }
    } else if (!held && this.#holding) {
      this.#holding = false;
      logger.warn({ event: "lease.lost", lease: name });
      await work.stop();
    }
  }
}
