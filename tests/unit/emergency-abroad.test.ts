import { describe, expect, it } from "vitest";
import {
  EmergencyDirectory,
  loadShippedEmergencyContacts,
  parseCountryEntry,
  parseEmergencyContacts,
} from "../../src/directory/emergency-contacts.ts";
import { EngineChat, textOf } from "../support/engine-chat.ts";

/** The destinations issue 11 names; each has an entry (possibly without a sourced number). */
const DESTINATIONS = [
  "MY",
  "SA",
  "HK",
  "TW",
  "SG",
  "AE",
  "QA",
  "KW",
  "OM",
  "BN",
  "KR",
  "JP",
  "KH",
  "MM",
  "TH",
  "LA",
  "PH",
  "TR",
  "PL",
];

/** Short and toll-free Indonesian numbers: unreachable from abroad. */
const INDONESIAN_SHORT = /:\s*(112|110|129)\b|(telepon|call) 129|0800|\b08111/;

describe("the emergency contacts file", () => {
  const file = loadShippedEmergencyContacts();

  it("has an entry for every main destination, and every number carries its public source and date", () => {
    expect(file.countries.map((c) => c.country).sort()).toEqual([...DESTINATIONS].sort());
    for (const entry of file.countries) {
      for (const mission of entry.missions) {
        expect(mission.source.url).toMatch(/^https?:\/\//);
        expect(mission.source.date).toMatch(/^\d{4}-\d{2}/);
        for (const number of mission.numbers) expect(number).toMatch(/^\+[1-9]/);
      }
      for (const local of entry.local) expect(local.source.url).toMatch(/^https?:\/\//);
    }
    expect(file.general.kemluHotline.numbers[0]).toMatch(/^\+62 /);
  });

  it("rejects an entry without a source, a number in local form, and an Indonesian toll-free number", () => {
    const raw = structuredClone(file) as unknown as { countries: Array<{ missions: Array<Record<string, unknown>> }> };
    const mission = raw.countries.find((c) => c.missions.length > 0)?.missions[0] as Record<string, unknown>;
    delete mission.source;
    expect(() => parseEmergencyContacts(raw)).toThrow(/source/);
    const base = { country: "SA", local: [] };
    const source = { url: "https://example.org/a", date: "2024-01-02", publisher: "KBRI Riyadh" };
    expect(() =>
      parseCountryEntry({ ...base, missions: [{ name: "KBRI Riyadh", numbers: ["0569173990"], source }] }),
    ).toThrow();
    expect(() =>
      parseCountryEntry({ ...base, missions: [{ name: "KBRI Riyadh", numbers: ["+62 800 1000 000"], source }] }),
    ).toThrow(/toll-free/);
    expect(() =>
      parseCountryEntry({ ...base, missions: [{ name: "KBRI Riyadh", numbers: ["+966 56 917 3990"] }] }),
    ).toThrow();
    expect(
      parseCountryEntry({ ...base, missions: [{ name: "KBRI Riyadh", numbers: ["+966 56 917 3990"], source }] })
        .missions,
    ).toHaveLength(1);
  });

  it("lets an admin's edit replace the shipped entry", () => {
    const source = { url: "https://example.org/new", date: "2026-12-01", publisher: "KBRI" };
    const entry = parseCountryEntry({
      country: "SA",
      local: [],
      missions: [{ name: "KBRI Riyadh", numbers: ["+966 50 000 0001"], source }],
    });
    const directory = new EmergencyDirectory(
      file,
      new Map([["SA", { entry, confirmedAt: new Date(), confirmedBy: "ani" }]]),
    );
    expect(directory.forCountry("SA")?.missions[0]?.numbers).toEqual(["+966 50 000 0001"]);
    expect(directory.forCountry("SA")?.confirmedBy).toBe("ani");
    expect(directory.forCountry("MY")?.confirmedAt).toBeNull();
  });
});

describe("a victim abroad in danger", () => {
  it("gets her country's numbers in international format at once, and never the Indonesian short codes", async () => {
    const chat = new EngineChat();
    await chat.send("tolong kak saya dikurung majikan di riyadh, paspor saya ditahan");
    const danger = textOf(await chat.send("iya"));
    expect(danger).toContain("Arab Saudi");
    expect(danger).toContain("KBRI Riyadh: +966 56 917 3990 atau +966 56 909 4526");
    expect(danger).toContain("KJRI Jeddah: +966 50 360 9667");
    expect(danger).toContain("Darurat setempat (polisi, ambulans, pemadam): 911");
    expect(danger).toContain("+62 812-9007-0027");
    expect(danger).toContain("Nomor bisa berubah; cek juga aplikasi Safe Travel.");
    expect(danger).toContain("+62 8111-129-129");
    expect(danger).not.toMatch(INDONESIAN_SHORT);
  });

  it("keeps using the country once the place is abroad, also after the report is sent", async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.sendAll("report", "no", "skip", "skip", "skip these questions", "abroad", "Malaysia", "don't know");
    const numbers = textOf(await chat.send("emergency"));
    expect(numbers).toContain("KBRI Kuala Lumpur: +60 17-668 8032");
    expect(numbers).toContain("Local emergency (police, ambulance, fire): 999");
    expect(numbers).not.toMatch(INDONESIAN_SHORT);
    await chat.sendAll("adult", "female", "one person", "skip", "no, i want to stay anonymous");
    expect(chat.lastText()).toContain("KP2MI (the Ministry for the Protection of Indonesian Migrant Workers)");
    expect(chat.lastText()).not.toContain("Dinas Sosial or UPTD PPA");
    await chat.sendAll("yes", "send the report");
    const after = textOf(await chat.send("emergency"));
    expect(after).toContain("KBRI Kuala Lumpur");
  });

  it("names KP2MI and the home province's Dinas Sosial in the consent when the home province is known", async () => {
    const chat = new EngineChat();
    await chat.sendAll(
      "lapor",
      "tidak",
      "lewati",
      "lewati",
      "lewati pertanyaan-pertanyaan ini",
      "luar negeri",
      "Taiwan",
      "Jawa Timur",
    );
    await chat.sendAll("dewasa", "perempuan", "1", "lewati", "tidak, saya ingin anonim");
    expect(chat.lastText()).toContain(
      "KP2MI (Kementerian Pelindungan Pekerja Migran Indonesia), dengan salinan untuk Dinas Sosial Provinsi Jawa Timur",
    );
  });

  it("a country without a sourced mission number falls back to Safe Travel and the Kemlu hotline", async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.sendAll("report", "no", "skip", "skip", "skip these questions", "abroad", "Brunei", "don't know");
    const numbers = textOf(await chat.send("emergency"));
    expect(numbers).toContain("We do not have a number of the Indonesian embassy or consulate in this country yet");
    expect(numbers).toContain("Safe Travel");
    expect(numbers).toContain("+62 812-9007-0027");
  });

  it("in Indonesia the public Indonesian numbers stay", async () => {
    const chat = new EngineChat();
    const text = textOf(await chat.send("darurat"));
    expect(text).toContain("112");
    expect(text).toContain("08111-129-129");
  });
});
