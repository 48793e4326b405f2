import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../support/engine-chat.ts";
import { FakeDesk } from "../support/fake-desk.ts";

/** An anonymous report of an adult man in Jawa Timur, in Indonesian. */
async function anonymousReport(chat: EngineChat): Promise<string> {
  await chat.sendAll("lapor", "tidak", "lewati", "lewati", "lewati pertanyaan-pertanyaan ini", "Jawa Timur", "ya");
  await chat.sendAll("dewasa", "laki-laki", "1", "Kakak saya kerja di kebun tapi tidak digaji");
  await chat.sendAll("tidak, saya ingin anonim", "ya setuju");
  const done = textOf(await chat.send("kirim laporan"));
  return /PIN: (\d{6})/.exec(done)?.[1] ?? "";
}

describe("an anonymous reporter writing after filing", () => {
  it("is told truthfully that staff cannot reply, and offered once to allow replies with the case PIN", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    const pin = await anonymousReport(chat);
    expect(pin).toMatch(/^\d{6}$/);

    const first = textOf(await chat.send("kak majikannya sudah pindah ke Surabaya"));
    expect(first).toContain("petugas tidak bisa membalas Anda");
    expect(first).toContain("ketik PIN laporan Anda");
    expect(desk.relays.map((r) => r.text)).toEqual(["kak majikannya sudah pindah ke Surabaya"]);

    const allowed = textOf(await chat.send(pin));
    expect(allowed).toContain("petugas bisa membalas Anda lewat chat ini");
    expect(desk.only().report.contactPreference).toBe("CHAT");
    // The PIN itself never reaches staff.
    expect(desk.relays.map((r) => r.text)).not.toContain(pin);

    const later = textOf(await chat.send("dia juga bawa 3 orang lain"));
    expect(later).toContain("Pesan Anda sudah kami teruskan");
    expect(later).not.toContain("ketik PIN");
  });

  it("the offer is made once per case; a wrong PIN changes nothing", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await anonymousReport(chat);
    await chat.send("kak majikannya sudah pindah ke Surabaya");
    expect(textOf(await chat.send("123456"))).toContain("PIN itu tidak cocok");
    expect(desk.only().report.contactPreference).toBe("NONE");
    const again = textOf(await chat.send("mereka dipindah ke gudang"));
    expect(again).toContain("petugas tidak bisa membalas Anda");
    expect(again).not.toContain("ketik PIN");
  });

  it("a bare 'ya', 'ok' or a number is never passed on to staff", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await anonymousReport(chat);
    for (const text of ["ya", "ok kak", "123456", "0812 3456 789"]) await chat.send(text);
    expect(desk.relays).toEqual([]);
    expect(textOf(await chat.send("ya"))).toContain("Pesan sesingkat itu tidak kami teruskan");
    expect(textOf(await chat.send("654321"))).toContain("Angka saja tidak kami teruskan");
    expect(textOf(await chat.send("makasih kak"))).not.toContain("tidak kami teruskan");
  });
});

describe("what happens next, and when", () => {
  it("the confirmation names the office kind and region and the acceptance deadline; the status check the office and next step", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("lapor", "tidak", "lewati", "lewati", "lewati pertanyaan-pertanyaan ini", "Jawa Timur", "ya");
    await chat.sendAll("dewasa", "laki-laki", "1", "Kakak saya kerja di kebun tapi tidak digaji");
    await chat.sendAll("ya lewat chat ini", "ya setuju");
    const done = textOf(await chat.send("kirim laporan"));
    expect(done).toContain("Dinas Sosial Provinsi Jawa Timur");
    expect(done).toContain("harus menerimanya dalam 24 jam, paling lambat");
    expect(done).toMatch(/WIB/);
    const reference = desk.only().reference;
    const status = textOf(await chat.send(`status ${reference} ${desk.only().pin}`));
    expect(status).toContain("Kantor yang menangani: Dinas Sosial Provinsi Jawa Timur");
    expect(status).toContain("Berikutnya:");
  });
});
