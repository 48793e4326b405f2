/**
 * Text helpers shared by the resolver and by scripts/generate-regions.ts, so that the keys the
 * generator checks names with are the keys the resolver looks them up with.
 */
import { normalizeName } from "../text/normalize.ts";

/** Lower-case words without accents or punctuation: how every name and query is compared. */
export function placeKey(text: string): string {
  return normalizeName(text.replace(/[-–/]/g, " "));
}

/** The key without spaces, because people write "Tanjungpinang" and "Tanjung Pinang" alike. */
export function compactKey(text: string): string {
  // Plain ASCII (nearly every official name) needs no Unicode normalisation: same result, ten times faster.
  if (/^[\x20-\x7e]*$/.test(text)) return text.toLowerCase().replace(/[^a-z0-9]/g, "");
  return placeKey(text).replace(/ /g, "");
}

/** Whether a regency is a city (kota) or a regency (kabupaten), read from its official name. */
export type RegencyKind = "kota" | "kab";

const REGENCY_PREFIX = /^(kabupaten administrasi|kota administrasi|kabupaten|kota) /;

/** The regency's name without "Kabupaten"/"Kota (Administrasi)", as people usually write it. */
export function regencyCore(officialName: string): { core: string; kind: RegencyKind } {
  const key = placeKey(officialName);
  const match = REGENCY_PREFIX.exec(key);
  if (!match) return { core: key, kind: "kab" };
  return { core: key.slice(match[0].length), kind: match[1]?.startsWith("kota") ? "kota" : "kab" };
}

/** A short label for a regency: "Kab. Bogor", "Kota Adm. Jakarta Timur". */
export function shortRegencyName(officialName: string): string {
  return officialName
    .replace(/^Kabupaten Administrasi /, "Kab. Adm. ")
    .replace(/^Kota Administrasi /, "Kota Adm. ")
    .replace(/^Kabupaten /, "Kab. ");
}

/** A short label for a province: "DKI Jakarta", "DI Yogyakarta". */
export function shortProvinceName(officialName: string): string {
  return officialName.replace(/^Daerah Khusus Ibukota /, "DKI ").replace(/^Daerah Istimewa /, "DI ");
}
