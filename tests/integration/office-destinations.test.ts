import { afterEach, describe, expect, it } from "vitest";
import type { ChannelAddress } from "../../src/channels/types.ts";
import { enrolStaff } from "../support/staff-world.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

describe("offices without a destination", () => {
  it("are the offices whose cards no chat would receive now, national desks last", async () => {
    const t = await startTestApp();
    open.push(t);
    const now = t.clock.now();
    // A group chat: reachable.
    const group = await t.app.identities.resolve("term:group-jabar" as ChannelAddress, now);
    await t.app.offices.setDestination("DINSOS-32", "GROUP", group.id, now);
    // Staff chats with an enrolled, active member: reachable.
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    // Staff chats whose only member never linked a chat: not reachable.
    await t.app.staff.add({ name: "Budi", officeCode: "DINSOS-35", role: "AGENT", language: "id" }, now);
    await t.app.offices.setDestination("DINSOS-35", "STAFF_CHATS", null, now);
    // Staff chats whose only member was deactivated: not reachable.
    const citra = await enrolStaff(t, "citra", "Citra", "UPTDPPA-32");
    await t.app.staff.deactivate(citra.id, t.clock.now());

    const missing = await t.app.offices.withoutDestination();
    expect(missing).not.toContain("DINSOS-32");
    expect(missing).not.toContain("UPTDPPA-35");
    expect(missing).toContain("DINSOS-35");
    expect(missing).toContain("UPTDPPA-32");
    // The same answer as asking each office for the chats that would receive its cards.
    const offices = await t.app.offices.list();
    const none: string[] = [];
    for (const office of offices)
      if ((await t.app.offices.recipientsOf(office.code)).length === 0) none.push(office.code);
    expect(missing).toEqual(none);
    expect(missing).toHaveLength(offices.length - 2);
    expect(missing).toContain(t.app.matrix.fallback);
  });
});
