/**
 * Whole reports as a person would type them, in both languages and through every kind of
 * step (choices by number and by label, typed places, free text, edits). The benchmark
 * cycles through them; each ends with a submitted report.
 */
export interface IntakeScript {
  name: string;
  language: "id" | "en";
  lines: readonly string[];
}

/** The scripts, each one report from a fresh chat. */
export const INTAKE_SCRIPTS: readonly IntakeScript[] = [
  {
    name: "id-full-family",
    language: "id",
    lines: [
      "halo",
      "lapor",
      "tidak",
      "2",
      "1",
      "ya",
      "2",
      "1",
      "1",
      "jatim",
      "ya",
      "dewasa",
      "perempuan",
      "1",
      "Kakak saya bekerja di pabrik, paspornya ditahan dan gajinya tidak dibayar sejak Juni.",
      "1",
      "1",
      "1",
    ],
  },
  {
    name: "en-abroad-anonymous",
    language: "en",
    lines: [
      "hello",
      "report",
      "no",
      "witness",
      "3",
      "skip these questions",
      "abroad",
      "malaysia",
      "west java",
      "adult",
      "female",
      "2",
      "Several women from our village were promised jobs in a restaurant and are now locked in a house.",
      "3",
      "1",
      "1",
    ],
  },
  {
    name: "id-urgent-minimal",
    language: "id",
    lines: ["halo", "1", "ya", "Kab. Bogor", "1", "1", "1", "lewati", "1", "1", "1"],
  },
  {
    name: "en-edit-before-send",
    language: "en",
    lines: [
      "hi",
      "1",
      "2",
      "1",
      "7",
      "no",
      "no",
      "yes",
      "yes",
      "Kupang",
      "2",
      "adult",
      "2",
      "1",
      "yes",
      "I was told the boat job paid well but we work twenty hours a day and cannot leave.",
      "2",
      "0812 3456 7890",
      "1",
      "2",
      "5",
      "We work on a fishing boat out of Kupang harbour, twenty hours a day, and the captain keeps our papers.",
      "1",
    ],
  },
];
