import type { Db } from "../db/database.ts";
import type { OfficeRepository } from "../directory/office-repository.ts";
import type { Urgency } from "../domain/case.ts";
import type { MonthlyFigures } from "../domain/monthly-stats.ts";
import type { StaffActor } from "../domain/staff-actions.ts";
import { supervises } from "../domain/staff-scope.ts";
import { PROVINCES } from "../regions/provinces.ts";
import type { Clock } from "../services/clock.ts";
import { loadMonthlyFigures, type StatsScope } from "../stats/monthly-stats.ts";

/** What the statistics page is built from. */
export interface WebStatisticsDeps {
  db: Db;
  offices: OfficeRepository;
  clock: Clock;
  ackDeadlineMs: Readonly<Record<Urgency, number>>;
}

/** A scope a staff member may pick, with its label. */
export interface ScopeChoice {
  /** "national", "province:52" or "office:UPTDPPA-52"; the national one has an empty label (the page names it in its language). */
  value: string;
  label: string;
}

/** One month's figures as the page shows them. */
export interface StatisticsView {
  month: string;
  scope: string;
  figures: MonthlyFigures;
  /** Small counts are hidden (the reader is not the cases' own office). */
  suppressed: boolean;
  /** The scopes this reader may pick; a supervisor has their office only. */
  choices: ScopeChoice[];
}

/** The month before `now`'s, in WIB: the one a report is usually wanted for. */
export function lastMonth(now: Date): string {
  const wib = new Date(now.getTime() + 7 * 3_600_000);
  const previous = new Date(Date.UTC(wib.getUTCFullYear(), wib.getUTCMonth() - 1, 1));
  return previous.toISOString().slice(0, 7);
}

/**
 * Monthly figures in the web inbox: a supervisor reads their office's own figures in full;
 * national staff read the national or a province's figures with small counts hidden.
 */
export class WebStatistics {
  readonly #deps: WebStatisticsDeps;

  constructor(deps: WebStatisticsDeps) {
    this.#deps = deps;
  }

  /** The figures, or null when the reader may not see statistics; an unknown month or scope falls back to the defaults. */
  async view(staff: StaffActor, month: string, scope: string): Promise<StatisticsView | null> {
    if (!supervises(staff.role)) return null;
    const national = staff.role === "NATIONAL";
    const offices = await this.#deps.offices.list();
    const choices: ScopeChoice[] = national
      ? [
          { value: "national", label: "" },
          // Not single offices: a province's table less one office's would give the rest's small counts away.
          ...PROVINCES.map((p) => ({ value: `province:${p.code}`, label: p.name })),
        ]
      : [
          {
            value: `office:${staff.officeCode}`,
            label: offices.find((o) => o.code === staff.officeCode)?.name ?? staff.officeCode,
          },
        ];
    const picked = choices.find((c) => c.value === scope) ?? (choices[0] as ScopeChoice);
    const [kind, code = ""] = picked.value.split(":");
    const statsScope: StatsScope =
      kind === "office"
        ? { kind: "office", code }
        : kind === "province"
          ? { kind: "province", code }
          : { kind: "national" };
    const now = this.#deps.clock.now();
    const request = {
      scope: statsScope,
      readerOfficeCode: national ? null : staff.officeCode,
      ackDeadlineMs: this.#deps.ackDeadlineMs,
      now,
    };
    let shown = month;
    let figures = await loadMonthlyFigures(this.#deps.db, { ...request, month });
    if (!figures) {
      shown = lastMonth(now);
      figures = await loadMonthlyFigures(this.#deps.db, { ...request, month: shown });
    }
    if (!figures) return null;
    const suppressed = !(statsScope.kind === "office" && statsScope.code === request.readerOfficeCode);
    return { month: shown, scope: picked.value, figures, suppressed, choices };
  }
}
