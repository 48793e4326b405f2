import { afterEach, describe, expect, it } from "vitest";
import { findScenario, TRAINING_SCENARIOS, type TrainingScenario } from "../../src/training/training-scenarios.ts";
import { scoreText } from "../../src/training/training-score.ts";
import { prepareScenario, scoreNow, type TrainingCase } from "../../src/training/training-session.ts";
import { textOf } from "../support/engine-chat.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

async function setUp(id: string): Promise<{ t: TestApp; scenario: TrainingScenario; training: TrainingCase }> {
  const t = await startTestApp();
  open.push(t);
  const scenario = findScenario(id) as TrainingScenario;
  const training = await prepareScenario(t.app, scenario, "ani", "id");
  return { t, scenario, training };
}

describe("training scenarios", () => {
  it.each([
    ["nunukan-anak", "UPTDPPA-65", "CHILD_EXPLOITATION"],
    ["nelayan-luar-negeri", "KP2MI", "FISHING_VESSEL"],
    ["pin-darurat", "UPTDPPA-21", "DOMESTIC_WORK"],
  ])("%s: the synthetic report reaches %s and its card waits in the trainee's chat", async (id, office, category) => {
    const { t, training } = await setUp(id);
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { id: training.caseId } });
    expect(row).toMatchObject({ officeCode: office, category, status: "ROUTED" });
    const chat = textOf(await t.deliver("ani"));
    expect(chat).toContain("Selamat datang, ani");
    expect(chat).toContain(`Nomor: ${training.reference}`);
  });

  it("the duress scenario leaves the duress PIN's use in the case history, as staff see it", async () => {
    const { t, training } = await setUp("pin-darurat");
    const events = await t.app.database.prisma.caseEvent.findMany({ where: { caseId: training.caseId } });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["DURESS_PIN_SET", "DURESS_PIN_USED"]));
    await t.deliver("ani");
    expect(textOf(await t.send("ani", `/riwayat ${training.reference}`))).toMatch(/PIN darurat/i);
  });

  it("a careful trainee scores every point; the score names each item", async () => {
    const { t, scenario, training } = await setUp("nunukan-anak");
    const ref = training.reference;
    await t.deliver("ani");
    await t.send("ani", "/terima");
    await t.send("ani", `/detail ${ref}`);
    expect(
      textOf(await t.send("ani", `/balas ${ref} Kami sudah menerima laporan Anda dan menjemput anak itu hari ini.`)),
    ).toContain("sudah dikirim ke pelapor");
    for (const service of ["rumah aman", "kesehatan", "pemulangan"]) await t.send("ani", `/layanan ${ref} ${service}`);
    const card = await scoreNow(t.app, scenario, training);
    expect(card).toMatchObject({ points: 4, total: 4 });
    const text = scoreText(t.app.translate("en"), scenario, card);
    expect(text).toContain("Training score · A child from Nunukan, returned from Malaysia: 4 of 4");
    expect(text.split("\n").filter((l) => l.startsWith("✓"))).toHaveLength(4);
  });

  it("a hurried trainee loses the points they missed: details before accepting, late, a wrong service, no word to the reporter", async () => {
    const { t, scenario, training } = await setUp("nunukan-anak");
    const ref = training.reference;
    await t.deliver("ani");
    await t.send("ani", `/detail ${ref}`);
    t.clock.advance(25 * 60 * 60_000);
    await t.send("ani", `/terima ${ref}`);
    await t.send("ani", `/layanan ${ref} rumah aman`);
    await t.send("ani", `/layanan ${ref} pendidikan`);
    const card = await scoreNow(t.app, scenario, training);
    expect(card.points).toBe(0);
    expect(scoreText(t.app.translate("id"), scenario, card)).toContain("✗ Pelapor belum dikabari");
  });

  it("in the duress scenario, writing to the reporter's chat costs the point that staying silent earns", async () => {
    const { t, scenario, training } = await setUp("pin-darurat");
    const ref = training.reference;
    await t.deliver("ani");
    await t.send("ani", `/terima ${ref}`);
    await t.send("ani", `/layanan ${ref} penanganan pengaduan`);
    expect(await scoreNow(t.app, scenario, training)).toMatchObject({ points: 4 });
    await t.send("ani", `/balas ${ref} Halo, bagaimana kabar Anda?`);
    const card = await scoreNow(t.app, scenario, training);
    expect(card.points).toBe(3);
    expect(scoreText(t.app.translate("en"), scenario, card)).toContain(
      "✗ Something (a reply or a new PIN) went to the reporter's chat",
    );
  });

  it("a scenario already set up is found again, not filed twice (the trainee goes on where they stopped)", async () => {
    const { t, scenario, training } = await setUp("nelayan-luar-negeri");
    const again = await prepareScenario(t.app, scenario, "ani", "id");
    expect(again).toMatchObject({ reference: training.reference, staffId: training.staffId, fresh: false });
    expect(await t.app.database.prisma.case.count()).toBe(1);
  });

  it("every scenario has a title and a brief in both languages", async () => {
    const t = await startTestApp();
    open.push(t);
    for (const language of ["id", "en"] as const) {
      const tr = t.app.translate(language);
      for (const s of TRAINING_SCENARIOS) {
        expect(tr(`training:scenario.${s.key}.title`)).not.toContain("training:");
        expect(tr(`training:scenario.${s.key}.brief`)).not.toContain("training:");
      }
    }
  });
});

describe("the training directory of partners", () => {
  it("holds only invented organisations, named as such, with example.org contacts, serving each scenario's place", async () => {
    const { t, training } = await setUp("nunukan-anak");
    const providers = await t.app.database.prisma.provider.findMany({ include: { areas: true } });
    expect(providers.length).toBeGreaterThanOrEqual(3);
    for (const p of providers) {
      expect(p.name).toMatch(/FIKTIF, hanya untuk latihan/);
      expect(p.contacts ?? "").toMatch(/^[a-z-]+@example\.org$/);
    }
    const staff = await t.app.staff.byIdentity((await t.app.identities.resolve("term:ani", t.clock.now())).id);
    const options = await t.app.referrals.run((desk) =>
      desk.options(staff as NonNullable<typeof staff>, training.reference, ["SHELTER"]),
    );
    expect(Array.isArray(options) ? options.map((o) => o.provider.code) : options).toEqual([
      "KALTARA-RUMAH-AMAN-LATIHAN",
    ]);
  });
});
