import { afterEach, describe, expect, it } from "vitest";
import type { StaffRole } from "../../src/domain/case.ts";
import { releaseWaitingCards } from "../../src/services/office-destinations.ts";
import { textOf } from "../support/engine-chat.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

const STORY = "Adik saya Sari dipaksa bekerja di rumah makan di Malang dan tidak boleh pulang.";
/** A child victim in Jawa Timur, family reporting, contact in this chat. */
const CHILD_IN_JATIM = [
  "lapor",
  "tidak",
  "2",
  "1",
  "1",
  "2",
  "1",
  "1",
  "jatim",
  "ya",
  "1",
  "1",
  "1",
  STORY,
  "1",
  "1",
  "1",
];

async function enrolStaff(t: TestApp, user: string, name: string, officeCode: string, role: StaffRole = "AGENT") {
  const member = await t.app.staff.add({ name, officeCode, role, language: "id" }, t.clock.now());
  const invite = await t.app.staff.createInvite(member.id, t.clock.now());
  await t.app.offices.setDestination(officeCode, "STAFF_CHATS", null, t.clock.now());
  const welcome = textOf(await t.send(user, `/staff ${invite.code}`));
  expect(welcome).toContain(`Selamat datang, ${name}`);
  return member;
}

const referenceIn = (text: string) => /Nomor laporan: ([0-9A-Z-]{14})/.exec(text)?.[1] as string;

