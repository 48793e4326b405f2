/**
 * Administration: `npm run --silent admin -- <command>`. Listings print JSON with --json
 * (stdout holds only that JSON); logs and warnings go to stderr.
 */
import { parseArgs } from "node:util";
import { createApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import type { CaseListing } from "../db/case-repository.ts";
import { createLogger } from "../logging/logger.ts";
import { runCli } from "./run-cli.ts";
import { UsageError } from "./simulator-args.ts";

const USAGE = `usage: npm run admin -- <command>

commands:
  cases [list] [--json]   list every case with its coded fields (no personal data)`;

/** The machine-readable form of a case in `cases --json`. */
export function caseToJson(row: CaseListing): Record<string, unknown> {
  return {
    reference: row.reference,
    status: row.status,
    assistanceStage: row.assistanceStage,
    urgency: row.urgency,
    category: row.category,
    reporterRole: row.reporterRole,
    provinceCode: row.provinceCode,
    regencyCode: row.regencyCode,
    country: row.country,
    homeProvinceCode: row.homeProvinceCode,
    officeCode: row.officeCode,
    language: row.language,
    lookupFlagged: row.lookupFlagged,
    createdAt: row.createdAt.toISOString(),
  };
}

function printCaseTable(rows: CaseListing[]): void {
  if (rows.length === 0) {
    process.stdout.write("No cases yet.\n");
    return;
  }
  const header = ["REFERENCE", "STATUS", "URGENCY", "CATEGORY", "PLACE", "LANG", "CREATED"];
  const lines = rows.map((r) => [
    r.reference,
    r.status,
    r.urgency,
    r.category,
    r.provinceCode ?? (r.country ? `abroad:${r.country}` : "-"),
    r.language,
    r.createdAt.toISOString().slice(0, 16).replace("T", " "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  for (const line of [header, ...lines]) {
    process.stdout.write(
      `${line
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd()}\n`,
    );
  }
  process.stdout.write(`\n${rows.length} case(s)\n`);
}

runCli(async () => {
  let parsed: ReturnType<
    typeof parseArgs<{ options: { json: { type: "boolean" }; help: { type: "boolean" } }; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: { json: { type: "boolean" }, help: { type: "boolean" } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const [command, sub] = parsed.positionals;
  if (parsed.values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command !== "cases" || (sub !== undefined && sub !== "list")) {
    throw new UsageError(`unknown command: ${parsed.positionals.join(" ")}\n${USAGE}`);
  }
  const config = loadConfig();
  const app = await createApp(config, createLogger(config.logLevel));
  try {
    const rows = await app.cases.list();
    if (parsed.values.json) process.stdout.write(`${JSON.stringify(rows.map(caseToJson), null, 2)}\n`);
    else printCaseTable(rows);
  } finally {
    await app.close();
  }
});
