import { afterEach, describe, expect, it } from "vitest";
import { textOf } from "../support/engine-chat.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

describe('a Batam report confirmed with "iya betul"', () => {
  it("is routed to Kepulauan Riau (UPTD PPA for a child), not to where the words also name a place", async () => {
    const t = await startTestApp();
    open.push(t);
    await t.sendAll("ibu", "halo", "lapor", "ya");
    expect(textOf(await t.send("ibu", "anak saya di batam kak"))).toContain(
      "Tempatnya: Kota Batam, Kepulauan Riau. Benar?",
    );
    await t.sendAll("ibu", "iya betul", "anak", "cewe", "lewati", "iya boleh", "iya setuju");
    const done = textOf(await t.send("ibu", "iya bener"));
    const reference = /Nomor laporan: ([0-9A-Z-]{14})/.exec(done)?.[1] as string;
    expect(reference).toBeTruthy();
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } });
    expect(row).toMatchObject({
      urgency: "URGENT",
      provinceCode: "21",
      regencyCode: "21.71",
      victimAgeGroup: "CHILD",
      officeCode: "UPTDPPA-21",
    });
  });
});
