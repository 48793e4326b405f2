/** The time source; injectable so tests and the scheduler can control time. */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Waits; injectable so tests do not sleep. */
export type Sleep = (ms: number) => Promise<void>;

/** The real sleep. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Schedules callbacks; injectable so that a component can run on a test clock. */
export interface Timers {
  /** Calls back after ms milliseconds; the returned function cancels the call. */
  set(ms: number, callback: () => void): () => void;
}

/** The real timers. */
export const realTimers: Timers = {
  set(ms, callback) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};
