/**
 * Six reporters of our own writing, typing as people do (issue 11, "Done when"): both languages,
 * a victim abroad, a self-report, a story in the first message, an anonymous tip. Each script is
 * what the person types, one message per line; `expect` is where the case must land.
 */
export interface Persona {
  user: string;
  /** The language the simulator starts in (the chat's language hint). */
  lang: "id" | "en";
  lines: string[];
  expect: {
    officeCode: string;
    copiedTo: string[];
    country: string | null;
    provinceCode: string | null;
    victimNationality?: string | null;
    victimCountry?: string | null;
  };
}

/** The six personas. */
export const PERSONAS: Persona[] = [
  {
    // A frightened sister, story in the first message, child case in Batam.
    user: "sari",
    lang: "id",
    lines: [
      "kak tolong adek sy dibawa org ke batam katanya kerja di karaoke tp skrg gak bisa dihubungi",
      "gatau kak",
      "sy kakaknya",
      "iya bener",
      "ga tau",
      "gak",
      "ga tau",
      "iya",
      "iya betul",
      "16 thn",
      "cewe",
      "cuma dia",
      "udah cukup kak",
      "boleh lewat sini aja",
      "iya setuju",
      "kirim",
    ],
    expect: { officeCode: "UPTDPPA-21", copiedTo: [], country: null, provinceCode: "21" },
  },
  {
    // A woman locked in a house in Riyadh, reporting for herself, in danger.
    user: "rina",
    lang: "id",
    lines: [
      "tolong saya dikunci majikan di riyadh, paspor saya ditahan, saya mau pulang",
      "iya",
      "iya",
      "iya",
      "jawa barat",
      "28",
      "perempuan",
      "sudah cukup",
      "lewat chat ini aja",
      "iya",
      "kirim",
      "darurat",
    ],
    expect: { officeCode: "KP2MI", copiedTo: ["DINSOS-32"], country: "SA", provinceCode: null },
  },
  {
    // An NGO worker in English, anonymous, foreign fishermen in Maluku.
    user: "ngo",
    lang: "en",
    lines: [
      "hello",
      "I want to report",
      "no",
      "I'm from an NGO",
      "fishing vessel",
      "will the police know my name?",
      "yes",
      "no",
      "not sure",
      "yes",
      "Tual",
      "yes",
      "adults",
      "men",
      "about 30",
      "foreigners",
      "Myanmar",
      "Around 30 fishermen from Myanmar and Cambodia are kept on a boat in Tual harbour. They have not been paid for two years.",
      "no, i want to stay anonymous",
      "yes i agree",
      "send the report",
      "they are moving the boat out tonight",
    ],
    expect: {
      officeCode: "DINSOS-81",
      copiedTo: [],
      country: null,
      provinceCode: "81",
      victimNationality: "FOREIGN",
      victimCountry: "MM",
    },
  },
  {
    // A young woman reporting for herself, forced labour near Bekasi.
    user: "dewi",
    lang: "id",
    lines: [
      "saya mau lapor",
      "gak",
      "saya sendiri",
      "kerja paksa",
      "iya",
      "gak",
      "iya",
      "iya",
      "Kabupaten Bekasi",
      "ya",
      "19 thn",
      "cewek",
      "1 org",
      "sy kerja di pabrik 14 jam sehari, gaji ditahan, gak boleh keluar mess",
      "nomor lain",
      "0812 3456 7890",
      "iya boleh",
      "kirim",
    ],
    expect: { officeCode: "UPTDPPA-32", copiedTo: [], country: null, provinceCode: "32" },
  },
  {
    // A neighbour who saw children made to beg, anonymous, in Malang.
    user: "budi",
    lang: "id",
    lines: [
      "assalamualaikum",
      "mau lapor kak",
      "tidak",
      "tetangga",
      "eksploitasi anak",
      "lewati aja",
      "Kab. Malang",
      "iya",
      "masih SMP",
      "dua duanya",
      "lebih dr 5",
      "anak2 tetangga disuruh ngemis di perempatan sama orang dewasa tiap malam",
      "gak usah, anonim aja",
      "boleh",
      "kirim",
    ],
    expect: { officeCode: "UPTDPPA-35", copiedTo: [], country: null, provinceCode: "35" },
  },
  {
    // A brother in English, his sister in Cambodia, home province known.
    user: "maria",
    lang: "en",
    lines: [
      "hi",
      "report",
      "not sure",
      "I'm her brother",
      "migrant worker abroad",
      "skip these questions",
      "abroad",
      "Cambodia",
      "East Nusa Tenggara",
      "adult",
      "female",
      "one person",
      "My sister was promised a job in a casino in Cambodia. Now she says they beat her and she cannot leave.",
      "yes, here",
      "yes",
      "send",
    ],
    expect: { officeCode: "KP2MI", copiedTo: ["DINSOS-53"], country: "KH", provinceCode: null },
  },
];

/** Replies that mean "that answer could not be used" (the hints of the intake, status and menu). */
export const NOT_UNDERSTOOD = [
  "saya belum mengerti",
  "I didn't understand",
  "I don't understand",
  "belum saya temukan",
  "couldn't find",
  "belum bisa saya baca",
  "can't read that",
  "belum lengkap",
  "tidak bisa dilewati",
  "can't be skipped",
];
