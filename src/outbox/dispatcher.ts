import { randomUUID } from "node:crypto";
import type { ChannelAddress } from "../channels/types.ts";
import type { IdentityStore } from "../db/identity-store.ts";
import type { DispatchCandidate, OutboxStore } from "../db/outbox-store.ts";
import type { Logger } from "../logging/logger.ts";
import type { Clock } from "../services/clock.ts";
import { type ChannelSender, SendError, type SendFailure } from "./channel-sender.ts";
import { SlidingWindowLimiter } from "./rate-limiter.ts";

/** What the dispatcher is built from. */
export interface DispatcherDeps {
  outbox: OutboxStore;
  identities: IdentityStore;
  sender: ChannelSender;
  clock: Clock;
  logger: Logger;
  /** How long to wait when there is nothing to do (a wake() ends the wait early). */
  idleMs?: number;
  /** Upper bound of the retry backoff. */
  maxBackoffMs?: number;
  /** Names this instance in its claims on outbox rows (default: random). */
  instanceId?: string;
  /** The operator alert chat: its messages go ahead of any backlog. */
  priorityIdentityId?: string | null;
}

const BASE_BACKOFF_MS = 1000;
const TIMER_SLACK_MS = 5;
/** Longer than any send may take (the senders time out sooner), so a live claim is never taken over. */
const CLAIM_MS = 60_000;

/** The services of one instance that every channel's dispatcher shares. */
export type DispatcherServices = Pick<DispatcherDeps, "outbox" | "identities" | "clock" | "logger"> & {
  instanceId: string;
};

/** A channel's dispatcher on this instance's outbox, with the operator alert chat first. */
export function channelDispatcher(
  services: DispatcherServices,
  sender: ChannelSender,
  priorityIdentityId: string | null | undefined,
): OutboxDispatcher {
  const { outbox, identities, clock, logger, instanceId } = services;
  return new OutboxDispatcher({
    outbox,
    identities,
    sender,
    clock,
    logger,
    instanceId,
    priorityIdentityId: priorityIdentityId ?? null,
  });
}

/**
 * Sends one channel's outbox (DESIGN §6): per-chat order (one message in flight per chat, the
 * next only after the previous is marked sent), the platform's limits (overall, per chat, per
 * group), retry_after honoured for the whole channel, 5xx and network errors retried with
 * backoff, and a row marked sent only after the platform accepted it, so a crash can repeat a
 * message but never lose one.
 */
export class OutboxDispatcher {
  readonly #deps: DispatcherDeps;
  /** Sends are spaced evenly rather than in bursts: network jitter then never squeezes more than the limit into a second. */
  readonly #overallIntervalMs: number;
  #nextOverallAt = 0;
  readonly #perChat: SlidingWindowLimiter;
  readonly #perGroup: SlidingWindowLimiter;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #addresses = new Map<string, ChannelAddress>();
  #pausedUntil = 0;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #woken = false;
  readonly #instanceId: string;
  /** Messages accepted by the platform since start, for figures and tests. */
  sent = 0;
  /** Failed sends and passes since the last success: what tells an operator the channel is down. */
  consecutiveFailures = 0;
  /** When the platform last accepted a message from this dispatcher. */
  lastSuccessAt: Date | null = null;

  constructor(deps: DispatcherDeps) {
    this.#deps = deps;
    this.#instanceId = deps.instanceId ?? randomUUID();
    const { limits } = deps.sender;
    this.#overallIntervalMs = 1000 / limits.perSecond;
    this.#perChat = new SlidingWindowLimiter(1, limits.perChatIntervalMs);
    this.#perGroup = new SlidingWindowLimiter(limits.perGroupPerMinute, 60_000);
  }

