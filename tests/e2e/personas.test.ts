import { describe, expect, it } from "vitest";
import { loadShippedEmergencyContacts } from "../../src/directory/emergency-contacts.ts";
import { NOT_UNDERSTOOD, PERSONAS } from "../support/personas.ts";
import { freshDataDir, messagesOf, runNpm } from "../support/run-command.ts";

/**
 * Six reporters of our own writing play whole conversations through the terminal simulator
 * (`npm run chat`), typing as people do. Each must reach a reference with at most one "not
 * understood" reply, and the case must land at the office the routing table names.
 */
describe("personas through the terminal simulator", () => {
  it.each(PERSONAS.map((p) => [p.user, p] as const))(
    "%s reaches a reference and the right office",
    async (_, persona) => {
      const { env } = freshDataDir();
      const result = await runNpm(
        "chat",
        ["--user", persona.user, "--lang", persona.lang],
        `${persona.lines.join("\n")}\n`,
        env,
      );
      expect(result.code).toBe(0);
      const messages = messagesOf(result.stdout);
      const notUnderstood = messages.filter((m) => NOT_UNDERSTOOD.some((phrase) => m.text.includes(phrase)));
      const reference = /(?:Nomor laporan|Reference): ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(result.stdout)?.[1];
      // The closing note of the README lists these figures.
      process.stderr.write(
        `persona ${persona.user}: ${persona.lines.length} turns, ${notUnderstood.length} "not understood"\n`,
      );
      expect(reference, result.stdout).toBeDefined();
      expect(notUnderstood.length, notUnderstood.map((m) => m.text).join("\n---\n")).toBeLessThanOrEqual(1);

      const listing = await runNpm("admin", ["cases", "--json"], "", env);
      const cases = JSON.parse(listing.stdout) as Array<Record<string, unknown>>;
      const filed = cases.find((c) => c.reference === reference);
      expect(filed).toMatchObject({
        officeCode: persona.expect.officeCode,
        copiedTo: persona.expect.copiedTo,
        country: persona.expect.country,
        provinceCode: persona.expect.provinceCode,
      });

      if (persona.user === "rina") {
        // The victim abroad sees her country's mission hotline in international format, never 112 or 0800.
        const kbri = loadShippedEmergencyContacts()
          .countries.find((c) => c.country === "SA")
          ?.missions.find((m) => m.name === "KBRI Riyadh");
        expect(kbri?.source.url).toMatch(/^https:\/\/safetravel\.kemlu\.go\.id\//);
        const emergency = messages.filter((m) => m.text.includes("Nomor yang bisa dihubungi dari Arab Saudi"));
        expect(emergency.length).toBeGreaterThanOrEqual(2);
        for (const message of emergency) {
          expect(message.text).toContain(`KBRI Riyadh: ${kbri?.numbers.join(" atau ")}`);
          expect(message.text).toContain("Nomor bisa berubah; cek juga aplikasi Safe Travel.");
          expect(message.text).not.toMatch(/:\s*(112|110)\b|0800|\b08111/);
        }
        expect(result.stdout).toContain(
          "KP2MI (Kementerian Pelindungan Pekerja Migran Indonesia), dengan salinan untuk Dinas Sosial Provinsi Jawa Barat",
        );
      }
      if (persona.user === "ngo") {
        expect(result.stdout).toContain("This bot passes nothing to the police");
        expect(result.stdout).toContain("type your report PIN (6 digits)");
      }
    },
  );
});
