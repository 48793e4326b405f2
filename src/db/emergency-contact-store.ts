import {
  type CountryEntry,
  type EmergencyContactEdit,
  EmergencyDirectory,
  loadShippedEmergencyContacts,
  parseCountryEntry,
} from "../directory/emergency-contacts.ts";
import type { Db } from "./database.ts";

/** How long a running bot keeps the contacts in force before reading admins' edits again. */
const REFRESH_MS = 60_000;

/**
 * Admins' confirmations and replacements of emergency contacts, over the shipped file. Every
 * edit is validated like the file (a number without its source is refused); reads are cached
 * for a minute so that a message does not cost a query.
 */
export class EmergencyContactStore {
  readonly #db: Db;
  #cached: { at: number; directory: EmergencyDirectory } | null = null;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The contacts in force now: the shipped file with every admin edit over it. */
  async directory(now: Date = new Date()): Promise<EmergencyDirectory> {
    if (this.#cached && now.getTime() - this.#cached.at < REFRESH_MS) return this.#cached.directory;
    const rows = await this.#db.emergencyContactEdit.findMany();
    const edits = new Map<string, EmergencyContactEdit>();
    for (const row of rows) {
      // An edit that no longer validates is left out: the shipped, sourced entry stays in force.
      try {
        edits.set(row.country, {
          entry: parseCountryEntry(JSON.parse(row.entry)),
          confirmedAt: row.confirmedAt,
          confirmedBy: row.confirmedBy,
        });
      } catch {}
    }
    const directory = new EmergencyDirectory(loadShippedEmergencyContacts(), edits);
    this.#cached = { at: now.getTime(), directory };
    return directory;
  }

  /** Records that an admin checked a country's entry as it stands (or replaced it with `entry`). */
  async save(entry: CountryEntry, confirmedBy: string, at: Date): Promise<void> {
    const valid = parseCountryEntry(entry);
    const data = { entry: JSON.stringify(valid), confirmedAt: at, confirmedBy };
    await this.#db.emergencyContactEdit.upsert({
      where: { country: valid.country },
      create: { country: valid.country, ...data },
      update: data,
    });
    this.#cached = null;
  }
}
