/**
 * Who will receive a report, told before it is sent (consent, summary) and after (the
 * confirmation): the same routing rules and data the case desk applies (DESIGN §4).
 */
import { loadOfficeDirectory, loadRoutingMatrix, type OfficeEntry } from "../directory/directory-data.ts";
import type { NewReport } from "../domain/report.ts";
import { decideRoute, type RoutingMatrix, routingPlaceOf, victimTypeOf } from "../domain/routing.ts";
import { provinceByCode } from "../regions/provinces.ts";
import type { Translate } from "./ports.ts";
import type { Draft } from "./state.ts";

let data: { offices: Map<string, OfficeEntry>; matrix: RoutingMatrix } | null = null;

function directory() {
  if (!data) {
    const offices = loadOfficeDirectory();
    data = { offices: new Map(offices.map((o) => [o.code, o])), matrix: loadRoutingMatrix(offices) };
  }
  return data;
}

/** What routing reads of a report. */
export type RoutedFacts = Pick<
  NewReport,
  "provinceCode" | "abroad" | "homeProvinceCode" | "victimAgeGroup" | "victimGender" | "victimCount"
>;

/** The offices a report goes to: the responsible one and the copies. */
export function previewRoute(report: RoutedFacts): { responsible: string; copies: string[] } {
  const decision = decideRoute(
    directory().matrix,
    routingPlaceOf(report),
    victimTypeOf(report.victimAgeGroup, report.victimGender, report.victimCount),
  );
  return { responsible: decision.responsible, copies: decision.copies };
}

/** The offices a draft would go to if it were sent now. */
export function previewDraftRoute(draft: Draft): { responsible: string; copies: string[] } {
  const place = draft.place;
  return previewRoute({
    provinceCode: place?.kind === "province" ? place.provinceCode : null,
    abroad: place?.kind === "abroad",
    homeProvinceCode: place?.kind === "abroad" ? place.homeProvinceCode : null,
    victimAgeGroup: draft.victimAgeGroup ?? "UNKNOWN",
    victimGender: draft.victimGender ?? "UNKNOWN",
    victimCount: draft.victimCount ?? "UNKNOWN",
  });
}

/** An office in plain words for a reporter: what kind of office it is and its region. */
export function officeInWords(t: Translate, code: string): string {
  const office = directory().offices.get(code);
  const kind = office?.kind ?? code;
  const province = office?.provinceCode ? (provinceByCode(office.provinceCode)?.name ?? office.provinceCode) : "";
  return t(`intake:office.${kind}`, { province });
}

/** The responsible office and any copy, in one phrase ("KP2MI dan Dinas Sosial Provinsi Jawa Timur"). */
export function recipientsInWords(t: Translate, route: { responsible: string; copies: readonly string[] }): string {
  const names = [route.responsible, ...route.copies].map((code) => officeInWords(t, code));
  return names.length > 1
    ? t("intake:office.andCopy", { first: names[0], copy: names.slice(1).join(", ") })
    : (names[0] ?? "");
}
