import { describe, expect, it } from "vitest";
import { MESSAGE_HANDLERS } from "../../../src/conversation/handlers/index.ts";
import { EngineChat, textOf } from "../../support/engine-chat.ts";
import { FakeStaffDesk } from "../../support/fake-desk.ts";
import { ANI } from "../../support/staff-cards.ts";

describe("the order of meanings", () => {
  it("is written down once: staff command, reply to a card, group, then the rest, the flow last", () => {
    expect(MESSAGE_HANDLERS.map((h) => h.name)).toEqual([
      "staff-command",
      "card-reply",
      "group-chatter",
      "unreadable",
      "attachments",
      "global-command",
      "service-question",
      "staff-hint",
      "current-flow",
    ]);
  });
});

describe("the current flow handler", () => {
  it("answers the step being asked, and the menu between flows", async () => {
    const chat = new EngineChat();
    expect(textOf(await chat.send("halo"))).toContain("Buat laporan");
    expect(textOf(await chat.send("1"))).toContain("dalam bahaya");
    expect(chat.doc?.state).toMatchObject({ flow: "intake", step: "danger" });
  });
});

describe("the staff hint handler", () => {
  it("shows staff how to say what they mean instead of guessing from their words", async () => {
    const staffDesk = new FakeStaffDesk();
    const chat = new EngineChat({ staffDesk, staff: ANI });
    const replies = await chat.send("tutup");
    expect(textOf(replies)).toContain("/terima K7QM-4TZP-9XWR");
    expect(replies.every((r) => !r.choices)).toBe(true);
    // The menu still works for staff by number, like for anyone.
    expect(textOf(await chat.send("1"))).toContain("dalam bahaya");
  });
});
