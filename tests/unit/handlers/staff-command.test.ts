import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../../support/engine-chat.ts";
import { FakeStaffDesk } from "../../support/fake-desk.ts";
import { ANI, factsFor, giveCard } from "../../support/staff-cards.ts";

const REF = "K7QM-4TZP-9XWR";
const OTHER = "M2XT-8KQ4-7VHN";

function staffChat() {
  const staffDesk = new FakeStaffDesk();
  staffDesk.answer = (action) =>
    action.kind === "accept"
      ? { kind: "accepted", reference: action.reference }
      : { kind: "noted", reference: action.reference };
  return { staffDesk, chat: new EngineChat({ staffDesk, staff: ANI }) };
}

describe("the staff command handler", () => {
  it("reads /kasus after a card as the case list, never as the card's 'Tutup kasus'", async () => {
    const { staffDesk, chat } = staffChat();
    giveCard(chat, staffDesk, factsFor(REF));
    const replies = await chat.send("/kasus");
    expect(staffDesk.lists).toHaveLength(1);
    expect(staffDesk.actions).toEqual([]);
    expect(textOf(replies)).not.toContain("Tutup kasus");
  });

  it("acts with a bare /terima on the only card the chat received in the last 15 minutes", async () => {
    const { staffDesk, chat } = staffChat();
    giveCard(chat, staffDesk, factsFor(REF));
    expect(textOf(await chat.send("/terima"))).toContain(`Kasus ${REF} diterima oleh Ani`);
    expect(staffDesk.actions).toEqual([{ kind: "accept", reference: REF }]);
  });

  it("acts with a bare /terima on the quoted card, whatever came after it", async () => {
    const { staffDesk, chat } = staffChat();
    const quoted = giveCard(chat, staffDesk, factsFor(REF));
    giveCard(chat, staffDesk, factsFor(OTHER));
    await chat.send({ text: "/terima", replyTo: quoted });
    expect(staffDesk.actions).toEqual([{ kind: "accept", reference: REF }]);
  });

  it("takes precedence over the question just asked, which it drops", async () => {
    const { staffDesk, chat } = staffChat();
    staffDesk.answer = (action) => ({
      kind: "confirm",
      reference: action.reference,
      version: 3,
      change: { kind: "close", resolution: "DUPLICATE" },
    });
    await chat.send(`/tutup ${REF} duplicate`);
    expect(chat.doc?.staffPrompt?.confirm).toBe(true);
    await chat.send("/kasus");
    expect(chat.doc?.staffPrompt).toBeUndefined();
    staffDesk.answer = (action) => ({ kind: "noted", reference: action.reference });
    await chat.send("ya");
    expect(staffDesk.actions).toEqual([{ kind: "close", reference: REF, resolution: "DUPLICATE" }]);
  });

  it("refuses and records a staff command from a chat that is not staff", async () => {
    const staffDesk = new FakeStaffDesk();
    const chat = new EngineChat({ staffDesk });
    expect(textOf(await chat.send(`/terima ${REF}`))).toContain("hanya untuk petugas");
    expect(staffDesk.refusals).toEqual([
      { identityId: "identity-1", action: { kind: "accept", reference: REF }, why: "not_staff" },
    ]);
    expect(staffDesk.actions).toEqual([]);
  });

  it("records an attempt by a deactivated staff member", async () => {
    const staffDesk = new FakeStaffDesk();
    const chat = new EngineChat({ staffDesk, staff: { ...ANI, active: false } });
    expect(textOf(await chat.send(`/tutup ${REF}`))).toContain("sudah tidak aktif");
    expect(staffDesk.refusals.map((r) => r.why)).toEqual(["inactive"]);
  });
});
