import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../support/engine-chat.ts";
import { FakeDesk as FakeDesk2 } from "../support/fake-desk.ts";

describe("the smaller things of issue 11", () => {
  it("the province list is grouped by island in short pages", async () => {
    const chat = new EngineChat();
    await chat.sendAll(
      "lapor",
      "tidak",
      "lewati",
      "lewati",
      "lewati pertanyaan-pertanyaan ini",
      "pilih provinsi dari daftar",
    );
    expect(chat.lastChoices()).toEqual([
      "Sumatera dan sekitarnya",
      "Jawa",
      "Bali dan Nusa Tenggara",
      "Kalimantan",
      "Sulawesi",
      "Maluku",
      "Papua",
      "Kembali",
    ]);
    await chat.send("jawa");
    expect(chat.lastChoices()).toContain("Jawa Timur");
    expect(chat.lastChoices().length).toBeLessThanOrEqual(9);
    await chat.send("Jawa Timur");
    expect(chat.doc?.state).toMatchObject({ step: "victim_age", draft: { place: { provinceCode: "35" } } });
  });

  it("no message but the summary is longer than 700 characters", async () => {
    const chat = new EngineChat();
    const story = "Adik saya dibawa agen ke Batam dan sekarang tidak bisa dihubungi, tolong. ".repeat(30);
    await chat.send(story);
    await chat.sendAll("iya", "iya", "iya", "jawa barat", "dewasa", "perempuan", "sudah cukup", "lewat chat ini", "ya");
    for (const message of chat.transcript) {
      if (message.text.includes("Mohon periksa jawaban Anda")) {
        expect(message.text).toContain("…");
        continue;
      }
      expect(message.text.length, message.text).toBeLessThanOrEqual(700);
    }
  });

  it("'bahasa indonesia saja' and 'in english please' switch the language", async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.send("hello");
    expect(textOf(await chat.send("bahasa indonesia saja"))).toContain("Bahasa Indonesia");
    expect(chat.doc?.language).toBe("id");
    await chat.send("in english please");
    expect(chat.doc?.language).toBe("en");
  });
});

describe("victims' nationality in Indonesia", () => {
  it("is asked for a fishing vessel or a story naming foreigners, stored, and shown on the card", async () => {
    const { FakeDesk } = await import("../support/fake-desk.ts");
    const { caseCard } = await import("../../src/conversation/notices.ts");
    const { createTranslator, loadLocales } = await import("../../src/i18n/i18n.ts");
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll(
      "lapor",
      "tidak",
      "lembaga",
      "kerja di kapal ikan",
      "lewati pertanyaan-pertanyaan ini",
      "Tual",
      "ya",
    );
    await chat.sendAll("dewasa", "laki-laki", "puluhan");
    expect(chat.lastText()).toContain("Apakah korbannya warga negara Indonesia?");
    await chat.send("bukan, orang asing");
    expect(chat.lastText()).toContain("Dari negara mana?");
    await chat.sendAll("Myanmar", "lewati", "tidak, saya ingin anonim", "ya", "kirim");
    expect(desk.only().report).toMatchObject({ victimNationality: "FOREIGN", victimCountry: "MM", provinceCode: "81" });
    const t = createTranslator(loadLocales(), { strict: true })("id");
    const card = caseCard(
      t,
      {
        reference: "K7QM-4TZP-9XWR",
        status: "ROUTED",
        assistanceStage: null,
        urgency: "NORMAL",
        category: "FISHING_VESSEL",
        provinceCode: "81",
        regencyCode: null,
        country: null,
        homeProvinceCode: null,
        victimAgeGroup: "ADULT",
        officeCode: "DINSOS-81",
        victimNationality: "FOREIGN",
        victimCountry: "MM",
      },
      { reason: "NEW", officeName: "Dinas Sosial Provinsi Maluku", viaFallback: false },
    );
    expect(card.text).toContain("Kewarganegaraan korban: WNA (Myanmar)");
  });

  it("is not asked for an ordinary report in Indonesia, and never abroad", async () => {
    const desk = new FakeDesk2();
    const chat = new EngineChat({ desk });
    await chat.sendAll(
      "lapor",
      "tidak",
      "lewati",
      "lewati",
      "lewati pertanyaan-pertanyaan ini",
      "Jawa Timur",
      "ya",
      "dewasa",
      "laki-laki",
      "1",
    );
    expect(chat.lastText()).toContain("Ceritakan apa yang terjadi");
  });
});

describe("an empty report", () => {
  it("with no place, no story and no sign asks once for one of them before it can be sent", async () => {
    const desk = new FakeDesk2();
    const chat = new EngineChat({ desk });
    await chat.sendAll("lapor", "tidak", "lewati", "lewati", "lewati pertanyaan-pertanyaan ini", "tidak tahu");
    await chat.sendAll("tidak tahu", "tidak tahu", "tidak tahu", "lewati", "tidak, saya ingin anonim", "ya");
    expect(textOf(await chat.send("kirim"))).toContain("Bisa ceritakan sedikit apa yang terjadi?");
    expect(desk.cases).toHaveLength(0);
    await chat.send("Ada anak-anak dijemput mobil tiap malam di terminal");
    expect(chat.lastText()).toContain("Mohon periksa jawaban Anda");
    await chat.send("kirim");
    expect(desk.only().report.narrative).toBe("Ada anak-anak dijemput mobil tiap malam di terminal");
  });

  it("can still be sent as it is after the one question", async () => {
    const desk = new FakeDesk2();
    const chat = new EngineChat({ desk });
    await chat.sendAll("lapor", "tidak", "lewati", "lewati", "lewati pertanyaan-pertanyaan ini", "tidak tahu");
    await chat.sendAll("tidak tahu", "tidak tahu", "tidak tahu", "lewati", "tidak, saya ingin anonim", "ya", "kirim");
    await chat.send("kirim saja apa adanya");
    expect(desk.cases).toHaveLength(1);
  });
});
