import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../../support/engine-chat.ts";
import { FakeDesk, FakeStaffDesk } from "../../support/fake-desk.ts";
import { ANI, factsFor, giveCard } from "../../support/staff-cards.ts";

const REF = "K7QM-4TZP-9XWR";
const OTHER = "M2XT-8KQ4-7VHN";

function staffChat() {
  const staffDesk = new FakeStaffDesk();
  staffDesk.answer = (action) =>
    action.kind === "accept"
      ? { kind: "accepted", reference: action.reference }
      : action.kind === "close" && action.confirmed !== undefined
        ? { kind: "closed", reference: action.reference, resolution: action.resolution ?? "ASSISTED" }
        : action.kind === "close" && action.resolution
          ? {
              kind: "confirm",
              reference: action.reference,
              version: 7,
              change: { kind: "close", resolution: action.resolution },
            }
          : action.kind === "close"
            ? { kind: "choose_resolution", reference: action.reference }
            : action.kind === "cancel"
              ? { kind: "cancelled", reference: action.reference }
              : { kind: "noted", reference: action.reference };
  return { staffDesk, chat: new EngineChat({ staffDesk, staff: ANI }) };
}

describe("the card reply handler", () => {
  it("takes a pressed button's own case, whichever card is newest", async () => {
    const { staffDesk, chat } = staffChat();
    giveCard(chat, staffDesk, factsFor(REF));
    giveCard(chat, staffDesk, factsFor(OTHER));
    await chat.send({ choiceId: "x:acc:K7QM4TZP9XWR" });
    expect(staffDesk.actions).toEqual([{ kind: "accept", reference: REF }]);
  });

  it("reads a bare number as a choice of the only card received in the last 15 minutes", async () => {
    const { staffDesk, chat } = staffChat();
    giveCard(chat, staffDesk, factsFor(REF));
    const replies = await chat.send("1");
    expect(staffDesk.actions).toEqual([{ kind: "accept", reference: REF }]);
    // No reporter menu after a staff action.
    expect(replies.every((r) => !r.choices)).toBe(true);
  });

  it("never acts on a card still waiting in the outbox", async () => {
    const { staffDesk, chat } = staffChat();
    giveCard(chat, staffDesk, factsFor(REF, { urgency: "URGENT" }));
    giveCard(chat, staffDesk, factsFor(OTHER), { sent: false });
    await chat.send("1");
    expect(staffDesk.actions).toEqual([{ kind: "accept", reference: REF }]);
  });

  it("asks which case when two cards arrived, and acts on the one picked", async () => {
    const { staffDesk, chat } = staffChat();
    giveCard(chat, staffDesk, factsFor(REF, { urgency: "URGENT" }));
    giveCard(chat, staffDesk, factsFor(OTHER));
    const asked = await chat.send("1");
    expect(textOf(asked)).toContain("Kasus yang mana?");
    expect(asked.at(-1)?.choices?.map((c) => c.label)).toEqual([
      `Terima · ${OTHER} · Kerja paksa · Jawa Timur`,
      `Terima · ${REF} · Kerja paksa · Jawa Timur · MENDESAK`,
    ]);
    expect(staffDesk.actions).toEqual([]);
    await chat.send("2");
    expect(staffDesk.actions).toEqual([{ kind: "accept", reference: REF }]);
  });

  it("reads a number quoting a card (a WhatsApp reply) as that card's choice", async () => {
    const { staffDesk, chat } = staffChat();
    const quoted = giveCard(chat, staffDesk, factsFor(REF));
    giveCard(chat, staffDesk, factsFor(OTHER));
    await chat.send({ text: "1", replyTo: quoted });
    expect(staffDesk.actions).toEqual([{ kind: "accept", reference: REF }]);
  });

  it("never matches typed words against a card's buttons", async () => {
    const { staffDesk, chat } = staffChat();
    giveCard(chat, staffDesk, factsFor(REF));
    for (const words of ["tutup", "kasus", "terima", "detail", "tutup kasus"]) {
      const replies = await chat.send(words);
      expect(replies.every((r) => !(r.choices ?? []).some((c) => c.id.startsWith("x:")))).toBe(true);
    }
    expect(staffDesk.actions).toEqual([]);
  });

  it("leaves a staff member in the middle of their own report to that report", async () => {
    const { staffDesk, chat } = staffChat();
    await chat.send("lapor");
    giveCard(chat, staffDesk, factsFor(REF));
    expect(textOf(await chat.send("2"))).toContain("Siapa yang membuat laporan ini?");
    expect(staffDesk.actions).toEqual([]);
  });

  it("confirms a close with ya, drops it with batal, and takes a confirmation only from the one asked", async () => {
    const { staffDesk, chat } = staffChat();
    giveCard(chat, staffDesk, factsFor(REF));
    await chat.send("4");
    const resolutions = chat.transcript.at(-1);
    expect(resolutions?.choices?.[0]?.label).toBe("Korban sudah dibantu");
    const confirm = await chat.send("3");
    expect(textOf(confirm)).toContain(`Tutup kasus ${REF} dengan hasil "Tidak bisa dihubungi"?`);
    expect(textOf(await chat.send("batal"))).toContain("dibatalkan");
    await chat.send(`/tutup ${REF} duplicate`);
    chat.inGroup = true;
    chat.staff = { ...ANI, id: "s2", name: "Budi" };
    expect(await chat.send("ya")).toEqual([]);
    chat.staff = ANI;
    expect(textOf(await chat.send("ya"))).toContain("ditutup");
    expect(
      staffDesk.actions.map((a) => ({ kind: a.kind, ...("confirmed" in a ? { confirmed: a.confirmed } : {}) })),
    ).toEqual([
      { kind: "close" },
      { kind: "close" },
      { kind: "cancel" },
      { kind: "close" },
      { kind: "close", confirmed: 7 },
    ]);
  });

  it("never takes a number for a card when it answers a question that has lapsed", async () => {
    const { staffDesk, chat } = staffChat();
    giveCard(chat, staffDesk, factsFor(REF));
    await chat.send(`/tutup ${REF}`);
    chat.now = new Date(chat.now.getTime() + 16 * 60_000);
    giveCard(chat, staffDesk, factsFor(OTHER), { sent: true });
    chat.transcript.push(chat.transcript.at(-2) as NonNullable<(typeof chat.transcript)[number]>);
    expect(textOf(await chat.send("1"))).toContain("sudah lewat 15 menit");
    expect(staffDesk.actions).toEqual([{ kind: "close", reference: REF }]);
  });

  it("keeps a reporter's answer to a check-in working, by number and by words", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.send("halo");
    const checkIn = {
      text: "Apakah sudah ada petugas yang menghubungi Anda?",
      choices: [
        { id: "f:fu1:yes", label: "Sudah" },
        { id: "f:fu1:no", label: "Belum" },
      ],
    };
    chat.receive(checkIn);
    await chat.send("2");
    chat.receive(checkIn);
    await chat.send("sudah");
    expect(desk.followUpAnswers).toEqual([
      { followUpId: "fu1", answer: "no" },
      { followUpId: "fu1", answer: "yes" },
    ]);
  });
});
