import { afterEach, describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../src/channels/types.ts";
import type { StaffRole } from "../../src/domain/case.ts";
import { FieldCipher } from "../../src/security/field-cipher.ts";
import { runMaintenance } from "../../src/services/maintenance.ts";
import { textOf } from "../support/engine-chat.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const REFERENCE_LINE = /Nomor laporan: ([0-9A-Z-]{14})/;

/** 10:00 WIB on a weekday. */
async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await startTestApp(env);
  t.clock.current = new Date("2026-12-01T03:00:00Z");
  open.push(t);
  return t;
}

async function enrol(t: TestApp, user: string, name: string, officeCode: string, role: StaffRole = "AGENT") {
  const member = await t.app.staff.add({ name, officeCode, role, language: "id" }, t.clock.now());
  const invite = await t.app.staff.createInvite(member.id, t.clock.now());
  await t.app.offices.setDestination(officeCode, "STAFF_CHATS", null, t.clock.now());
  expect(textOf(await t.send(user, `/staff ${invite.code}`))).toContain("Selamat datang");
  return member;
}

/** Reports from a chat and returns the reference and PIN: a child (or an adult man) in Jawa Timur. */
async function report(
  t: TestApp,
  user: string,
  options: { urgent?: boolean; adultMan?: boolean; contact?: "1" | "3" } = {},
) {
  const [age, gender, count] = options.adultMan ? ["dewasa", "2", "1"] : ["1", "1", "1"];
  const victim = [age, gender, count];
  const lines = options.urgent
    ? ["lapor", "ya", "jatim", "ya", age, gender, "lewati", options.contact ?? "1", "1", "1"]
    : [
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
        ...victim,
        "Cerita.",
        options.contact ?? "1",
        "1",
        "1",
      ];
  const done = textOf(await t.sendAll(user, ...lines));
  const reference = REFERENCE_LINE.exec(done)?.[1] as string;
  const pin = /PIN: (\d{6})/.exec(done)?.[1] as string;
  expect(reference).toBeTruthy();
  return { reference, pin };
}

async function tickAt(t: TestApp, offsetMs: number, from: Date): Promise<number> {
  t.clock.current = new Date(from.getTime() + offsetMs);
  return t.app.scheduler.tick();
}

const texts = (messages: OutboundMessage[]) => messages.map((m) => m.text);

describe("acknowledgement deadline", () => {
  it("reminds the office at half-time and escalates a child's case to SAPA 129 at the deadline, once each", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    await enrol(t, "sapa", "Sari", "SAPA129", "NATIONAL");
    const routed = t.clock.now();
    const { reference } = await report(t, "r1", { urgent: true });
    const card = await t.deliver("ani");
    expect(card[0]?.text).toMatch(/Mohon diterima sebelum \d+ \S+ 10[.:]3\d WIB/);

    await tickAt(t, 14 * MINUTE, routed);
    expect(await t.deliver("ani")).toEqual([]);
    await tickAt(t, 16 * MINUTE, routed);
    const reminder = await t.deliver("ani");
    expect(reminder[0]?.text).toContain("Pengingat: laporan menunggu diterima");
    expect(reminder[0]?.text).toContain(reference);
    await tickAt(t, 17 * MINUTE, routed);
    expect(await t.deliver("ani")).toEqual([]);

    await tickAt(t, 31 * MINUTE, routed);
    const escalated = await t.deliver("sapa");
    expect(escalated[0]?.text).toContain("Eskalasi");
    expect(escalated[0]?.text).toContain("Belum diterima kantor penanggung jawab");
    await tickAt(t, 32 * MINUTE, routed);
    expect(await t.deliver("sapa")).toEqual([]);

    const row = await t.app.database.prisma.case.findUniqueOrThrow({
      where: { reference },
      include: { copies: true, events: true },
    });
    expect(row.officeCode).toBe("SAPA129");
    expect(row.copies.map((c) => c.officeCode)).toEqual(["UPTDPPA-35"]);
    expect(row.events.filter((e) => e.type === "ACK_REMINDER")).toHaveLength(1);
    expect(row.events.filter((e) => e.type === "ESCALATED")).toHaveLength(1);
    // The first office keeps a copy: it reads the case, but SAPA 129 now decides (issue 12, scopes).
    expect(textOf(await t.send("ani", `/terima ${reference}`))).toContain("hanya menerima salinan");
    expect(textOf(await t.send("ani", `/detail ${reference}`))).toContain("Detail laporan");
    expect(textOf(await t.send("sapa", `/terima ${reference}`))).toContain("diterima oleh Sari");
  });

  it("escalates an adult man's case to the national desk, and nothing once the case is accepted", async () => {
    const t = await start();
    await enrol(t, "dinsos", "Dedi", "DINSOS-35");
    const routed = t.clock.now();
    const first = await report(t, "r1", { adultMan: true });
    const second = await report(t, "r2", { adultMan: true });
    await t.send("dinsos", `/terima ${second.reference}`);
    await tickAt(t, DAY + MINUTE, routed);
    const rows = await t.app.database.prisma.case.findMany({
      where: { reference: { in: [first.reference, second.reference] } },
    });
    expect(rows.find((r) => r.reference === first.reference)?.officeCode).toBe("NATIONAL");
    expect(rows.find((r) => r.reference === second.reference)?.officeCode).toBe("DINSOS-35");
    const ackRows = await t.app.database.prisma.followUp.findMany({
      where: { case: { reference: second.reference }, kind: { startsWith: "ACK" } },
    });
    expect(ackRows.every((f) => f.status === "SKIPPED")).toBe(true);
    const events = await t.app.database.prisma.caseEvent.findMany({ where: { case: { reference: second.reference } } });
    expect(events.map((e) => e.type)).not.toContain("ESCALATED");
  });
});

