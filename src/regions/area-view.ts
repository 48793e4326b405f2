/**
 * Turns indices into the area tables into the public shapes: the chain of areas from province
 * down, and the short label a person reads ("Kec. Makasar, Kota Adm. Jakarta Timur, DKI Jakarta").
 */

import type { Area, PlaceCandidate } from "./place-resolution.ts";
import { shortProvinceName, shortRegencyName } from "./place-text.ts";
import type { AreaTable, VillageTable } from "./region-data.ts";

/** The province, regency and district an area index stands in (itself included). */
export function areaChain(areas: AreaTable, index: number): { province: number; regency: number; district: number } {
  const chain = { province: -1, regency: -1, district: -1 };
  for (let i = index; i >= 0; i = areas.parents[i] as number) {
    const level = areas.levels[i];
    if (level === 1) chain.province = i;
    else if (level === 2) chain.regency = i;
    else chain.district = i;
  }
  return chain;
}

function area(areas: AreaTable, index: number): Area | null {
  if (index < 0) return null;
  return { code: areas.codes[index] as string, name: areas.names[index] as string };
}

/** The candidate for an area (or, when village is given, for that village in the village table). */
export function describeArea(
  areas: AreaTable,
  index: number,
  villages?: { table: VillageTable; index: number },
): PlaceCandidate {
  const chain = areaChain(areas, index);
  const province = area(areas, chain.province) as Area;
  const regency = area(areas, chain.regency);
  const district = area(areas, chain.district);
  const village = villages
    ? { code: villages.table.codes[villages.index] as string, name: villages.table.names[villages.index] as string }
    : null;
  const parts: string[] = [];
  // Kemendagri numbers kelurahan 1xxx and desa 2xxx within a district.
  if (village) parts.push(`${village.code.charAt(village.code.length - 4) === "1" ? "Kel." : "Desa"} ${village.name}`);
  if (district) parts.push(`Kec. ${district.name}`);
  if (regency) parts.push(shortRegencyName(regency.name));
  parts.push(shortProvinceName(province.name));
  return { province, regency, district, village, label: parts.join(", ") };
}
