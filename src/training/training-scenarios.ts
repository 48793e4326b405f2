import type { ServiceType } from "../domain/case-services.ts";

/**
 * One exercise of the training mode: a synthetic reporter files a report through the real
 * conversation, and the trainee, enrolled as an agent of the office it reaches, works the case.
 * Everything in it is invented: no person, number or organisation here is real.
 */
export interface TrainingScenario {
  /** What the trainee types to pick it (`--scenario`). */
  id: string;
  /** The locale key of its title and its brief (`training:scenario.<key>.title` / `.brief`). */
  key: string;
  /**
   * What the synthetic reporter types, from "lapor" to the confirmation, then anything after it.
   * `{reference}` and `{pin}` stand for the report's number and PIN, `{duressPin}` for a second
   * PIN the reporter sets (never equal to the first).
   */
  reporterLines: readonly string[];
  /** The services a good handling records (each at least once). */
  expectedServices: readonly ServiceType[];
  /** Services that are also right to record here; anything else counts as a wrong service. */
  alsoRight: readonly ServiceType[];
  /**
   * Whether the trainee should write to the reporter: "required" when the reporter waits for word,
   * "forbidden" when the reporter's phone is known to be in other hands (a duress PIN was used).
   */
  replyToReporter: "required" | "forbidden";
}

/** The shipped scenarios, in the order they are listed. */
export const TRAINING_SCENARIOS: readonly TrainingScenario[] = [
  {
    id: "nunukan-anak",
    key: "nunukanChild",
    reporterLines: [
      "lapor",
      "tidak",
      "5",
      "4",
      "4",
      "nunukan",
      "ya",
      "1",
      "1",
      "1",
      "Anak perempuan 15 tahun asal Lombok Timur (NTB), dipulangkan dari Malaysia lewat pelabuhan Nunukan kemarin. Dia bekerja di kebun tanpa gaji, paspornya ditahan agen. Sekarang di pos kami, belum ada keluarga yang menjemput. Dia demam dan ingin pulang ke NTB.",
      "1",
      "1",
      "1",
    ],
    expectedServices: ["SHELTER", "HEALTH", "RETURN_TRAVEL"],
    alsoRight: ["PSYCHOSOCIAL", "FAMILY_REUNIFICATION", "DOCUMENTS", "COMPLAINT_HANDLING", "SOCIAL_REHABILITATION"],
    replyToReporter: "required",
  },
  {
    id: "nelayan-luar-negeri",
    key: "fisherman",
    reporterLines: [
      "lapor",
      "tidak",
      "2",
      "7",
      "4",
      "1",
      "taiwan",
      "jawa tengah",
      "dewasa",
      "laki-laki",
      "1",
      "Suami saya bekerja di kapal ikan berbendera asing di perairan Taiwan. Gajinya tidak dibayar 8 bulan, dia tidak boleh turun kapal, dan HP-nya hanya boleh dipakai seminggu sekali. Dia ingin pulang ke Pati.",
      "1",
      "1",
      "1",
    ],
    expectedServices: ["RETURN_TRAVEL", "LEGAL_AID"],
    alsoRight: ["DOCUMENTS", "RESTITUTION", "COMPLAINT_HANDLING", "FAMILY_REUNIFICATION", "PSYCHOSOCIAL", "HEALTH"],
    replyToReporter: "required",
  },
  {
    id: "pin-darurat",
    key: "duressPin",
    reporterLines: [
      "lapor",
      "tidak",
      "1",
      "8",
      "4",
      "batam",
      "ya",
      "dewasa",
      "perempuan",
      "1",
      "Saya bekerja di rumah majikan di Batam. Gaji ditahan, saya tidak boleh keluar rumah, dan HP saya sering diperiksa.",
      "1",
      "1",
      "1",
      // The reporter sets a duress PIN, and later someone makes her open the status with it.
      "8",
      "4",
      "1",
      "{pin}",
      "{duressPin}",
      "menu",
      "status",
      "{reference}",
      "{duressPin}",
    ],
    expectedServices: ["COMPLAINT_HANDLING"],
    alsoRight: ["WITNESS_PROTECTION", "SHELTER", "LEGAL_AID", "PSYCHOSOCIAL"],
    replyToReporter: "forbidden",
  },
];

/** The scenario with this id, or null. */
export function findScenario(id: string): TrainingScenario | null {
  return TRAINING_SCENARIOS.find((s) => s.id === id.trim().toLowerCase()) ?? null;
}

/** A second PIN for the duress scenario that can never equal the report's own. */
export function duressPinFor(pin: string): string {
  return String((Number(pin) + 500_000) % 1_000_000).padStart(6, "0");
}
