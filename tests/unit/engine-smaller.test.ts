import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../support/engine-chat.ts";

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
