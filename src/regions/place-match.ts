import { placeHead } from "../text/input-limits.ts";
import { normalizeName } from "../text/normalize.ts";
import { COUNTRIES } from "./countries.ts";
import { PROVINCES, type Province } from "./provinces.ts";

const PROVINCE_PREFIX = /^(provinsi|propinsi|prov|province of|province)\s+/;
const PROVINCE_SUFFIX = /\s+province$/;

const provinceNames: ReadonlyArray<{ province: Province; names: string[] }> = PROVINCES.map((province) => ({
  province,
  names: [normalizeName(province.name), ...province.aliases.map(normalizeName)],
}));

/**
 * Interim province matcher until the full resolver lands: exact names and aliases first,
 * then names that contain the typed words (at least 4 letters). Returns every candidate.
 */
export function matchProvinces(text: string): Province[] {
  const query = normalizeName(placeHead(text)).replace(PROVINCE_PREFIX, "").replace(PROVINCE_SUFFIX, "");
  if (!query) return [];
  const exact = provinceNames.filter((p) => p.names.includes(query)).map((p) => p.province);
  if (exact.length > 0) return exact;
  if (query.length < 4) return [];
  return provinceNames
    .filter((p) => p.names.some((name) => name.includes(query) || (name.length >= 4 && query.includes(name))))
    .map((p) => p.province);
}

/** The ISO code of a country typed by name in Indonesian or English (read from its first words), or null. */
export function matchCountry(text: string): string | null {
  const query = normalizeName(placeHead(text)).replace(/^(negara|di|ke)\s+/, "");
  if (!query) return null;
  for (const country of COUNTRIES) if (country.names.includes(query)) return country.code;
  if (query.length < 4) return null;
  for (const country of COUNTRIES)
    if (country.names.some((n) => n.length >= 4 && query.includes(n))) return country.code;
  return null;
}
