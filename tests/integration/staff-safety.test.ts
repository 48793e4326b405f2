import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { textOf } from "../support/engine-chat.ts";
import { enrolStaff, fileReport, seedCases } from "../support/staff-world.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

// Each test here reproduces a defect of issue 12 the way staff met it, typing in a hurry.

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

async function start(): Promise<TestApp> {
  const t = await startTestApp();
  open.push(t);
  return t;
}

const statusOf = async (t: TestApp, reference: string) =>
  (await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } })).status;

describe("one meaning per message", () => {
  it("reads /kasus after a card as the case list, never as the card's 'Tutup kasus'; the next 1 closes nothing", async () => {
    const t = await start();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const { reference } = await fileReport(t, "victim");
    expect(textOf(await t.deliver("ani"))).toContain(reference);
    await t.deliver("victim");

    const list = textOf(await t.send("ani", "/kasus"));
    expect(list).toContain(reference);
    expect(list).not.toContain("Tutup kasus");
    await t.send("ani", "1");
    expect(await statusOf(t, reference)).not.toBe("CLOSED");
    expect(textOf(await t.deliver("victim"))).not.toContain("Selesai");
  });

  it("acts on a bare number only for a card the chat has received, not for one still waiting to be sent", async () => {
    const t = await start();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const urgent = await fileReport(t, "r1", "urgentChild");
    await t.deliver("ani");
    // The second card is written but not yet delivered when Ani types.
    const normal = await fileReport(t, "r2", "child");
    expect(textOf(await t.send("ani", "1"))).toContain(`Kasus ${urgent.reference} diterima oleh Ani`);
    expect(await statusOf(t, urgent.reference)).toBe("ACKNOWLEDGED");
    expect(await statusOf(t, normal.reference)).toBe("ROUTED");
  });

  it("asks which case when two cards arrived, for a bare number and for /terima without a reference", async () => {
    const t = await start();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const first = await fileReport(t, "r1", "urgentChild");
    const second = await fileReport(t, "r2", "child");
    expect(await t.deliver("ani")).toHaveLength(2);

    const asked = await t.send("ani", "/terima");
    expect(textOf(asked)).toContain("Kasus yang mana?");
    expect(asked.at(-1)?.choices?.map((c) => c.label.split(" · ")[1])).toEqual([second.reference, first.reference]);
    expect(await statusOf(t, second.reference)).toBe("ROUTED");
    expect(textOf(await t.send("ani", "2"))).toContain(`Kasus ${first.reference} diterima oleh Ani`);
    expect(await statusOf(t, second.reference)).toBe("ROUTED");

    expect(textOf(await t.send("ani", "2"))).toContain("Kasus yang mana?");
    expect(await statusOf(t, second.reference)).toBe("ROUTED");
  });
});

describe("far-reaching changes", () => {
  it("asks before closing, and a supervisor can reopen with a reason; the reporter hears both", async () => {
    const t = await start();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "sri", "Sri", "UPTDPPA-35", "SUPERVISOR");
    const { reference } = await fileReport(t, "victim");
    await t.deliver("victim");
    await t.send("ani", `/terima ${reference}`);
    await t.deliver("victim");

    const confirm = await t.send("ani", `/tutup ${reference} duplicate`);
    expect(textOf(confirm)).toContain(`Tutup kasus ${reference} dengan hasil "Laporan ganda"?`);
    expect(confirm.at(-1)?.choices?.map((c) => c.label)).toEqual(["Ya", "Batal"]);
    expect(await statusOf(t, reference)).toBe("ACKNOWLEDGED");
    expect(textOf(await t.send("ani", "ya"))).toContain(`Kasus ${reference} ditutup`);
    expect(textOf(await t.deliver("victim"))).toContain("Selesai");

    expect(textOf(await t.send("ani", `/bukakembali ${reference} salah tutup`))).toContain(
      "hanya bisa dilakukan supervisor",
    );
    expect(textOf(await t.send("sri", `/bukakembali ${reference}`))).toContain("Tulis alasannya");
    expect(textOf(await t.send("sri", `/bukakembali ${reference} korban minta bantuan lagi`))).toContain(
      `Kasus ${reference} dibuka kembali`,
    );
    expect(await statusOf(t, reference)).toBe("ACKNOWLEDGED");
    expect(textOf(await t.deliver("victim"))).toContain("Sedang ditangani petugas");
  });
});

