import type { AuditStore } from "../db/audit-store.ts";
import type { Db } from "../db/database.ts";
import type { OfficeRepository } from "../directory/office-repository.ts";
import type { StaffActor } from "../domain/staff-actions.ts";
import { supervises } from "../domain/staff-scope.ts";
import type { Clock } from "../services/clock.ts";
import { htcdsCsv, loadHtcdsCases } from "../stats/case-export.ts";

/** What the case export is built from. */
export interface WebCaseExportDeps {
  db: Db;
  offices: OfficeRepository;
  audit: AuditStore;
  clock: Clock;
}

/**
 * How long after opening a login link the export may be downloaded: a browser left signed in, or a
 * stolen session cookie, cannot take every case of an office without a new link from the chat.
 */
export const EXPORT_FRESH_MS = 15 * 60_000;

/** The export page as a supervisor sees it. */
export interface CaseExportView {
  officeCode: string;
  officeName: string;
  /** Cases the office is responsible for: the rows a download would hold. */
  cases: number;
  /** The session was opened from a login link recently enough to download. */
  fresh: boolean;
}

/** A download: the CSV, or why it was refused. */
export type CaseExportDownload = { ok: true; csv: string; rows: number } | { ok: false; why: "forbidden" | "stale" };

/** True while a session opened at `signedInAt` may still download the export. */
export function exportAllowedSince(signedInAt: Date, now: Date): boolean {
  return now.getTime() - signedInAt.getTime() < EXPORT_FRESH_MS;
}

/**
 * The case export of an office's own cases (HTCDS field names), for its supervisor or national staff
 * (the national desk's own cases), only soon after a fresh login link; every download is audited.
 */
export class WebCaseExport {
  readonly #deps: WebCaseExportDeps;

  constructor(deps: WebCaseExportDeps) {
    this.#deps = deps;
  }

  /** What the page shows, or null when the staff member may not export. */
  async view(staff: StaffActor, signedInAt: Date): Promise<CaseExportView | null> {
    if (!supervises(staff.role)) return null;
    const { db, offices, clock } = this.#deps;
    const office = await offices.get(staff.officeCode);
    const cases = await db.case.count({ where: { officeCode: staff.officeCode } });
    return {
      officeCode: staff.officeCode,
      officeName: office?.name ?? staff.officeCode,
      cases,
      fresh: exportAllowedSince(signedInAt, clock.now()),
    };
  }

  /** The office's cases as CSV, audited with the row count; refused for others and for a session not fresh. */
  async download(staff: StaffActor, signedInAt: Date): Promise<CaseExportDownload> {
    if (!supervises(staff.role)) return { ok: false, why: "forbidden" };
    const { db, audit, clock } = this.#deps;
    const now = clock.now();
    if (!exportAllowedSince(signedInAt, now)) return { ok: false, why: "stale" };
    const cases = await loadHtcdsCases(db, staff.officeCode);
    await audit.record(
      {
        actor: `staff:${staff.id}`,
        action: "case.exported",
        detail: `office=${staff.officeCode} rows=${cases.length}`,
      },
      now,
    )(db);
    return { ok: true, csv: htcdsCsv(cases), rows: cases.length };
  }
}
