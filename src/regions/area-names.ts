/**
 * Human labels for stored area codes ("Kab. Bogor, Jawa Barat"), for cards, summaries and
 * details. Reads the generated area table once, on first use.
 */
import { matchProvinces } from "./place-match.ts";
import type { PlaceResolution } from "./place-resolution.ts";
import { compactKey, regencyCore, shortProvinceName, shortRegencyName } from "./place-text.ts";
import { type AreaTable, loadAreas } from "./region-data.ts";

let areas: AreaTable | null = null;

function nameOf(code: string | null | undefined): string | null {
  if (!code) return null;
  areas ??= loadAreas();
  const index = areas.byCode.get(code);
  return index === undefined ? null : (areas.names[index] ?? null);
}

/** The official name of a province, regency, district or village code; null when no area has it. */
export function areaName(code: string): string | null {
  return nameOf(code);
}

/** The short label of the most precise stored area, with the areas above it. */
export function labelForCodes(codes: {
  provinceCode: string;
  regencyCode?: string | null;
  districtCode?: string | null;
}): string {
  const parts: string[] = [];
  const district = nameOf(codes.districtCode);
  const regency = nameOf(codes.regencyCode);
  const province = nameOf(codes.provinceCode);
  if (district) parts.push(`Kec. ${district}`);
  if (regency) parts.push(shortRegencyName(regency));
  parts.push(province ? shortProvinceName(province) : codes.provinceCode);
  return parts.join(", ");
}

/** The label of a resolved place, down to the village when there is one. */
export function labelForResolution(
  resolution: Pick<PlaceResolution, "province" | "regency" | "district" | "village">,
): string {
  const parts: string[] = [];
  const { village, district, regency, province } = resolution;
  // Kemendagri numbers kelurahan 1xxx and desa 2xxx within a district.
  if (village) parts.push(`${village.code.charAt(village.code.length - 4) === "1" ? "Kel." : "Desa"} ${village.name}`);
  if (district) parts.push(`Kec. ${district.name}`);
  if (regency) parts.push(shortRegencyName(regency.name));
  if (province) parts.push(shortProvinceName(province.name));
  return parts.join(", ");
}

/**
 * The regencies and provinces a typed name means ("malang", "Kota Malang", "jatim"), for filtering
 * case lists: every regency whose name without "Kabupaten"/"Kota" matches, and provinces by name.
 */
export function areasNamed(text: string): { provinceCodes: string[]; regencyCodes: string[] } {
  const typed = compactKey(text.replace(/^(kab|kabupaten|kota)\.?\s+/i, ""));
  if (!typed) return { provinceCodes: [], regencyCodes: [] };
  areas ??= loadAreas();
  const regencyCodes: string[] = [];
  for (let i = 0; i < areas.codes.length; i++) {
    if (areas.levels[i] !== 2) continue;
    const name = areas.names[i] ?? "";
    if (compactKey(regencyCore(name).core) === typed || compactKey(name) === typed)
      regencyCodes.push(areas.codes[i] as string);
  }
  return { provinceCodes: matchProvinces(text).map((p) => p.code), regencyCodes };
}

/** What a place typed by a person names: one province or regency, several, or none. */
export type NamedPlace =
  | { kind: "found"; provinceCode: string; regencyCode: string | null }
  | { kind: "ambiguous"; codes: string[] }
  | { kind: "unknown" };

/** A province or regency given as a code ("52", "52.71") or a name that means exactly one of them ("mataram", "NTB"). */
export function placeNamed(text: string): NamedPlace {
  const typed = text.trim();
  if (/^\d{2}$/.test(typed) && nameOf(typed)) return { kind: "found", provinceCode: typed, regencyCode: null };
  if (/^\d{2}\.\d{2}$/.test(typed) && nameOf(typed))
    return { kind: "found", provinceCode: typed.slice(0, 2), regencyCode: typed };
  const { provinceCodes, regencyCodes } = areasNamed(typed);
  const codes = [...provinceCodes, ...regencyCodes];
  if (codes.length === 0) return { kind: "unknown" };
  if (codes.length > 1) return { kind: "ambiguous", codes };
  const code = codes[0] as string;
  return code.includes(".")
    ? { kind: "found", provinceCode: code.slice(0, 2), regencyCode: code }
    : { kind: "found", provinceCode: code, regencyCode: null };
}

/** The label of a province or regency code. */
export function labelForCode(code: string): string {
  return code.includes(".")
    ? labelForCodes({ provinceCode: code.slice(0, 2), regencyCode: code })
    : labelForCodes({ provinceCode: code });
}
