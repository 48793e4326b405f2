/**
 * `npm run admin -- export anonymised [--year YYYY] > file.csv`: the anonymised export for research
 * and national reporting. CSV on stdout; what was kept, generalised and left out on stderr.
 */
import { stringify } from "csv-stringify/sync";
import type { App } from "../app.ts";
import { ANONYMISED_COLUMNS, type AnonymisableCase, anonymise, K_ANONYMITY } from "../domain/anonymised-export.ts";
import { AGE_GROUPS, CATEGORIES, GENDERS } from "../domain/case.ts";
import { UsageError } from "./simulator-args.ts";

/** The options the export command reads. */
export interface ExportValues {
  year?: string | undefined;
}

/** The usage line of the export command. */
export const EXPORT_USAGE = `export anonymised [--year YYYY]               CSV for research: coded columns only, provinces, age bands, years; every combination shared by at least ${K_ANONYMITY} rows`;

function oneOf<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Runs the export command; `actor` names the admin in the audit log. */
export async function exportCommand(app: App, args: string[], values: ExportValues, actor: string): Promise<void> {
  const [kind] = args;
  if (kind !== "anonymised") throw new UsageError(`export takes: anonymised\n${EXPORT_USAGE}`);
  let createdAt: { gte: Date; lt: Date } | undefined;
  if (values.year !== undefined) {
    const year = Number(values.year);
    if (!/^\d{4}$/.test(values.year) || year < 2000 || year > 2100)
      throw new UsageError(`--year takes a year such as 2026 (got ${values.year})`);
    // Years run on Western Indonesia Time, as the export's own year column does.
    createdAt = {
      gte: new Date(Date.UTC(year, 0, 1) - 7 * 3_600_000),
      lt: new Date(Date.UTC(year + 1, 0, 1) - 7 * 3_600_000),
    };
  }
  process.stderr.write("reading cases...\n");
  const rows = await app.database.prisma.case.findMany({
    where: createdAt ? { createdAt } : {},
    select: {
      createdAt: true,
      victimGender: true,
      victimAgeGroup: true,
      victimNationality: true,
      provinceCode: true,
      category: true,
      country: true,
    },
  });
  const cases: AnonymisableCase[] = rows.map((row) => ({
    ...row,
    victimGender: oneOf(GENDERS, row.victimGender, "UNKNOWN"),
    victimAgeGroup: oneOf(AGE_GROUPS, row.victimAgeGroup, "UNKNOWN"),
    category: oneOf(CATEGORIES, row.category, "OTHER"),
  }));
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