describe("stale cases and the service deadline", () => {
  it("reminds the assignee after 7 quiet days and a supervisor after 14", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    await enrol(t, "budi", "Budi", "UPTDPPA-35", "SUPERVISOR");
    const { reference } = await report(t, "r1");
    await t.send("ani", `/terima ${reference}`);
    const accepted = t.clock.now();
    await t.deliver("ani");
    await t.deliver("budi");
    await tickAt(t, 7 * DAY - MINUTE, accepted);
    expect(await t.deliver("ani")).toEqual([]);
    await tickAt(t, 7 * DAY + MINUTE, accepted);
    expect(texts(await t.deliver("ani"))).toEqual([`Pengingat: kasus ${reference} tidak ada kegiatan selama 7 hari.`]);
    await tickAt(t, 8 * DAY, accepted);
    expect(await t.deliver("ani")).toEqual([]);
    await tickAt(t, 14 * DAY + MINUTE, accepted);
    expect(texts(await t.deliver("budi"))[0]).toContain(`Perhatian supervisor: kasus ${reference}`);
  });

  it("tracks the 7-day service deadline from entering ASSISTANCE, with a reminder before it passes", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    const { reference } = await report(t, "r1");
    await t.sendAll(
      "ani",
      `/terima ${reference}`,
      `/ubahstatus ${reference} ASSESSMENT`,
      `/ubahstatus ${reference} ASSISTANCE RETURN`,
    );
    const started = t.clock.now();
    await t.deliver("ani");
    await tickAt(t, 5 * DAY + MINUTE, started);
    const reminder = texts(await t.deliver("ani"));
    expect(reminder[0]).toContain(`Pengingat batas layanan: kasus ${reference}`);
    expect(reminder[0]).toContain("UU 21/2007 Pasal 52–53");
    await tickAt(t, 7 * DAY + MINUTE, started);
    expect(texts(await t.deliver("ani")).join("\n")).toContain(
      `Batas layanan 7 hari untuk kasus ${reference} sudah lewat`,
    );
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } });
    expect(row.serviceStartedAt?.getTime()).toBe(started.getTime() - 1000);
  });
});