describe("a case from report to closing, through the engine with one database", () => {
  it("routes, lets staff work it, relays both ways, transfers and closes, auditing every view and action", async () => {
    const t = await startTestApp();
    open.push(t);
    const ani = await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const budi = await enrolStaff(t, "budi", "Budi", "DINSOS-32");

    // The report is routed to the UPTD PPA of Jawa Timur (a child) and its card reaches Ani.
    const done = textOf(await t.sendAll("reporter", ...CHILD_IN_JATIM));
    const reference = referenceIn(done);
    const pin = /PIN: (\d{6})/.exec(done)?.[1] as string;
    const card = await t.deliver("ani");
    expect(card).toHaveLength(1);
    expect(card[0]?.text).toContain(`Nomor: ${reference}`);
    expect(card[0]?.text).toContain("Jenis: Kerja paksa");
    expect(card[0]?.text).toContain("Tempat: Jawa Timur");
    expect(card[0]?.text).toContain("Korban: Anak");
    expect(card[0]?.text).not.toContain("Sari");
    expect(card[0]?.text).not.toContain("rumah makan");
    expect(card[0]?.choices?.map((c) => c.label)).toEqual(["Terima", "Detail", "Ubah status", "Tutup kasus"]);
    expect(await t.deliver("budi")).toEqual([]);

    // Details privately, by pressing the card's second choice.
    const details = textOf(await t.send("ani", "2"));
    expect(details).toContain(STORY);
    expect(details).toContain("rahasia");

    // Others are refused: a reporter, and staff of another office.
    expect(textOf(await t.send("reporter", `/terima ${reference}`))).toContain("hanya untuk petugas");
    expect(textOf(await t.send("budi", `/terima ${reference}`))).toContain("tidak ditangani kantor Anda");

    // Accept from the card (the card is still the latest message with choices), then work the case.
    expect(textOf(await t.send("ani", "1"))).toContain(`Kasus ${reference} diterima oleh Ani`);
    expect(textOf(await t.deliver("reporter"))).toContain("Sedang ditangani petugas");
    expect(textOf(await t.send("ani", `/ubahstatus ${reference} ASSESSMENT`))).toContain("sekarang: Asesmen");
    expect(textOf(await t.send("ani", `/ubahstatus ${reference} ROUTED`))).toContain(
      "tidak bisa diubah dari Asesmen ke Diteruskan ke kantor",
    );
    const stages = await t.send("ani", `/ubahstatus ${reference} pendampingan`);
    expect(stages[0]?.choices?.map((c) => c.label)).toEqual(["Pemulangan", "Pemulihan", "Reintegrasi"]);
    expect(textOf(await t.send("ani", "pemulihan"))).toContain("Pendampingan: Pemulihan");
    // A family member sees a coarse stage and was told only once while it stayed the same.
    expect(await t.deliver("reporter")).toEqual([]);
    expect(textOf(await t.send("reporter", `status ${reference} ${pin}`))).toContain(
      "Status: Sedang ditangani petugas",
    );

    // A victim access code, and the victim checks from a third chat.
    const access = textOf(await t.send("ani", `/akses ${reference}`));
    const victimPin = /PIN korban: (\d{6})/.exec(access)?.[1] as string;
    expect(victimPin).toMatch(/^\d{6}$/);
    expect(textOf(await t.send("victim", `status ${reference} ${victimPin}`))).toContain(
      "Dalam pendampingan: pemulihan",
    );

    // Staff reply, reporter reply.
    expect(textOf(await t.send("ani", `/balas ${reference} Kami akan menelepon Anda besok pagi.`))).toContain(
      "sudah dikirim",
    );
    const relayedToReporter = textOf(await t.deliver("reporter"));
    expect(relayedToReporter).toContain("Kami akan menelepon Anda besok pagi.");
    expect(relayedToReporter).not.toContain("Ani");
    expect(textOf(await t.send("reporter", "Baik, saya tunggu. Nomor rumah kami 12."))).toContain(
      "sudah kami teruskan",
    );
    const notice = await t.deliver("ani");
    expect(notice[0]?.text).toContain("pesan baru dari pelapor");
    expect(notice[0]?.text).not.toContain("saya tunggu");
    expect(textOf(await t.send("ani", "1"))).toContain("Baik, saya tunggu. Nomor rumah kami 12.");

    // Transfer to the Dinas Sosial of Jawa Barat: Budi gets the card, Ani loses the case.
    expect(textOf(await t.send("ani", `/alihkan ${reference} dinsos-32`))).toContain(
      `Alihkan kasus ${reference} ke Dinas Sosial Provinsi Jawa Barat?`,
    );
    expect(textOf(await t.send("ani", "1"))).toContain("dialihkan ke Dinas Sosial Provinsi Jawa Barat");
    const transferred = await t.deliver("budi");
    expect(transferred[0]?.text).toContain("Laporan dialihkan ke kantor Anda");
    expect(transferred[0]?.text).toContain(reference);
    expect(textOf(await t.send("ani", `/detail ${reference}`))).toContain("tidak ditangani kantor Anda");

    // Budi closes it with a resolution; the reporter hears it is closed.
    await t.send("budi", "1");
    const resolutions = await t.send("budi", `/tutup ${reference}`);
    expect(resolutions[0]?.choices?.map((c) => c.label)).toContain("Korban sudah dibantu");
    expect(textOf(await t.send("budi", "1"))).toContain(
      `Tutup kasus ${reference} dengan hasil "Korban sudah dibantu"?`,
    );
    expect(textOf(await t.send("budi", "ya"))).toContain("ditutup: Korban sudah dibantu");
    expect(textOf(await t.deliver("reporter"))).toContain("Selesai");
    expect(textOf(await t.send("budi", `/terima ${reference}`))).toContain("sudah ditutup");

    const db = t.app.database.prisma;
    const row = await db.case.findUniqueOrThrow({
      where: { reference },
      include: { events: { orderBy: { id: "asc" } } },
    });
    expect(row).toMatchObject({ status: "CLOSED", resolution: "ASSISTED", officeCode: "DINSOS-32" });
    expect(row.events.map((e) => e.type)).toEqual([
      "RECEIVED",
      "ROUTED",
      "ACKNOWLEDGED",
      "STATUS_CHANGED",
      "STATUS_CHANGED",
      "VICTIM_ACCESS_ISSUED",
      "REPLY_SENT",
      "REPORTER_MESSAGE",
      "TRANSFERRED",
      "ACKNOWLEDGED",
      "CLOSED",
    ]);
    const audit = await db.auditLog.findMany({ where: { caseId: row.id }, orderBy: { id: "asc" } });
    const byActor = (id: string) => audit.filter((a) => a.actor === `staff:${id}`).map((a) => a.action);
    expect(byActor(ani.id)).toEqual([
      "case.details_viewed",
      "case.accept",
      "case.setStatus",
      "case.setStatus.refused",
      "case.setStatus",
      "case.access_issued",
      "case.reply",
      "case.details_viewed",
      "case.transfer",
      "case.details.refused",
    ]);
    expect(byActor(budi.id)).toEqual(["case.accept.refused", "case.accept", "case.close", "case.accept.refused"]);
  });
});

