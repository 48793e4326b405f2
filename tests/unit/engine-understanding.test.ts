import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../support/engine-chat.ts";
import { FakeDesk } from "../support/fake-desk.ts";

const NOT_UNDERSTOOD = /belum mengerti|didn't understand/;

/** How many replies so far said the bot did not understand. */
const notUnderstood = (chat: EngineChat) => chat.transcript.filter((m) => NOT_UNDERSTOOD.test(m.text)).length;

describe("informal answers through the real intake", () => {
  it("takes a frightened sibling's chat Indonesian at every question and files the report", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor");
    expect(textOf(await chat.send("ga tau kak"))).toContain("112");
    expect(chat.lastText()).toContain("Siapa yang membuat laporan ini?");
    expect(textOf(await chat.send("sy kakaknya"))).toContain("Apa yang sedang terjadi?");
    expect(textOf(await chat.send("dipaksa kerja kak"))).toContain("dokumen korban ditahan");
    await chat.sendAll("iya kayaknya", "gak", "gak yakin", "iya bener");
    expect(chat.lastText()).toContain("Di mana hal ini terjadi?");
    expect(textOf(await chat.send("di batam kak"))).toContain("Tempatnya: Kota Batam, Kepulauan Riau. Benar?");
    expect(textOf(await chat.send("iya betul"))).toContain("Berapa usia korban?");
    expect(textOf(await chat.send("15 tahun"))).toContain("jenis kelamin");
    expect(textOf(await chat.send("cewe"))).toContain("Berapa orang");
    expect(textOf(await chat.send("lebih dr 5"))).toContain("Ceritakan apa yang terjadi");
    await chat.send("Adik saya dan teman-temannya dikurung di ruko, tidak boleh pulang.");
    expect(textOf(await chat.send("iya boleh"))).toContain("Bolehkah laporan ini kami teruskan");
    expect(textOf(await chat.send("iya setuju"))).toContain("Mohon periksa jawaban Anda");
    expect(textOf(await chat.send("udah bener kak"))).toContain("Nomor laporan");
    expect(notUnderstood(chat)).toBe(0);
    expect(desk.only().report).toMatchObject({
      urgency: "NORMAL",
      reporterRole: "FAMILY",
      category: "FORCED_LABOUR",
      indicators: { documentsHeld: "YES", freeToLeave: "NO", debt: "UNKNOWN", deceived: "YES" },
      provinceCode: "21",
      regencyCode: "21.71",
      victimAgeGroup: "CHILD",
      victimGender: "FEMALE",
      victimCount: "MANY",
      contactPreference: "CHAT",
    });
  });

  it("takes an NGO worker's English in their own words", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk, languageHint: "en" });
    await chat.sendAll("hi", "report", "nope", "I work for an NGO", "forced into sex work", "skip");
    expect(chat.lastText()).toContain("Where is this happening?");
    await chat.sendAll(
      "surabaya",
      "yes that's right",
      "adults",
      "men",
      "about 30",
      "skip",
      "stay anonymous",
      "I agree",
    );
    expect(chat.lastText()).toContain("Please check your answers");
    await chat.send("yes");
    expect(notUnderstood(chat)).toBe(0);
    expect(desk.only().report).toMatchObject({
      reporterRole: "ORGANISATION",
      category: "SEXUAL_EXPLOITATION",
      provinceCode: "35",
      victimAgeGroup: "ADULT",
      // "men" is men: an adult man is routed to Dinas Sosial, never read as "both women and men".
      victimGender: "MALE",
      victimCount: "MANY",
      contactPreference: "NONE",
    });
  });

  it('accepts "lewati" and "tidak tahu" on every question the intro says may be skipped', async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor", "lewati", "lewati", "tidak tahu", "lewati");
    expect(chat.lastText()).toContain("Di mana hal ini terjadi?");
    await chat.sendAll("tidak tahu", "lewati", "tidak tahu", "lewati", "lewati", "lewati");
    expect(chat.lastText()).toContain("Bolehkah laporan ini kami teruskan");
    await chat.sendAll("ya", "kirim");
    expect(chat.lastText()).toContain("Bisa ceritakan sedikit apa yang terjadi?");
    await chat.send("kirim saja");
    expect(notUnderstood(chat)).toBe(0);
    expect(desk.only().report).toMatchObject({
      urgency: "NORMAL",
      reporterRole: "UNKNOWN",
      category: "UNSURE",
      provinceCode: null,
      victimAgeGroup: "UNKNOWN",
      victimGender: "UNKNOWN",
      victimCount: "UNKNOWN",
      narrative: null,
      contactPreference: "NONE",
    });
  });
});

