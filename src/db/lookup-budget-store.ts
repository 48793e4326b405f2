import type { ReferenceBudget } from "../domain/status-lookup.ts";
import { UNUSED_BUDGET } from "../domain/status-lookup.ts";
import { type Db, isUniqueViolation } from "./database.ts";

/** How often a change is tried again when other chats changed the budget first. */
const MAX_ATTEMPTS = 200;
/** A budget untouched this long counts nothing any more: a day without a failure forgets them. */
const KEEP_MS = 24 * 60 * 60_000;

/** What a rule makes of a budget: the budget to store (null: leave it) and the answer to return. */
export interface BudgetDecision<T> {
  next: ReferenceBudget | null;
  answer: T;
}

/**
 * The per-reference budgets of status look-ups (`status_lookup_budgets`). Each change is one
 * conditional write on the version it read, committed at once rather than with the step: chats
 * asking about one reference at the same moment take turns, on SQLite and PostgreSQL alike, so
 * only one of them passes on an opening of the budget.
 */
export class LookupBudgetStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Applies a rule to the budget of a reference, known by its hashes under every HMAC key
   * (current first), and returns the rule's answer once its change is stored.
   */
  async apply<T>(
    hashes: readonly string[],
    now: Date,
    rule: (budget: ReferenceBudget) => BudgetDecision<T>,
  ): Promise<T> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const rows = await this.#db.statusLookupBudget.findMany({ where: { referenceHash: { in: [...hashes] } } });
      const row = hashes.map((hash) => rows.find((r) => r.referenceHash === hash)).find((r) => r !== undefined);
      const { next, answer } = rule(row ? budgetOf(row) : UNUSED_BUDGET);
      if (next === null) return answer;
      const data = { ...columnsOf(next, now), updatedAt: now };
      if (row) {
        const { count } = await this.#db.statusLookupBudget.updateMany({
          where: { referenceHash: row.referenceHash, version: row.version },
          data: { ...data, version: row.version + 1 },
        });
        if (count === 1) return answer;
        continue;
      }
      try {
        await this.#db.statusLookupBudget.create({ data: { referenceHash: hashes[0] as string, ...data } });
        return answer;
      } catch (error) {
        // Another chat created it first: read it and decide again.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw new Error(`the look-up budget of a reference changed ${MAX_ATTEMPTS} times while being read`);
  }

  /** Deletes budgets that count nothing any more; returns how many. */
  async prune(now: Date): Promise<number> {
    const { count } = await this.#db.statusLookupBudget.deleteMany({
      where: { updatedAt: { lt: new Date(now.getTime() - KEEP_MS) } },
    });
    return count;
  }
}

interface BudgetRow {
  windowStartedAt: Date;
  failures: number;
  lastFailureAt: Date | null;
}

function budgetOf(row: BudgetRow): ReferenceBudget {
  return {
    // A budget given back to nothing (its only failure was a right PIN) has no failures to date.
    windowStartedAt: row.lastFailureAt === null ? null : row.windowStartedAt,
    failures: row.failures,
    lastFailureAt: row.lastFailureAt,
  };
}

function columnsOf(budget: ReferenceBudget, now: Date): BudgetRow {
  return {
    windowStartedAt: budget.windowStartedAt ?? now,
    failures: budget.failures,
    lastFailureAt: budget.lastFailureAt,
  };
}
