import { afterEach, describe, expect, it } from "vitest";
import { referralServices } from "../../src/conversation/staff-commands.ts";
import { partnerOfficeCode } from "../../src/directory/staff-repository.ts";
import type { StaffActor } from "../../src/domain/staff-actions.ts";
import { createTranslator, loadLocales } from "../../src/i18n/i18n.ts";
import { toActor } from "../../src/services/staff-enrolment.ts";
import { loadMonthlyFigures } from "../../src/stats/monthly-stats.ts";
import { textOf } from "../support/engine-chat.ts";
import { fictionalProviders } from "../support/fictional-providers.ts";
import { enrolStaff, REPORT_KIND_LINES } from "../support/staff-world.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

const HOUR = 3_600_000;

const startTestAppTranslate = createTranslator(loadLocales());

/** A child in Mataram (NTB) reported by family, with a story, contact in this chat: UPTD PPA NTB. */
const NTB_CHILD = REPORT_KIND_LINES.child.map((line) => (line === "jatim" ? "mataram" : line));

/** Adds a provider's staff member and enrols their chat with the invite code, as an admin and the partner would. */
async function enrolPartner(t: TestApp, user: string, name: string, providerCode: string): Promise<StaffActor> {
  const member = await t.app.staff.add(
    { name, officeCode: partnerOfficeCode(providerCode), role: "PARTNER", language: "id", providerCode },
    t.clock.now(),
  );
  const invite = await t.app.staff.createInvite(member.id, t.clock.now());
  const welcome = textOf(await t.send(user, `/staff ${invite.code}`));
  expect(welcome).toContain(`Selamat datang, ${name}. Chat ini sekarang terdaftar sebagai staf mitra layanan di `);
  expect(welcome).toContain("(CONTOH");
  expect(welcome).not.toContain("/kasus");
  return toActor(member);
}

async function world() {
  const t = await startTestApp();
  open.push(t);
  await t.app.providers.importAll(fictionalProviders(), t.clock.now());
  const ani = toActor(await enrolStaff(t, "ani", "Ani", "UPTDPPA-52"));
  const sri = toActor(await enrolStaff(t, "sri", "Sri", "UPTDPPA-52", "SUPERVISOR"));
  const lbh = await enrolPartner(t, "lbh", "Lina", "NTB-LBH-FIKTIF");
  const shelter = await enrolPartner(t, "shelter", "Rina", "NTB-RUMAH-AMAN-FIKTIF");
  const iom = await enrolPartner(t, "iom", "Ida", "IOM-FIKTIF");
  const done = textOf(await t.sendAll("siti", ...NTB_CHILD));
  const reference = /Nomor laporan: ([0-9A-Z-]{14})/.exec(done)?.[1] as string;
  expect(reference, done).toBeTruthy();
  const stored = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } });
  expect(stored.officeCode).toBe("UPTDPPA-52");
  await t.deliver("ani");
  await t.deliver("sri");
  return { t, ani, sri, lbh, shelter, iom, reference };
}

