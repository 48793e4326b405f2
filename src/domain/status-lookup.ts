/**
 * Rules for status look-ups by reference + PIN (DESIGN §5): a chat is locked after 5 failures
 * in 15 minutes; a reference with 10 failures in a day is flagged for staff and further
 * attempts on it are slowed, never locked, so a trafficker cannot lock a victim out.
 */
export const LOOKUP_RULES = {
  chatFailureLimit: 5,
  chatWindowMs: 15 * 60_000,
  referenceFlagThreshold: 10,
  referenceWindowMs: 24 * 60 * 60_000,
  maxSlowdownMs: 30_000,
} as const;

/** When a chat may look up again: null if it may now. */
export function chatLockedUntil(recentFailures: readonly Date[], now: Date): Date | null {
  const windowStart = now.getTime() - LOOKUP_RULES.chatWindowMs;
  const inWindow = recentFailures
    .map((d) => d.getTime())
    .filter((t) => t > windowStart)
    .sort((a, b) => b - a);
  if (inWindow.length < LOOKUP_RULES.chatFailureLimit) return null;
  // Unlocks when the oldest of the last `limit` failures leaves the window.
  const oldestCounted = inWindow[LOOKUP_RULES.chatFailureLimit - 1] as number;
  return new Date(oldestCounted + LOOKUP_RULES.chatWindowMs);
}

/** How long to hold an attempt on a reference that already failed this many times today. */
export function referenceSlowdownMs(failuresToday: number): number {
  if (failuresToday < LOOKUP_RULES.referenceFlagThreshold) return 0;
  const doublings = failuresToday - LOOKUP_RULES.referenceFlagThreshold;
  return Math.min(LOOKUP_RULES.maxSlowdownMs, 1000 * 2 ** Math.min(doublings, 15));
}

/** True when a failure brings a reference to the threshold at which staff are alerted. */
export function reachesFlagThreshold(failuresTodayIncludingThis: number): boolean {
  return failuresTodayIncludingThis >= LOOKUP_RULES.referenceFlagThreshold;
}
