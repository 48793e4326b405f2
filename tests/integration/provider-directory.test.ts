import { afterEach, describe, expect, it } from "vitest";
import type { ProviderRecord } from "../../src/domain/providers.ts";
import { fictionalProviders } from "../support/fictional-providers.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

const codes = (providers: ProviderRecord[]) => providers.map((p) => p.code);

describe("the partner directory", () => {
  it("ships empty, imports the file whole, and finds who serves a place with the services needed", async () => {
    const t = await startTestApp();
    open.push(t);
    const providers = t.app.providers;
    expect(await providers.list({ includeInactive: true })).toEqual([]);

    const now = t.clock.now();
    expect(await providers.importAll(fictionalProviders(), now)).toEqual({ added: 4, updated: 0 });
    expect(await providers.list({ includeInactive: true })).toEqual(
      [...fictionalProviders()]
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((p) => ({
          ...p,
          services: [...p.services].sort(),
          areas: [...p.areas].sort((a, b) => `${a.regencyCode}`.localeCompare(`${b.regencyCode}`)),
        })),
    );
    // Inactive ones are left out unless asked for.
    expect(codes(await providers.list())).toEqual(["IOM-FIKTIF", "NTB-LBH-FIKTIF", "NTB-RUMAH-AMAN-FIKTIF"]);

    // Kota Mataram: the legal-aid NGO serves it (one of its two regencies), the shelter all of NTB.
    const mataram = { provinceCode: "52", regencyCode: "52.71" };
    expect(codes(await providers.list({ place: mataram }))).toEqual([
      "IOM-FIKTIF",
      "NTB-LBH-FIKTIF",
      "NTB-RUMAH-AMAN-FIKTIF",
    ]);
    expect(codes(await providers.list({ place: mataram, services: ["LEGAL_AID"] }))).toEqual(["NTB-LBH-FIKTIF"]);
    expect(codes(await providers.list({ place: mataram, services: ["SHELTER", "HEALTH"] }))).toEqual([
      "NTB-RUMAH-AMAN-FIKTIF",
    ]);
    expect(codes(await providers.list({ place: mataram, services: ["SHELTER", "LEGAL_AID"] }))).toEqual([]);
    // Kab. Lombok Tengah is outside the NGO's regencies; Papua has only the national organisation.
    expect(codes(await providers.list({ place: { provinceCode: "52", regencyCode: "52.02" } }))).toEqual([
      "IOM-FIKTIF",
      "NTB-RUMAH-AMAN-FIKTIF",
    ]);
    expect(codes(await providers.list({ place: { provinceCode: "94", regencyCode: null } }))).toEqual(["IOM-FIKTIF"]);
    // Nunukan's clinic is inactive: a case there finds the national organisation only.
    expect(codes(await providers.list({ place: { provinceCode: "65", regencyCode: "65.03" } }))).toEqual([
      "IOM-FIKTIF",
    ]);
  });

  it("replaces a provider whole on a second import, and keeps the ones the file leaves out", async () => {
    const t = await startTestApp();
    open.push(t);
    const providers = t.app.providers;
    await providers.importAll(fictionalProviders(), t.clock.now());
    const lbh = fictionalProviders().find((p) => p.code === "NTB-LBH-FIKTIF") as ProviderRecord;
    const moved = { ...lbh, services: ["LEGAL_AID" as const], areas: [{ provinceCode: "53", regencyCode: null }] };
    expect(await providers.importAll([moved], t.clock.now())).toEqual({ added: 0, updated: 1 });
    expect(await providers.get("ntb-lbh-fiktif")).toMatchObject({ services: ["LEGAL_AID"], areas: moved.areas });
    expect(codes(await providers.list({ place: { provinceCode: "52", regencyCode: "52.71" } }))).toEqual([
      "IOM-FIKTIF",
      "NTB-RUMAH-AMAN-FIKTIF",
    ]);
    expect(await providers.list({ includeInactive: true })).toHaveLength(4);
  });

  it("records a verification with the next review date, and takes a provider out of the lists and back", async () => {
    const t = await startTestApp();
    open.push(t);
    const providers = t.app.providers;
    await providers.importAll(fictionalProviders(), t.clock.now());
    const now = new Date("2026-12-06T05:00:00Z");
    const verified = await providers.verify("NTB-RUMAH-AMAN-FIKTIF", now, 6);
    expect(verified).toMatchObject({ verifiedAt: now, reviewDueAt: new Date("2027-06-06T05:00:00Z") });
    expect(await providers.verify("NO-SUCH", now, 6)).toBeNull();

    await providers.setActive("NTB-RUMAH-AMAN-FIKTIF", false, now);
    expect(codes(await providers.list({ services: ["SHELTER"] }))).toEqual([]);
    await providers.setActive("NTB-RUMAH-AMAN-FIKTIF", true, now);
    expect(codes(await providers.list({ services: ["SHELTER"] }))).toEqual(["NTB-RUMAH-AMAN-FIKTIF"]);
  });
});
