import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../support/engine-chat.ts";
import { FakeDesk } from "../support/fake-desk.ts";

/** Words that mean "yes" and also name places in Indonesia (Kec. Bener, Purworejo; Kab. Malaka, NTT). */
const YES_THAT_ARE_PLACES = ["iya betul", "iya bener", "bener", "betul", "benar"];

/** A Batam report up to the place confirmation. */
async function atBatamConfirmation(chat: EngineChat): Promise<void> {
  await chat.sendAll("halo", "lapor", "ya");
  expect(textOf(await chat.send("Batam"))).toContain("Tempatnya: Kota Batam, Kepulauan Riau. Benar?");
}

describe("the place confirmation reads only yes, no or a correction", () => {
  it.each(YES_THAT_ARE_PLACES)('"%s" confirms Batam and never becomes a new place', async (reply) => {
    const chat = new EngineChat();
    await atBatamConfirmation(chat);
    expect(textOf(await chat.send(reply))).toContain("Berapa usia korban?");
    expect(chat.doc?.state).toMatchObject({
      step: "victim_age",
      draft: { place: { kind: "province", provinceCode: "21", regencyCode: "21.71" } },
    });
  });

  it('files a Batam child case answered "iya betul" to Kepulauan Riau', async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await atBatamConfirmation(chat);
    await chat.sendAll("iya betul", "anak", "cewek", "lewati", "lewati", "iya betul");
    expect(chat.lastText()).toContain("Tempat: Kota Batam, Kepulauan Riau");
    await chat.send("iya betul");
    expect(desk.only().report).toMatchObject({
      urgency: "URGENT",
      provinceCode: "21",
      regencyCode: "21.71",
      victimAgeGroup: "CHILD",
    });
  });

  it('"bukan, di Batam" corrects the place, and the correction is confirmed in its turn', async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya", "kab bogor");
    expect(chat.lastText()).toContain("Tempatnya: Kab. Bogor, Jawa Barat. Benar?");
    expect(textOf(await chat.send("bukan, di Batam"))).toContain("Tempatnya: Kota Batam, Kepulauan Riau. Benar?");
    await chat.send("iya betul");
    expect(chat.doc?.state).toMatchObject({ step: "victim_age", draft: { place: { provinceCode: "21" } } });
  });

  it("a place typed without yes or no at the confirmation is not taken: the person is shown how to correct", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya", "kab bogor");
    const replies = await chat.send("Batam");
    expect(textOf(replies)).toContain("balas bukan lalu tulis tempatnya, misalnya: bukan, di Batam");
    expect(chat.doc?.state).toMatchObject({ step: "place_confirm", pendingPlace: { provinceCode: "32" } });
    expect(chat.doc?.state).not.toHaveProperty("draft.place");
  });

  it('"no" starts the place question again, in English too', async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.sendAll("hi", "report", "yes", "kab bogor");
    expect(textOf(await chat.send("wrong"))).toContain("Where is this happening?");
    await chat.sendAll("batam", "yes that's right");
    expect(chat.doc?.state).toMatchObject({ step: "victim_age", draft: { place: { provinceCode: "21" } } });
  });
});

