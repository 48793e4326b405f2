import type { Db } from "../db/database.ts";
import type { ServiceType } from "../domain/case-services.ts";
import {
  EVERY_PROVINCE,
  type ProviderArea,
  type ProviderRecord,
  ProviderRecordSchema,
  servesPlace,
} from "../domain/providers.ts";

/** Which providers a listing shows. */
export interface ProviderQuery {
  /** Include deactivated providers (default: active only). */
  includeInactive?: boolean;
  /** Only those offering every one of these services. */
  services?: readonly ServiceType[];
  /** Only those serving this place. */
  place?: { provinceCode: string; regencyCode: string | null };
}

/** What an import changed. */
export interface ProviderImportResult {
  added: number;
  updated: number;
}

const WITH_LISTS = { services: true, areas: true } as const;

/** The partner directory in the database, managed by admins (`npm run admin -- providers`). */
export class ProviderRepository {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Providers in code order, narrowed as asked. */
  async list(query: ProviderQuery = {}): Promise<ProviderRecord[]> {
    const { includeInactive = false, services = [], place } = query;
    const rows = await this.#db.provider.findMany({
      where: {
        ...(includeInactive ? {} : { active: true }),
        AND: services.map((service) => ({ services: { some: { service } } })),
        ...(place ? { areas: { some: { provinceCode: { in: [place.provinceCode, EVERY_PROVINCE] } } } } : {}),
      },
      include: WITH_LISTS,
      orderBy: { code: "asc" },
    });
    const providers = rows.map(recordOf);
    // The database narrows to the province; whether a regency is served is read from the areas.
    return place ? providers.filter((p) => servesPlace(p.areas, place)) : providers;
  }

  /** One provider by code (any case), or null. */
  async get(code: string): Promise<ProviderRecord | null> {
    const row = await this.#db.provider.findUnique({ where: { code: code.trim().toUpperCase() }, include: WITH_LISTS });
    return row ? recordOf(row) : null;
  }

  /**
   * Writes every provider given, in one transaction: a new code is added, a known one replaced
   * whole (its services and areas too). Providers not in the list are left as they are.
   */
  async importAll(providers: readonly ProviderRecord[], now: Date): Promise<ProviderImportResult> {
    const known = new Set(
      (
        await this.#db.provider.findMany({
          where: { code: { in: providers.map((p) => p.code) } },
          select: { code: true },
        })
      ).map((p) => p.code),
    );
    await this.#db.$transaction(async (tx) => {
      for (const p of providers) {
        const fields = {
          name: p.name,
          kind: p.kind,
          populations: p.populations.join(";"),
          languages: p.languages.join(";"),
          hours: p.hours,
          contacts: p.contacts,
          acceptsChatReferrals: p.acceptsChatReferrals,
          active: p.active,
          verifiedAt: p.verifiedAt,
          reviewDueAt: p.reviewDueAt,
          updatedAt: now,
        };
        await tx.provider.upsert({
          where: { code: p.code },
          create: { code: p.code, ...fields, createdAt: now },
          update: fields,
        });
        await tx.providerService.deleteMany({ where: { providerCode: p.code } });
        await tx.providerArea.deleteMany({ where: { providerCode: p.code } });
        await tx.providerService.createMany({
          data: p.services.map((service) => ({ providerCode: p.code, service })),
        });
        await tx.providerArea.createMany({
          data: p.areas.map((a) => ({
            providerCode: p.code,
            provinceCode: a.provinceCode,
            regencyCode: a.regencyCode ?? "",
          })),
        });
      }
    });
    const added = providers.filter((p) => !known.has(p.code)).length;
    return { added, updated: providers.length - added };
  }

  /** Records that someone checked the provider's details today; the next review falls `months` later. */
  async verify(code: string, now: Date, months: number): Promise<ProviderRecord | null> {
    const due = new Date(now);
    due.setUTCMonth(due.getUTCMonth() + months);
    return this.#update(code, { verifiedAt: now, reviewDueAt: due, updatedAt: now });
  }

  /** Takes a provider out of (or back into) the lists staff pick from; its history stays. */
  async setActive(code: string, active: boolean, now: Date): Promise<ProviderRecord | null> {
    return this.#update(code, { active, updatedAt: now });
  }

  async #update(
    code: string,
    data: { verifiedAt?: Date; reviewDueAt?: Date; active?: boolean; updatedAt: Date },
  ): Promise<ProviderRecord | null> {
    const normalized = code.trim().toUpperCase();
    const { count } = await this.#db.provider.updateMany({ where: { code: normalized }, data });
    return count === 0 ? null : this.get(normalized);
  }
}

interface ProviderRow {
  code: string;
  name: string;
  kind: string;
  populations: string;
  languages: string;
  hours: string | null;
  contacts: string | null;
  acceptsChatReferrals: boolean;
  active: boolean;
  verifiedAt: Date | null;
  reviewDueAt: Date | null;
  services: Array<{ service: string }>;
  areas: Array<{ provinceCode: string; regencyCode: string }>;
}

/** A row as the domain reads it, checked: the table is written only through this repository. */
function recordOf(row: ProviderRow): ProviderRecord {
  const split = (text: string) => text.split(";").filter((item) => item !== "");
  const areas: ProviderArea[] = row.areas
    .map((a) => ({ provinceCode: a.provinceCode, regencyCode: a.regencyCode === "" ? null : a.regencyCode }))
    .sort((a, b) => `${a.provinceCode}${a.regencyCode ?? ""}`.localeCompare(`${b.provinceCode}${b.regencyCode ?? ""}`));
  return ProviderRecordSchema.parse({
    ...row,
    services: row.services.map((s) => s.service).sort(),
    areas,
    populations: split(row.populations),
    languages: split(row.languages),
  });
}