describe("check-ins with the reporter", () => {
  it("asks after 3 days in the reporter's local daytime; 'not yet' escalates", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    await enrol(t, "sapa", "Sari", "SAPA129", "NATIONAL");
    const { reference } = await report(t, "r1");
    await t.send("ani", `/terima ${reference}`);
    await t.deliver("r1");
    // Due at 10:00 WIB three days later; at 22:30 WIB it waits until 07:00.
    const routedAt = (await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } })).routedAt as Date;
    t.clock.current = new Date("2026-12-04T15:30:00Z");
    await t.app.scheduler.tick();
    expect(await t.deliver("r1")).toEqual([]);
    const postponed = await t.app.database.prisma.followUp.findFirstOrThrow({ where: { kind: "REPORTER_CHECKIN" } });
    expect(postponed.dueAt.toISOString()).toBe("2026-12-05T00:00:00.000Z");
    expect(routedAt.getTime() + 3 * DAY).toBeLessThan(postponed.dueAt.getTime());
    t.clock.current = new Date("2026-12-05T00:01:00Z");
    await t.app.scheduler.tick();
    const question = await t.deliver("r1");
    expect(question[0]?.text.split("\n")[0]).toBe("Halo, kami ingin memastikan laporan Anda ditindaklanjuti.");
    expect(question[0]?.choices?.map((c) => c.label)).toEqual(["Ya, sudah", "Belum"]);
    await t.app.scheduler.tick();
    expect(await t.deliver("r1")).toEqual([]);
    expect(textOf(await t.send("r1", "2"))).toContain("tingkat yang lebih tinggi");
    expect(texts(await t.deliver("sapa"))[0]).toContain("Pelapor mengatakan belum ada petugas yang menghubunginya");
    expect(textOf(await t.send("r1", "2"))).not.toContain("tingkat yang lebih tinggi");
  });

  it("after reintegration asks at 30 and 90 days; 'not safe' flags re-trafficking risk and alerts the office", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    const { reference } = await report(t, "r1");
    await t.sendAll(
      "ani",
      `/terima ${reference}`,
      `/ubahstatus ${reference} ASSESSMENT`,
      `/ubahstatus ${reference} ASSISTANCE REINTEGRATION`,
      `/ubahstatus ${reference} MONITORING`,
    );
    const monitoring = t.clock.now();
    await t.deliver("r1");
    await t.deliver("ani");
    await tickAt(t, 30 * DAY + MINUTE, monitoring);
    const question = await t.deliver("r1");
    expect(question.at(-1)?.choices?.map((c) => c.label)).toEqual(["Ya, saya aman", "Tidak, saya butuh bantuan"]);
    expect(textOf(await t.send("r1", "tidak, saya butuh bantuan"))).toContain("Petugas akan segera menghubungi Anda");
    expect(texts(await t.deliver("ani")).join("\n")).toContain("Risiko diperdagangkan kembali");
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } });
    expect(row.retraffickingRiskAt).not.toBeNull();
    await tickAt(t, 90 * DAY + MINUTE, monitoring);
    expect((await t.deliver("r1")).at(-1)?.text).toContain("Apakah Anda merasa aman sekarang?");
  });

  it("sends nothing to a reporter who opted out", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    const { reference } = await report(t, "r1");
    await t.sendAll("r1", "privasi", "1");
    await t.sendAll("ani", `/terima ${reference}`, `/ubahstatus ${reference} ASSESSMENT`);
    expect(await t.deliver("r1")).toEqual([]);
    await tickAt(t, 4 * DAY, t.clock.now());
    expect(await t.deliver("r1")).toEqual([]);
    expect(textOf(await t.send("ani", `/balas ${reference} Halo`))).toContain("memilih anonim");
  });
});

