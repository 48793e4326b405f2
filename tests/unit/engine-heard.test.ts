import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../support/engine-chat.ts";

describe("heard, and addressed as who they are", () => {
  it("distress gets one short human acknowledgement before the next question, once", async () => {
    const chat = new EngineChat();
    const first = textOf(await chat.send("Tolong bu anak saya"));
    expect(first).toContain("Kami dengar");
    expect(first).toContain("apakah ada orang yang dalam bahaya");
    const later = textOf(await chat.send("tidak, tapi saya nulis sambil nangis"));
    expect(later).not.toContain("Kami dengar");
  });

  it("acknowledges distress typed during the report", async () => {
    const chat = new EngineChat();
    await chat.sendAll("lapor", "tidak");
    const text = textOf(await chat.send("sy ibunya, saya nulis sambil nangis"));
    expect(text).toContain("Kami dengar");
    expect(chat.doc?.state).toMatchObject({ flow: "intake", draft: { reporterRole: "FAMILY" } });
  });

  it("a victim reporting for herself is asked in the second person", async () => {
    const chat = new EngineChat();
    await chat.sendAll("lapor", "tidak", "saya sendiri korbannya", "kerja paksa");
    expect(chat.lastText()).toContain("dokumen Anda ditahan");
    await chat.sendAll("ya", "tidak", "tidak tahu", "ya", "Jawa Barat", "ya");
    expect(chat.lastText()).toContain("Berapa usia Anda?");
    await chat.send("19 thn");
    expect(chat.lastText()).toContain("Anda perempuan atau laki-laki?");
    await chat.send("perempuan");
    expect(chat.lastText()).toContain("termasuk Anda");
  });

  it("a departure that is close marks the report urgent and says why", async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.send(
      "Seven girls from our village, some still in junior high, are being sent to Malaysia next week by an agent",
    );
    const text = textOf(await chat.send("no"));
    expect(text).toContain("Because the departure or move is close, we have marked this report URGENT");
    expect(chat.doc?.state).toMatchObject({ draft: { urgency: "URGENT" } });
  });

  it("'not sure' about danger stays 'not sure' in the summary", async () => {
    const chat = new EngineChat();
    await chat.sendAll("lapor", "ga tau kak", "lewati", "lewati", "lewati pertanyaan-pertanyaan ini", "tidak tahu");
    await chat.sendAll("dewasa", "laki-laki", "1", "lewati", "tidak, saya ingin anonim", "ya setuju");
    expect(chat.lastText()).toContain("Mendesak: Tidak yakin");
    expect(chat.lastText()).not.toContain("Mendesak: Tidak\n");
  });

  it("a kept story offers keep, add and replace; navigation words never replace it", async () => {
    const chat = new EngineChat();
    const story = "Adik saya dibawa agen ke Batam, katanya kerja di restoran tapi sekarang tidak bisa dihubungi. "
      .repeat(5)
      .trim();
    await chat.send(story);
    await chat.sendAll(
      "tidak",
      "sy kakaknya",
      "lewati",
      "lewati pertanyaan-pertanyaan ini",
      "ya",
      "dewasa",
      "perempuan",
      "1",
    );
    expect(chat.lastChoices()).toEqual(["Sudah cukup, lanjut", "Tambah cerita", "Tulis ulang dari awal"]);
    await chat.send("2");
    expect(chat.lastText()).toContain("Silakan ketik tambahannya");
    await chat.send("back");
    expect(chat.doc?.state).toMatchObject({ step: "contact", draft: { story } });
  });
});
