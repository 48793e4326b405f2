import type { ChannelKind } from "../channels/types.ts";
import type { Db } from "../db/database.ts";
import type { Language } from "../domain/language.ts";
import { loadOfficeDirectory, type OfficeEntry, type OfficeKind } from "./directory-data.ts";

/** How an office receives its cards. */
export const DESTINATION_KINDS = ["NONE", "GROUP", "STAFF_CHATS"] as const;
/** One of DESTINATION_KINDS. */
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** An office with its current destination. */
export interface Office {
  code: string;
  kind: OfficeKind;
  name: string;
  provinceCode: string | null;
  destinationKind: DestinationKind;
  destinationIdentityId: string | null;
}

/** A chat that receives an office's cards, and the language to write in. */
export interface OfficeRecipient {
  identityId: string;
  channel: ChannelKind;
  language: Language;
  /** The staff member whose own chat this is; null for a group. */
  staffId: string | null;
}

/** The office directory in the database: seeded from the shipped data, destinations set by admins. */
export class OfficeRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Creates missing offices and refreshes names; never touches destinations. Safe to run at every start. */
  async seed(now: Date, entries: readonly OfficeEntry[] = loadOfficeDirectory()): Promise<number> {
    const existing = new Map(
      (await this.#db.office.findMany({ select: { code: true, name: true } })).map((o) => [o.code, o.name]),
    );
    const writes = entries
      .filter((e) => existing.get(e.code) !== e.name)
      .map((e) =>
        this.#db.office.upsert({
          where: { code: e.code },
          create: { ...e, destinationKind: "NONE", createdAt: now, updatedAt: now },
          update: { name: e.name, kind: e.kind, provinceCode: e.provinceCode, updatedAt: now },
        }),
      );
    if (writes.length > 0) await this.#db.$transaction(writes);
    return writes.length;
  }

  /** Every office, national desks last. */
  async list(): Promise<Office[]> {
    const rows = await this.#db.office.findMany({ orderBy: { code: "asc" } });
    return rows.map(toOffice).sort((a, b) => Number(a.provinceCode === null) - Number(b.provinceCode === null));
  }

  /** One office by code, or null. */
  async get(code: string): Promise<Office | null> {
    const row = await this.#db.office.findUnique({ where: { code: code.toUpperCase() } });
    return row ? toOffice(row) : null;
  }

  /** Sets where an office's cards go. */
  async setDestination(code: string, kind: DestinationKind, identityId: string | null, now: Date): Promise<void> {
    await this.#db.office.update({
      where: { code },
      data: { destinationKind: kind, destinationIdentityId: kind === "GROUP" ? identityId : null, updatedAt: now },
    });
  }

  /** The chats that receive an office's cards now; empty when it has no active destination. */
  async recipientsOf(code: string): Promise<OfficeRecipient[]> {
    const office = await this.#db.office.findUnique({
      where: { code },
      select: { destinationKind: true, destinationIdentityId: true },
    });
    if (!office) return [];
    if (office.destinationKind === "GROUP" && office.destinationIdentityId) {
      const identity = await this.#db.contactIdentity.findUnique({
        where: { id: office.destinationIdentityId },
        select: { id: true, channel: true },
      });
      return identity
        ? [{ identityId: identity.id, channel: identity.channel as ChannelKind, language: "id", staffId: null }]
        : [];
    }
    if (office.destinationKind === "STAFF_CHATS") {
      const staff = await this.#db.staff.findMany({
        where: { officeCode: code, active: true, identityId: { not: null } },
        select: { id: true, language: true, identity: { select: { id: true, channel: true } } },
        orderBy: { createdAt: "asc" },
      });
      return staff.flatMap((s) =>
        s.identity
          ? [
              {
                identityId: s.identity.id,
                channel: s.identity.channel as ChannelKind,
                language: s.language === "en" ? ("en" as const) : ("id" as const),
                staffId: s.id,
              },
            ]
          : [],
      );
    }
    return [];
  }

  /** The codes of the offices whose cards go to this group chat. */
  async servedByGroup(identityId: string): Promise<string[]> {
    const rows = await this.#db.office.findMany({
      where: { destinationKind: "GROUP", destinationIdentityId: identityId },
      select: { code: true },
    });
    return rows.map((r) => r.code);
  }

  /** The codes of offices that have no active destination now. */
  async withoutDestination(): Promise<string[]> {
    // Two reads for all offices, where asking recipientsOf() of each took 80 (checked at every start).
    const [offices, staffed] = await Promise.all([
      this.#db.office.findMany({
        orderBy: { code: "asc" },
        select: { code: true, provinceCode: true, destinationKind: true, destination: { select: { id: true } } },
      }),
      this.#db.staff.findMany({
        where: { active: true, identityId: { not: null } },
        select: { officeCode: true, identity: { select: { id: true } } },
      }),
    ]);
    const withStaffChat = new Set(staffed.flatMap((s) => (s.identity ? [s.officeCode] : [])));
    const reachable = (o: (typeof offices)[number]) =>
      o.destinationKind === "GROUP"
        ? o.destination !== null
        : o.destinationKind === "STAFF_CHATS" && withStaffChat.has(o.code);
    return offices
      .sort((a, b) => Number(a.provinceCode === null) - Number(b.provinceCode === null))
      .filter((o) => !reachable(o))
      .map((o) => o.code);
  }
}

function toOffice(row: {
  code: string;
  kind: string;
  name: string;
  provinceCode: string | null;
  destinationKind: string;
  destinationIdentityId: string | null;
}): Office {
  return {
    code: row.code,
    kind: row.kind as OfficeKind,
    name: row.name,
    provinceCode: row.provinceCode,
    destinationKind: (DESTINATION_KINDS as readonly string[]).includes(row.destinationKind)
      ? (row.destinationKind as DestinationKind)
      : "NONE",
    destinationIdentityId: row.destinationIdentityId,
  };
}
