/**
 * The emergency message (DESIGN §4, §8 "do no harm"): in Indonesia the public numbers; abroad
 * the local emergency number, the Indonesian missions' hotlines of that country and Kemlu's
 * Peduli WNI / Safe Travel route, all in international format, from the sourced data file.
 * Short and toll-free Indonesian codes are left out abroad: they cannot be dialled there.
 */
import { type EmergencyDirectory, shippedEmergencyDirectory } from "../directory/emergency-contacts.ts";
import type { Translate } from "./ports.ts";
import type { ConversationDoc } from "./state.ts";

/** Where the person needing help is, as far as the conversation knows. */
export type EmergencyPlace = { kind: "indonesia" } | { kind: "abroad"; country: string | null };

/**
 * The place the emergency numbers are for: the report being written (its place, or the country
 * its first message named), else the country of the chat's last report abroad.
 */
export function emergencyPlaceOf(doc: ConversationDoc): EmergencyPlace {
  const state = doc.state;
  if (state.flow === "intake") {
    const place = state.draft.place;
    if (place?.kind === "abroad") return { kind: "abroad", country: place.country };
    if (place?.kind === "province") return { kind: "indonesia" };
    const hinted = state.draft.storyHints?.place;
    if (hinted?.kind === "abroad") return { kind: "abroad", country: hinted.country };
  }
  return doc.abroad ? { kind: "abroad", country: doc.abroad.country } : { kind: "indonesia" };
}

/** The emergency numbers for a place, as one message. */
export function emergencyText(
  t: Translate,
  place: EmergencyPlace,
  directory: EmergencyDirectory = shippedEmergencyDirectory(),
): string {
  if (place.kind === "indonesia") return t("common:emergency");
  const entry = place.country ? directory.forCountry(place.country) : null;
  const lines = [
    place.country
      ? t("common:emergencyAbroad.title", { country: t(`countries:${place.country}`) })
      : t("common:emergencyAbroad.titleNoCountry"),
  ];
  for (const local of entry?.local ?? [])
    lines.push(t(`common:emergencyAbroad.local.${local.service}`, { number: local.number }));
  for (const mission of entry?.missions ?? []) {
    lines.push(
      t(mission.whatsapp ? "common:emergencyAbroad.missionWhatsapp" : "common:emergencyAbroad.mission", {
        name: mission.name,
        numbers: mission.numbers.join(t("common:emergencyAbroad.or")),
      }),
    );
  }
  if (place.country && (entry?.missions.length ?? 0) === 0) lines.push(t("common:emergencyAbroad.noMission"));
  const { kemluHotline, peduliWni } = directory.general;
  lines.push(
    t("common:emergencyAbroad.kemlu", { numbers: kemluHotline.numbers.join(t("common:emergencyAbroad.or")) }),
    t("common:emergencyAbroad.safeTravel", { site: peduliWni.site }),
    t("common:emergencyAbroad.sapa"),
    "",
    t("common:emergencyAbroad.mayChange"),
  );
  return lines.join("\n");
}
