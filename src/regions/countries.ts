/**
 * Countries where Indonesian migrant workers and trafficking victims are most often found,
 * with the names people type in Indonesian and English. Display names live in the locales.
 */

/** A destination country: ISO 3166-1 alpha-2 code and lower-case names and aliases. */
export interface Country {
  code: string;
  names: readonly string[];
}

/** The countries offered as choices in the intake, most frequent first. */
export const COMMON_DESTINATIONS: readonly string[] = ["MY", "SA", "HK", "TW", "SG", "KH", "MM", "AE", "KR", "JP"];

/** Destination countries the intake recognises when typed. */
export const COUNTRIES: readonly Country[] = [
  { code: "MY", names: ["malaysia", "malaysa", "malaisia", "sabah", "sarawak", "kuala lumpur", "johor", "penang"] },
  {
    code: "SA",
    names: ["saudi arabia", "arab saudi", "saudi", "ksa", "arab", "riyadh", "jeddah", "jedah", "mekkah", "makkah"],
  },
  { code: "HK", names: ["hong kong", "hongkong", "hk"] },
  { code: "TW", names: ["taiwan", "taipei"] },
  { code: "SG", names: ["singapore", "singapura"] },
  { code: "BN", names: ["brunei", "brunei darussalam"] },
  {
    code: "AE",
    names: [
      "uae",
      "united arab emirates",
      "uni emirat arab",
      "emirat arab",
      "dubai",
      "abu dhabi",
      "persatuan emirat arab",
    ],
  },
  { code: "QA", names: ["qatar", "katar", "doha"] },
  { code: "OM", names: ["oman"] },
  { code: "KW", names: ["kuwait"] },
  { code: "BH", names: ["bahrain"] },
  { code: "JO", names: ["jordan", "yordania"] },
  { code: "TR", names: ["turkey", "turki", "turkiye"] },
  { code: "JP", names: ["japan", "jepang"] },
  { code: "KR", names: ["south korea", "korea selatan", "korea", "korsel"] },
  { code: "KH", names: ["cambodia", "kamboja", "phnom penh", "sihanoukville"] },
  { code: "MM", names: ["myanmar", "burma", "birma"] },
  { code: "LA", names: ["laos"] },
  { code: "TH", names: ["thailand", "thailan", "bangkok"] },
  { code: "PH", names: ["philippines", "filipina"] },
  { code: "VN", names: ["vietnam", "viet nam"] },
  { code: "CN", names: ["china", "tiongkok", "cina"] },
  { code: "TL", names: ["timor leste", "timor-leste", "east timor", "dili"] },
  { code: "PG", names: ["papua new guinea", "papua nugini", "png"] },
  { code: "AU", names: ["australia"] },
  { code: "US", names: ["united states", "amerika serikat", "amerika", "usa"] },
  { code: "GB", names: ["united kingdom", "inggris", "uk", "britain"] },
  { code: "NZ", names: ["new zealand", "selandia baru"] },
  { code: "PL", names: ["poland", "polandia"] },
  { code: "DE", names: ["germany", "jerman"] },
  { code: "NL", names: ["netherlands", "belanda"] },
  { code: "IT", names: ["italy", "italia"] },
  { code: "ES", names: ["spain", "spanyol"] },
  { code: "FR", names: ["france", "prancis", "perancis"] },
  { code: "RU", names: ["russia", "rusia"] },
  { code: "IN", names: ["india"] },
  { code: "LK", names: ["sri lanka"] },
  { code: "FJ", names: ["fiji"] },
  { code: "ZA", names: ["south africa", "afrika selatan"] },
  { code: "SO", names: ["somalia"] },
  { code: "MV", names: ["maldives", "maladewa"] },
];

/** All codes the locales must name. */
export const COUNTRY_CODES: readonly string[] = COUNTRIES.map((c) => c.code);