describe("scopes", () => {
  it("lets an office that received a copy read and note, but not change status, transfer or close", async () => {
    const t = await start();
    await enrolStaff(t, "kp", "Kiki", "KP2MI");
    await enrolStaff(t, "dinsos", "Dodi", "DINSOS-35");
    const { reference } = await fileReport(t, "r1", "abroad");
    expect(textOf(await t.deliver("dinsos"))).toContain("Salinan laporan untuk diketahui");

    for (const command of [
      `/ubahstatus ${reference} ASSESSMENT`,
      `/alihkan ${reference} DINSOS-35`,
      `/salin ${reference} UPTDPPA-35`,
      `/tutup ${reference} duplicate`,
      `/terima ${reference}`,
    ]) {
      expect(textOf(await t.send("dinsos", command)), command).toContain("hanya menerima salinan");
    }
    expect(textOf(await t.send("dinsos", `/catatan ${reference} keluarga di Malang sudah dihubungi`))).toContain(
      "tersimpan",
    );
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } });
    expect(row).toMatchObject({ status: "ROUTED", officeCode: "KP2MI", closedAt: null });
  });

  it("keeps a provincial supervisor to their own office", async () => {
    const t = await start();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "yudi", "Yudi", "DINSOS-32", "SUPERVISOR");
    const { reference } = await fileReport(t, "r1", "child");
    expect(textOf(await t.send("yudi", `/terima ${reference}`))).toContain("tidak ditangani kantor Anda");
    expect(textOf(await t.send("yudi", "/kasus"))).not.toContain(reference);
  });
});

describe("cases change safely", () => {
  it("lets only one of a close and a transfer confirmed at the same moment happen; the other is told", async () => {
    const t = await start();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "citra", "Citra", "NATIONAL", "NATIONAL");
    const { reference } = await fileReport(t, "r1", "child");
    await Promise.all([
      t.send("ani", `/tutup ${reference} duplicate`),
      t.send("citra", `/alihkan ${reference} DINSOS-32`),
    ]);
    const [ani, citra] = await Promise.all([t.send("ani", "ya"), t.send("citra", "ya")]);

    const row = await t.app.database.prisma.case.findUniqueOrThrow({
      where: { reference },
      include: { events: { orderBy: { id: "asc" } } },
    });
    const closed = row.status === "CLOSED";
    if (closed) expect(row).toMatchObject({ officeCode: "UPTDPPA-35", resolution: "DUPLICATE" });
    else expect(row).toMatchObject({ status: "ROUTED", officeCode: "DINSOS-32", closedAt: null, resolution: null });
    const changes = row.events.filter((e) => e.type === "CLOSED" || e.type === "TRANSFERRED").map((e) => e.type);
    expect(changes).toEqual([closed ? "CLOSED" : "TRANSFERRED"]);
    expect(textOf(closed ? citra : ani)).toContain("Kasus ini baru saja diubah");
  });

  it("tells staff who confirm a close after the case was transferred away that it changed, and closes nothing", async () => {
    const t = await start();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "citra", "Citra", "NATIONAL", "NATIONAL");
    const { reference } = await fileReport(t, "r1", "child");
    expect(textOf(await t.send("ani", `/tutup ${reference} duplicate`))).toContain("ya");
    await t.send("citra", `/alihkan ${reference} DINSOS-32`);
    await t.send("citra", "ya");
    const answer = textOf(await t.send("ani", "ya"));
    expect(answer).toContain("Kasus ini baru saja diubah");
    expect(answer).toContain("Perintah Anda tidak dijalankan");
    expect(answer).not.toContain("tidak bisa membukanya");
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } });
    expect(row).toMatchObject({ status: "ROUTED", officeCode: "DINSOS-32", closedAt: null, resolution: null });
  });

  it("refuses a close confirmation for another office's case that never was theirs, without saying it moved", async () => {
    const t = await start();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "dodi", "Dodi", "DINSOS-32");
    const { reference } = await fileReport(t, "r1", "child");
    // A confirmation button's id typed or forged by a chat of another office, with any version.
    const compact = reference.replaceAll("-", "");
    await t.app.conversation.handle({
      address: "term:dodi",
      messageId: randomUUID(),
      receivedAt: t.clock.now(),
      choiceId: `x:okc:${compact}:DUPLICATE:7`,
    });
    const answer = textOf(await t.deliver("dodi"));
    expect(answer).toContain("tidak ditangani kantor Anda");
    expect(answer).not.toContain("baru saja diubah");
    expect(await statusOf(t, reference)).toBe("ROUTED");
  });
});

