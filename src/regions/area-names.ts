/**
 * Human labels for stored area codes ("Kab. Bogor, Jawa Barat"), for cards, summaries and
 * details. Reads the generated area table once, on first use.
 */
import type { PlaceResolution } from "./place-resolution.ts";
import { shortProvinceName, shortRegencyName } from "./place-text.ts";
import { type AreaTable, loadAreas } from "./region-data.ts";

let areas: AreaTable | null = null;

function nameOf(code: string | null | undefined): string | null {
  if (!code) return null;
  areas ??= loadAreas();
  const index = areas.byCode.get(code);
  return index === undefined ? null : (areas.names[index] ?? null);
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
