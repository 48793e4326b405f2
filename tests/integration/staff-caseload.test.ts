import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { ChannelAddress, OutboundMessage } from "../../src/channels/types.ts";
import { deactivateStaff } from "../../src/services/staff-admin.ts";
import { textOf } from "../support/engine-chat.ts";
import { enrolStaff, fileReport, seedCases } from "../support/staff-world.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

const HOUR = 60 * 60_000;

/** A message written in a group chat by one of its members. */
async function inGroup(t: TestApp, group: string, user: string, text: string): Promise<OutboundMessage[]> {
  await t.app.conversation.handle({
    address: `term:${group}` as ChannelAddress,
    sender: `term:${user}` as ChannelAddress,
    messageId: randomUUID(),
    receivedAt: t.clock.now(),
    text,
  });
  t.clock.advance(1000);
  return t.deliver(group);
}

/** Every page of /kasus with a filter, joined. */
async function allPages(t: TestApp, user: string, command: string): Promise<string> {
  let shown = textOf(await t.send(user, command));
  while (shown.endsWith("berikutnya.")) shown += `\n${textOf(await t.send(user, "lagi"))}`;
  return shown;
}

describe("a caseload of 60 cases across two offices, worked from chat", () => {
  it("filters and pages, hands over, returns a leaver's cases, records services, reopens, and audits every refusal", async () => {
    const t = await startTestApp();
    open.push(t);
    const ani = await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "budi", "Budi", "UPTDPPA-35");
    await enrolStaff(t, "sri", "Sri", "UPTDPPA-35", "SUPERVISOR");
    await enrolStaff(t, "dodi", "Dodi", "DINSOS-35");
    await enrolStaff(t, "citra", "Citra", "NATIONAL", "NATIONAL");

    // 56 cases stored as they would be after routing, 4 reported through the bot: 60 in all.
    const uptdOld = await seedCases(t, 20, { officeCode: "UPTDPPA-35" });
    const uptdMalang = await seedCases(t, 8, { officeCode: "UPTDPPA-35", regencyCode: "35.73" });
    const dinsos = await seedCases(t, 28, { officeCode: "DINSOS-35" });
    const victim = await fileReport(t, "victim", "child");
    await fileReport(t, "r2", "child");
    await fileReport(t, "r3", "adultMan");
    await fileReport(t, "r4", "adultMan");
    for (const user of ["ani", "budi", "sri", "dodi", "citra", "victim"]) await t.deliver(user);
    expect(await t.app.database.prisma.case.count()).toBe(60);

    // Pages: every one of the office's 30 cases, never a silent cut, never another office's case.
    const all = await allPages(t, "ani", "/kasus");
    expect(all).toContain("1–10 dari 30");
    expect(all).toContain("21–30 dari 30");
    for (const reference of [...uptdOld, ...uptdMalang, victim.reference]) expect(all).toContain(reference);
    for (const reference of dinsos) expect(all).not.toContain(reference);
    expect(all).toContain("belum diterima");

    // Filters: a regency, new ones, mine, overdue.
    const malang = await allPages(t, "ani", "/kasus malang");
    expect(malang).toContain("dari 8");
    for (const reference of uptdMalang) expect(malang).toContain(reference);
    await t.send("ani", `/terima ${victim.reference}`);
    await t.send("ani", `/terima ${uptdOld[0]}`);
    await t.send("ani", `/terima ${uptdOld[1]}`);
    const mine = textOf(await t.send("ani", "/kasus saya"));
    expect(mine).toContain("1–3 dari 3");
    expect(mine).toContain("ditangani Ani");
    expect(textOf(await t.send("ani", "/kasus baru"))).toContain("dari 27");
    t.clock.advance(25 * HOUR);
    const overdue = textOf(await t.send("sri", "/kasus terlambat"));
    expect(overdue).toContain("dari 27");
    expect(overdue).toContain("TERLAMBAT diterima");

    // Handover before leave: Ani hands a case to Budi; Budi hears of it and it is his.
    expect(textOf(await t.send("ani", `/serahkan ${uptdOld[0]} budi`))).toContain("sekarang ditangani Budi");
    expect(textOf(await t.deliver("budi"))).toContain(`Kasus ${uptdOld[0]} diserahkan kepada Anda oleh Ani`);
    expect(textOf(await t.send("budi", `/terima ${uptdOld[1]}`))).toContain("sudah diterima oleh Ani");
    // An agent cannot hand over a colleague's case; a supervisor can.
    expect(textOf(await t.send("budi", `/serahkan ${uptdOld[1]} budi`))).toContain("hanya bisa dilakukan supervisor");

    // Deactivation returns Ani's open cases to the queue and tells the supervisor.
    const returned = await deactivateStaff(t.app, ani, "admin:test", t.clock.now());
    expect(returned.sort()).toEqual([victim.reference, uptdOld[1]].sort());
    const notices = textOf(await t.deliver("sri"));
    expect(notices).toContain(`Kasus ${victim.reference} kembali ke antrean kantor: Ani sudah tidak aktif`);
    expect(textOf(await t.send("ani", `/detail ${victim.reference}`))).toContain("sudah tidak aktif");
    expect(textOf(await t.send("budi", `/terima ${victim.reference}`))).toContain("diterima oleh Budi");

    // Services, shown to the victim as stage states only.
    expect(textOf(await t.send("budi", `/ubahstatus ${victim.reference} asesmen`))).toContain("sekarang: Asesmen");
    expect(textOf(await t.send("budi", `/ubahstatus ${victim.reference} pendampingan pemulihan`))).toContain(
      "sekarang: Pendampingan: Pemulihan",
    );
    expect(textOf(await t.send("budi", `/layanan ${victim.reference} rumah aman; RPTC Bambu Apus; kemarin`))).toContain(
      'Layanan "Rumah aman" (Pemulihan)',
    );
    expect(textOf(await t.send("budi", `/layanan ${victim.reference} psikososial`))).toContain("tercatat");
    const access = textOf(await t.send("budi", `/akses ${victim.reference}`));
    const victimPin = /PIN korban: (\d{6})/.exec(access)?.[1] as string;
    const status = textOf(await t.send("victim-phone", `status ${victim.reference} ${victimPin}`));
    expect(status).toContain("Pemulihan: sedang berjalan");
    expect(status).toContain("Pemulangan: belum dimulai");
    expect(status).not.toContain("Rumah aman");
    expect(status).not.toContain("RPTC");
    const details = textOf(await t.send("budi", `/detail ${victim.reference}`));
    expect(details).toContain("Rumah aman (Pemulihan) – RPTC Bambu Apus · Budi");

    // Close (confirmed), then a supervisor reopens with a reason; the reporter hears both.
    await t.deliver("victim");
    expect(textOf(await t.send("budi", `/tutup ${victim.reference} dibantu`))).toContain(
      'dengan hasil "Korban sudah dibantu"?',
    );
    expect(textOf(await t.send("budi", "1"))).toContain("ditutup");
    expect(textOf(await t.deliver("victim"))).toContain("Selesai");
    expect(
      textOf(await t.send("sri", `/bukakembali ${victim.reference} korban dihubungi lagi oleh keluarga`)),
    ).toContain("dibuka kembali. Status sekarang: Pendampingan");
    expect(textOf(await t.deliver("victim"))).toContain("Ada kabar baru");

    // History: who did what and when, paged.
    for (const note of ["keluarga ditelepon", "jadwal kunjungan Senin", "korban minta ditemani"])
      await t.send("budi", `/catatan ${victim.reference} ${note}`);
    const history = textOf(await t.send("sri", `/riwayat ${victim.reference}`));
    expect(history).toContain(`Riwayat kasus ${victim.reference} (halaman 1 dari 2)`);
    expect(history).toContain("Diterima · Ani");
    expect(history).toContain("Dikembalikan ke antrean kantor · admin:test");
    const second = textOf(await t.send("sri", `/riwayat ${victim.reference} 2`));
    expect(history).toContain("Status Asesmen → Pendampingan: Pemulihan · Budi");
    expect(history).toContain("Layanan: Rumah aman (Pemulihan)");
    expect(history).toContain("Ditutup: Korban sudah dibantu · Budi");
    expect(history).toContain("Dibuka kembali → Pendampingan · Sri");
    expect(history).toContain("/riwayat");
    expect(second).toContain("(halaman 2 dari 2)");
    expect(second).toContain('catatan Budi: "korban minta ditemani"');

    // A group sees only its own office's cases, even when national staff ask there.
    const group = await t.app.identities.resolve("term:dinsos-group", t.clock.now());
    await t.app.offices.setDestination("DINSOS-35", "GROUP", group.id, t.clock.now());
    const groupList = textOf(await inGroup(t, "dinsos-group", "citra", "/kasus"));
    expect(groupList).toContain("dari 30");
    expect(groupList).not.toContain(victim.reference);

    // Refusals, each audited with the case tried.
    await t.send("dodi", `/terima ${victim.reference}`);
    await t.send("stranger", `/tutup ${victim.reference}`);
    await t.send("ani", `/terima ${uptdOld[2]}`);
    await t.send("sri", `/alihkan ${victim.reference} DINSOS-99`);
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference: victim.reference } });
    const refusals = await t.app.database.prisma.auditLog.findMany({
      where: { action: { endsWith: ".refused" } },
      orderBy: { id: "asc" },
    });
    const about = (id: string) => refusals.filter((r) => r.caseId === id).map((r) => `${r.action} ${r.detail}`);
    expect(about(row.id)).toEqual(
      expect.arrayContaining([
        "case.details.refused staff member deactivated; reference tried " + victim.reference,
        "case.accept.refused not the staff member's office",
        `case.close.refused not staff; reference tried ${victim.reference}`,
        "case.transfer.refused unknown office DINSOS-99",
      ]),
    );
  });
});