describe("an office without a chat destination", () => {
  it("has its cards delivered to the national desk, and waits when that has none either", async () => {
    const t = await startTestApp();
    open.push(t);
    await t.sendAll("r1", ...CHILD_IN_JATIM);
    const waiting = await t.app.database.prisma.outboxMessage.count({
      where: { status: "WAITING", officeCode: "UPTDPPA-35" },
    });
    expect(waiting).toBe(1);

    const citra = await t.app.staff.add(
      { name: "Citra", officeCode: "NATIONAL", role: "NATIONAL", language: "id" },
      t.clock.now(),
    );
    const invite = await t.app.staff.createInvite(citra.id, t.clock.now());
    await t.app.offices.setDestination("NATIONAL", "STAFF_CHATS", null, t.clock.now());
    // Enrolling at the national desk releases the waiting card to it; the card says for whom it is.
    const enrolled = await t.send("citra", `/staff ${invite.code}`);
    expect(enrolled[0]?.text).toContain("Selamat datang, Citra");
    expect(enrolled[1]?.text).toContain("Untuk: UPTD PPA Provinsi Jawa Timur");
    expect(await t.app.database.prisma.outboxMessage.count({ where: { status: "WAITING" } })).toBe(0);
    await t.sendAll("r2", ...CHILD_IN_JATIM);
    const second = await t.deliver("citra");
    expect(second[0]?.text).toContain("UPTD PPA Provinsi Jawa Timur");
    expect(second[0]?.text).toContain("belum punya tujuan chat");
    const reference = /Nomor: (\S+)/.exec(second[0]?.text ?? "")?.[1] as string;
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference }, include: { events: true } });
    expect(row.cardOfficeCode).toBe("NATIONAL");
    expect(row.events.map((e) => e.type)).toContain("CARD_FALLBACK");
    // National staff may act on every case.
    expect(textOf(await t.send("citra", `/terima ${reference}`))).toContain("diterima oleh Citra");
    expect(await releaseWaitingCards(t.app)).toBe(0);
  });
});

describe("waiting cards", () => {
  it("go out once when two releases run at the same time (two instances starting together)", async () => {
    const t = await startTestApp();
    open.push(t);
    for (const reporter of ["w1", "w2", "w3"]) await t.sendAll(reporter, ...CHILD_IN_JATIM);
    expect(await t.app.database.prisma.outboxMessage.count({ where: { status: "WAITING" } })).toBe(3);
    const group = await t.app.identities.resolve("tg:-1005550001", t.clock.now());
    await t.app.offices.setDestination("UPTDPPA-35", "GROUP", group.id, t.clock.now());

    const released = await Promise.all([releaseWaitingCards(t.app), releaseWaitingCards(t.app)]);
    expect(released[0] + released[1]).toBe(3);
    const cards = await t.app.outbox.pending({ identityId: group.id });
    expect(cards).toHaveLength(3);
    expect(new Set(cards.map((c) => c.message.text)).size).toBe(3);
    expect(await t.app.database.prisma.outboxMessage.count({ where: { status: "WAITING" } })).toBe(0);
  });
});

describe("waiting cards that cannot be opened", () => {
  it("stay waiting, and hold back no other card", async () => {
    const t = await startTestApp();
    open.push(t);
    for (const reporter of ["u1", "u2"]) await t.sendAll(reporter, ...CHILD_IN_JATIM);
    const db = t.app.database.prisma;
    const [damaged] = await db.outboxMessage.findMany({ where: { status: "WAITING" }, orderBy: { id: "asc" } });
    // Its ciphertext damaged (or sealed with a key no longer configured).
    const bytes = Uint8Array.from(damaged?.payloadCipher ?? []);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    await db.outboxMessage.update({ where: { id: damaged?.id }, data: { payloadCipher: bytes } });
    const group = await t.app.identities.resolve("tg:-1005550002", t.clock.now());
    await t.app.offices.setDestination("UPTDPPA-35", "GROUP", group.id, t.clock.now());

    expect(await releaseWaitingCards(t.app)).toBe(1);
    expect(await t.app.outbox.pending({ identityId: group.id })).toHaveLength(1);
    expect(await db.outboxMessage.findMany({ where: { status: "WAITING" }, select: { id: true } })).toEqual([
      { id: damaged?.id },
    ]);
  });
});

describe("staff enrolment", () => {
  it("takes a single-use code once, refuses a used or expired one, and deactivated staff cannot act", async () => {
    const t = await startTestApp();
    open.push(t);
    const member = await t.app.staff.add(
      { name: "Dewi", officeCode: "DINSOS-11", role: "AGENT", language: "en" },
      t.clock.now(),
    );
    const invite = await t.app.staff.createInvite(member.id, t.clock.now(), 60 * 60_000);
    expect(textOf(await t.send("dewi", `/staff ${invite.code.toLowerCase().replace("-", " ")}`))).toContain(
      "Welcome, Dewi",
    );
    expect(textOf(await t.send("someone", `/staff ${invite.code}`))).toContain("tidak berlaku atau sudah dipakai");
    const late = await t.app.staff.createInvite(member.id, t.clock.now(), 60_000);
    t.clock.advance(2 * 60_000);
    expect(textOf(await t.send("someone", `/staff ${late.code}`))).toContain("kedaluwarsa");
    expect(textOf(await t.send("dewi", "/cases"))).toContain("no open cases");
    await t.app.staff.deactivate(member.id, t.clock.now());
    expect(textOf(await t.send("dewi", "/cases"))).toContain("no longer active");
  });
});