describe("referring a case to partner services", () => {
  it("refers an NTB case to a legal-aid NGO and a shelter: one declines, one accepts and records services; the victim sees recovery done", async () => {
    const { t, ani, lbh, shelter, reference } = await world();
    const referrals = t.app.referrals;
    await t.send("ani", `/terima ${reference}`);
    await t.send("ani", `/ubahstatus ${reference} ASSESSMENT`);
    await t.send("ani", `/ubahstatus ${reference} ASSISTANCE RECOVERY`);

    // The office sees who serves Mataram with the help needed; the shelter's details are due for a check.
    const options = await referrals.run((desk) => desk.options(ani, reference, ["SHELTER"]));
    expect(Array.isArray(options) && options.map((o) => [o.provider.code, o.reviewOverdue])).toEqual([
      ["NTB-RUMAH-AMAN-FIKTIF", true],
    ]);

    const toLbh = await referrals.run((desk) =>
      desk.refer(ani, {
        reference,
        providerCode: "NTB-LBH-FIKTIF",
        services: ["LEGAL_AID"],
        consent: { source: "VICTIM", method: "IN_PERSON" },
      }),
    );
    const toShelter = await referrals.run((desk) =>
      desk.refer(ani, {
        reference,
        providerCode: "NTB-RUMAH-AMAN-FIKTIF",
        services: ["SHELTER", "HEALTH"],
        consent: { source: "GUARDIAN", method: "PHONE" },
        providerNamedToVictim: true,
      }),
    );
    if (toLbh.kind !== "referred" || toShelter.kind !== "referred") throw new Error(`${toLbh.kind} ${toShelter.kind}`);
    expect(toShelter.referral.dueAt.getTime() - toShelter.referral.createdAt.getTime()).toBe(48 * HOUR);
    // Referring again to a partner that has the case open changes nothing.
    const again = await referrals.run((desk) =>
      desk.refer(ani, {
        reference,
        providerCode: "NTB-LBH-FIKTIF",
        services: ["LEGAL_AID"],
        consent: { source: "VICTIM", method: "IN_PERSON" },
      }),
    );
    expect(again.kind).toBe("referred_already");

    // Each partner gets a minimal card: what is asked and by when; no reference, story or contact.
    const card = textOf(await t.deliver("shelter"));
    expect(card).toContain(`Rujukan baru ${toShelter.referral.code}`);
    expect(card).toContain("Layanan yang diminta: Rumah aman, Kesehatan");
    expect(card).toContain("Korban: Anak (di bawah 18 tahun)");
    expect(card).toContain("Mataram");
    expect(card).not.toContain(reference);
    expect(card).not.toContain("Cerita.");
    expect(card).toContain(
      `/terimarujukan ${toShelter.referral.code} atau /tolakrujukan ${toShelter.referral.code} alasan`,
    );
    expect(textOf(await t.deliver("lbh"))).toContain(`Rujukan baru ${toLbh.referral.code}`);

    // The legal-aid NGO declines; another partner cannot answer a referral that is not theirs.
    const stranger = await referrals.run((desk) => desk.answer(shelter, toLbh.referral.code, { accept: true }));
    expect(stranger.kind).toBe("referral_not_found");
    const declined = await referrals.run((desk) =>
      desk.answer(lbh, toLbh.referral.code, { accept: false, reason: "CAPACITY" }),
    );
    expect(declined.kind === "answered" && declined.referral.status).toBe("DECLINED");
    expect(declined.kind === "answered" && declined.story).toBeNull();
    expect(textOf(await t.deliver("ani"))).toContain(
      `menolak rujukan ${toLbh.referral.code} untuk kasus ${reference}: tidak ada kapasitas`,
    );

    // The shelter accepts and only then reads the story; it records two services and closes the referral.
    const accepted = await referrals.run((desk) => desk.answer(shelter, toShelter.referral.code, { accept: true }));
    expect(accepted.kind === "answered" && accepted.story).toBe("Cerita.");
    expect(textOf(await t.deliver("ani"))).toContain(`menerima rujukan ${toShelter.referral.code}`);
    const lateAnswer = await referrals.run((desk) =>
      desk.answer(shelter, toShelter.referral.code, { accept: false, reason: "OTHER" }),
    );
    expect(lateAnswer.kind).toBe("wrong_state");
    for (const service of ["SHELTER", "HEALTH"] as const) {
      const recorded = await referrals.run((desk) =>
        desk.recordService(shelter, toShelter.referral.code, service, t.clock.now()),
      );
      expect(recorded.kind).toBe("service_recorded");
    }
    expect(textOf(await t.deliver("ani"))).toContain("mencatat layanan Rumah aman");
    // Only what was asked of the partner, on a day between the referral and today.
    const notAsked = await referrals.run((desk) =>
      desk.recordService(shelter, toShelter.referral.code, "PSYCHOSOCIAL", t.clock.now()),
    );
    expect(notAsked).toMatchObject({ kind: "service_refused", why: "not_asked" });
    const tooEarly = await referrals.run((desk) =>
      desk.recordService(shelter, toShelter.referral.code, "SHELTER", new Date("2026-11-01T00:00:00Z")),
    );
    expect(tooEarly).toMatchObject({ kind: "service_refused", why: "date" });
    expect((await referrals.run((desk) => desk.complete(shelter, toShelter.referral.code))).kind).toBe("completed");
    expect(textOf(await t.deliver("ani"))).toContain(
      `rujukan ${toShelter.referral.code} untuk kasus ${reference} selesai`,
    );

    // The office moves the case on to reintegration.
    await t.send("ani", `/ubahstatus ${reference} ASSISTANCE REINTEGRATION`);

    // The victim checks with their access code: recovery done, reintegration in progress, and the
    // shelter they were told of in person (the NGO that declined is never named).
    const access = textOf(await t.send("ani", `/akses ${reference}`));
    const victimPin = /PIN korban: (\d{6})/.exec(access)?.[1] as string;
    const statusId = textOf(await t.send("victim", `status ${reference} ${victimPin}`));
    expect(statusId).toContain("• Pemulihan: selesai");
    expect(statusId).toContain("• Kembali ke keluarga dan masyarakat: sedang berjalan");
    expect(statusId).toContain("• Pemulangan: belum dimulai");
    expect(statusId).toContain("Lembaga yang mendampingi Anda: Rumah Aman Fiktif Lombok (CONTOH)");
    expect(statusId).not.toContain("LBH");
    expect(statusId).not.toContain("Rumah aman,");
    const statusEn = textOf(await t.sendAll("victim-en", "english", `status ${reference} ${victimPin}`));
    expect(statusEn).toContain("• Recovery: done");
    expect(statusEn).toContain("• Back with family and community: in progress");
    expect(statusEn).toContain("Organisations helping you: Rumah Aman Fiktif Lombok (CONTOH)");

    // Every step is in the case's history and the audit log.
    const events = await t.app.database.prisma.caseEvent.findMany({
      where: { case: { reference }, type: { startsWith: "REFERR" } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.type)).toEqual([
      "REFERRED",
      "REFERRED",
      "REFERRAL_DECLINED",
      "REFERRAL_ACCEPTED",
      "REFERRAL_DONE",
    ]);
    // The office's monthly figures count the referrals (November 2026 in WIB).
    const figures = await loadMonthlyFigures(t.app.database.prisma, {
      month: "2026-11",
      scope: { kind: "office", code: "UPTDPPA-52" },
      readerOfficeCode: "UPTDPPA-52",
      ackDeadlineMs: t.app.config.followUps.ackDeadlineMs,
      now: t.clock.now(),
    });
    expect(figures?.referrals).toEqual({ MADE: 2, ACCEPTED: 1, DECLINED: 1 });
    const services = await t.app.database.prisma.caseService.findMany({
      where: { case: { reference } },
      orderBy: { id: "asc" },
    });
    expect(services.map((s) => [s.type, s.stage, s.referralId !== null])).toEqual([
      ["SHELTER", "RECOVERY", true],
      ["HEALTH", "RECOVERY", true],
    ]);
  });

  it("lets an unanswered referral expire at its deadline and shows it to the office as overdue", async () => {
    const { t, ani, iom, reference } = await world();
    const referrals = t.app.referrals;
    // Accepted, so that the case stays with the office (an unaccepted one would be escalated meanwhile).
    await t.send("ani", `/terima ${reference}`);
    const referred = await referrals.run((desk) =>
      desk.refer(ani, {
        reference,
        providerCode: "IOM-FIKTIF",
        services: ["FAMILY_REUNIFICATION"],
        consent: { source: "VICTIM", method: "WRITTEN" },
      }),
    );
    if (referred.kind !== "referred") throw new Error(referred.kind);
    await t.deliver("iom");
    await t.deliver("ani");

    t.clock.advance(48 * HOUR - 60_000);
    await t.app.scheduler.tick();
    expect(await referrals.run(async (desk) => desk.overdueOf("UPTDPPA-52"))).toEqual([]);
    expect(textOf(await t.deliver("ani"))).not.toContain("TERLAMBAT");

    t.clock.advance(60_000);
    await t.app.scheduler.tick();
    const overdue = await referrals.run(async (desk) => desk.overdueOf("UPTDPPA-52"));
    expect(overdue.map((r) => [r.code, r.status, r.overdue, r.providerCode])).toEqual([
      [referred.referral.code, "EXPIRED", true, "IOM-FIKTIF"],
    ]);
    expect(textOf(await t.deliver("ani"))).toContain(
      `TERLAMBAT: rujukan ${referred.referral.code} ke Organisasi Migrasi Fiktif (CONTOH) untuk kasus ${reference}`,
    );
    expect(textOf(await t.deliver("iom"))).toContain("sudah berakhir");
    // A second tick, or a second instance, expires nothing twice.
    await t.app.scheduler.tick();
    expect(await t.deliver("ani")).toEqual([]);
    // Once the office refers the case again, the expired referral is no longer its to-do.
    const again = await referrals.run((desk) =>
      desk.refer(ani, {
        reference,
        providerCode: "NTB-RUMAH-AMAN-FIKTIF",
        services: ["SHELTER"],
        consent: { source: "VICTIM", method: "WRITTEN" },
      }),
    );
    expect(again.kind).toBe("referred");
    expect(await referrals.run(async (desk) => desk.overdueOf("UPTDPPA-52"))).toEqual([]);
    // An answer after the deadline changes nothing.
    const late = await referrals.run((desk) => desk.answer(iom, referred.referral.code, { accept: true }));
    expect(late.kind === "wrong_state" && late.referral.status).toBe("EXPIRED");
  });

  it("refers without consent only by a supervisor, with a reason, told to the national desk; withdrawn consent ends the partner's access", async () => {
    const { t, ani, sri, shelter, reference } = await world();
    await enrolStaff(t, "sari", "Sari", "NATIONAL", "NATIONAL");
    const referrals = t.app.referrals;
    const override = {
      source: "OVERRIDE" as const,
      ground: "CHILD_BEST_INTEREST" as const,
      reason: "Anak tidak punya tempat tinggal aman malam ini.",
    };
    const byAgent = await referrals.run((desk) =>
      desk.refer(ani, { reference, providerCode: "NTB-RUMAH-AMAN-FIKTIF", services: ["SHELTER"], consent: override }),
    );
    expect(byAgent).toEqual({ kind: "consent_refused", why: "override_needs_supervisor" });
    const noReason = await referrals.run((desk) =>
      desk.refer(sri, {
        reference,
        providerCode: "NTB-RUMAH-AMAN-FIKTIF",
        services: ["SHELTER"],
        consent: { ...override, reason: "perlu" },
      }),
    );
    expect(noReason).toEqual({ kind: "consent_refused", why: "override_needs_reason" });
    // A provider that does not serve the place, or does not offer the service, is refused.
    const wrongArea = await referrals.run((desk) =>
      desk.refer(sri, { reference, providerCode: "KALTARA-KLINIK-FIKTIF", services: ["HEALTH"], consent: override }),
    );
    expect(wrongArea).toMatchObject({ kind: "provider_unsuitable", why: "inactive" });
    const wrongService = await referrals.run((desk) =>
      desk.refer(sri, { reference, providerCode: "NTB-LBH-FIKTIF", services: ["SHELTER"], consent: override }),
    );
    expect(wrongService).toMatchObject({ kind: "provider_unsuitable", why: "services" });

    const referred = await referrals.run((desk) =>
      desk.refer(sri, { reference, providerCode: "NTB-RUMAH-AMAN-FIKTIF", services: ["SHELTER"], consent: override }),
    );
    if (referred.kind !== "referred") throw new Error(referred.kind);
    const national = textOf(await t.deliver("sari"));
    expect(national).toContain(`Rujukan tanpa persetujuan korban: ${referred.referral.code} (kasus ${reference})`);
    expect(national).toContain("kepentingan terbaik anak");
    expect(national).not.toContain("tempat tinggal aman");
    const details = textOf(await t.send("sri", `/detail ${reference}`));
    expect(details).toContain("Anak tidak punya tempat tinggal aman malam ini.");
    const audited = await t.app.database.prisma.auditLog.findMany({ where: { action: "case.referral_override" } });
    expect(audited.map((a) => a.detail)).toEqual([`${referred.referral.code} CHILD_BEST_INTEREST`]);

    await t.deliver("shelter");
    expect((await referrals.run((desk) => desk.answer(shelter, referred.referral.code, { accept: true }))).kind).toBe(
      "answered",
    );
    // The victim withdraws consent: the shelter is told to stop and delete, and can record nothing more.
    expect((await referrals.run((desk) => desk.withdrawConsent(ani, referred.referral.code))).kind).toBe("withdrawn");
    expect(textOf(await t.deliver("shelter"))).toContain("Akses Anda ke kasus ini berakhir");
    const after = await referrals.run((desk) =>
      desk.recordService(shelter, referred.referral.code, "SHELTER", t.clock.now()),
    );
    expect(after.kind === "wrong_state" && after.referral.status).toBe("WITHDRAWN");
    // A partner can never open the case as an office would.
    expect(textOf(await t.send("shelter", `/detail ${reference}`))).not.toContain("Cerita.");
  });

  it("keeps one open referral per partner when two are sent at once, and shows a partner no reference before it accepts", async () => {
    const { t, ani, shelter, reference } = await world();
    const referrals = t.app.referrals;
    const request = {
      reference,
      providerCode: "NTB-RUMAH-AMAN-FIKTIF",
      services: ["SHELTER" as const],
      consent: { source: "VICTIM" as const, method: "IN_PERSON" as const },
    };
    const both = await Promise.all([
      referrals.run((desk) => desk.refer(ani, request)),
      referrals.run((desk) => desk.refer(ani, request)),
    ]);
    expect(both.map((o) => o.kind).sort()).toEqual(["referred", "referred_already"]);
    expect(await t.app.database.prisma.referral.count()).toBe(1);
    expect((await t.deliver("shelter")).length).toBe(1);

    const [pending] = await referrals.run((desk) => desk.forPartner(shelter));
    expect(pending?.reference).toBe("");
    const code = pending?.code ?? "";
    await referrals.run((desk) => desk.answer(shelter, code, { accept: true }));
    const [accepted] = await referrals.run((desk) => desk.forPartner(shelter));
    expect(accepted?.reference).toBe(reference);

    // Once the case is closed, a partner records nothing more on it.
    await t.send("ani", `/terima ${reference}`);
    await t.send("ani", `/tutup ${reference} ASSISTED`);
    await t.send("ani", "1");
    expect((await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } })).status).toBe("CLOSED");
    const late = await referrals.run((desk) => desk.recordService(shelter, code, "SHELTER", t.clock.now()));
    expect(late.kind).toBe("closed_already");
  });

  it("lets partner staff list, accept, decline and finish referrals from their chat", async () => {
    const { t, ani, reference } = await world();
    const referrals = t.app.referrals;
    const refer = (providerCode: string, services: Array<"SHELTER" | "LEGAL_AID">) =>
      referrals.run((desk) =>
        desk.refer(ani, { reference, providerCode, services, consent: { source: "VICTIM", method: "CHAT" } }),
      );
    const toShelter = await refer("NTB-RUMAH-AMAN-FIKTIF", ["SHELTER"]);
    const toLbh = await refer("NTB-LBH-FIKTIF", ["LEGAL_AID"]);
    if (toShelter.kind !== "referred" || toLbh.kind !== "referred") throw new Error("not referred");
    await t.deliver("shelter");
    await t.deliver("lbh");

    const list = textOf(await t.send("shelter", "/rujukan"));
    expect(list).toContain("Rujukan untuk lembaga Anda:");
    expect(list).toContain(`• ${toShelter.referral.code} · Rumah aman · menunggu jawaban (jawab sebelum`);
    expect(list).not.toContain(toLbh.referral.code);
    expect(list).not.toContain(reference);

    // Typed in a hurry, lower case: the acceptance brings the story in the partner's own chat.
    const accepted = textOf(await t.send("shelter", `/terimarujukan ${toShelter.referral.code.toLowerCase()}`));
    expect(accepted).toContain(`Rujukan ${toShelter.referral.code} diterima.`);
    expect(accepted).toContain("Cerita.");
    expect(textOf(await t.deliver("ani"))).toContain(`menerima rujukan ${toShelter.referral.code}`);
    // Answering twice changes nothing.
    expect(textOf(await t.send("shelter", `/terimarujukan ${toShelter.referral.code}`))).toContain("sudah diterima");

    expect(textOf(await t.send("lbh", `/tolakrujukan ${toLbh.referral.code}`))).toContain("Tulis alasannya");
    expect(
      textOf(await t.send("lbh", `/tolakrujukan ${toLbh.referral.code} maaf kak, di luar wilayah kami`)),
    ).toContain(`Rujukan ${toLbh.referral.code} ditolak.`);
    expect(textOf(await t.deliver("ani"))).toContain("di luar wilayah layanan");
    // A partner cannot answer another partner's referral; office staff are pointed to the web inbox.
    expect(textOf(await t.send("lbh", `/terimarujukan ${toShelter.referral.code}`))).toContain("tidak ditemukan");
    expect(textOf(await t.send("ani", "/rujukan"))).toContain("Perintah ini untuk staf mitra layanan");
    expect(textOf(await t.send("lbh", "bantuan"))).toContain("/tolakrujukan KODE alasan");

    expect(textOf(await t.send("shelter", `/selesairujukan ${toShelter.referral.code}`))).toContain(
      `Rujukan ${toShelter.referral.code} dinyatakan selesai.`,
    );
    expect(textOf(await t.deliver("ani"))).toContain("selesai");
  });

  it("ends every open referral when the reporter withdraws consent from the chat, and tells each partner and the office", async () => {
    const { t, ani, shelter, reference } = await world();
    const referrals = t.app.referrals;
    const refer = (providerCode: string, services: Array<"SHELTER" | "FAMILY_REUNIFICATION">) =>
      referrals.run((desk) =>
        desk.refer(ani, { reference, providerCode, services, consent: { source: "VICTIM", method: "IN_PERSON" } }),
      );
    const toShelter = await refer("NTB-RUMAH-AMAN-FIKTIF", ["SHELTER"]);
    const toIom = await refer("IOM-FIKTIF", ["FAMILY_REUNIFICATION"]);
    if (toShelter.kind !== "referred" || toIom.kind !== "referred") throw new Error("not referred");
    await referrals.run((desk) => desk.answer(shelter, toShelter.referral.code, { accept: true }));
    await t.deliver("shelter");
    await t.deliver("iom");

    await t.sendAll("siti", "privasi", "tarik persetujuan berbagi laporan");
    expect(textOf(await t.send("siti", "1"))).toContain(
      `Persetujuan Anda untuk laporan ${reference} sudah kami catat ditarik`,
    );
    // Both were made at the same instant: compared by partner, not by the order the database returns.
    const rows = await t.app.database.prisma.referral.findMany({ orderBy: { providerCode: "asc" } });
    expect(rows.map((r) => [r.providerCode, r.status])).toEqual([
      ["IOM-FIKTIF", "WITHDRAWN"],
      ["NTB-RUMAH-AMAN-FIKTIF", "WITHDRAWN"],
    ]);
    expect(textOf(await t.deliver("shelter"))).toContain("Akses Anda ke kasus ini berakhir");
    expect(textOf(await t.deliver("iom"))).toContain("Akses Anda ke kasus ini berakhir");
    const story = await referrals.run((desk) => desk.storyFor(shelter, toShelter.referral.code));
    expect(story?.story).toBeNull();
    const office = textOf(await t.deliver("ani"));
    expect(office).toContain(`Pelapor menarik persetujuan untuk laporan ${reference}`);
    expect(office).toContain(toShelter.referral.code);
    expect(office).toContain(toIom.referral.code);
  });
});