describe("safety", () => {
  it("erases the contact data from the reporter's cases on request after hapus; the coded case stays", async () => {
    const t = await start();
    const { reference, pin } = await report(t, "r1", { contact: "1" });
    await t.send("r1", "hapus");
    expect(textOf(await t.send("r1", "1"))).toContain("sudah dihapus dari 1 laporan");
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } });
    expect(row).toMatchObject({
      reporterIdentityId: null,
      contactCipher: null,
      contactPreference: "NONE",
      provinceCode: "35",
    });
    expect(textOf(await t.send("r1", "laporan saya"))).toContain("Belum ada laporan");
    expect(textOf(await t.send("r1", `status ${reference} ${pin}`))).toContain("Status:");
  });

  it("purges narratives, identities and attachments of cases closed longer than the retention period", async () => {
    const t = await start({ RETENTION_DAYS: "30" });
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    const { reference } = await report(t, "r1");
    await t.sendAll(
      "ani",
      `/terima ${reference}`,
      `/balas ${reference} Kami akan datang.`,
      `/tutup ${reference} ASSISTED`,
      "ya",
    );
    await t.deliver("r1");
    t.clock.advance(29 * DAY);
    await runMaintenance(t.app);
    expect(
      (await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } })).narrativeCipher,
    ).not.toBeNull();
    t.clock.advance(2 * DAY);
    await runMaintenance(t.app);
    const row = await t.app.database.prisma.case.findUniqueOrThrow({
      where: { reference },
      include: { messages: true, events: true },
    });
    expect(row).toMatchObject({
      narrativeCipher: null,
      contactCipher: null,
      placeCipher: null,
      reporterIdentityId: null,
      status: "CLOSED",
    });
    expect(row.purgedAt).not.toBeNull();
    expect(row.messages).toEqual([]);
    expect(row.events.map((e) => e.type)).toContain("PURGED");
    expect(row).toMatchObject({ category: "FORCED_LABOUR", provinceCode: "35", urgency: "NORMAL" });
    expect(await t.app.database.prisma.contactIdentity.count()).toBeGreaterThan(0);
  });

  it("shows a harmless status for the emergency PIN and quietly tells the office", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    const { reference, pin } = await report(t, "r1");
    await t.sendAll(
      "ani",
      `/terima ${reference}`,
      `/ubahstatus ${reference} ASSESSMENT`,
      `/ubahstatus ${reference} ASSISTANCE RECOVERY`,
    );
    await t.deliver("ani");
    const duress = pin === "246810" ? "135791" : "246810";
    await t.sendAll("r1", "privasi", "buat pin darurat", "1", pin);
    expect(textOf(await t.send("r1", duress))).toContain("PIN darurat sudah aktif");
    const forced = textOf(await t.send("stranger", `status ${reference} ${duress}`));
    expect(forced).toContain("Status: Diterima");
    expect(forced).not.toContain("Dalam pendampingan");
    expect(texts(await t.deliver("ani")).join("\n")).toContain("PIN darurat dipakai");
    expect(textOf(await t.send("r1", `status ${reference} ${pin}`))).toContain("Sedang ditangani");
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference }, include: { events: true } });
    expect(row.duressUsedAt).not.toBeNull();
    expect(row.events.map((e) => e.type)).toContain("DURESS_PIN_USED");
  });

  it("after the emergency PIN was used, pushes no status news and no check-in to the reporter's chat; staff may still write on purpose", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    const { reference, pin } = await report(t, "r1");
    await t.deliver("r1");
    // The 3-day check-in is planned before the emergency PIN is used.
    await t.app.scheduler.tick();
    expect(await t.app.database.prisma.followUp.count({ where: { kind: "REPORTER_CHECKIN" } })).toBe(1);
    const duress = pin === "246810" ? "135791" : "246810";
    await t.sendAll("r1", "privasi", "buat pin darurat", "1", pin, duress);
    await t.send("stranger", `status ${reference} ${duress}`);
    await t.deliver("r1");
    await t.sendAll(
      "ani",
      `/terima ${reference}`,
      `/ubahstatus ${reference} ASSESSMENT`,
      `/ubahstatus ${reference} ASSISTANCE RECOVERY`,
    );
    expect(await t.deliver("r1")).toEqual([]);
    // The 3-day check-in is withheld too, and the history says why.
    await tickAt(t, 4 * DAY, t.clock.now());
    expect(await t.deliver("r1")).toEqual([]);
    await t.deliver("ani");
    expect(textOf(await t.send("ani", `/riwayat ${reference}`))).toContain(
      "Pertanyaan tindak lanjut tidak dikirim: PIN darurat pernah dipakai",
    );
    // A new PIN is shown to staff to hand over, never sent to that phone.
    const reissued = textOf(await t.send("ani", `/pinbaru ${reference}`));
    expect(reissued).toContain("PIN darurat pernah dipakai di kasus ini");
    expect(reissued).toMatch(/PIN: \d{6}/);
    expect(await t.deliver("r1")).toEqual([]);
    expect(textOf(await t.send("ani", `/balas ${reference} Halo, ini petugas.`))).toContain("sudah dikirim ke pelapor");
    expect(texts(await t.deliver("r1")).join("\n")).toContain("Halo, ini petugas.");
  });

  it("lets staff reissue a lost PIN to the reporter's chat", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    const { reference, pin } = await report(t, "r1");
    expect(textOf(await t.send("r1", "pin hilang"))).toContain("PIN baru akan dikirim ke chat ini");
    expect(texts(await t.deliver("ani")).join("\n")).toContain(`/pinbaru ${reference}`);
    expect(textOf(await t.send("ani", `/pinbaru ${reference}`))).toContain("sudah dikirim ke chat pelapor");
    const fresh = /PIN: (\d{6})/.exec(textOf(await t.deliver("r1")))?.[1] as string;
    expect(fresh).toMatch(/^\d{6}$/);
    if (fresh !== pin) expect(textOf(await t.send("other", `status ${reference} ${pin}`))).toContain("tidak ditemukan");
    expect(textOf(await t.send("other2", `status ${reference} ${fresh}`))).toContain("Status:");
  });

  it("holds a reissued PIN for a reporter who asked for no messages, and gives it when they next write", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    const { reference } = await report(t, "r1");
    await t.deliver("r1");
    expect(textOf(await t.send("r1", "pin hilang"))).toContain("PIN baru");
    await t.sendAll("r1", "privasi", "jangan hubungi saya lagi");
    await t.deliver("r1");
    expect(textOf(await t.send("ani", `/pinbaru ${reference}`))).toContain("jawaban saat ia menulis lagi");
    // Nothing goes to the reporter's chat unasked, however long it waits.
    await tickAt(t, DAY, t.clock.now());
    expect(texts(await t.deliver("r1"))).toEqual([]);
    // Their next message is answered, and the new PIN comes with the answer (a greeting is not
    // passed on to the office).
    const answer = textOf(await t.send("r1", "halo"));
    const fresh = /PIN: (\d{6})/.exec(answer)?.[1] as string;
    expect(fresh).toMatch(/^\d{6}$/);
    expect(answer).not.toContain("teruskan ke petugas");
    expect(textOf(await t.send("other", `status ${reference} ${fresh}`))).toContain("Status:");
  });

  it("never hands a held PIN to whoever forces the emergency PIN, nor leaves it after 'hapus', and gives only the newest", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    const { reference, pin } = await report(t, "r1");
    await t.deliver("r1");
    const duress = pin === "246810" ? "135791" : "246810";
    await t.sendAll("r1", "privasi", "buat pin darurat", "1", pin, duress);
    await t.sendAll("r1", "privasi", "jangan hubungi saya lagi");
    await t.deliver("r1");
    const pinsIn = (messages: Array<{ text: string }>) =>
      messages.flatMap((m) => [...m.text.matchAll(/PIN: (\d{6})/g)].map((found) => found[1]));

    // Reissued twice: only the newer PIN is still waiting.
    await t.sendAll("ani", `/pinbaru ${reference}`, `/pinbaru ${reference}`);
    // "hapus" is answered, the held PIN is not: it would come after the deletion and stay on screen.
    expect(pinsIn(await t.send("r1", "hapus"))).toEqual([]);
    await t.deliver("r1");
    // Forced to check the status with the emergency PIN: the held PIN is dropped, not shown.
    const forced = await t.send("r1", `status ${reference} ${duress}`);
    expect(forced.map((m) => m.text).join("\n")).toContain("Status:");
    expect(pinsIn(forced)).toEqual([]);
    expect(pinsIn(await t.send("r1", "halo"))).toEqual([]);
    expect(pinsIn(await t.deliver("r1"))).toEqual([]);
    expect(await t.app.database.prisma.outboxMessage.count({ where: { status: "HELD" } })).toBe(0);

    // Once the emergency PIN was used, a new PIN never goes to that chat, held or not: staff are
    // shown it to hand over in person, and whoever writes from the phone next gets none.
    const shown = textOf(await t.send("ani", `/pinbaru ${reference}`));
    expect(shown).toContain("PIN darurat pernah dipakai di kasus ini");
    const handed = /PIN: (\d{6})/.exec(shown)?.[1] as string;
    expect(pinsIn(await t.send("r1", "halo"))).toEqual([]);
    expect(pinsIn(await t.deliver("r1"))).toEqual([]);
    expect(textOf(await t.send("other", `status ${reference} ${handed}`))).toContain("Status:");
  });

  it("tells the office once about a burst of reporter messages, while that notice waits to be sent", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    const { reference } = await report(t, "r1");
    await t.deliver("ani");
    for (const text of ["Kak ini tambahan ceritanya", "Majikannya namanya Pak Budi", "Sekarang dia di Malang"])
      expect(textOf(await t.send("r1", text))).toContain("teruskan ke petugas");
    const notices = texts(await t.deliver("ani")).filter((text) => text.includes("Ada pesan baru dari pelapor"));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(reference);
    // Once that notice went out, the next message brings a new one.
    await t.send("r1", "Dia baru saja menelepon saya");
    expect(texts(await t.deliver("ani")).filter((text) => text.includes("Ada pesan baru dari pelapor"))).toHaveLength(
      1,
    );
    // Every message reached the case.
    const row = await t.app.database.prisma.case.findUniqueOrThrow({
      where: { reference },
      include: { messages: true },
    });
    expect(row.messages.filter((m) => m.direction === "FROM_REPORTER")).toHaveLength(4);
  });

  it("never starts a message to a reporter with trafficking words or a reference", async () => {
    const t = await start();
    await enrol(t, "ani", "Ani", "UPTDPPA-35");
    const { reference } = await report(t, "r1");
    await t.sendAll(
      "ani",
      `/terima ${reference}`,
      `/balas ${reference} Halo, kami akan menelepon.`,
      `/pinbaru ${reference}`,
    );
    await tickAt(t, 4 * DAY, t.clock.now());
    await t.sendAll("ani", `/ubahstatus ${reference} ASSESSMENT`, `/tutup ${reference} ASSISTED`, "ya");
    const identity = await t.app.identities.resolve("term:r1", t.clock.now());
    // Everything that arrives unasked: what staff and the scheduler queued, not yet read by the reporter.
    const rows = await t.app.database.prisma.outboxMessage.findMany({
      where: { identityId: identity.id, status: "PENDING" },
    });
    const cipher = new FieldCipher(t.keys);
    const firstLines = rows.map(
      (r) =>
        (
          JSON.parse(cipher.open(r.payloadCipher ?? new Uint8Array(), "outbox.payload", identity.id)) as OutboundMessage
        ).text.split("\n")[0] ?? "",
    );
    expect(firstLines.length).toBeGreaterThanOrEqual(5);
    for (const line of firstLines) {
      expect(line).not.toMatch(/trafficking|perdagangan orang|TPPO|eksploitasi|exploitation/i);
      expect(line).not.toMatch(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    }
  });
});

