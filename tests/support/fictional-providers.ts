import { readFileSync } from "node:fs";
import path from "node:path";
import type { ProviderRecord } from "../../src/domain/providers.ts";
import { parseProviderCsv } from "../../src/partners/provider-csv.ts";
import { REPO_ROOT } from "./run-command.ts";

/** The clearly fictional partner directory of the tests (tests/fixtures/providers), parsed. */
export function fictionalProviders(): ProviderRecord[] {
  const read = parseProviderCsv(
    readFileSync(path.join(REPO_ROOT, "tests/fixtures/providers/fictional-providers.csv"), "utf8"),
  );
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  return read.providers;
}