describe("invites", () => {
  it("enrol one chat only when two use the same code at once", async () => {
    const t = await start();
    const member = await t.app.staff.add(
      { name: "Eko", officeCode: "DINSOS-35", role: "AGENT", language: "id" },
      t.clock.now(),
    );
    const invite = await t.app.staff.createInvite(member.id, t.clock.now());
    const answers = await Promise.all([
      t.send("eko", `/staff ${invite.code}`),
      t.send("intruder", `/staff ${invite.code}`),
    ]);
    expect(answers.filter((a) => textOf(a).includes("Selamat datang"))).toHaveLength(1);
  });

  it("stop a chat guessing codes after five wrong ones", async () => {
    const t = await start();
    const member = await t.app.staff.add(
      { name: "Eko", officeCode: "DINSOS-35", role: "AGENT", language: "id" },
      t.clock.now(),
    );
    const invite = await t.app.staff.createInvite(member.id, t.clock.now());
    for (const code of ["AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC", "DDDD-DDDD", "EEEE-EEEE"])
      expect(textOf(await t.send("guesser", `/staff ${code}`))).toContain("tidak berlaku");
    expect(textOf(await t.send("guesser", `/staff ${invite.code}`))).toContain("Terlalu banyak kode yang salah");
    expect((await t.app.staff.get(member.id))?.identityId).toBeNull();
  });
});

describe("invite guessing across chats", () => {
  it("alerts operators after 20 wrong codes in an hour, whatever chats they came from", async () => {
    const t = await start();
    const alerts: Array<{ kind: string; failures: number }> = [];
    t.app.onOperatorAlert((kind, details) => alerts.push({ kind, failures: Number(details.failures) }));
    for (let chat = 0; chat < 4; chat++)
      for (let guess = 0; guess < 5; guess++) await t.send(`guesser${chat}`, `/staff ZZZZ-${chat}${guess}AA`);
    expect(alerts.map((a) => a.failures)).toEqual([20]);
    expect(alerts[0]?.kind).toBe("invite_guessing");
  });
});

describe("the caseload", () => {
  it("never cuts the case list silently: 42 open cases, page after page", async () => {
    const t = await start();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const references = await seedCases(t, 42, { officeCode: "UPTDPPA-35" });
    let shown = textOf(await t.send("ani", "/kasus"));
    expect(shown).toContain("dari 42");
    for (let page = 0; page < 4; page++) shown += textOf(await t.send("ani", "lagi"));
    for (const reference of references) expect(shown).toContain(reference);
  });

  it("tells a second agent who accepted the case, and when", async () => {
    const t = await start();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "budi", "Budi", "UPTDPPA-35");
    const { reference } = await fileReport(t, "r1", "child");
    await t.send("ani", `/terima ${reference}`);
    expect(textOf(await t.send("budi", `/terima ${reference}`))).toContain(`sudah diterima oleh Ani`);
  });

  it("audits a staff command from someone who is not staff, with the case it names", async () => {
    const t = await start();
    const { reference } = await fileReport(t, "r1", "child");
    await t.send("stranger", `/terima ${reference}`);
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } });
    const audit = await t.app.database.prisma.auditLog.findMany({ where: { caseId: row.id } });
    expect(audit.map((a) => a.action)).toContain("case.accept.refused");
  });
});
