/**
 * Sliding-window rate limits: how long until one more event is allowed under each window
 * ("30 per second overall", "1 per second per chat", "20 per minute per group"). Exact rather
 * than a token bucket, so a platform measuring the same windows never sees a limit exceeded.
 */
export class SlidingWindowLimiter {
  readonly #windowMs: number;
  readonly #limit: number;
  readonly #events = new Map<string, number[]>();

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Milliseconds to wait before an event for this key fits the window (0: now). */
  waitMs(key: string, now: number): number {
    const events = this.#prune(key, now);
    if (events.length < this.#limit) return 0;
    return (events[events.length - this.#limit] as number) + this.#windowMs - now;
  }

  /** Records an event for this key. */
  record(key: string, now: number): void {
    const events = this.#prune(key, now);
    events.push(now);
    this.#events.set(key, events);
  }

  /** Takes back the latest event of this key (one that turned out not to count). */
  forget(key: string): void {
    const events = this.#events.get(key);
    events?.pop();
    if (events && events.length === 0) this.#events.delete(key);
  }

  #prune(key: string, now: number): number[] {
    const events = this.#events.get(key);
    if (!events) return [];
    let first = 0;
    while (first < events.length && (events[first] as number) <= now - this.#windowMs) first++;
    const kept = first > 0 ? events.slice(first) : events;
    if (kept.length === 0) this.#events.delete(key);
    else if (first > 0) this.#events.set(key, kept);
    return kept;
  }
}