describe("at the place question, yes/no/filler words are never a place without its regency and province named", () => {
  it('"bener" is offered as Kec. Bener in Kab. Purworejo, Jawa Tengah, for the person to confirm', async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya");
    const replies = await chat.send("bener");
    expect(textOf(replies)).toContain(
      'Anda menulis "bener". Ada tempat dengan nama itu: Kec. Bener, Kab. Purworejo, Jawa Tengah.',
    );
    expect(chat.doc?.state).toMatchObject({ step: "place_confirm" });
    expect(chat.doc?.state).not.toHaveProperty("draft.place");
    expect(textOf(await chat.send("bukan"))).toContain("Di mana hal ini terjadi?");
    expect(chat.doc?.state).not.toHaveProperty("draft.place");
  });

  it('"iya betul" is offered with its regency and province named, never taken silently', async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya");
    expect(textOf(await chat.send("iya betul"))).toContain("Kab. Malaka, Nusa Tenggara Timur");
    expect(chat.doc?.state).toMatchObject({ step: "place_confirm" });
    expect(chat.doc?.state).not.toHaveProperty("draft.place");
  });

  it.each(["ya", "iya", "ok", "tidak", "benar", "bukan kak", "lewati"])(
    '"%s" gets a hint and no place',
    async (reply) => {
      const chat = new EngineChat();
      await chat.sendAll("halo", "lapor", "ya");
      await chat.send(reply);
      expect(chat.lastText()).toContain("Di mana hal ini terjadi?");
      expect(chat.doc?.state).toMatchObject({ step: "place" });
      expect(chat.doc?.state).not.toHaveProperty("draft.place");
    },
  );

  it('"ga tau kak" is "don\'t know", not Gatak in Sukoharjo', async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya", "ga tau kak");
    expect(chat.doc?.state).toMatchObject({ step: "victim_age", draft: { place: { kind: "unknown" } } });
  });

  it("the home province and the country questions refuse yes/no words instead of storing them", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya", "luar negeri");
    expect(chat.lastText()).toContain("Di negara mana?");
    await chat.send("iya");
    expect(chat.doc?.state).toMatchObject({ step: "country", draft: { place: { country: null, countryText: null } } });
    await chat.send("malaysia");
    expect(chat.lastText()).toContain("Dari provinsi mana korban berasal?");
    await chat.send("bener");
    expect(chat.doc?.state).toMatchObject({ step: "home_province", draft: { place: { homeProvinceCode: null } } });
    await chat.send("ga tau");
    expect(chat.doc?.state).toMatchObject({ step: "victim_age", draft: { place: { homeProvinceCode: null } } });
  });

  it("the pick list and the province list read yes/no words as answers, not places", async () => {
    const chat = new EngineChat();
    await chat.sendAll("halo", "lapor", "ya", "Banjar");
    expect(chat.doc?.state).toMatchObject({ step: "place_pick" });
    expect(textOf(await chat.send("bukan"))).toContain("Di mana hal ini terjadi?");
    await chat.sendAll("pilih provinsi dari daftar", "iya");
    expect(chat.doc?.state).toMatchObject({ step: "place_list" });
    expect(chat.doc?.state).not.toHaveProperty("draft.place");
  });
});

describe("the other confirmations read only yes or no", () => {
  it("consent: yes words agree, not-sure gets an explanation, no declines", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor", "ya", "batam", "iya betul", "1", "1", "lewati", "1");
    expect(chat.lastText()).toContain("Bolehkah laporan ini kami teruskan");
    expect(textOf(await chat.send("ga tau"))).toContain("Laporan hanya bisa kami teruskan kalau Anda setuju");
    expect(chat.doc?.state).toMatchObject({ step: "consent" });
    expect(textOf(await chat.send("tidak setuju"))).toContain("Tanpa persetujuan Anda");
    expect(textOf(await chat.send("iya bener"))).toContain("Mohon periksa jawaban Anda");
    expect(chat.doc?.state).toMatchObject({ step: "summary", draft: { consent: true, place: { provinceCode: "21" } } });
  });

  it("the summary: yes words send the report as it is, no words open the changes", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("halo", "lapor", "ya", "batam", "iya betul", "1", "1", "lewati", "1", "iya setuju");
    expect(textOf(await chat.send("belum"))).toContain("Bagian mana yang ingin diubah?");
    await chat.send("kembali");
    expect(textOf(await chat.send("bener"))).toContain("Nomor laporan");
    expect(desk.only().report).toMatchObject({ provinceCode: "21", regencyCode: "21.71" });
  });

  it("erasing contact details after hapus takes yes words and nothing else", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("lapor", "tidak", "2", "1", "4", "bali", "ya", "dewasa", "1", "1", "lewati", "1", "1", "1");
    await chat.send("hapus");
    expect(textOf(await chat.send("iya betul"))).toContain("sudah dihapus dari 1 laporan");
  });
});
