/**
 * Countries where Indonesian migrant workers and trafficking victims are most often found,
 * with the names people type in Indonesian and English. Display names live in the locales.
 */

/** A destination country: ISO 3166-1 alpha-2 code, English name, and lower-case names and aliases. */
export interface Country {
  code: string;
  name: string;
  names: readonly string[];
}

/** The countries offered as choices in the intake, most frequent first. */
export const COMMON_DESTINATIONS: readonly string[] = ["MY", "SA", "HK", "TW", "SG", "KH", "MM", "AE", "KR", "JP"];

/** Destination countries the intake recognises when typed. */
export const COUNTRIES: readonly Country[] = [
  {
    code: "MY",
    name: "Malaysia",
    names: [
      "malaysia",
      "malaysa",
      "malaisia",
      "sabah",
      "sarawak",
      "kuala lumpur",
      "johor",
      "penang",
      "negeri jiran",
      "kuching",
      "kota kinabalu",
      "tawau",
    ],
  },
  {
    code: "SA",
    name: "Saudi Arabia",
    names: ["saudi arabia", "arab saudi", "saudi", "ksa", "arab", "riyadh", "jeddah", "jedah", "mekkah", "makkah"],
  },
  { code: "HK", name: "Hong Kong", names: ["hong kong", "hongkong", "hk", "hongkang"] },
  { code: "TW", name: "Taiwan", names: ["taiwan", "taipei"] },
  { code: "SG", name: "Singapore", names: ["singapore", "singapura", "singapur"] },
  { code: "BN", name: "Brunei", names: ["brunei", "brunei darussalam"] },
  {
    code: "AE",
    name: "United Arab Emirates",
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
  { code: "QA", name: "Qatar", names: ["qatar", "katar", "doha"] },
  { code: "OM", name: "Oman", names: ["oman"] },
  { code: "KW", name: "Kuwait", names: ["kuwait"] },
  { code: "BH", name: "Bahrain", names: ["bahrain"] },
  { code: "JO", name: "Jordan", names: ["jordan", "yordania"] },
  { code: "TR", name: "Turkey", names: ["turkey", "turki", "turkiye"] },
  { code: "JP", name: "Japan", names: ["japan", "jepang", "tokyo", "osaka"] },
  { code: "KR", name: "South Korea", names: ["south korea", "korea selatan", "korea", "korsel", "seoul", "busan"] },
  { code: "KH", name: "Cambodia", names: ["cambodia", "kamboja", "phnom penh", "sihanoukville"] },
  { code: "MM", name: "Myanmar", names: ["myanmar", "burma", "birma"] },
  { code: "LA", name: "Laos", names: ["laos"] },
  { code: "TH", name: "Thailand", names: ["thailand", "thailan", "bangkok"] },
  { code: "PH", name: "Philippines", names: ["philippines", "filipina"] },
  { code: "VN", name: "Vietnam", names: ["vietnam", "viet nam"] },
  { code: "CN", name: "China", names: ["china", "tiongkok", "cina"] },
  { code: "TL", name: "Timor-Leste", names: ["timor leste", "timor-leste", "east timor", "dili"] },
  { code: "PG", name: "Papua New Guinea", names: ["papua new guinea", "papua nugini", "png"] },
  { code: "AU", name: "Australia", names: ["australia"] },
  { code: "US", name: "United States", names: ["united states", "amerika serikat", "amerika", "usa"] },
  { code: "GB", name: "United Kingdom", names: ["united kingdom", "inggris", "uk", "britain"] },
  { code: "NZ", name: "New Zealand", names: ["new zealand", "selandia baru"] },
  { code: "PL", name: "Poland", names: ["poland", "polandia"] },
  { code: "DE", name: "Germany", names: ["germany", "jerman"] },
  { code: "NL", name: "Netherlands", names: ["netherlands", "belanda"] },
  { code: "IT", name: "Italy", names: ["italy", "italia"] },
  { code: "ES", name: "Spain", names: ["spain", "spanyol"] },
  { code: "FR", name: "France", names: ["france", "prancis", "perancis"] },
  { code: "RU", name: "Russia", names: ["russia", "rusia"] },
  { code: "IN", name: "India", names: ["india"] },
  { code: "LK", name: "Sri Lanka", names: ["sri lanka"] },
  { code: "FJ", name: "Fiji", names: ["fiji"] },
  { code: "ZA", name: "South Africa", names: ["south africa", "afrika selatan"] },
  { code: "SO", name: "Somalia", names: ["somalia"] },
  { code: "MV", name: "Maldives", names: ["maldives", "maladewa"] },
];

/** All codes the locales must name. */
export const COUNTRY_CODES: readonly string[] = COUNTRIES.map((c) => c.code);
