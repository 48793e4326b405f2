import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../support/engine-chat.ts";
import { FakeDesk } from "../support/fake-desk.ts";

async function reportFrom(chat: EngineChat, role = "2"): Promise<void> {
  await chat.sendAll("lapor", "tidak", role, "1", "4", "bali", "ya", "dewasa", "1", "1", "lewati", "1", "1", "1");
}

describe("checking a report's status", () => {
  it("shows the status from another chat with the reference and PIN, step by step", async () => {
    const desk = new FakeDesk();
    await reportFrom(new EngineChat({ desk }));
    const { reference, pin } = desk.only();
    const other = new EngineChat({ desk, identityId: "someone-else", languageHint: "en" });
    expect(textOf(await other.send("status"))).toContain("Type your reference");
    expect(textOf(await other.send(reference.toLowerCase().replace(/-/g, " ")))).toContain("6-digit PIN");
    const answer = textOf(await other.send(pin));
    expect(answer).toContain(`Reference: ${reference}`);
    expect(answer).toContain("Received – the report is being prepared");
    expect(other.doc?.state.flow).toBe("idle");
  });

  it("takes the reference and PIN in one message", async () => {
    const desk = new FakeDesk();
    await reportFrom(new EngineChat({ desk }));
    const { reference, pin } = desk.only();
    const other = new EngineChat({ desk, identityId: "other" });
    const answer = textOf(await other.send(`cek ${reference} ${pin}`));
    expect(answer).toContain(`Nomor laporan: ${reference}`);
    expect(answer).toContain("Status: Diterima");
  });

  it('says the same "not found" for an unknown reference and a wrong PIN, and asks again', async () => {
    const desk = new FakeDesk();
    await reportFrom(new EngineChat({ desk }));
    const { reference, pin } = desk.only();
    const wrongPin = pin === "000000" ? "111111" : "000000";
    const a = new EngineChat({ desk, identityId: "a" });
    const unknown = await a.send("status ZZZZ-ZZZZ-ZZZZ 123456");
    const b = new EngineChat({ desk, identityId: "b" });
    const wrong = await b.send(`status ${reference} ${wrongPin}`);
    expect(unknown[0]?.text).toBe(wrong[0]?.text);
    expect(unknown[0]?.text).toMatch(/tidak ditemukan[\s\S]*Ketik nomor laporan Anda/);
    expect(textOf(await b.send(reference))).toContain("PIN 6 angka");
    expect(textOf(await b.send(pin))).toContain("Status: Diterima");
  });

  it("locks look-ups from a chat after 5 failures in 15 minutes, even with the right PIN", async () => {
    const desk = new FakeDesk();
    await reportFrom(new EngineChat({ desk }));
    const { reference, pin } = desk.only();
    const guesser = new EngineChat({ desk, identityId: "guesser", languageHint: "en" });
    for (let i = 0; i < 5; i++) {
      expect(textOf(await guesser.send(`status ${reference} ${String(i).padStart(6, "9")}`))).toContain(
        "could not find",
      );
    }
    const locked = textOf(await guesser.send(`status ${reference} ${pin}`));
    expect(locked).toContain("Too many wrong attempts");
    expect(locked).toContain("15 minutes");
    expect(locked).not.toContain("Received");
    guesser.now = new Date(guesser.now.getTime() + 16 * 60_000);
    expect(textOf(await guesser.send(`status ${reference} ${pin}`))).toContain("Status: Received");
  });

  it("rejects a malformed reference or PIN with a hint", async () => {
    const chat = new EngineChat({ languageHint: "en" });
    await chat.send("status");
    expect(textOf(await chat.send("my sister"))).toContain("12 letters and digits");
    await chat.send("K7QM-4TZP-9XWR");
    expect(textOf(await chat.send("12ab"))).toContain("A PIN has 6 digits");
    expect(chat.doc?.state).toMatchObject({ flow: "status", step: "pin" });
  });

  it("lists this chat's reports, and still asks for the PIN", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    expect(textOf(await chat.send("laporan saya"))).toContain("Belum ada laporan yang dikirim dari chat ini");
    await reportFrom(chat);
    const { reference, pin } = desk.only();
    const listing = await chat.send("laporan saya");
    expect(listing[0]?.text).toContain("Ada 1 laporan");
    expect(listing[0]?.choices?.map((c) => c.label)).toEqual([reference]);
    expect(textOf(await chat.send("1"))).toContain("PIN 6 angka");
    expect(textOf(await chat.send(pin))).toContain("Status: Diterima");
  });

  it("tells a victim who reported the service stage in their own words", async () => {
    const desk = new FakeDesk();
    const victim = new EngineChat({ desk, languageHint: "en" });
    await victim.sendAll(
      "report",
      "no",
      "I am the victim",
      "1",
      "4",
      "bali",
      "yes",
      "adult",
      "1",
      "1",
      "skip",
      "1",
      "1",
      "1",
    );
    const { reference, pin } = desk.only();
    expect(textOf(await victim.send(`status ${reference} ${pin}`))).toContain(
      "Status: Received – the report is being prepared",
    );
  });
});

describe("a victim's status", () => {
  it("shows each assistance stage's state, never a service; a third party sees none of it", async () => {
    const desk = new FakeDesk();
    await reportFrom(new EngineChat({ desk }), "1");
    const victim = desk.only();
    desk.stages.set(victim.reference, { RETURN: "DONE", RECOVERY: "IN_PROGRESS", REINTEGRATION: "NOT_STARTED" });
    const answer = textOf(
      await new EngineChat({ desk, identityId: "v" }).send(`status ${victim.reference} ${victim.pin}`),
    );
    expect(answer).toContain("Tahap pendampingan:");
    expect(answer).toContain("• Pemulangan: selesai");
    expect(answer).toContain("• Pemulihan: sedang berjalan");
    expect(answer).toContain("• Kembali ke keluarga dan masyarakat: belum dimulai");

    const family = new FakeDesk();
    await reportFrom(new EngineChat({ desk: family }), "2");
    const tip = family.only();
    family.stages.set(tip.reference, { RETURN: "DONE", RECOVERY: "IN_PROGRESS", REINTEGRATION: "NOT_STARTED" });
    const tipster = textOf(
      await new EngineChat({ desk: family, identityId: "t" }).send(`status ${tip.reference} ${tip.pin}`),
    );
    expect(tipster).not.toContain("Tahap pendampingan");
  });
});
