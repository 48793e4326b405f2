import { describe, expect, it } from "vitest";
import { EngineChat } from "../../support/engine-chat.ts";
import { FakeStaffDesk } from "../../support/fake-desk.ts";
import { ANI, factsFor, giveCard } from "../../support/staff-cards.ts";

describe("the group chatter handler", () => {
  it("leaves people's talk in a group alone, staff or not, with no menu", async () => {
    const staffDesk = new FakeStaffDesk();
    const group = new EngineChat({ staffDesk, staff: ANI });
    group.inGroup = true;
    expect(await group.send("selamat pagi semua")).toEqual([]);
    expect(await group.send("tutup")).toEqual([]);
    group.staff = null;
    giveCard(group, staffDesk, factsFor("K7QM-4TZP-9XWR"));
    expect(await group.send("1")).toEqual([]);
    expect(await group.send("lapor")).toEqual([]);
    expect(staffDesk.actions).toEqual([]);
  });
});
