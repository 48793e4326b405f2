import { randomUUID } from "node:crypto";
import type { ChannelAddress } from "../channels/types.ts";
import type { IdentityStore } from "../db/identity-store.ts";
import type { ClaimedDelivery, DispatchHead, OutboxStore } from "../db/outbox-store.ts";
import type { Logger } from "../logging/logger.ts";
import { type Clock, realTimers, type Timers } from "../services/clock.ts";
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
  /** Timers for the loop's waits (default: real ones; tests use a test clock). */
  timers?: Timers;
}

/**
 * Every window the dispatcher keeps (overall, per chat, per group) is this much longer than the
 * platform's: it decides on its own clock, but the platform counts requests as they arrive, and on
 * a busy machine or network two sends decided a window apart can arrive a little closer together.
 */
export const SEND_WINDOW_MARGIN_MS = 50;
/** A timer this late is absorbed into the pace (no drift); later than that the pace restarts, never bursts. */
export const TIMER_SLACK_MS = 5;
/** Waits for the overall pace up to this long are slept inside a pass, keeping the chats in hand. */
const SHORT_WAIT_MS = 200;
const BASE_BACKOFF_MS = 1000;
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
 * group) with a margin, retry_after honoured for the whole channel, 5xx and network errors retried
 * with backoff, and a row marked sent only after the platform accepted it, so a crash can repeat a
 * message but never lose one. Chats take turns (round-robin, the chat served least recently
 * first), and a chat waiting for emergency numbers or an operator alert goes ahead of the others,
 * so one flooding chat cannot starve the rest; a chat's own messages are never reordered.
 */