describe("admin followups --dry-run", () => {
  it("lists what would be sent now and why, and sends nothing", async () => {
    const t = await start();
    const routed = t.clock.now();
    const { reference } = await report(t, "r1", { urgent: true });
    t.clock.current = new Date(routed.getTime() + 20 * MINUTE);
    const preview = await t.app.scheduler.preview(t.clock.now());
    expect(preview).toEqual([
      expect.objectContaining({
        reference,
        kind: "ACK_REMINDER",
        action: { kind: "remind-office", officeCode: "UPTDPPA-35" },
      }),
    ]);
    expect(await t.app.database.prisma.followUp.count()).toBe(0);
  });
});

describe("several instances", () => {
  it("send each follow-up exactly once when two scheduler loops share one database", { timeout: 60_000 }, async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const { REPO_ROOT } = await import("../support/run-command.ts");
    const t = await start();
    const routed = t.clock.now();
    const reporters = Array.from({ length: 12 }, (_, i) => `many-${i}`);
    for (const user of reporters) await report(t, user);
    for (const user of reporters) await t.deliver(user);
    await t.close();
    open.splice(open.indexOf(t), 1);

    const env = {
      ...process.env,
      DATA_DIR: t.dir,
      DATABASE_URL: t.databaseUrl,
      DATA_KEYS: `${t.keys.currentKeyId}:${t.keys.dataKeys.get(t.keys.currentKeyId)?.toString("base64")}`,
      HMAC_KEY: t.keys.hmacKey.toString("base64"),
      LOG_LEVEL: "silent",
    };
    // Three days and a quarter of an hour later, 10:15 WIB: check-ins and escalations are all due.
    const at = new Date(routed.getTime() + 3 * DAY + 15 * MINUTE).toISOString();
    const run = promisify(execFile);
    const instance = (id: string) =>
      run(process.execPath, ["--import", "tsx", "tests/support/run-scheduler.ts", at, id, "3"], {
        cwd: REPO_ROOT,
        env,
      });
    const [a, b] = await Promise.all([instance("instance-a"), instance("instance-b")]);
    const doneA = JSON.parse(a.stdout).done as number;
    const doneB = JSON.parse(b.stdout).done as number;

    await t.open();
    open.push(t);
    const prisma = t.app.database.prisma;
    const followUps = await prisma.followUp.findMany({ where: { status: { not: "PENDING" } } });

    expect(doneA + doneB).toBe(followUps.length);
    expect(followUps.length).toBeGreaterThanOrEqual(reporters.length * 3);
    for (const user of reporters) {
      const checkIns = (await t.deliver(user)).filter((m) => m.text.startsWith("Halo, kami ingin memastikan"));
      expect(checkIns, user).toHaveLength(1);
    }
    const escalations = await prisma.caseEvent.groupBy({ by: ["caseId"], where: { type: "ESCALATED" }, _count: true });
    expect(escalations).toHaveLength(reporters.length);
    expect(escalations.every((e) => e._count === 1)).toBe(true);
  });
});