describe("ages", () => {
  it('reads "19" and "19 thn" as years, not as choice 19', async () => {
    for (const reply of ["19", "19 thn", "umur 19"]) {
      const chat = new EngineChat();
      await chat.sendAll("halo", "lapor", "ya", "bali", "ya");
      expect(textOf(await chat.send(reply))).toContain("jenis kelamin");
      expect(chat.doc?.state).toMatchObject({ step: "victim_gender", draft: { victimAgeGroup: "ADULT" } });
    }
  });

  it('asks once whether "2" is choice 2 or two years old, and takes either answer', async () => {
    const adult = new EngineChat();
    await adult.sendAll("halo", "lapor", "ya", "bali", "ya");
    const asked = await adult.send("2");
    expect(textOf(asked)).toContain("Maksudnya pilihan 2, atau usianya 2 tahun?");
    expect(adult.lastChoices()).toEqual(["Pilihan 2 (Dewasa)", "Usianya 2 tahun"]);
    expect(notUnderstood(adult)).toBe(0);
    await adult.send("Pilihan 2 (Dewasa)");
    expect(adult.doc?.state).toMatchObject({ step: "victim_gender", draft: { victimAgeGroup: "ADULT" } });

    const toddler = new EngineChat();
    await toddler.sendAll("halo", "lapor", "ya", "bali", "ya", "2", "2 tahun");
    expect(toddler.doc?.state).toMatchObject({ step: "victim_gender", draft: { victimAgeGroup: "CHILD" } });
  });

  it('takes "1" as the child choice without asking, since one year old is a child too', async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya", "bali", "ya");
    expect(textOf(await chat.send("1"))).toContain("jenis kelamin");
    expect(chat.doc?.state).toMatchObject({ draft: { victimAgeGroup: "CHILD" } });
  });
});

describe("destructive commands reached only through normalisation", () => {
  it('"batal dong" asks first and keeps the report on no; the exact "batal" acts at once', async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor", "tidak", "2");
    const asked = await chat.send("batal dong");
    expect(textOf(asked)).toContain("Mau membatalkan laporan ini?");
    expect(chat.doc?.state).toMatchObject({ flow: "intake", step: "category" });
    const kept = textOf(await chat.send("tidak"));
    expect(kept).toContain("tidak jadi");
    expect(kept).toContain("Apa yang sedang terjadi?");
    expect(chat.doc?.state).toMatchObject({ flow: "intake", step: "category", draft: { reporterRole: "FAMILY" } });

    await chat.send("batal aja kak");
    expect(textOf(await chat.send("iya"))).toContain("laporan dibatalkan");
    expect(chat.doc?.state.flow).toBe("idle");

    await chat.sendAll("lapor", "tidak");
    expect(textOf(await chat.send("batal"))).toContain("laporan dibatalkan");
    expect(desk.cases).toHaveLength(0);
  });

  it('"hapus aja" asks before deleting; "hapus" deletes at once', async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "tidak");
    const asked = await chat.send("hapus aja");
    expect(textOf(asked)).toContain("Mau menghapus percakapan ini?");
    expect(asked[asked.length - 1]?.choices?.map((c) => c.label)).toEqual(["Ya", "Tidak, jangan"]);
    const result = await chat.send("1");
    expect(textOf(result)).toContain("bersihkan chat");
    expect(chat.doc?.state).toEqual({ flow: "idle" });

    const other = new EngineChat({ identityId: "identity-2" });
    await other.sendAll("halo", "lapor", "tidak");
    expect(textOf(await other.send("hapus"))).toContain("bersihkan chat");
  });

  it("a question that is answered with something else is dropped, and the answer counts", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "tidak");
    await chat.send("hapus dong");
    expect(textOf(await chat.send("keluarga korban"))).toContain("Apa yang sedang terjadi?");
    expect(chat.doc?.confirmingCommand).toBeUndefined();
  });

  it("non-destructive commands with particles act at once", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "tidak");
    expect(textOf(await chat.send("bantuan dong kak"))).toContain("Cara memakai layanan ini");
    expect(textOf(await chat.send("bahasa indonesia saja"))).toContain("Bahasa Indonesia");
    expect(chat.doc?.state).toMatchObject({ flow: "intake", step: "role" });
  });
});

describe("the confirmation of a destructive command", () => {
  it("is not answered by the report question's yes button: that button answers its own question", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor");
    await chat.send("batal dong");
    await chat.send({ choiceId: "yes" });
    expect(chat.doc?.state).toMatchObject({ flow: "intake", step: "place", draft: { urgency: "URGENT" } });
  });

  it("is answered by its own button", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor");
    await chat.send("batal dong");
    expect(textOf(await chat.send({ choiceId: "confirm:yes" }))).toContain("laporan dibatalkan");
  });
});
