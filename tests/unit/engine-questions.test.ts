import { describe, expect, it } from "vitest";
import { lexiconFor } from "../../src/conversation/understanding/lexicon.ts";
import { readQuestion } from "../../src/conversation/understanding/read-question.ts";
import { createTranslator, loadLocales } from "../../src/i18n/i18n.ts";
import { EngineChat, textOf } from "../support/engine-chat.ts";

const translate = createTranslator(loadLocales(), { strict: true });
const lexicon = lexiconFor([translate("id"), translate("en")]);

const QUESTIONS: Array<[string, string | null]> = [
  ["apakah polisi akan tahu nama saya?", "privacy"],
  ["siapa yang baca laporan ini kak?", "privacy"],
  ["majikan saya bakal tau gak?", "privacy"],
  ["terus apa selanjutnya?", "nextSteps"],
  ["berapa lama sampai ditanggapi?", "nextSteps"],
  ["ini gratis kan?", "cost"],
  ["harus bayar gak kak", "cost"],
  ["ini dari pemerintah?", "government"],
  ["ini bot ya?", "government"],
  ["boleh lapor untuk orang lain?", "forSomeoneElse"],
  ["kalau saya salah gimana?", "wrong"],
  ["kalau ternyata bukan perdagangan orang?", "wrong"],
  ["bisa anonim gak?", "anonymous"],
  ["bisa dihapus nanti?", "delete"],
  ["will the police know my name?", "privacy"],
  ["what happens next?", "nextSteps"],
  ["is this free?", "cost"],
  ["is this the government?", "government"],
  ["can I report for someone else?", "forSomeoneElse"],
  ["what if I am wrong?", "wrong"],
  ["can I stay anonymous?", "anonymous"],
  ["can I delete this?", "delete"],
  // Answers and stories are not questions about the service.
  ["ya", null],
  ["polisi", null],
  ["adik saya disekap majikan, sudah lapor polisi tapi tidak ada tanggapan dan sekarang hpnya diambil", null],
  ["gaji saya tidak dibayar", null],
];

describe("questions about the service", () => {
  it.each(QUESTIONS)("%s -> %s", (text, topic) => {
    expect(readQuestion(text, lexicon)).toBe(topic);
  });

  it("answers mid-report and asks the pending question again, without 'not understood'", async () => {
    const chat = new EngineChat();
    await chat.sendAll("lapor", "tidak");
    const text = textOf(await chat.send("apakah polisi akan tahu nama saya kak?"));
    expect(text).toContain("Bot ini tidak meneruskan apa pun ke polisi");
    expect(text).toContain("Kantor yang menangani bisa melibatkan polisi");
    expect(text).toContain("Siapa yang membuat laporan ini?");
    expect(text).not.toContain("belum mengerti");
    expect(chat.doc?.state).toMatchObject({ flow: "intake", step: "role" });
  });

  it("'privasi' mid-report says who sees the report, not something unrelated", async () => {
    const chat = new EngineChat();
    await chat.sendAll("lapor", "tidak");
    const text = textOf(await chat.send("privasi"));
    expect(text).toContain("hanya dibaca petugas kantor yang menanganinya");
    expect(text).toContain("ketik privasi");
    expect(text).not.toContain("ketik status");
  });

  it("tells the acceptance deadlines the scheduler enforces", async () => {
    const chat = new EngineChat({ settings: { acceptDeadlinesMs: { URGENT: 30 * 60_000, NORMAL: 24 * 3_600_000 } } });
    const text = textOf(await chat.send("berapa lama sampai ditanggapi?"));
    expect(text).toContain("dalam 30 menit kalau ada yang dalam bahaya");
    expect(text).toContain("dalam 24 jam");
  });

  it("at the story step a story stays a story; an unmistakable question is answered", async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.sendAll(
      "report",
      "no",
      "skip",
      "skip",
      "skip these questions",
      "unknown",
      "adult",
      "female",
      "one person",
    );
    expect(chat.doc?.state).toMatchObject({ step: "story" });
    const answered = textOf(await chat.send("what if I am wrong?"));
    expect(answered).toContain("staff will judge whether it is trafficking");
    expect(chat.doc?.state).toMatchObject({ step: "story" });
    await chat.send("She told the police once but now her employer keeps her passport and phone");
    expect(chat.doc?.state).toMatchObject({ step: "contact" });
  });
});
