import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../support/engine-chat.ts";
import { FakeDesk } from "../support/fake-desk.ts";

const FULL_WELCOME = "Ini layanan untuk melaporkan dugaan perdagangan orang";
const SIBLING_STORY =
  "kak tolong, adek sy dibawa org ke malaysia katanya kerja di restoran tp skrg hp nya diambil majikan";

describe("intents in free text at the menu", () => {
  it.each([
    ["mau lapor", "apakah ada orang yang dalam bahaya"],
    ["mau lapor kak", "apakah ada orang yang dalam bahaya"],
    ["saya mau melaporkan", "apakah ada orang yang dalam bahaya"],
    ["saya mau lapor soal anak saya", "apakah ada orang yang dalam bahaya"],
    ["cek laporan saya", "Ketik nomor laporan"],
    ["nomor darurat", "SAPA 129 (perempuan dan anak)"],
    ["help", "Cara memakai layanan ini"],
    ["gimana cara lapor", "Cara memakai layanan ini"],
  ])('"%s" starts the right flow, not the welcome', async (text, expected) => {
    const chat = new EngineChat();
    await chat.send("halo");
    const replies = textOf(await chat.send(text));
    expect(replies).toContain(expected);
    expect(replies).not.toContain(FULL_WELCOME);
  });

  it("as a first message, an intent gets one short welcome line and starts at once", async () => {
    const chat = new EngineChat();
    const replies = textOf(await chat.send("mau lapor kak"));
    expect(replies).toMatch(/^Halo, terima kasih sudah menghubungi kami\./);
    expect(replies).not.toContain(FULL_WELCOME);
    expect(replies).toContain("apakah ada orang yang dalam bahaya");
    expect(chat.doc?.state).toMatchObject({ flow: "intake", step: "danger" });
  });

  it('"hapus chat ini dong" asks before deleting', async () => {
    const chat = new EngineChat();
    await chat.send("halo");
    expect(textOf(await chat.send("hapus chat ini dong"))).toContain("Mau menghapus percakapan ini?");
  });

  it("in English too", async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.send("hello");
    expect(textOf(await chat.send("I want to report"))).toContain("is anyone in immediate danger");
  });
});

describe("greetings and other short text at the menu", () => {
  it("a repeated greeting gets a short answer and the menu, never the whole welcome again", async () => {
    const chat = new EngineChat();
    expect(textOf(await chat.send("halo"))).toContain(FULL_WELCOME);
    for (const greeting of ["halo", "halo kak", "P", "selamat pagi", "halo"]) {
      const replies = await chat.send(greeting);
      expect(textOf(replies)).toContain("Halo lagi! Ada yang bisa kami bantu?");
      expect(textOf(replies)).not.toContain(FULL_WELCOME);
      expect(replies[replies.length - 1]?.choices?.[0]?.label).toBe("Buat laporan");
    }
  });

  it("text the bot cannot act on gets one line and the menu", async () => {
    const chat = new EngineChat();
    await chat.send("halo");
    const replies = textOf(await chat.send("kan udh sy bilang td kak"));
    expect(replies).toContain("Maaf, saya belum mengerti");
    expect(replies).not.toContain(FULL_WELCOME);
  });
});

