/**
 * Emergency contacts for people abroad (DESIGN §4): the local emergency number, the Indonesian
 * missions' hotlines and Kemlu's Peduli WNI / Safe Travel route. Never invent a number: every
 * entry carries the public page it was copied from and that page's date, and one without them
 * is rejected on load. Admins confirm or replace a country's entry; their edits are kept in the
 * database and override the shipped file.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { projectPath } from "../project-paths.ts";

const DATA_FILE = projectPath("src/directory/data/emergency-contacts.json");

/** Where a number was published: the page and its date (a day, or a month when the page gives no day). */
export const SourceSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  date: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/, "date must be YYYY-MM or YYYY-MM-DD"),
  publisher: z.string().min(2),
});
/** Where a number was published. */
export type Source = z.infer<typeof SourceSchema>;

/** A number dialled from abroad: "+" and the country code, then digits, spaces and hyphens. */
const InternationalNumber = z
  .string()
  .regex(/^\+[1-9]\d{0,2}[\d\s-]{6,16}\d$/, "an international number (+<country code> ...)")
  // Indonesian short and toll-free codes cannot be dialled from abroad (DESIGN §4).
  .refine((n) => !/^\+62\s*-?\s*(800|1\d\d\b)/.test(n), "no Indonesian toll-free or short code");

/** A local emergency number of the country, as dialled there. */
const LocalNumberSchema = z.object({
  service: z.enum(["all", "police", "ambulance", "fire"]),
  number: z.string().regex(/^\d{2,5}$/),
  source: SourceSchema,
});

/** One Indonesian mission (KBRI, KJRI, KDEI) and its published hotlines. */
const MissionSchema = z.object({
  name: z.string().regex(/^(KBRI|KJRI|KDEI|KRI) /),
  numbers: z.array(InternationalNumber).min(1),
  whatsapp: z.boolean().optional(),
  source: SourceSchema,
});
/** One Indonesian mission and its hotlines. */
export type Mission = z.infer<typeof MissionSchema>;

/** What is known for one destination country; an empty list means no sourced number yet. */
export const CountryEntrySchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/),
  local: z.array(LocalNumberSchema),
  missions: z.array(MissionSchema),
});
/** What is known for one destination country. */
export type CountryEntry = z.infer<typeof CountryEntrySchema>;

const FileSchema = z.object({
  note: z.string().optional(),
  general: z.object({
    kemluHotline: z.object({
      name: z.string(),
      numbers: z.array(InternationalNumber).min(1),
      whatsapp: z.boolean(),
      source: SourceSchema,
    }),
    safeTravel: z.object({ source: SourceSchema }),
    peduliWni: z.object({ site: z.string(), source: SourceSchema }),
  }),
  countries: z
    .array(CountryEntrySchema)
    .refine((list) => new Set(list.map((c) => c.country)).size === list.length, "one entry per country"),
});
/** The shipped file, validated. */
export type EmergencyContactsFile = z.infer<typeof FileSchema>;

/** Thrown when the emergency contacts file (or an admin's edit) does not validate. */
export class EmergencyContactsError extends Error {
  override name = "EmergencyContactsError";
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
}

/** Validates the content of an emergency contacts file; throws naming every problem. */
export function parseEmergencyContacts(raw: unknown): EmergencyContactsFile {
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) throw new EmergencyContactsError(`emergency-contacts.json: ${describe(parsed.error)}`);
  return parsed.data;
}

/** Validates one country's entry as an admin typed or confirmed it. */
export function parseCountryEntry(raw: unknown): CountryEntry {
  const parsed = CountryEntrySchema.safeParse(raw);
  if (!parsed.success) throw new EmergencyContactsError(describe(parsed.error));
  return parsed.data;
}

let shipped: EmergencyContactsFile | null = null;

/** The shipped file (src/directory/data/emergency-contacts.json), read and validated once. */
export function loadShippedEmergencyContacts(): EmergencyContactsFile {
  shipped ??= parseEmergencyContacts(JSON.parse(readFileSync(DATA_FILE, "utf8")));
  return shipped;
}

/** An admin's confirmation or replacement of one country's entry. */
export interface EmergencyContactEdit {
  entry: CountryEntry;
  confirmedAt: Date;
  confirmedBy: string;
}

/** The contacts in force: the shipped file with the admins' edits over it. */
export class EmergencyDirectory {
  readonly general: EmergencyContactsFile["general"];
  readonly #countries: Map<string, CountryEntry & { confirmedAt: Date | null; confirmedBy: string | null }>;

  constructor(file: EmergencyContactsFile, edits: ReadonlyMap<string, EmergencyContactEdit> = new Map()) {
    this.general = file.general;
    this.#countries = new Map();
    for (const entry of file.countries)
      this.#countries.set(entry.country, { ...entry, confirmedAt: null, confirmedBy: null });
    for (const [country, edit] of edits) {
      this.#countries.set(country, { ...edit.entry, confirmedAt: edit.confirmedAt, confirmedBy: edit.confirmedBy });
    }
  }

  /** The entry of a country, or null when the file has none. */
  forCountry(country: string): (CountryEntry & { confirmedAt: Date | null; confirmedBy: string | null }) | null {
    return this.#countries.get(country) ?? null;
  }

  /** Every country's entry, by country code. */
  all(): Array<CountryEntry & { confirmedAt: Date | null; confirmedBy: string | null }> {
    return [...this.#countries.values()].sort((a, b) => a.country.localeCompare(b.country));
  }
}

let shippedDirectory: EmergencyDirectory | null = null;

/** The directory of the shipped file alone, for callers that have no database at hand. */
export function shippedEmergencyDirectory(): EmergencyDirectory {
  shippedDirectory ??= new EmergencyDirectory(loadShippedEmergencyContacts());
  return shippedDirectory;
}
