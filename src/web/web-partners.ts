import type { AuditStore } from "../db/audit-store.ts";
import type { Db } from "../db/database.ts";
import type { ServiceType } from "../domain/case-services.ts";
import type { ProviderRecord } from "../domain/providers.ts";
import type { StaffActor } from "../domain/staff-actions.ts";
import { type CsvProblem, parseProviderCsv, providersToCsv } from "../partners/provider-csv.ts";
import type { ProviderRepository } from "../partners/provider-repository.ts";
import { type NamedPlace, placeNamed } from "../regions/area-names.ts";
import type { Clock } from "../services/clock.ts";

/** What the partner directory page is built from. */
export interface WebPartnersDeps {
  providers: ProviderRepository;
  audit: AuditStore;
  db: Db;
  clock: Clock;
}

/** The directory page's filters as staff set them. */
export interface PartnerFilters {
  place: string;
  service: ServiceType | null;
  /** Deactivated providers too (national staff only). */
  all: boolean;
}

/** The directory as one staff member sees it. */
export interface PartnerListing {
  providers: ProviderRecord[];
  /** What the typed place was read as; null when none was typed. */
  place: NamedPlace | null;
  /** The staff member may verify and (de)activate providers. */
  manages: boolean;
  /** The directory holds no provider at all (not just none matching). */
  empty: boolean;
}

/** What national staff may do to a provider from the web. */
export const PARTNER_ACTIONS = ["verify", "deactivate", "reactivate"] as const;
/** One of PARTNER_ACTIONS. */
export type PartnerAction = (typeof PARTNER_ACTIONS)[number];

/** Months until a provider verified on the web is due for review, as with the admin command's default. */
const REVIEW_MONTHS = 12;

/**
 * The partner directory in the web inbox: every staff member reads it (they refer cases to these
 * organisations); national staff keep it checked. Organisational data only, so reading is not audited.
 */
export class WebPartners {
  readonly #deps: WebPartnersDeps;

  constructor(deps: WebPartnersDeps) {
    this.#deps = deps;
  }

  /** The providers matching the filters; an unknown or ambiguous place lists nothing and says why. */
  async list(staff: StaffActor, filters: PartnerFilters): Promise<PartnerListing> {
    const manages = staff.role === "NATIONAL";
    const place = filters.place.trim() === "" ? null : placeNamed(filters.place);
    const providers =
      place && place.kind !== "found"
        ? []
        : await this.#deps.providers.list({
            includeInactive: manages && filters.all,
            services: filters.service ? [filters.service] : [],
            ...(place ? { place: { provinceCode: place.provinceCode, regencyCode: place.regencyCode } } : {}),
          });
    // Whether the directory holds anything at all is asked only when nothing matched.
    const empty = providers.length === 0 && (await this.#deps.providers.list({ includeInactive: true })).length === 0;
    return { providers, place, manages, empty };
  }

  /** The whole directory as the import's CSV, for national staff (null for others); audited. */
  async exportCsv(staff: StaffActor): Promise<string | null> {
    if (staff.role !== "NATIONAL") return null;
    const { providers, audit, db, clock } = this.#deps;
    const all = await providers.list({ includeInactive: true });
    await audit.record(
      { actor: `staff:${staff.id}`, action: "provider.exported", detail: `${all.length}` },
      clock.now(),
    )(db);
    return providersToCsv(all);
  }

  /**
   * Imports a directory file for national staff (null for others): every row or none, audited;
   * the problems, where and what, when any row is wrong.
   */
  async importCsv(
    staff: StaffActor,
    text: string,
  ): Promise<{ ok: true; added: number; updated: number } | { ok: false; problems: CsvProblem[] } | null> {
    if (staff.role !== "NATIONAL") return null;
    const read = parseProviderCsv(text);
    if (!read.ok) return { ok: false, problems: read.problems };
    const { providers, audit, db, clock } = this.#deps;
    const now = clock.now();
    const result = await providers.importAll(read.providers, now);
    await audit.record(
      {
        actor: `staff:${staff.id}`,
        action: "provider.imported",
        detail: `${result.added} added, ${result.updated} updated`,
      },
      now,
    )(db);
    return { ok: true, ...result };
  }

  /** Verifies or (de)activates a provider for national staff, audited; null when not allowed or unknown. */
  async act(staff: StaffActor, code: string, action: PartnerAction): Promise<ProviderRecord | null> {
    if (staff.role !== "NATIONAL") return null;
    const { providers, audit, db, clock } = this.#deps;
    const now = clock.now();
    const done =
      action === "verify"
        ? await providers.verify(code, now, REVIEW_MONTHS)
        : await providers.setActive(code, action === "reactivate", now);
    if (!done) return null;
    const name = {
      verify: "provider.verified",
      deactivate: "provider.deactivated",
      reactivate: "provider.reactivated",
    };
    await audit.record({ actor: `staff:${staff.id}`, action: name[action], detail: done.code }, now)(db);
    return done;
  }
}