export class OutboxDispatcher {
  readonly #deps: DispatcherDeps;
  readonly #timers: Timers;
  /** Sends are spaced evenly rather than in bursts: network jitter then never squeezes more than the limit into a second. */
  readonly #overallIntervalMs: number;
  #nextOverallAt = 0;
  readonly #perChat: SlidingWindowLimiter;
  readonly #perGroup: SlidingWindowLimiter;
  readonly #inFlight = new Map<string, Promise<void>>();
  /** When each chat with waiting messages was last served, as a turn number: the lowest goes next. */
  readonly #lastTurn = new Map<string, number>();
  #turn = 0;
  #pausedUntil = 0;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  /** Ends a wait for the overall pace inside a pass: new messages may include an emergency. */
  #interrupt: (() => void) | null = null;
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
    this.#timers = deps.timers ?? realTimers;
    this.#instanceId = deps.instanceId ?? randomUUID();
    const { limits } = deps.sender;
    // N a second spaced (1000 + margin) / N apart; below one a second, each gap gets the margin.
    this.#overallIntervalMs = 1000 / limits.perSecond + SEND_WINDOW_MARGIN_MS / Math.max(1, limits.perSecond);
    this.#perChat = new SlidingWindowLimiter(1, limits.perChatIntervalMs + SEND_WINDOW_MARGIN_MS);
    this.#perGroup = new SlidingWindowLimiter(limits.perGroupPerMinute, 60_000 + SEND_WINDOW_MARGIN_MS);
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
    this.#interrupt?.();
  }

  /** Stops taking new messages and waits for the sends in flight to be recorded. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
    await Promise.allSettled(this.#inFlight.values());
  }

  /** How many sends are under way (each to a different chat). */
  get sendsInFlight(): number {
    return this.#inFlight.size;
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

  /** Waits, unless a wake() came meanwhile; a wake() ends the wait early. */
  #sleep(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        cancel();
        this.#wake = null;
        resolve();
      };
      const cancel = this.#timers.set(ms, done);
      this.#wake = () => {
        this.#woken = false;
        done();
      };
    });
  }

  /** Waits for the overall pace; false when new messages (or stop) ended the wait first. */
  #paceWait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (completed: boolean) => {
        cancel();
        this.#interrupt = null;
        resolve(completed);
      };
      const cancel = this.#timers.set(ms, () => finish(true));
      this.#interrupt = () => finish(false);
    });
  }

  /** The chats in the order they may send: emergencies and alerts first, then the one served least recently. */
  #fairOrder(heads: DispatchHead[]): DispatchHead[] {
    // Turns of chats with nothing waiting are forgotten: the map stays as small as the queue.
    if (this.#lastTurn.size > 2 * heads.length + 1000) {
      const waiting = new Set(heads.map((h) => h.identityId));
      for (const id of this.#lastTurn.keys()) if (!waiting.has(id)) this.#lastTurn.delete(id);
    }
    const priority = this.#deps.priorityIdentityId ?? null;
    const urgent = (h: DispatchHead) => (h.urgent || h.identityId === priority ? 0 : 1);
    const turn = (h: DispatchHead) => this.#lastTurn.get(h.identityId) ?? 0;
    return heads.sort((a, b) => urgent(a) - urgent(b) || turn(a) - turn(b) || a.id - b.id);
  }

  /** Starts every send that is allowed now; returns how long until the next one may be. */
  async #pass(): Promise<number> {
    const { outbox, sender, clock } = this.#deps;
    const now = clock.now().getTime();
    if (this.#pausedUntil > now) return this.#pausedUntil - now;
    const heads = this.#fairOrder(
      await outbox.dispatchHeads(sender.channel, {
        instanceId: this.#instanceId,
        now: new Date(now),
        priorityIdentityId: this.#deps.priorityIdentityId ?? null,
      }),
    );
    let nextMs = Number.POSITIVE_INFINITY;
    for (const head of heads) {
      if (!this.#running) break;
      if (this.#inFlight.has(head.identityId)) continue;
      const at = clock.now().getTime();
      if (this.#pausedUntil > at) return this.#pausedUntil - at;
      if (head.nextAttemptAt && head.nextAttemptAt.getTime() > at) {
        nextMs = Math.min(nextMs, head.nextAttemptAt.getTime() - at);
        continue;
      }
      const address = await this.#addressOf(head.identityId);
      const group = sender.isGroup(address);
      const chatWait = group ? this.#perGroup.waitMs(address, at) : this.#perChat.waitMs(address, at);
      if (chatWait > 0) {
        nextMs = Math.min(nextMs, chatWait);
        continue;
      }
      let overallWait = this.#nextOverallAt - at;
      // A short wait is slept here, keeping the chats in hand: a fresh query per send would slow the
      // pace. New messages end it (and the pass), so that an emergency among them is served next.
      if (overallWait > 0 && overallWait <= SHORT_WAIT_MS) {
        if (!(await this.#paceWait(overallWait))) return 0;
        overallWait = 0;
      }
      if (overallWait > 0) return Math.min(nextMs, overallWait);
      // Another instance may be sending this very row (a lease changing hands): only one claim wins.
      const loaded = await outbox.claimDelivery(head.id, this.#instanceId, clock.now(), CLAIM_MS);
      if (!loaded) continue;
      // The send starts in this same tick: the time recorded is the time the platform is asked.
      const sentAt = clock.now().getTime();
      // On pace (a timer a few ms late) the next slot keeps its place; after a pause the pace restarts from now.
      const onPace = sentAt - this.#nextOverallAt <= TIMER_SLACK_MS;
      this.#nextOverallAt = (onPace ? this.#nextOverallAt : sentAt) + this.#overallIntervalMs;
      if (group) this.#perGroup.record(address, sentAt);
      else this.#perChat.record(address, sentAt);
      this.#lastTurn.set(head.identityId, ++this.#turn);
      const sending = this.#deliver(head, address, loaded).finally(() => {
        this.#inFlight.delete(head.identityId);
        // The chat may send its next message now: look again, but let a pace wait run its course.
        this.#woken = true;
        this.#wake?.();
      });
      this.#inFlight.set(head.identityId, sending);
    }
    return nextMs;
  }

  #addressOf(identityId: string): Promise<ChannelAddress> {
    return this.#deps.identities.addressOf(identityId);
  }

  async #deliver(candidate: DispatchHead, address: ChannelAddress, loaded: ClaimedDelivery): Promise<void> {
    const { outbox, sender, clock, logger } = this.#deps;
    try {
      // A payload that cannot be read (a key not configured yet) is retried later, like a network error.
      if (!loaded.ok) throw loaded.error;
      const { delivery } = loaded;
      if (delivery.kind === "delete") {
        await sender.deleteMessages(address, delivery.platformMessageIds);
        await outbox.markSent([candidate.id], clock.now());
        return;
      }
      const { platformMessageId } = await sender.send(address, delivery.message);
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

  async #handleFailure(candidate: DispatchHead, failure: SendFailure): Promise<void> {
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
