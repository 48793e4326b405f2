import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../../support/engine-chat.ts";
import { FakeStaffDesk } from "../../support/fake-desk.ts";
import { ANI } from "../../support/staff-cards.ts";

describe("the global command handler", () => {
  it("shows staff their own commands on bantuan, and reporters theirs", async () => {
    const staff = new EngineChat({ staffDesk: new FakeStaffDesk(), staff: ANI });
    const help = textOf(await staff.send("bantuan"));
    expect(help).toContain("/terima K7QM-4TZP-9XWR");
    expect(help).toContain("/bukakembali");
    const reporter = new EngineChat();
    expect(textOf(await reporter.send("bantuan"))).toContain("lapor – membuat laporan baru");
  });

  it("stops a report on batal, at any step", async () => {
    const chat = new EngineChat();
    await chat.sendAll("lapor", "tidak");
    expect(textOf(await chat.send("batal"))).toContain("dibatalkan");
    expect(chat.doc?.state.flow).toBe("idle");
  });
});
