/**
 * The 38 provinces of Indonesia with their Kemendagri codes and names as idn-area-data
 * (ODbL) gives them, plus the short names people type. A test checks the list against the
 * package's provinces.csv.
 */

/** A province: Kemendagri code, official name, time zone for scheduling, and typed aliases. */
export interface Province {
  code: string;
  name: string;
  timeZone: "Asia/Jakarta" | "Asia/Makassar" | "Asia/Jayapura";
  aliases: readonly string[];
}

const WIB = "Asia/Jakarta";
const WITA = "Asia/Makassar";
const WIT = "Asia/Jayapura";

/** All provinces in code order. */
export const PROVINCES: readonly Province[] = [
  { code: "11", name: "Aceh", timeZone: WIB, aliases: ["nad", "nanggroe aceh darussalam", "aceh darussalam"] },
  {
    code: "12",
    name: "Sumatera Utara",
    timeZone: WIB,
    aliases: ["sumut", "north sumatra", "sumatra utara", "north sumatera"],
  },
  {
    code: "13",
    name: "Sumatera Barat",
    timeZone: WIB,
    aliases: ["sumbar", "west sumatra", "sumatra barat", "west sumatera"],
  },
  { code: "14", name: "Riau", timeZone: WIB, aliases: [] },
  { code: "15", name: "Jambi", timeZone: WIB, aliases: [] },
  {
    code: "16",
    name: "Sumatera Selatan",
    timeZone: WIB,
    aliases: ["sumsel", "south sumatra", "sumatra selatan", "south sumatera"],
  },
  { code: "17", name: "Bengkulu", timeZone: WIB, aliases: [] },
  { code: "18", name: "Lampung", timeZone: WIB, aliases: [] },
  {
    code: "19",
    name: "Kepulauan Bangka Belitung",
    timeZone: WIB,
    aliases: ["babel", "bangka belitung", "bangka belitung islands", "kep bangka belitung"],
  },
  { code: "21", name: "Kepulauan Riau", timeZone: WIB, aliases: ["kepri", "riau islands", "kep riau"] },
  {
    code: "31",
    name: "Daerah Khusus Ibukota Jakarta",
    timeZone: WIB,
    aliases: [
      "jakarta",
      "dki",
      "dki jakarta",
      "daerah khusus jakarta",
      "dkj",
      "jakarta raya",
      "special capital region of jakarta",
    ],
  },
  { code: "32", name: "Jawa Barat", timeZone: WIB, aliases: ["jabar", "west java"] },
  { code: "33", name: "Jawa Tengah", timeZone: WIB, aliases: ["jateng", "central java"] },
  {
    code: "34",
    name: "Daerah Istimewa Yogyakarta",
    timeZone: WIB,
    aliases: [
      "diy",
      "yogyakarta",
      "jogja",
      "jogjakarta",
      "yogya",
      "di yogyakarta",
      "special region of yogyakarta",
      "daerah istimewa jogja",
    ],
  },
  { code: "35", name: "Jawa Timur", timeZone: WIB, aliases: ["jatim", "east java"] },
  { code: "36", name: "Banten", timeZone: WIB, aliases: [] },
  { code: "51", name: "Bali", timeZone: WITA, aliases: [] },
  { code: "52", name: "Nusa Tenggara Barat", timeZone: WITA, aliases: ["ntb", "west nusa tenggara"] },
  { code: "53", name: "Nusa Tenggara Timur", timeZone: WITA, aliases: ["ntt", "east nusa tenggara"] },
  { code: "61", name: "Kalimantan Barat", timeZone: WIB, aliases: ["kalbar", "west kalimantan"] },
  { code: "62", name: "Kalimantan Tengah", timeZone: WIB, aliases: ["kalteng", "central kalimantan"] },
  { code: "63", name: "Kalimantan Selatan", timeZone: WITA, aliases: ["kalsel", "south kalimantan"] },
  { code: "64", name: "Kalimantan Timur", timeZone: WITA, aliases: ["kaltim", "east kalimantan"] },
  { code: "65", name: "Kalimantan Utara", timeZone: WITA, aliases: ["kaltara", "north kalimantan"] },
  { code: "71", name: "Sulawesi Utara", timeZone: WITA, aliases: ["sulut", "north sulawesi"] },
  { code: "72", name: "Sulawesi Tengah", timeZone: WITA, aliases: ["sulteng", "central sulawesi"] },
  { code: "73", name: "Sulawesi Selatan", timeZone: WITA, aliases: ["sulsel", "south sulawesi"] },
  {
    code: "74",
    name: "Sulawesi Tenggara",
    timeZone: WITA,
    aliases: ["sultra", "southeast sulawesi", "south east sulawesi"],
  },
  { code: "75", name: "Gorontalo", timeZone: WITA, aliases: [] },
  { code: "76", name: "Sulawesi Barat", timeZone: WITA, aliases: ["sulbar", "west sulawesi"] },
  { code: "81", name: "Maluku", timeZone: WIT, aliases: [] },
  { code: "82", name: "Maluku Utara", timeZone: WIT, aliases: ["malut", "north maluku", "north moluccas"] },
  { code: "91", name: "Papua", timeZone: WIT, aliases: [] },
  { code: "92", name: "Papua Barat", timeZone: WIT, aliases: ["west papua", "pabar"] },
  { code: "93", name: "Papua Selatan", timeZone: WIT, aliases: ["south papua", "papsel"] },
  { code: "94", name: "Papua Tengah", timeZone: WIT, aliases: ["central papua", "papteng"] },
  {
    code: "95",
    name: "Papua Pegunungan",
    timeZone: WIT,
    aliases: ["highland papua", "papua highlands", "highlands papua"],
  },
  { code: "96", name: "Papua Barat Daya", timeZone: WIT, aliases: ["southwest papua", "south west papua", "pbd"] },
];

const BY_CODE = new Map(PROVINCES.map((p) => [p.code, p]));

/** The province with this code, or undefined. */
export function provinceByCode(code: string): Province | undefined {
  return BY_CODE.get(code);
}
