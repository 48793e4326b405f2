/**
 * `npm run admin -- emergency list|confirm|replace`: the emergency contacts for people abroad
 * (DESIGN §4). A replacement must name the public page it was taken from and that page's date.
 */
import type { App } from "../app.ts";
import { type CountryEntry, EmergencyContactsError, parseCountryEntry } from "../directory/emergency-contacts.ts";
import { UsageError } from "./simulator-args.ts";

/** The options the emergency commands read. */
export interface EmergencyValues {
  json?: boolean | undefined;
  mission?: string | undefined;
  number?: string[] | undefined;
  local?: string | undefined;
  source?: string | undefined;
  date?: string | undefined;
  publisher?: string | undefined;
  whatsapp?: boolean | undefined;
  by?: string | undefined;
}

/** The usage lines of the emergency commands. */
export const EMERGENCY_USAGE = `emergency list                                 every destination country: local number, mission hotlines, sources, last confirmation
emergency confirm <country> --by <name>        records that <name> checked the country's numbers against their sources today
emergency replace <country> --mission "KBRI Riyadh" --number "+966 ..." [--number ...] [--whatsapp]
          --source <url> --date YYYY-MM-DD --publisher <name> --by <name>
                                               replaces (or adds) one mission's hotlines
emergency replace <country> --local <number> --source <url> --date YYYY-MM-DD --publisher <name> --by <name>
                                               replaces the local emergency number`;

function write(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Runs one emergency subcommand. */
export async function emergencyCommand(app: App, args: string[], values: EmergencyValues): Promise<void> {
  const [sub, rawCountry] = args;
  const now = app.clock.now();
  const directory = await app.emergencyContacts.directory(new Date(0));
  if (sub === undefined || sub === "list") {
    const all = directory.all().map((entry) => ({
      ...entry,
      confirmedAt: entry.confirmedAt?.toISOString() ?? null,
    }));
    if (values.json) {
      write(JSON.stringify({ general: directory.general, countries: all }, null, 2));
      return;
    }
    const lines: string[] = [];
    for (const entry of all) {
      lines.push(
        `${entry.country}${entry.confirmedAt ? `  (confirmed ${entry.confirmedAt} by ${entry.confirmedBy})` : "  (as shipped)"}`,
      );
      for (const local of entry.local)
        lines.push(`  local ${local.service}: ${local.number}  [${local.source.date} ${local.source.url}]`);
      for (const mission of entry.missions) {
        lines.push(
          `  ${mission.name}: ${mission.numbers.join(", ")}${mission.whatsapp ? " (WhatsApp)" : ""}  [${mission.source.date} ${mission.source.url}]`,
        );
      }
      if (entry.local.length === 0) lines.push("  local emergency number: none sourced yet");
      if (entry.missions.length === 0)
        lines.push("  mission hotline: none sourced yet (the message falls back to Safe Travel and the Kemlu hotline)");
    }
    write(lines.join("\n"));
    return;
  }
  const country = rawCountry?.toUpperCase();
  const current = country ? directory.forCountry(country) : null;
  if (!country || !/^[A-Z]{2}$/.test(country))
    throw new UsageError(`a country code is needed (e.g. SA)\n${EMERGENCY_USAGE}`);
  const by = values.by?.trim();
  if (!by) throw new UsageError("--by <name>: who checked the numbers");
  const base: CountryEntry = current
    ? { country, local: current.local, missions: current.missions }
    : { country, local: [], missions: [] };
  let entry: CountryEntry;
  if (sub === "confirm") {
    if (!current) throw new UsageError(`no entry for ${country}: use emergency replace to add one`);
    entry = base;
  } else if (sub === "replace") {
    if (!values.source || !values.date || !values.publisher)
      throw new UsageError(
        "--source <url>, --date YYYY-MM-DD and --publisher <name> are required: never a number without its source",
      );
    const source = { url: values.source, date: values.date, publisher: values.publisher };
    if (values.local !== undefined) {
      entry = { ...base, local: [{ service: "all", number: values.local, source }] };
    } else {
      const name = values.mission?.trim();
      if (!name || !values.number?.length)
        throw new UsageError(`--mission <name> and --number <+...> are needed\n${EMERGENCY_USAGE}`);
      const mission = { name, numbers: values.number, source, ...(values.whatsapp ? { whatsapp: true } : {}) };
      const others = base.missions.filter((m) => m.name.toLowerCase() !== name.toLowerCase());
      entry = { ...base, missions: [...others, mission] };
    }
  } else {
    throw new UsageError(`unknown emergency command: ${sub}\n${EMERGENCY_USAGE}`);
  }
  try {
    parseCountryEntry(entry);
  } catch (error) {
    if (error instanceof EmergencyContactsError) throw new UsageError(`${country}: ${error.message}`);
    throw error;
  }
  await app.emergencyContacts.save(entry, by, now);
  write(`${country}: ${sub === "confirm" ? "confirmed" : "replaced"} by ${by} at ${now.toISOString()}`);
}
