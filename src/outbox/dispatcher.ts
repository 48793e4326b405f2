import { randomUUID } from "node:crypto";
import type { ChannelAddress } from "../channels/types.ts";
import type { IdentityStore } from "../db/identity-store.ts";
import type { ClaimedDelivery, CommittedMessage, DispatchHead, OutboxStore } from "../db/outbox-store.ts";
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
  /**
   * How long to wait when there is nothing to do (a wake() ends the wait early), and how often,
   * at most, the table is read for messages other processes wrote.
   */
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
/** A failed mark waits this long before its first retry, doubling up to MARK_RETRY_MAX_MS. */
const MARK_RETRY_MS = 50;
const MARK_RETRY_MAX_MS = 2_000;
/** Marks still failing after this many tries while stopping are left to the claim's expiry. */
const MARK_TRIES_WHEN_STOPPING = 3;

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
  /** The row each chat has in flight, so a look at the table does not queue it a second time. */
  readonly #inFlightIds = new Map<string, number>();
  /**
   * What this dispatcher knows is waiting, per chat, oldest first: the heads a look at the table
   * found, and the rows this process's commits handed over. The claim checks each against the
   * table (still pending, and the oldest of its chat), so a stale entry costs one failed claim.
   */
  readonly #queues = new Map<string, ChatQueue>();
  /** The table must be read before the next sends: a wake(), a failed claim, a chat with more than its known rows. */
  #lookNeeded = true;
  #lastLookAt = Number.NEGATIVE_INFINITY;
  /** Sends that ended while the table was being read (their rows may still show as waiting). */
  #finishedDuringLook: Set<number> | null = null;
  #unsubscribe: (() => void) | null = null;
  /** Delivered messages waiting for their row to be marked sent, and the mark being written. */
  #toMark: PendingMark[] = [];
  #marking: Promise<void> | null = null;
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
    // A restart (the sending lease regained) trusts nothing it knew before: the table says what waits.
    this.#queues.clear();
    this.#lookNeeded = true;
    this.#unsubscribe = this.#deps.outbox.onCommitted((committed) => this.#committed(committed));
    this.#loop = this.#run();
  }

  /** New messages were committed somewhere: read the table now instead of at the next tick. */
  wake(): void {
    this.#lookNeeded = true;
    this.#nudge();
  }

  /** Ends the loop's wait, and a pace wait (new messages may include an emergency). */
  #nudge(): void {
    this.#woken = true;
    this.#wake?.();
    this.#interrupt?.();
  }

  /** This process committed messages: queue this channel's in memory (no read of the table), or look when unknown. */
  #committed(committed: readonly CommittedMessage[] | null): void {
    if (committed === null) {
      this.wake();
      return;
    }
    let mine = false;
    for (const row of committed) {
      if (row.channel !== this.#deps.sender.channel) continue;
      mine = true;
      const queue = this.#queueOf(row.identityId);
      const known: KnownMessage = {
        id: row.id,
        identityId: row.identityId,
        attempts: 0,
        nextAttemptAt: null,
        urgent: row.urgent,
        waiting: null,
        looked: false,
      };
      // Ids rise with commits on SQLite; on PostgreSQL two commits may interleave, so insert in order.
      const at = queue.known.findIndex((k) => k.id > row.id);
      if (at === -1) queue.known.push(known);
      else if (queue.known[at - 1]?.id !== row.id) queue.known.splice(at, 0, known);
    }
    if (mine) this.#nudge();
  }

  /** Stops taking new messages and waits for the sends in flight to be recorded. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
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

  #queueOf(identityId: string): ChatQueue {
    let queue = this.#queues.get(identityId);
    if (!queue) {
      queue = { known: [], unsure: false };
      this.#queues.set(identityId, queue);
    }
    return queue;
  }

  /** Reads the table: the oldest waiting message of every chat, and how many each chat has waiting. */
  async #look(now: number): Promise<void> {
    this.#lookNeeded = false;
    this.#lastLookAt = now;
    const finished = new Set<number>();
    this.#finishedDuringLook = finished;
    let heads: DispatchHead[];
    try {
      heads = await this.#deps.outbox.dispatchHeads(this.#deps.sender.channel, {
        instanceId: this.#instanceId,
        now: new Date(now),
        priorityIdentityId: this.#deps.priorityIdentityId ?? null,
      });
    } catch (error) {
      this.#lookNeeded = true;
      throw error;
    } finally {
      this.#finishedDuringLook = null;
    }
    const seen = new Set<string>();
    for (const head of heads) {
      seen.add(head.identityId);
      const queue = this.#queueOf(head.identityId);
      // A send that ended while the table was read may show as waiting still: the next look decides.
      const sending = this.#inFlightIds.get(head.identityId) === head.id || finished.has(head.id);
      queue.known = queue.known.filter((k) => k.id > head.id);
      if (!sending) queue.known.unshift({ ...head, looked: true });
      // Only the oldest row was read: unless every waiting row is known, only the table knows the rest.
      queue.unsure = head.waiting === null || queue.known.length + (sending ? 1 : 0) < head.waiting;
    }
    for (const [identityId, queue] of this.#queues) {
      if (seen.has(identityId)) continue;
      // Nothing of this chat is waiting (or another instance sends it): what an earlier look found is gone.
      queue.unsure = false;
      queue.known = queue.known.filter((k) => !k.looked);
      if (queue.known.length === 0 && !this.#inFlight.has(identityId)) this.#queues.delete(identityId);
    }
  }

  /** The message each chat would send next, if it may; asks for a look when a chat may have more than is known. */
  #candidates(): DispatchHead[] {
    const heads: DispatchHead[] = [];
    for (const [identityId, queue] of this.#queues) {
      if (this.#inFlight.has(identityId)) continue;
      const first = queue.known[0];
      if (!first) {
        if (queue.unsure) this.#lookNeeded = true;
        else this.#queues.delete(identityId);
        continue;
      }
      // An emergency anywhere in the chat's queue puts the whole chat ahead (its order is kept).
      heads.push(!first.urgent && queue.known.some((k) => k.urgent) ? { ...first, urgent: true } : first);
    }
    return heads;
  }

  /** Forgets a known message: it is in flight now, or the table no longer has it waiting first. */
  #forget(head: DispatchHead): void {
    const queue = this.#queues.get(head.identityId);
    if (queue) queue.known = queue.known.filter((k) => k.id !== head.id);
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
    // The table is read when something may be there that memory lacks, and at least every idleMs
    // for what other processes wrote; fresh replies of this process come from memory.
    if (this.#lookNeeded || now - this.#lastLookAt >= (this.#deps.idleMs ?? 1000)) await this.#look(now);
    const heads = this.#fairOrder(this.#candidates());
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
      // Another instance may be sending this very row (a lease changing hands), or an older message
      // of the chat may wait that memory lacks: the claim checks both, and only one claim wins.
      const loaded = await outbox.claimDelivery(head.id, this.#instanceId, clock.now(), CLAIM_MS);
      this.#forget(head);
      if (!loaded) {
        // Another instance holds the chat, or it has an older message memory lacks: one look
        // settles the whole chat, rather than one failed claim and look per remembered row.
        const queue = this.#queues.get(head.identityId);
        if (queue) {
          queue.known = [];
          queue.unsure = true;
        }
        this.#lookNeeded = true;
        continue;
      }
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
        this.#inFlightIds.delete(head.identityId);
        this.#finishedDuringLook?.add(head.id);
        // The chat may send its next message now: look again, but let a pace wait run its course.
        this.#woken = true;
        this.#wake?.();
      });
      this.#inFlight.set(head.identityId, sending);
      this.#inFlightIds.set(head.identityId, head.id);
    }
    return this.#lookNeeded ? 0 : nextMs;
  }

  #addressOf(identityId: string): Promise<ChannelAddress> {
    return this.#deps.identities.addressOf(identityId);
  }

  async #deliver(candidate: DispatchHead, address: ChannelAddress, loaded: ClaimedDelivery): Promise<void> {
    const { sender, clock, logger } = this.#deps;
    try {
      // A payload that cannot be read (a key not configured yet) is retried later, like a network error.
      if (!loaded.ok) throw loaded.error;
      const { delivery } = loaded;
      let platformMessageId: string | null = null;
      if (delivery.kind === "delete") await sender.deleteMessages(address, delivery.platformMessageIds);
      else {
        ({ platformMessageId } = await sender.send(address, delivery.message));
        this.sent++;
        this.consecutiveFailures = 0;
        this.lastSuccessAt = clock.now();
      }
      // Only now, after the platform accepted it: a crash before the mark repeats the message, never
      // loses it. A failed mark is retried, never the send (the chat waits: its next claim checks
      // that no older message of it is pending).
      await this.#markSent(candidate.id, platformMessageId).catch((error: unknown) => {
        // Stopping with the database still failing: the claim runs out and the message goes again.
        logger.error({
          event: "dispatcher.mark_abandoned",
          channel: sender.channel,
          outboxId: candidate.id,
          err: error,
        });
      });
    } catch (error) {
      const failure: SendFailure =
        error instanceof SendError
          ? error.failure
          : { kind: "transient", detail: error instanceof Error ? error.name : "unknown" };
      if (failure.kind === "transient" || failure.kind === "retry_after") this.consecutiveFailures++;
      await this.#handleFailure(candidate, failure).catch((e: unknown) =>
        logger.error({ event: "dispatcher.record_failed", outboxId: candidate.id, err: e }),
      );
      // The row waits for a retry, or the chat's messages were given up: the table says which.
      this.#lookNeeded = true;
    }
  }

  /**
   * Marks a delivered message sent. Sends that end while a mark is being written are marked
   * together by the next one (group commit): no wait when the channel is quiet, one statement for
   * many when it is busy. Resolves once this message's row says SENT.
   */
  #markSent(id: number, platformMessageId: string | null): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#toMark.push({ id, platformMessageId, resolve, reject });
      this.#marking ??= this.#writeMarks();
    });
  }

  async #writeMarks(): Promise<void> {
    const { outbox, clock, logger, sender } = this.#deps;
    let failures = 0;
    try {
      for (let batch = this.#toMark.splice(0); batch.length > 0; batch = this.#toMark.splice(0)) {
        try {
          await outbox.markDelivered(batch, clock.now());
          failures = 0;
          for (const mark of batch) mark.resolve();
        } catch (error) {
          failures++;
          // The platform has these messages: sending them again would repeat them to the person.
          // Marks are retried until the database answers (their chats wait meanwhile, and the
          // failures count toward the health alert); when stopping, a few times only, and then
          // the claims run out and the messages go again.
          this.consecutiveFailures++;
          if (!this.#running && failures > MARK_TRIES_WHEN_STOPPING) {
            for (const mark of batch) mark.reject(error);
            continue;
          }
          const delayMs = Math.min(MARK_RETRY_MAX_MS, MARK_RETRY_MS * 2 ** Math.min(failures - 1, 8));
          logger.warn({
            event: "dispatcher.mark_retry",
            channel: sender.channel,
            count: batch.length,
            failures,
            delayMs,
            err: error,
          });
          await new Promise<void>((resolve) => this.#timers.set(delayMs, resolve));
          this.#toMark.unshift(...batch);
        }
      }
    } finally {
      this.#marking = null;
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

/** A waiting message the dispatcher knows of. */
interface KnownMessage extends DispatchHead {
  /** Found by reading the table (a later look that no longer finds it means it is gone), not handed over at commit. */
  looked: boolean;
}

/** One chat's waiting messages the dispatcher knows of, oldest first. */
interface ChatQueue {
  known: KnownMessage[];
  /** The table may hold more of this chat's messages than `known`: a look must tell once these are sent. */
  unsure: boolean;
}

/** A delivered message whose row is still to be marked sent. */
interface PendingMark {
  id: number;
  platformMessageId: string | null;
  resolve(): void;
  reject(error: unknown): void;
}
