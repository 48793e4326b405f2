/**
 * Rules for status look-ups by reference + PIN (DESIGN §5). A chat is locked after 5 failures
 * in 15 minutes. A reference, whether or not a case has it, has one budget across all chats:
 * after 10 failures the case is flagged for staff and each further check waits for an interval
 * that grows with every failure, up to an hour, whichever chat asks. Failures count until a day
 * passes without one, so an attack that goes on gets one check an hour, not 10 more each day.
 * The interval is capped, so the right PIN is never refused for good; the chat that filed the
 * case is exempt, and so is a victim PIN for a day after staff issue it: while the reference
 * waits it is still compared, a few times per chat. Those tries are each chat's own, so guessers
 * cannot use them up for the victim; guessing the fresh PIN takes many chats, not time.
 */
export const LOOKUP_RULES = {
  chatFailureLimit: 5,
  chatWindowMs: 15 * 60_000,
  /** Failures of one reference before checks are spaced out and the case is flagged. */
  referenceFlagThreshold: 10,
  /** A reference's failures are forgotten once this long passes without one. */
  referenceQuietMs: 24 * 60 * 60_000,
  /** The wait after the threshold's failure; it doubles with every further failure ... */
  firstIntervalMs: 60_000,
  /** ... up to this, so that a check always comes within an hour (never a lock-out). */
  maxIntervalMs: 60 * 60_000,
  /** How long after staff issue a victim PIN it is checked even while the reference waits. */
  freshVictimPinMs: 24 * 60 * 60_000,
  /** Wrong tries of a fresh victim PIN a chat may make while the reference waits, per issue. */
  freshVictimPinTriesPerChat: 3,
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

/** True when a failure brings a reference to the threshold at which staff are alerted. */
export function reachesFlagThreshold(failuresTodayIncludingThis: number): boolean {
  return failuresTodayIncludingThis >= LOOKUP_RULES.referenceFlagThreshold;
}

/** What one reference's budget holds: the failed checks charged since it was last quiet. */
export interface ReferenceBudget {
  /** The first of the failures counted now (the first after a quiet day); null before any. */
  windowStartedAt: Date | null;
  /** Failed checks since then from chats that are not exempt. */
  failures: number;
  lastFailureAt: Date | null;
}

/** The budget of a reference nobody has failed on. */
export const UNUSED_BUDGET: ReferenceBudget = { windowStartedAt: null, failures: 0, lastFailureAt: null };

/** How long a reference waits after its latest failure, given its counted failures. */
export function referenceIntervalMs(failures: number): number {
  if (failures < LOOKUP_RULES.referenceFlagThreshold) return 0;
  const doublings = Math.min(failures - LOOKUP_RULES.referenceFlagThreshold, 30);
  return Math.min(LOOKUP_RULES.maxIntervalMs, LOOKUP_RULES.firstIntervalMs * 2 ** doublings);
}

/** The budget as it counts at `now`: after a day without a failure it starts again from nothing. */
function current(budget: ReferenceBudget, now: Date): ReferenceBudget {
  const quiet =
    budget.lastFailureAt !== null && now.getTime() - budget.lastFailureAt.getTime() >= LOOKUP_RULES.referenceQuietMs;
  return quiet ? { ...budget, windowStartedAt: null, failures: 0, lastFailureAt: null } : budget;
}

/** When the next check of a reference may be made: null when it may be made now. */
export function referenceOpensAt(budget: ReferenceBudget, now: Date): Date | null {
  const counted = current(budget, now);
  if (counted.lastFailureAt === null) return null;
  const opensAt = counted.lastFailureAt.getTime() + referenceIntervalMs(counted.failures);
  return opensAt > now.getTime() ? new Date(opensAt) : null;
}

/** Who asks about a reference, as far as the exemptions go. */
export interface LookupAsker {
  /** The chat that filed the case asks: it is never made to wait. */
  reportersChat: boolean;
  /** When staff last issued the case's victim PIN (null without one, or when no case has the reference). */
  victimPinIssuedAt: Date | null;
  /** Wrong tries of that victim PIN this chat made since it was issued, while the reference waited. */
  freshPinTries: number;
}

/** A budget change made before a PIN is compared, so that a success can be given back. */
export interface BudgetCharge {
  before: ReferenceBudget;
  after: ReferenceBudget;
}

/** Whether and how a look-up is checked. */
export type LookupAdmission =
  /** Compare the PIN with every PIN of the case; charge is null for an exempt chat. */
  | { kind: "check"; pins: "all"; charge: BudgetCharge | null }
  /** The reference waits: compare only with the fresh victim PIN; a wrong one is answered like a wait. */
  | { kind: "check"; pins: "fresh_victim"; until: Date }
  /** Not checked at all: the same answer whether or not the reference exists. */
  | { kind: "wait"; until: Date };

/**
 * Decides one look-up on a reference, charging the budget as if the PIN were wrong (the check
 * comes after; `refundSuccess` gives a success back). Chats asking at the same moment must
 * apply this one at a time to the stored budget, or several would pass on one opening.
 */
export function admitLookup(budget: ReferenceBudget, asker: LookupAsker, now: Date): LookupAdmission {
  if (asker.reportersChat) return { kind: "check", pins: "all", charge: null };
  const counted = current(budget, now);
  const until = referenceOpensAt(counted, now);
  if (until === null) {
    const after = {
      ...counted,
      windowStartedAt: counted.windowStartedAt ?? now,
      failures: counted.failures + 1,
      lastFailureAt: now,
    };
    return { kind: "check", pins: "all", charge: { before: budget, after } };
  }
  const issuedAt = asker.victimPinIssuedAt;
  const fresh = issuedAt !== null && now.getTime() - issuedAt.getTime() < LOOKUP_RULES.freshVictimPinMs;
  if (fresh && asker.freshPinTries < LOOKUP_RULES.freshVictimPinTriesPerChat) {
    return { kind: "check", pins: "fresh_victim", until };
  }
  return { kind: "wait", until };
}

/**
 * The budget after a charged check turned out right: as before the charge when nothing else
 * changed it meanwhile, else with the charged failure taken off.
 */
export function refundSuccess(stored: ReferenceBudget, charge: BudgetCharge): ReferenceBudget {
  if (sameBudget(stored, charge.after)) return charge.before;
  const sameDay = sameTime(stored.windowStartedAt, charge.after.windowStartedAt);
  return sameDay && stored.failures > 0 ? { ...stored, failures: stored.failures - 1 } : stored;
}

/**
 * The most checks one reference can get in any 24 hours from chats that are not exempt, however
 * many chats ask: the free ones, then one per interval. The free ones come back only after a
 * day without a failure, so no 24 hours hold them twice.
 */
export function maxChecksPerReferenceDay(): number {
  let checks = 0;
  let at = 0;
  while (at < 24 * 60 * 60_000) {
    checks += 1;
    at += referenceIntervalMs(checks);
  }
  return checks;
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

function sameBudget(a: ReferenceBudget, b: ReferenceBudget): boolean {
  return (
    sameTime(a.windowStartedAt, b.windowStartedAt) &&
    a.failures === b.failures &&
    sameTime(a.lastFailureAt, b.lastFailureAt)
  );
}
