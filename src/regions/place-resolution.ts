/**
 * The shapes the place resolver answers with, shared by the text and GPS resolvers, the CLI and
 * the dialogue. Codes are idn-area-data's dotted Kemendagri codes and names are its names.
 */

/** An administrative area: dotted Kemendagri code ("32.01.01") and official name. */
export interface Area {
  code: string;
  name: string;
}

/** One possible reading of a place, with a short human label such as "Kab. Bogor, Jawa Barat". */
export interface PlaceCandidate {
  province: Area;
  regency: Area | null;
  district: Area | null;
  village: Area | null;
  label: string;
}

/** What a typed place or GPS point resolved to; with "ambiguous" the candidates carry the options. */
export interface PlaceResolution {
  query: string;
  status: "resolved" | "ambiguous" | "abroad" | "not_found";
  province: Area | null;
  regency: Area | null;
  district: Area | null;
  village: Area | null;
  country: { code: string; name: string } | null;
  candidates: PlaceCandidate[];
  /**
   * GPS only: the point lies within a few kilometres of a provincial border, so the province is
   * less certain; the candidates then hold the place found first and the one across the border.
   */
  nearBorder?: boolean;
}

/** Resolves typed places and GPS points in Indonesia to Kemendagri areas. */
export interface PlaceResolver {
  resolveText(query: string): PlaceResolution;
  resolvePoint(latitude: number, longitude: number): PlaceResolution;
}

/** The answer for input that names no place. */
export function notFound(query: string): PlaceResolution {
  return {
    query,
    status: "not_found",
    province: null,
    regency: null,
    district: null,
    village: null,
    country: null,
    candidates: [],
  };
}
