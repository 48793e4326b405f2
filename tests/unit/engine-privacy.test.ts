import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../support/engine-chat.ts";
import { FakeDesk } from "../support/fake-desk.ts";

async function reportFrom(chat: EngineChat): Promise<void> {
  await chat.sendAll("lapor", "tidak", "2", "1", "4", "bali", "ya", "dewasa", "1", "1", "lewati", "1", "1", "1");
}

describe("privacy and contact settings", () => {
  it("stop every message to the reporter when they opt out", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await reportFrom(chat);
    expect(textOf(await chat.send("privasi"))).toContain("Pengaturan privasi dan kontak");
    const replies = await chat.send("jangan hubungi saya lagi");
    expect(textOf(replies)).toContain("tidak akan mengirim pesan apa pun");
    expect(desk.only().report.contactPreference).toBe("NONE");
    expect(chat.doc?.state.flow).toBe("idle");
  });

  it("record a withdrawn consent for the chosen report", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk, languageHint: "en" });
    await chat.sendAll("report", "no", "2", "1", "4", "bali", "yes", "adult", "1", "1", "skip", "1", "1", "1");
    await chat.sendAll("privacy", "2");
    expect(chat.lastText()).toContain("For which report");
    expect(textOf(await chat.send("1"))).toContain(`withdrew your consent for report ${desk.only().reference}`);
    expect(desk.only().report.consentToShare).toBe(false);
  });

  it("after hapus, offer to erase the contact details from sent reports, and do it only on yes", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await reportFrom(chat);
    const replies = await chat.send("hapus");
    expect(textOf(replies)).toContain("bersihkan chat");
    expect(textOf(replies)).toContain("Data kontak Anda (akun chat ini");
    expect(textOf(await chat.send("ya, hapus data kontak saya"))).toContain("sudah dihapus dari 1 laporan");
    expect(desk.calls).toContain("erase");

    const other = new EngineChat({ desk, identityId: "other" });
    await reportFrom(other);
    await other.send("hapus");
    expect(textOf(await other.send("tidak"))).toContain("tidak diubah");
    expect(desk.calls.filter((c) => c === "erase")).toHaveLength(1);
  });

  it("set an emergency PIN only after the report's own PIN, and a different one", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await reportFrom(chat);
    const { pin, reference } = desk.only();
    await chat.sendAll("privasi", "buat pin darurat");
    expect(chat.lastText()).toContain("PIN darurat adalah PIN kedua");
    await chat.send("1");
    expect(chat.lastText()).toContain(reference);
    await chat.send(pin === "111111" ? "222222" : "111111");
    expect(textOf(await chat.send("333333"))).toContain("tidak cocok");
    await chat.send(pin);
    expect(textOf(await chat.send(pin))).toContain("harus berbeda");
    const duress = pin === "987654" ? "987655" : "987654";
    expect(textOf(await chat.send(duress))).toContain("PIN darurat sudah aktif");
    expect(desk.duressPins.get(reference)).toBe(duress);
  });

  it("ask staff for a new PIN from the chat that reported", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    expect(textOf(await chat.send("pin hilang"))).toContain("SAPA 129");
    await reportFrom(chat);
    expect(textOf(await chat.send("lupa pin"))).toContain("PIN baru akan dikirim ke chat ini");
  });

  it("answer a check-in by its button or by number, even between other messages", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await reportFrom(chat);
    chat.receive({
      text: "Halo, kami ingin memastikan laporan Anda ditindaklanjuti.",
      choices: [
        { id: "f:fu-1:yes", label: "Ya, sudah" },
        { id: "f:fu-1:no", label: "Belum" },
      ],
    });
    expect(textOf(await chat.send("2"))).toContain("tingkat yang lebih tinggi");
    expect(desk.followUpAnswers).toEqual([{ followUpId: "fu-1", answer: "no" }]);
  });
});
