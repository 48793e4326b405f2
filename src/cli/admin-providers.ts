/**
 * `npm run admin -- providers ...`: the directory of partner services cases are referred to.
 * Shipped empty; an admin imports the organisations their province works with from CSV.
 */
import { readFile } from "node:fs/promises";
import type { App } from "../app.ts";
import { SERVICE_TYPES, type ServiceType } from "../domain/case-services.ts";
import { dayOf, EVERY_PROVINCE, type ProviderRecord, reviewOverdue } from "../domain/providers.ts";
import { csvProblemText, parseProviderCsv, providersToCsv } from "../partners/provider-csv.ts";
import { labelForCode, labelForCodes, placeNamed } from "../regions/area-names.ts";
import { UsageError } from "./simulator-args.ts";

/** The options the provider commands read. */
export interface ProviderValues {
  json?: boolean | undefined;
  "dry-run"?: boolean | undefined;
  service?: string[] | undefined;
  place?: string | undefined;
  all?: boolean | undefined;
  "review-months"?: string | undefined;
}

/** The usage lines of the provider commands. */
export const PROVIDERS_USAGE = `providers list [--service TYPE]... [--place CODE|NAME] [--all] [--json]
                                               partner services (active ones unless --all), flagged when their review is due
providers show <code> [--json]                 one partner service in full
providers import <file.csv> [--dry-run]        adds or replaces the providers in the file (all rows or none; header in the README)
providers export [--all]                       the directory as CSV on stdout, in the import's format
providers verify <code> [--review-months N]    records that its details were checked today; next review in N months (default 12)
providers deactivate <code>                    no longer offered for referrals (its history stays)
providers reactivate <code>                    offered for referrals again`;

