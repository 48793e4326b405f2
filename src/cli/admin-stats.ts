/**
 * `npm run admin -- stats --month 2026-11 [--office CODE | --province CODE] [--json | --csv]`:
 * a month's figures from coded fields only. An office's own figures are in full; a province's or
 * the national ones hide counts under 5 (and a second count where a total would reveal one).
 */
import { stringify } from "csv-stringify/sync";
import type { App } from "../app.ts";
import type { Cell, MonthlyFigures } from "../domain/monthly-stats.ts";
import { provinceByCode } from "../regions/provinces.ts";
import { loadMonthlyFigures, type StatsScope } from "../stats/monthly-stats.ts";
import { UsageError } from "./simulator-args.ts";

/** The options the stats command reads. */
export interface StatsValues {
  json?: boolean | undefined;
  csv?: boolean | undefined;
  month?: string | undefined;
  office?: string | undefined;
  province?: string | undefined;
}

/** The usage line of the stats command. */
export const STATS_USAGE = `stats --month YYYY-MM [--office CODE | --province CODE] [--json | --csv]
                                               a month's figures (WIB): an office's own in full, others with counts under 5 shown as <5`;

/** Runs the stats command. */
export async function statsCommand(app: App, _args: string[], values: StatsValues): Promise<void> {
  if (!values.month) throw new UsageError(`stats needs --month YYYY-MM\n${STATS_USAGE}`);
  if (values.office && values.province) throw new UsageError("give --office or --province, not both");
  if (values.json && values.csv) throw new UsageError("give --json or --csv, not both");
  let scope: StatsScope = { kind: "national" };
  if (values.office) {
    const office = await app.offices.get(values.office.trim().toUpperCase());
    if (!office) throw new UsageError(`unknown office: ${values.office} (see npm run admin -- offices list)`);
    scope = { kind: "office", code: office.code };
  } else if (values.province) {
    if (!provinceByCode(values.province.trim()))
      throw new UsageError(`unknown province code: ${values.province} (such as 52 for NTB)`);
    scope = { kind: "province", code: values.province.trim() };
  }
  const figures = await loadMonthlyFigures(app.database.prisma, {
    month: values.month.trim(),
    scope,
    readerOfficeCode: scope.kind === "office" ? scope.code : null,
    ackDeadlineMs: app.config.followUps.ackDeadlineMs,
    now: app.clock.now(),
  });
  if (!figures) throw new UsageError(`--month takes a month written YYYY-MM, such as 2026-11 (got ${values.month})`);
  const label = scope.kind === "national" ? "national" : `${scope.kind} ${scope.code}`;
  if (values.json) return write(JSON.stringify({ scope: label, ...figures }, null, 2));
  if (values.csv) return write(stringify(rowsOf(figures), { header: true, columns: ["figure", "key", "value"] }));
  write(textOf(label, figures));
}

function write(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

const BREAKDOWNS = [
  ["byCategory", "new reports by category"],
  ["byAgeGroup", "by victim age group"],
  ["byGender", "by victim gender"],
  ["byProvince", "by province"],
  ["byDestinationCountry", "by destination country"],
  ["statusAtMonthEnd", "cases by status at the month's end"],
  ["servicesByType", "services given, by type"],
  ["servicesByStage", "services given, by stage"],
  ["closedByResolution", "cases closed, by resolution"],
  ["referrals", "referrals to partners: made, accepted, declined, expired"],
] as const;

function rowsOf(f: MonthlyFigures): Array<[string, string, string]> {
  const rows: Array<[string, string, string]> = [
    ["newReports", "", String(f.newReports)],
    ["urgentPercent", "", f.urgentPercent === null ? "" : String(f.urgentPercent)],
    ["hoursToAcceptance", "median", f.hoursToAcceptance.median === null ? "" : String(f.hoursToAcceptance.median)],
    ["hoursToAcceptance", "p90", f.hoursToAcceptance.p90 === null ? "" : String(f.hoursToAcceptance.p90)],
    ["hoursToAcceptance", "accepted", String(f.hoursToAcceptance.accepted)],
    ["overdueAcceptances", "", String(f.overdueAcceptances)],
  ];
  for (const [name] of BREAKDOWNS)
    for (const [key, value] of Object.entries(f[name]).sort()) rows.push([name, key, String(value)]);
  return rows;
}

function textOf(label: string, f: MonthlyFigures): string {
  const cell = (value: Cell) => String(value);
  const lines = [
    `Figures for ${f.month} (WIB), ${label}`,
    `  new reports: ${cell(f.newReports)}${f.urgentPercent === null ? "" : ` (${f.urgentPercent}% urgent)`}`,
    `  accepted: ${cell(f.hoursToAcceptance.accepted)}; hours to acceptance: median ${f.hoursToAcceptance.median ?? "-"}, 90th percentile ${f.hoursToAcceptance.p90 ?? "-"}`,
    `  accepted late or not by the deadline: ${cell(f.overdueAcceptances)}`,
  ];
  for (const [name, title] of BREAKDOWNS) {
    const entries = Object.entries(f[name]).sort();
    lines.push(`  ${title}: ${entries.length === 0 ? "none" : entries.map(([k, v]) => `${k} ${cell(v)}`).join(", ")}`);
  }
  return lines.join("\n");
}