  /** Starts the sending loop. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** New messages were committed: look now instead of at the next tick. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Stops taking new messages and waits for the sends in flight to be recorded. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
    await Promise.allSettled(this.#inFlight.values());
  }

  /**
   * Counts what this channel sent in the last minute (by any instance: the previous holder of the
   * sending lease, or this process before a restart) against the limits, so a takeover never
   * starts a second minute's budget inside the first.
   */
  async #seedLimits(): Promise<void> {
    const { outbox, sender, clock } = this.#deps;
    const since = new Date(clock.now().getTime() - 60_000);
    for (const { identityId, sentAt } of await outbox.sentSince(sender.channel, since)) {
      const at = sentAt.getTime();
      const address = await this.#addressOf(identityId);
      if (sender.isGroup(address)) this.#perGroup.record(address, at);
      else this.#perChat.record(address, at);
      this.#nextOverallAt = Math.max(this.#nextOverallAt, at + this.#overallIntervalMs);
    }
  }

  async #run(): Promise<void> {
    const { logger } = this.#deps;
    await this.#seedLimits().catch((error: unknown) =>
      logger.error({ event: "dispatcher.seed_failed", channel: this.#deps.sender.channel, err: error }),
    );
    while (this.#running) {
      let waitMs = this.#deps.idleMs ?? 1000;
      try {
        waitMs = Math.min(waitMs, await this.#pass());
      } catch (error) {
        this.consecutiveFailures++;
        logger.error({ event: "dispatcher.pass_failed", channel: this.#deps.sender.channel, err: error });
      }
      await this.#sleep(Math.max(waitMs, 5));
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        this.#woken = false;
        done();
      };
    });
  }

  /** Starts every send that is allowed now; returns how long until the next one may be. */
  async #pass(): Promise<number> {
    const { outbox, sender, clock } = this.#deps;
    const now = clock.now().getTime();
    if (this.#pausedUntil > now) return this.#pausedUntil - now;
    const candidates = await outbox.dispatchCandidates(sender.channel, {
      instanceId: this.#instanceId,
      now: new Date(now),
      priorityIdentityId: this.#deps.priorityIdentityId ?? null,
    });
    let nextMs = Number.POSITIVE_INFINITY;
    for (const candidate of candidates) {
      if (!this.#running) break;
      if (this.#inFlight.has(candidate.identityId)) continue;
      const at = clock.now().getTime();
      if (this.#pausedUntil > at) return this.#pausedUntil - at;
      if (candidate.nextAttemptAt && candidate.nextAttemptAt.getTime() > at) {
        nextMs = Math.min(nextMs, candidate.nextAttemptAt.getTime() - at);
        continue;
      }
      const address = await this.#addressOf(candidate.identityId);
      const group = sender.isGroup(address);
      const chatWait = group ? this.#perGroup.waitMs(address, at) : this.#perChat.waitMs(address, at);
      if (chatWait > 0) {
        nextMs = Math.min(nextMs, chatWait);
        continue;
      }
      let overallWait = this.#nextOverallAt - at;
      // A short wait is slept here, keeping the candidates in hand: a fresh query per send would slow the pace.
      if (overallWait > 0 && overallWait <= 200) {
        await new Promise((r) => setTimeout(r, overallWait));
        overallWait = 0;
      }
      if (overallWait > 0) return Math.min(nextMs, overallWait);
      // Another instance may be sending this very row (a lease changing hands): only one claim wins.
      if (!(await outbox.claim(candidate.id, this.#instanceId, clock.now(), CLAIM_MS))) continue;
      const sentAt = clock.now().getTime();
      // A timer a few milliseconds late is absorbed (no drift); later than that the pace restarts, never bursts.
      this.#nextOverallAt = Math.max(this.#nextOverallAt, sentAt - TIMER_SLACK_MS) + this.#overallIntervalMs;
      if (group) this.#perGroup.record(address, sentAt);
      else this.#perChat.record(address, sentAt);
      const sending = this.#deliver(candidate, address).finally(() => {
        this.#inFlight.delete(candidate.identityId);
        this.wake();
      });
      this.#inFlight.set(candidate.identityId, sending);
    }
    return nextMs;
  }

  async #addressOf(identityId: string): Promise<ChannelAddress> {
    let address = this.#addresses.get(identityId);
    if (!address) {
      address = await this.#deps.identities.addressOf(identityId);
      if (this.#addresses.size > 50_000) this.#addresses.clear();
      this.#addresses.set(identityId, address);
    }
    return address;
  }

  async #deliver(candidate: DispatchCandidate, address: ChannelAddress): Promise<void> {
    const { outbox, sender, clock, logger } = this.#deps;
    try {
      if (candidate.delivery.kind === "delete") {
        await sender.deleteMessages(address, candidate.delivery.platformMessageIds);
        await outbox.markSent([candidate.id], clock.now());
        return;
      }
      const { platformMessageId } = await sender.send(address, candidate.delivery.message);
      // Only now, after the platform accepted it: a crash before this line repeats the message, never loses it.
      await outbox.markSent([candidate.id], clock.now(), platformMessageId);
      this.sent++;
      this.consecutiveFailures = 0;
      this.lastSuccessAt = clock.now();
    } catch (error) {
      const failure: SendFailure =
        error instanceof SendError
          ? error.failure
          : { kind: "transient", detail: error instanceof Error ? error.name : "unknown" };
      if (failure.kind === "transient" || failure.kind === "retry_after") this.consecutiveFailures++;
      await this.#handleFailure(candidate, failure).catch((e: unknown) =>
        logger.error({ event: "dispatcher.record_failed", outboxId: candidate.id, err: e }),
      );
    }
  }

  async #handleFailure(candidate: DispatchCandidate, failure: SendFailure): Promise<void> {
    const { outbox, identities, sender, clock, logger } = this.#deps;
    const now = clock.now();
    const channel = sender.channel;
    switch (failure.kind) {
      case "retry_after": {
        // The platform's flood control: nothing on this channel goes out before the time it named.
        this.#pausedUntil = Math.max(this.#pausedUntil, now.getTime() + failure.ms);
        await outbox.retryLater(
          candidate.id,
          candidate.attempts + 1,
          new Date(now.getTime() + failure.ms),
          "retry_after",
        );
        logger.warn({ event: "dispatcher.retry_after", channel, outboxId: candidate.id, ms: failure.ms });
        return;
      }
      case "transient": {
        const attempts = candidate.attempts + 1;
        const backoff = Math.min(
          this.#deps.maxBackoffMs ?? 5 * 60_000,
          BASE_BACKOFF_MS * 2 ** Math.min(attempts - 1, 16),
        );
        const jittered = Math.round(backoff * (0.8 + Math.random() * 0.4));
        await outbox.retryLater(candidate.id, attempts, new Date(now.getTime() + jittered), failure.detail);
        logger.warn({ event: "dispatcher.retry", channel, outboxId: candidate.id, attempts, delayMs: jittered });
        return;
      }
      case "stopped": {
        await identities.markUnreachable(candidate.identityId, now);
        const failed = await outbox.failAllFor(candidate.identityId, "contact stopped");
        logger.warn({ event: "dispatcher.contact_stopped", channel, identityId: candidate.identityId, failed });
        return;
      }
      case "rejected": {
        await outbox.markFailed(candidate.id, failure.detail);
        logger.error({ event: "dispatcher.rejected", channel, outboxId: candidate.id });
        return;
      }
    }
  }
}
