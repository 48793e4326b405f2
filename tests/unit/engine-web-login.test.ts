import { describe, expect, it } from "vitest";
import { EngineChat, textOf } from "../support/engine-chat.ts";
import { FakeStaffDesk } from "../support/fake-desk.ts";
import { ANI } from "../support/staff-cards.ts";

const URL = "http://127.0.0.1:8081/masuk/abc";

function staffChat(staff = ANI) {
  const staffDesk = new FakeStaffDesk();
  staffDesk.webLink = { kind: "link", url: URL, expiresAt: new Date("2026-11-28T10:10:00Z") };
  return { staffDesk, chat: new EngineChat({ staffDesk, staff }) };
}

describe("/masuk and /keluar (the web inbox from the chat)", () => {
  it("sends the one-time link with how long it works, in the staff member's own chat", async () => {
    const { staffDesk, chat } = staffChat();
    const text = textOf(await chat.send("/masuk"));
    expect(text).toContain(URL);
    expect(text).toContain("10 menit");
    expect(text).toContain("Jangan teruskan");
    expect(staffDesk.webLogins).toEqual([{ staffId: ANI.id, chat: { chatIdentityId: "identity-1", inGroup: false } }]);
  });

  it("understands /login and a hurried /LOGIN@bot in English", async () => {
    const { staffDesk, chat } = staffChat({ ...ANI, language: "en" });
    await chat.send("hi");
    const text = textOf(await chat.send("/LOGIN@tppo_bot"));
    expect(text).toContain(URL);
    expect(staffDesk.webLogins).toHaveLength(1);
  });

  it("never sends a link into a group: it says to ask in the private chat", async () => {
    const { staffDesk, chat } = staffChat();
    chat.inGroup = true;
    const text = textOf(await chat.send("/masuk"));
    expect(text).not.toContain(URL);
    expect(text).toContain("chat pribadi");
    expect(staffDesk.webLogins).toHaveLength(1);
  });

  it("says the web inbox is off when the server does not run it", async () => {
    const { staffDesk, chat } = staffChat();
    staffDesk.webLink = { kind: "off" };
    expect(textOf(await chat.send("/masuk"))).toContain("belum diaktifkan");
  });

  it("gives nothing to a chat that is not staff, or to deactivated staff", async () => {
    const stranger = new FakeStaffDesk();
    expect(textOf(await new EngineChat({ staffDesk: stranger }).send("/masuk"))).toContain("hanya untuk petugas");
    expect(stranger.webLogins).toEqual([]);
    const { staffDesk, chat } = staffChat({ ...ANI, active: false });
    expect(textOf(await chat.send("/masuk"))).toContain("sudah tidak aktif");
    expect(staffDesk.webLogins).toEqual([]);
  });

  it("/keluar ends every web session and says how many were open", async () => {
    const { staffDesk, chat } = staffChat();
    staffDesk.openSessions = 2;
    const text = textOf(await chat.send("/keluar"));
    expect(text).toContain("diakhiri");
    expect(text).toContain("2");
    expect(staffDesk.webLogouts).toEqual([ANI.id]);
  });

  it("does not read 'masuk' without the slash as a command (a reporter's 'sudah masuk kerja')", async () => {
    const { staffDesk, chat } = staffChat();
    await chat.send("masuk");
    expect(staffDesk.webLogins).toEqual([]);
  });
});
