import type { Db } from "./database.ts";
import type { DeferredWrite } from "./step-writer.ts";

/** One row of the audit log, as `admin audit` prints it. */
export interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  caseId: string | null;
  detail: string | null;
  createdAt: Date;
}

/** What `admin audit` filters by. */
export interface AuditQuery {
  caseId?: string;
  /** Actors to match exactly ("staff:<id>", "identity:<id>"). */
  actors?: string[];
  since?: Date;
  limit?: number;
}

/** The append-only audit log (DESIGN §5): who viewed or did what, including every refusal. */
export class AuditStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The write that records one row, joining the caller's transaction. */
  record(
    entry: { actor: string; action: string; caseId?: string | null; detail?: string | null },
    now: Date,
  ): DeferredWrite {
    const data = {
      actor: entry.actor,
      action: entry.action,
      caseId: entry.caseId ?? null,
      detail: entry.detail ?? null,
      createdAt: now,
    };
    return (db) => db.auditLog.create({ data, select: { id: true } });
  }

  /** When one actor's rows of one action happened since a time, oldest first (limits per chat). */
  async timesSince(actor: string, action: string, since: Date): Promise<Date[]> {
    const rows = await this.#db.auditLog.findMany({
      where: { actor, action, createdAt: { gt: since } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    return rows.map((r) => r.createdAt);
  }

  /** How many rows of one action there were since a time, whoever caused them (alerts across chats). */
  countSince(action: string, since: Date): Promise<number> {
    return this.#db.auditLog.count({ where: { action, createdAt: { gt: since } } });
  }

  /** Rows matching a query, oldest first. */
  list(query: AuditQuery): Promise<AuditEntry[]> {
    return this.#db.auditLog.findMany({
      where: {
        ...(query.caseId ? { caseId: query.caseId } : {}),
        ...(query.actors ? { actor: { in: query.actors } } : {}),
        ...(query.since ? { createdAt: { gte: query.since } } : {}),
      },
      orderBy: { id: "asc" },
      ...(query.limit ? { take: query.limit } : {}),
    });
  }
}
