/**
 * `npm run admin -- export anonymised [--year YYYY] > file.csv`: the anonymised export for research
 * and national reporting. CSV on stdout; what was kept, generalised and left out on stderr.
 */
import { stringify } from "csv-stringify/sync";
import type { App } from "../app.ts";
import { ANONYMISED_COLUMNS, anonymise, K_ANONYMITY } from "../domain/anonymised-export.ts";
import { loadAnonymisableCases } from "../stats/monthly-stats.ts";
import { UsageError } from "./simulator-args.ts";

/** The options the export command reads. */
export interface ExportValues {
  year?: string | undefined;
}

/** The usage line of the export command. */
export const EXPORT_USAGE = `export anonymised [--year YYYY]               CSV for research: coded columns only, provinces, age bands, years; every combination shared by at least ${K_ANONYMITY} rows`;

/** Runs the export command; `actor` names the admin in the audit log. */
export async function exportCommand(app: App, args: string[], values: ExportValues, actor: string): Promise<void> {
  const [kind] = args;
  if (kind !== "anonymised") throw new UsageError(`export takes: anonymised\n${EXPORT_USAGE}`);
  let year: number | null = null;
  if (values.year !== undefined) {
    year = Number(values.year);
    if (!/^\d{4}$/.test(values.year) || year < 2000 || year > 2100)
      throw new UsageError(`--year takes a year such as 2026 (got ${values.year})`);
  }
  process.stderr.write("reading cases...\n");
  // Years run on Western Indonesia Time, as the export's own year column does.
  const cases = await loadAnonymisableCases(app.database.prisma, year);
  const result = anonymise(cases);
  process.stdout.write(
    stringify(
      result.rows.map((row) => ANONYMISED_COLUMNS.map((column) => row[column])),
      { header: true, columns: [...ANONYMISED_COLUMNS] },
    ),
  );
  await app.audit.record(
    { actor, action: "export.anonymised", detail: `${result.rows.length} rows of ${result.cases} cases` },
    app.clock.now(),
  )(app.database.prisma);
  process.stderr.write(
    `${result.cases} cases: ${result.rows.length} rows exported (${result.generalised} of them generalised), ${result.leftOut} left out because their combination stayed shared by fewer than ${K_ANONYMITY}.\n`,
  );
}