describe("a first message that tells a story", () => {
  it("starts a report, keeps the story, and confirms the place and category it states", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    const first = textOf(await chat.send(SIBLING_STORY));
    expect(first).toMatch(/^Halo, terima kasih sudah menghubungi kami\./);
    expect(first).toContain("Cerita Anda sudah kami catat dan akan ikut dalam laporan");
    expect(first).not.toContain(FULL_WELCOME);
    expect(first).toContain("apakah ada orang yang dalam bahaya");
    expect(chat.doc?.state).toMatchObject({ flow: "intake", draft: { story: SIBLING_STORY } });

    await chat.sendAll("tidak", "sy kakaknya");
    expect(chat.lastText()).toContain(
      "Dari cerita Anda, sepertinya ini tentang: Pekerja migran di luar negeri. Benar?",
    );
    expect(textOf(await chat.send("iya"))).toContain("dokumen korban ditahan");
    await chat.send("lewati");
    expect(chat.lastText()).toContain("Dari cerita Anda, tempatnya: Malaysia (luar negeri). Benar?");
    // The country is known: the next question is the victim's home province.
    expect(textOf(await chat.send("iya betul"))).toContain("Dari provinsi mana korban berasal?");
    await chat.sendAll("jawa timur", "19 thn", "laki2", "1");
    expect(chat.lastText()).toContain("Cerita Anda sudah kami catat:");
    expect(chat.lastText()).toContain("adek sy dibawa org ke malaysia");
    await chat.sendAll("sudah cukup, lanjut", "1", "iya setuju");
    expect(chat.lastText()).toContain("Mohon periksa jawaban Anda");
    await chat.send("kirim");
    expect(desk.only().report).toMatchObject({
      reporterRole: "FAMILY",
      category: "MIGRANT_WORKER_ABROAD",
      abroad: true,
      country: "MY",
      homeProvinceCode: "35",
      victimAgeGroup: "ADULT",
      victimGender: "MALE",
      narrative: SIBLING_STORY,
    });
  });

  it("an Indonesian place in the story is confirmed with its province; a no asks the place question as usual", async () => {
    const chat = new EngineChat();
    await chat.send(
      "Anak saya dibawa orang ke Batam, katanya mau dipekerjakan di karaoke, sekarang tidak bisa dihubungi",
    );
    await chat.sendAll("ya");
    expect(chat.lastText()).toContain("Dari cerita Anda, sepertinya ini tentang: Eksploitasi seksual. Benar?");
    await chat.send("iya");
    expect(chat.lastText()).toContain("Dari cerita Anda, tempatnya: Kota Batam, Kepulauan Riau. Benar?");
    expect(textOf(await chat.send("bukan"))).toContain("Di mana hal ini terjadi?");
    expect(chat.doc?.state).not.toHaveProperty("draft.place");
    await chat.sendAll("tanjung pinang", "iya");
    expect(chat.doc?.state).toMatchObject({
      draft: { category: "SEXUAL_EXPLOITATION", place: { provinceCode: "21" } },
    });
  });

  it("the story can be added to or written again before sending", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk, languageHint: "en" });
    await chat.send(
      "My sister was taken to Malaysia by an agent and they took her passport. She cannot leave the house.",
    );
    expect(chat.doc?.state).toMatchObject({ flow: "intake", step: "danger" });
    await chat.sendAll("no", "family");
    expect(chat.lastText()).toContain("From what you wrote, this seems to be about: Forced labour. Is that right?");
    await chat.sendAll("yes", "skip");
    expect(chat.lastText()).toContain("From what you wrote, the place is: Malaysia (abroad). Is that right?");
    await chat.sendAll("yes", "don't know", "adult", "female", "1");
    expect(chat.lastText()).toContain("We have noted your story");
    await chat.send("It happened in March.");
    await chat.sendAll("1", "yes");
    expect(chat.lastText()).toContain("Please check your answers");
    await chat.send("send");
    expect(desk.only().report.narrative).toBe(
      "My sister was taken to Malaysia by an agent and they took her passport. She cannot leave the house.\n\nIt happened in March.",
    );
  });

  it("a question is not taken for a story", async () => {
    const chat = new EngineChat();
    await chat.send("halo");
    await chat.send("apakah polisi akan tahu nama saya?");
    expect(chat.doc?.state.flow).toBe("idle");
  });
});

describe("a reporter with an open case", () => {
  it("still reaches the flows by intent, and other messages go to the office as before", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("lapor", "tidak", "2", "1", "4", "bali", "ya", "dewasa", "1", "1", "lewati", "1", "1", "1");
    expect(desk.cases).toHaveLength(1);
    expect(textOf(await chat.send("cek laporan saya"))).toContain("nomor laporan");
    await chat.send("batal");
    expect(textOf(await chat.send("Petugasnya belum menghubungi saya sampai sekarang"))).toContain(
      "sudah kami teruskan ke petugas",
    );
  });
});

describe("deleting from the menu", () => {
  it("by its number or its exact label acts at once; in other words it asks first", async () => {
    const chat = new EngineChat();
    await chat.send("halo");
    expect(textOf(await chat.send("6"))).toContain("bersihkan chat");
    await chat.send("halo");
    expect(textOf(await chat.send("Hapus percakapan ini"))).toContain("bersihkan chat");
    await chat.send("halo");
    expect(textOf(await chat.send("hapus percakapan ini dong"))).toContain("Mau menghapus percakapan ini?");
  });
});