/** Presses a button, as Telegram sends it (the choice's id, no text). */
async function press(t: TestApp, user: string, choiceId: string) {
  await t.app.conversation.handle({
    address: `term:${user}`,
    messageId: `press-${Math.random()}`,
    receivedAt: t.clock.now(),
    choiceId,
  });
  t.clock.advance(1000);
  return t.deliver(user);
}

describe("referring from the chat", () => {
  it("an agent refers with /rujuk: the partners that fit, the consent, then send; the partner gets its card", async () => {
    const { t, reference } = await world();
    await t.send("ani", `/terima ${reference}`);
    const list = await t.send("ani", `/rujuk ${reference} rumah aman, kesehatan`);
    expect(list[0]?.text).toBe(`Mitra untuk kasus ${reference} (Rumah aman, Kesehatan). Pilih satu:`);
    expect(list[0]?.choices?.map((c) => c.label)).toEqual([
      "Rumah Aman Fiktif Lombok (CONTOH) (data perlu diperiksa ulang)",
      "Batal",
    ]);
    const consent = await t.send("ani", "1");
    expect(consent[0]?.text).toContain(`Rujukan kasus ${reference} ke Rumah Aman Fiktif Lombok (CONTOH).`);
    // A child: a parent or guardian may consent too.
    expect(consent[0]?.choices?.map((c) => c.label)).toEqual(
      expect.arrayContaining(["Korban, secara langsung", "Orang tua/wali, lewat telepon", "Belum ada persetujuan"]),
    );
    expect(consent[0]?.choices).toHaveLength(10);
    const confirm = await t.send("ani", "orang tua/wali, lewat telepon");
    expect(confirm[0]?.text).toContain("Persetujuan: Orang tua/wali, lewat telepon.");
    const sent = textOf(await t.send("ani", "1"));
    expect(sent).toMatch(/^Rujukan \S+ dikirim ke Rumah Aman Fiktif Lombok \(CONTOH\)/);
    const stored = await t.app.database.prisma.referral.findFirstOrThrow({
      where: { providerCode: "NTB-RUMAH-AMAN-FIKTIF" },
    });
    expect(stored).toMatchObject({
      services: "HEALTH;SHELTER",
      status: "PENDING",
      consentSource: "GUARDIAN",
      consentMethod: "PHONE",
      providerNamedToVictim: false,
    });
    expect(textOf(await t.deliver("shelter"))).toContain(`Rujukan baru ${stored.code}`);
  });

  it("the partner records the services it gave from its chat: only those asked, on a day since the referral", async () => {
    const { t, reference } = await world();
    await t.send("ani", `/terima ${reference}`);
    await t.sendAll("ani", `/rujuk ${reference} rumah aman, kesehatan`, "1", "korban, secara langsung", "1");
    const code = (await t.app.database.prisma.referral.findFirstOrThrow()).code;
    await t.deliver("shelter");
    // Not before it is accepted.
    expect(textOf(await t.send("shelter", `/layananrujukan ${code} rumah aman`))).toBe(
      `Rujukan ${code} sudah menunggu jawaban: tidak ada yang diubah.`,
    );
    expect(await t.app.database.prisma.caseService.count()).toBe(0);
    await t.send("shelter", `/terimarujukan ${code}`);
    expect(textOf(await t.send("shelter", `/layananrujukan ${code.toLowerCase()} rumah aman`))).toBe(
      `Layanan Rumah aman tercatat untuk rujukan ${code}.`,
    );
    expect(textOf(await t.send("shelter", `/layananrujukan ${code} bantuan hukum`))).toContain(
      "Layanan itu tidak diminta dalam rujukan",
    );
    expect(textOf(await t.send("shelter", `/layananrujukan ${code} kesehatan 1/1/2020`))).toContain(
      "harus antara tanggal rujukan dan hari ini",
    );
    // A day that has not come yet is not read as today.
    expect(textOf(await t.send("shelter", `/layananrujukan ${code} kesehatan 31/12/2099`))).toContain(
      `misalnya /layananrujukan ${code} rumah aman 30/11`,
    );
    const services = await t.app.database.prisma.caseService.findMany();
    expect(services.map((s) => s.type)).toEqual(["SHELTER"]);
    expect(services[0]?.referralId).not.toBeNull();
    // The office hears of it.
    expect(textOf(await t.deliver("ani"))).toContain(`mencatat layanan Rumah aman`);
  });

  it("keeps every button of the chat dialogue within Telegram's 64 bytes, with the longest partner code and services", async () => {
    const { t, reference } = await world();
    const [lbh] = fictionalProviders();
    const code = "NTB-PENDAMPING-KORBAN-YANG-PANJA";
    expect(code).toHaveLength(32);
    await t.app.providers.importAll(
      [
        ...fictionalProviders(),
        {
          ...(lbh as NonNullable<typeof lbh>),
          code,
          services: ["RESTITUTION", "DOCUMENTS", "SPIRITUAL_CARE", "EDUCATION", "LIVELIHOOD"],
        },
      ],
      t.clock.now(),
    );
    const steps = [
      await t.send("ani", `/rujuk ${reference} restitusi, dokumen identitas, bimbingan rohani, pendidikan`),
      await t.send("ani", "1"),
      await t.send("ani", "orang tua/wali, tertulis"),
    ];
    const ids = steps.flatMap((messages) => messages.flatMap((m) => m.choices ?? []).map((c) => c.id));
    expect(ids.some((id) => id.includes(code))).toBe(true);
    for (const id of ids) expect(Buffer.byteLength(id), id).toBeLessThanOrEqual(64);
    expect(textOf(await t.send("ani", "1"))).toContain(`dikirim ke ${(lbh as NonNullable<typeof lbh>).name}`);
  });

  it("works by pressing the buttons, as on Telegram; a button of an older question, or a forged one, sends nothing", async () => {
    const { t, reference } = await world();
    await t.send("ani", `/terima ${reference}`);
    const list = await t.send("ani", `/rujuk ${reference} bantuan hukum`);
    const lbhButton = list[0]?.choices?.[0]?.id as string;
    expect(lbhButton).toMatch(/^r:p:/);
    const consent = await press(t, "ani", lbhButton);
    const guardianInWriting = consent[0]?.choices?.find((c) => c.label === "Orang tua/wali, tertulis")?.id as string;
    const confirm = await press(t, "ani", guardianInWriting);
    expect(confirm[0]?.choices?.map((c) => c.label)).toEqual([
      "Kirim (nama lembaga tidak ditampilkan ke korban)",
      "Kirim (korban sudah tahu nama lembaga ini)",
      "Batal",
    ]);
    const named = confirm[0]?.choices?.[1]?.id as string;
    // Another command in between: the old Send button no longer counts.
    await t.send("ani", "/kasus");
    expect(textOf(await press(t, "ani", named))).toBe(
      `Pilihan rujukan itu sudah tidak berlaku (lewat 15 menit, atau ada pertanyaan yang lebih baru). Ketik /rujuk ${reference} lagi.`,
    );
    expect(await t.app.database.prisma.referral.count()).toBe(0);
    // A button made up to claim a consent never offered is refused the same way.
    await t.send("ani", `/rujuk ${reference} bantuan hukum`);
    expect(textOf(await press(t, "ani", named.replace(":GW:", ":VI:")))).toContain("sudah tidak berlaku");
    // A partner's chat pressing an office's button gets nothing done.
    expect(textOf(await press(t, "lbh", lbhButton))).toBe(
      "Tombol ini sudah tidak berlaku. Ketik /kasus untuk daftar kasus.",
    );
    // Pressed through, it is sent with what was pressed.
    const again = await press(
      t,
      "ani",
      (await t.send("ani", `/rujuk ${reference} bantuan hukum`))[0]?.choices?.[0]?.id as string,
    );
    const id = again[0]?.choices?.find((c) => c.label === "Orang tua/wali, tertulis")?.id as string;
    const send = (await press(t, "ani", id))[0]?.choices?.[1]?.id as string;
    expect(textOf(await press(t, "ani", send))).toMatch(/^Rujukan \S+ dikirim ke LBH Fiktif Mataram/);
    expect(await t.app.database.prisma.referral.findFirstOrThrow()).toMatchObject({
      providerCode: "NTB-LBH-FIKTIF",
      services: "LEGAL_AID",
      consentSource: "GUARDIAN",
      consentMethod: "WRITTEN",
      providerNamedToVictim: true,
    });
  });

  it("a number typed after a new case card arrived answers the card, not the older referral question", async () => {
    const { t, reference } = await world();
    await t.send("ani", `/terima ${reference}`);
    await t.send("ani", `/rujuk ${reference} bantuan hukum`);
    const done = textOf(await t.sendAll("warga", ...NTB_CHILD));
    const second = /Nomor laporan: ([0-9A-Z-]{14})/.exec(done)?.[1] as string;
    expect(textOf(await t.deliver("ani"))).toContain(`Nomor: ${second}`);
    // Two cards came in the last quarter hour: the bot asks which case, and the referral is untouched.
    expect(textOf(await t.send("ani", "1"))).toContain("Kasus yang mana?");
    expect(await t.app.database.prisma.referral.count()).toBe(0);
  });

  it("reads service names that hold 'dan' or a slash, and several joined by 'dan'", () => {
    const languages = [startTestAppTranslate("id"), startTestAppTranslate("en")];
    expect(referralServices("perlindungan saksi dan korban", languages)).toEqual({
      services: ["WITNESS_PROTECTION"],
      unknown: [],
    });
    expect(referralServices("psychosocial support / counselling and shelter", languages)).toEqual({
      services: ["PSYCHOSOCIAL", "SHELTER"],
      unknown: [],
    });
    // As staff type in a hurry: "sama", "serta".
    expect(referralServices("rumah aman sama kesehatan serta pemulangan", languages)).toEqual({
      services: ["SHELTER", "HEALTH", "RETURN_TRAVEL"],
      unknown: [],
    });
    expect(referralServices("rumah aman dan kesehatan, pijat", languages)).toEqual({
      services: ["SHELTER", "HEALTH"],
      unknown: ["pijat"],
    });
  });

  it("asks for the services when none is named, says which words it did not know, and sends nothing without consent", async () => {
    const { t, reference } = await world();
    expect(textOf(await t.send("ani", `/rujuk ${reference}`))).toContain(
      "Layanan dari mitra yang melayani tempat kasus ini: Kesehatan, Psikososial / konseling, Rumah aman, Bantuan hukum, Restitusi, Pemulangan (perjalanan), Penyatuan keluarga, Dokumen identitas.",
    );
    expect(textOf(await t.send("ani", `/rujuk ${reference} rumah aman, pijat`))).toContain(
      'Tidak saya kenali sebagai layanan: "pijat".',
    );
    expect(textOf(await t.send("ani", `/rujuk ${reference} bantuan hukum dan rumah aman`))).toContain(
      "Tidak ada satu mitra aktif di wilayah kasus",
    );
    await t.send("ani", `/rujuk ${reference} bantuan hukum`);
    await t.send("ani", "1");
    expect(textOf(await t.send("ani", "belum ada persetujuan"))).toContain(
      `Rujukan kasus ${reference} belum dikirim. Mintalah dulu persetujuan korban`,
    );
    expect(await t.app.database.prisma.referral.count()).toBe(0);
  });

  it("offers no guardian consent for an adult, refuses partners and other offices, and works in English", async () => {
    const { t, reference } = await world();
    // A partner's staff cannot refer, and another office's staff cannot touch the case.
    expect(textOf(await t.send("lbh", `/rujuk ${reference} rumah aman`))).toContain(
      "Merujuk kasus ke mitra dilakukan oleh kantor yang menangani kasusnya.",
    );
    await enrolStaff(t, "budi", "Budi", "DINSOS-32");
    expect(textOf(await t.send("budi", `/rujuk ${reference} rumah aman`))).toBe(
      "Hanya kantor penanggung jawab kasus yang dapat merujuk atau mencabut rujukannya.",
    );
    expect(await t.app.database.prisma.referral.count()).toBe(0);

    const adult = REPORT_KIND_LINES.adultMan.map((line) => (line === "jatim" ? "mataram" : line));
    const done = textOf(await t.sendAll("warga", ...adult));
    const adultCase = /Nomor laporan: ([0-9A-Z-]{14})/.exec(done)?.[1] as string;
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference: adultCase } });
    await enrolStaff(t, "dina", "Dina", row.officeCode as string);
    await t.send("dina", "english");
    const list = await t.send("dina", `/refer ${adultCase} legal aid`);
    expect(list[0]?.text).toBe(`Partners for case ${adultCase} (Legal aid). Pick one:`);
    const consent = await t.send("dina", "1");
    expect(consent[0]?.choices?.map((c) => c.label)).toEqual([
      "The victim, in person",
      "The victim, by phone",
      "The victim, in the chat",
      "The victim, in writing",
      "No consent yet",
      "Cancel",
    ]);
    await t.send("dina", "1");
    expect(textOf(await t.send("dina", "3"))).toBe(`The referral of case ${adultCase} was not sent.`);
    expect(await t.app.database.prisma.referral.count()).toBe(0);
  });
});
