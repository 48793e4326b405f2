import { randomInt, randomUUID } from "node:crypto";
import type { Db } from "../db/database.ts";
import { endWebAccessWrites } from "../db/web-access.ts";
import { STAFF_ROLES, type StaffRole } from "../domain/case.ts";
import type { Language } from "../domain/language.ts";
import { CROCKFORD_ALPHABET } from "../domain/reference.ts";
import type { Hasher } from "../security/hasher.ts";
import { normalizeName } from "../text/normalize.ts";

/** A staff member as the rest of the code sees them. */
export interface StaffMember {
  id: string;
  name: string;
  /** For partner staff, partnerOfficeCode(provider): no case's office can equal it. */
  officeCode: string;
  role: StaffRole;
  /** The provider a PARTNER works for; null for government staff. */
  providerCode: string | null;
  language: Language;
  active: boolean;
  identityId: string | null;
  createdAt: Date;
}

/** The office column of a provider's staff: never an office's code, so that no office check can match a case. */
export function partnerOfficeCode(providerCode: string): string {
  return `partner:${providerCode}`;
}

/** How long an invite code stays valid unless the admin says otherwise. */
export const DEFAULT_INVITE_TTL_MS = 72 * 60 * 60_000;

/** Makes an invite code such as 7KQ2-M9XT: 40 random bits, easy to read out on the phone. */
export function generateInviteCode(): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += CROCKFORD_ALPHABET[randomInt(0, 32)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Reads an invite code as typed (case, spaces and hyphens do not matter). */
export function normalizeInviteCode(input: string): string {
  const compact = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  return compact.length === 8 ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact;
}

/** A staff row as stored. */
export type StaffRow = {
  id: string;
  name: string;
  officeCode: string;
  role: string;
  providerCode?: string | null;
  language: string;
  active: boolean;
  identityId: string | null;
  createdAt: Date;
};

/** A staff row with its role and language checked (an unknown role reads as the least privileged). */
export function toStaff(row: StaffRow): StaffMember {
  return {
    ...row,
    providerCode: row.providerCode ?? null,
    role: (STAFF_ROLES as readonly string[]).includes(row.role) ? (row.role as StaffRole) : "AGENT",
    language: row.language === "en" ? "en" : "id",
  };
}

/** Staff records and their invite codes. */
export class StaffRepository {
  readonly #db: Db;
  readonly #hasher: Hasher;

  constructor(db: Db, hasher: Hasher) {
    this.#db = db;
    this.#hasher = hasher;
  }

  /** Adds a staff member (not yet linked to a chat). */
  async add(
    input: { name: string; officeCode: string; role: StaffRole; language: Language; providerCode?: string | null },
    now: Date,
  ): Promise<StaffMember> {
    // A partner without its provider, or office staff with one, would fall between both scopes.
    const partner = input.role === "PARTNER";
    if (
      partner !== Boolean(input.providerCode) ||
      (partner && input.officeCode !== partnerOfficeCode(input.providerCode ?? ""))
    )
      throw new Error("partner staff need their provider's code and partner office; office staff have no provider");
    const row = await this.#db.staff.create({
      data: { id: randomUUID(), ...input, active: true, createdAt: now },
    });
    return toStaff(row);
  }

  /** Every staff member, by office. */
  async list(): Promise<StaffMember[]> {
    return (await this.#db.staff.findMany({ orderBy: [{ officeCode: "asc" }, { createdAt: "asc" }] })).map(toStaff);
  }

  /** A staff member by id, or null. */
  async get(id: string): Promise<StaffMember | null> {
    const row = await this.#db.staff.findUnique({ where: { id } });
    return row ? toStaff(row) : null;
  }

  /** The active staff members of an office, in the order they were added. */
  async activeOf(officeCode: string): Promise<StaffMember[]> {
    const rows = await this.#db.staff.findMany({ where: { officeCode, active: true }, orderBy: { createdAt: "asc" } });
    return rows.map(toStaff);
  }

  /**
   * Staff members by a name as typed (case, accents and spacing do not matter): exact matches,
   * or else those whose name starts with it. More than one means the name is ambiguous.
   */
  async byName(name: string, where: { officeCode?: string; active?: boolean } = {}): Promise<StaffMember[]> {
    const typed = normalizeName(name);
    if (!typed) return [];
    const rows = (
      await this.#db.staff.findMany({
        where: {
          ...(where.officeCode ? { officeCode: where.officeCode } : {}),
          ...(where.active === undefined ? {} : { active: where.active }),
        },
        orderBy: { createdAt: "asc" },
      })
    ).map(toStaff);
    const exact = rows.filter((r) => normalizeName(r.name) === typed);
    return exact.length > 0 ? exact : rows.filter((r) => normalizeName(r.name).startsWith(`${typed}`));
  }

  /** The staff member linked to a chat identity, or null. */
  async byIdentity(identityId: string): Promise<StaffMember | null> {
    const row = await this.#db.staff.findUnique({ where: { identityId } });
    return row ? toStaff(row) : null;
  }

  /**
   * Deactivates a staff member: they can no longer act, and stop receiving cards. Their web
   * sessions and unused login links end with it, so a reactivation does not bring them back.
   */
  async deactivate(id: string, now: Date): Promise<void> {
    await this.#db.$transaction([
      this.#db.staff.update({ where: { id }, data: { active: false, deactivatedAt: now } }),
      ...endWebAccessWrites(id, now).map((write) => write(this.#db)),
    ]);
  }

  /**
   * Lets a deactivated staff member act again. Any web session is ended here too: one opened
   * while the deactivation was being written must not come back with the reactivation.
   */
  async reactivate(id: string, now: Date): Promise<void> {
    await this.#db.$transaction([
      this.#db.staff.update({ where: { id }, data: { active: true, deactivatedAt: null } }),
      ...endWebAccessWrites(id, now).map((write) => write(this.#db)),
    ]);
  }

  /** Creates a single-use invite code for a staff member; only its hash is stored. */
  async createInvite(
    staffId: string,
    now: Date,
    ttlMs: number = DEFAULT_INVITE_TTL_MS,
  ): Promise<{ code: string; expiresAt: Date }> {
    const code = generateInviteCode();
    const expiresAt = new Date(now.getTime() + ttlMs);
    await this.#db.staffInvite.create({
      data: { codeHash: this.#hasher.invite(code), staffId, expiresAt, createdAt: now },
    });
    return { code, expiresAt };
  }

  /** Looks up an invite by the code as typed. */
  async findInvite(
    code: string,
  ): Promise<{ codeHash: string; staffId: string; expiresAt: Date; usedAt: Date | null } | null> {
    // An invite issued before an HMAC key rotation is hashed with the older key: try each.
    return this.#db.staffInvite.findFirst({
      where: { codeHash: { in: this.#hasher.inviteCandidates(normalizeInviteCode(code)) } },
      select: { codeHash: true, staffId: true, expiresAt: true, usedAt: true },
    });
  }
}