function write(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Runs one providers subcommand; `actor` names the admin in the audit log. */
export async function providersCommand(app: App, args: string[], values: ProviderValues, actor: string): Promise<void> {
  const [sub, target] = args;
  const now = app.clock.now();
  switch (sub) {
    case undefined:
    case "list": {
      const services = (values.service ?? []).map(serviceOf);
      const place = values.place === undefined ? undefined : placeOf(values.place);
      const providers = await app.providers.list({ includeInactive: values.all === true, services, place });
      if (values.json)
        return write(
          JSON.stringify(
            providers.map((p) => jsonOf(p, now)),
            null,
            2,
          ),
        );
      if (providers.length === 0) {
        return write(
          values.all || services.length > 0 || place
            ? "No provider matches."
            : "The directory is empty: add providers with `npm run admin -- providers import <file.csv>`.",
        );
      }
      for (const p of providers) write(summaryLine(p, now));
      return;
    }
    case "show": {
      const provider = await app.providers.get(requireCode(target, "show"));
      if (!provider) throw new UsageError(`no provider has the code ${target}`);
      if (values.json) return write(JSON.stringify(jsonOf(provider, now), null, 2));
      return write(details(provider, now));
    }
    case "import": {
      if (!target) throw new UsageError(`providers import needs a CSV file\n${PROVIDERS_USAGE}`);
      let text: string;
      try {
        text = await readFile(target, "utf8");
      } catch (error) {
        throw new UsageError(`cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
      }
      const read = parseProviderCsv(text);
      if (!read.ok) {
        const t = app.translate("en");
        const lines = read.problems.map(
          (p) =>
            `  ${p.line > 0 ? `line ${p.line}` : "file"}${p.column ? `, ${p.column}` : ""}: ${csvProblemText(t, p)}`,
        );
        throw new UsageError(`${target}: nothing imported, ${read.problems.length} problem(s):\n${lines.join("\n")}`);
      }
      if (values["dry-run"])
        return write(`${target}: ${read.providers.length} providers, all valid (dry run: nothing written).`);
      process.stderr.write(`importing ${read.providers.length} providers...\n`);
      const result = await app.providers.importAll(read.providers, now);
      await app.audit.record(
        { actor, action: "provider.imported", detail: `${result.added} added, ${result.updated} updated` },
        now,
      )(app.database.prisma);
      return write(`${target}: ${result.added} added, ${result.updated} updated.`);
    }
    case "export": {
      process.stdout.write(providersToCsv(await app.providers.list({ includeInactive: values.all === true })));
      return;
    }
    case "verify": {
      const months = values["review-months"] === undefined ? 12 : Number(values["review-months"]);
      if (!Number.isInteger(months) || months < 1 || months > 36)
        throw new UsageError("--review-months takes a whole number of months from 1 to 36");
      const provider = await app.providers.verify(requireCode(target, "verify"), now, months);
      if (!provider) throw new UsageError(`no provider has the code ${target}`);
      await app.audit.record({ actor, action: "provider.verified", detail: provider.code }, now)(app.database.prisma);
      return write(`${provider.code} verified today; next review by ${day(provider.reviewDueAt)}.`);
    }
    case "deactivate":
    case "reactivate": {
      const active = sub === "reactivate";
      const provider = await app.providers.setActive(requireCode(target, sub), active, now);
      if (!provider) throw new UsageError(`no provider has the code ${target}`);
      await app.audit.record(
        { actor, action: active ? "provider.reactivated" : "provider.deactivated", detail: provider.code },
        now,
      )(app.database.prisma);
      return write(
        active
          ? `${provider.code} is offered for referrals again.`
          : `${provider.code} is no longer offered for referrals.`,
      );
    }
    default:
      throw new UsageError(`unknown providers command: ${sub}\n${PROVIDERS_USAGE}`);
  }
}

function requireCode(code: string | undefined, sub: string): string {
  if (!code) throw new UsageError(`providers ${sub} needs a provider's code\n${PROVIDERS_USAGE}`);
  return code;
}

function serviceOf(text: string): ServiceType {
  const upper = text
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");
  const found = SERVICE_TYPES.find((s) => s === upper);
  if (!found) throw new UsageError(`"${text}" is not a service: one of ${SERVICE_TYPES.join(", ")}`);
  return found;
}

/** A place given as a province or regency code, or a name that means exactly one of them. */
function placeOf(text: string): { provinceCode: string; regencyCode: string | null } {
  const named = placeNamed(text);
  if (named.kind === "found") return { provinceCode: named.provinceCode, regencyCode: named.regencyCode };
  if (named.kind === "ambiguous") {
    const options = named.codes.map((code) => `${code} (${labelForCode(code)})`);
    throw new UsageError(`"${text.trim()}" could mean ${options.join(", ")}: give the code`);
  }
  throw new UsageError(`"${text.trim()}" is not a province or regency (give a code such as 52 or 52.71, or a name)`);
}

function day(date: Date | null): string {
  return date ? dayOf(date) : "-";
}

function areasLabel(p: ProviderRecord): string {
  return p.areas
    .map((a) =>
      a.provinceCode === EVERY_PROVINCE
        ? "every province"
        : labelForCodes({ provinceCode: a.provinceCode, regencyCode: a.regencyCode }),
    )
    .join("; ");
}

function reviewNote(p: ProviderRecord, now: Date): string {
  if (p.verifiedAt === null) return "never verified";
  return reviewOverdue(p, now) ? `review was due ${day(p.reviewDueAt)}` : "";
}

function summaryLine(p: ProviderRecord, now: Date): string {
  const flags = [p.active ? "" : "inactive", reviewNote(p, now)].filter((f) => f !== "");
  return `${p.code}  ${p.kind}  ${p.name}  (${areasLabel(p)})${flags.length > 0 ? `  [${flags.join(", ")}]` : ""}`;
}

function details(p: ProviderRecord, now: Date): string {
  const note = reviewNote(p, now);
  return [
    `${p.code}: ${p.name}${p.active ? "" : " (inactive)"}`,
    `  kind: ${p.kind}`,
    `  services: ${p.services.join(", ")}`,
    `  areas: ${areasLabel(p)}`,
    `  serves: ${p.populations.length > 0 ? p.populations.join(", ") : "not stated"}`,
    `  languages: ${p.languages.length > 0 ? p.languages.join(", ") : "not stated"}`,
    `  hours: ${p.hours ?? "not stated"}`,
    `  contacts: ${p.contacts ?? "not stated"}`,
    `  referrals by chat: ${p.acceptsChatReferrals ? "yes" : "no"}`,
    `  verified: ${day(p.verifiedAt)}, review by ${day(p.reviewDueAt)}${note ? ` (${note})` : ""}`,
  ].join("\n");
}

function jsonOf(p: ProviderRecord, now: Date): Record<string, unknown> {
  return {
    ...p,
    verifiedAt: p.verifiedAt?.toISOString() ?? null,
    reviewDueAt: p.reviewDueAt?.toISOString() ?? null,
    reviewOverdue: reviewOverdue(p, now),
  };
}
