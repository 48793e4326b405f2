import { describe, expect, it } from "vitest";
import { caseCard } from "../../src/conversation/notices.ts";
import { actionFromChoice, detectStaffCommand } from "../../src/conversation/staff-commands.ts";
import type { StaffActor } from "../../src/domain/staff-actions.ts";
import { createTranslator, loadLocales } from "../../src/i18n/i18n.ts";
import { EngineChat, textOf } from "../support/engine-chat.ts";
import { FakeDesk, FakeStaffDesk } from "../support/fake-desk.ts";
import { giveCard } from "../support/staff-cards.ts";

const translate = createTranslator(loadLocales(), { strict: true });
const both = [translate("id"), translate("en")];
const ANI: StaffActor = {
  id: "s1",
  name: "Ani",
  officeCode: "UPTDPPA-35",
  role: "AGENT",
  active: true,
  language: "id",
};
const FACTS = {
  reference: "K7QM-4TZP-9XWR",
  status: "ROUTED" as const,
  assistanceStage: null,
  urgency: "URGENT" as const,
  category: "FORCED_LABOUR" as const,
  provinceCode: "35",
  regencyCode: null,
  country: null,
  homeProvinceCode: null,
  victimAgeGroup: "CHILD" as const,
  officeCode: "UPTDPPA-35",
};

describe("staff commands", () => {
  it("are read in both languages with the case reference and their arguments", () => {
    expect(detectStaffCommand("/terima K7QM-4TZP-9XWR", both)).toEqual({
      kind: "action",
      action: { kind: "accept", reference: "K7QM-4TZP-9XWR" },
    });
    expect(detectStaffCommand("/details k7qm 4tzp 9xwr", both)).toEqual({
      kind: "action",
      action: { kind: "details", reference: "K7QM-4TZP-9XWR" },
    });
    expect(detectStaffCommand("/ubahstatus K7QM4TZP9XWR pendampingan pemulihan", both)).toEqual({
      kind: "action",
      action: { kind: "setStatus", reference: "K7QM-4TZP-9XWR", status: "ASSISTANCE", stage: "RECOVERY" },
    });
    expect(detectStaffCommand("/setstatus K7QM-4TZP-9XWR assessment", both)).toMatchObject({
      action: { status: "ASSESSMENT" },
    });
    expect(detectStaffCommand("/catatan K7QM-4TZP-9XWR sudah ditelepon", both)).toEqual({
      kind: "action",
      action: { kind: "note", reference: "K7QM-4TZP-9XWR", text: "sudah ditelepon" },
    });
    expect(detectStaffCommand("/reply K7QM-4TZP-9XWR We will call you.", both)).toMatchObject({
      action: { kind: "reply", text: "We will call you." },
    });
    expect(detectStaffCommand("/alihkan K7QM-4TZP-9XWR dinsos-32", both)).toMatchObject({
      action: { kind: "transfer", officeCode: "DINSOS-32" },
    });
    expect(detectStaffCommand("/salin K7QM-4TZP-9XWR kp2mi", both)).toMatchObject({
      action: { kind: "copy", officeCode: "KP2MI" },
    });
    expect(detectStaffCommand("/tutup K7QM-4TZP-9XWR duplicate", both)).toMatchObject({
      action: { kind: "close", resolution: "DUPLICATE" },
    });
    expect(detectStaffCommand("/akses K7QM-4TZP-9XWR", both)).toMatchObject({ action: { kind: "access" } });
    expect(detectStaffCommand("/kasus", both)).toEqual({ kind: "cases", filter: { kind: "all" } });
    expect(detectStaffCommand("/staff 7kq2 m9xt", both)).toEqual({ kind: "enrol", code: "7kq2 m9xt" });
  });

  it("need the slash, so a reporter's words are never taken for them", () => {
    expect(detectStaffCommand("terima kasih banyak", both)).toBeNull();
    expect(detectStaffCommand("tutup", both)).toBeNull();
    expect(detectStaffCommand("/status", both)).toBeNull();
  });

  it("explain themselves when the reference or text is missing", () => {
    expect(detectStaffCommand("/balas K7QM-4TZP-9XWR", both)).toMatchObject({ kind: "usage" });
    expect(detectStaffCommand("/balas", both)).toMatchObject({ kind: "usage", example: "/balas K7QM-4TZP-9XWR …" });
  });

  it("are carried by card buttons with compact ids that are checked", () => {
    expect(actionFromChoice("x:st:K7QM4TZP9XWR:ASSISTANCE:RETURN")).toEqual({
      kind: "setStatus",
      reference: "K7QM-4TZP-9XWR",
      status: "ASSISTANCE",
      stage: "RETURN",
    });
    expect(actionFromChoice("x:cl:K7QM4TZP9XWR:UNREACHABLE")).toEqual({
      kind: "close",
      reference: "K7QM-4TZP-9XWR",
      resolution: "UNREACHABLE",
    });
    expect(actionFromChoice("x:zz:K7QM4TZP9XWR")).toBeNull();
    expect(actionFromChoice("x:acc:notareference")).toBeNull();
    for (const choice of caseCard(translate("id"), FACTS, { reason: "NEW", officeName: "UPTD PPA", viaFallback: false })
      .choices ?? []) {
      expect(choice.id.length).toBeLessThanOrEqual(64);
      expect(actionFromChoice(choice.id)).not.toBeNull();
    }
  });
});

describe("staff in the dialogue", () => {
  it("answers a card by number even while the chat's own question (the menu) is something else", async () => {
    const staffDesk = new FakeStaffDesk();
    staffDesk.answer = (action) => ({ kind: "accepted", reference: action.reference });
    const chat = new EngineChat({ staffDesk, staff: ANI });
    await chat.send("halo");
    giveCard(chat, staffDesk, FACTS);
    const replies = await chat.send("1");
    expect(staffDesk.actions).toEqual([{ kind: "accept", reference: "K7QM-4TZP-9XWR" }]);
    expect(textOf(replies)).toContain("diterima oleh Ani");
    // No reporter menu after a staff action: the card stays the latest message with choices.
    expect(replies.every((r) => !r.choices)).toBe(true);
    // Words are not matched against the card: "detail" acts on nothing.
    await chat.send("detail");
    expect(staffDesk.actions).toHaveLength(1);
    await chat.send("2");
    expect(staffDesk.actions.at(-1)).toEqual({ kind: "details", reference: "K7QM-4TZP-9XWR" });
  });

  it("refuses staff actions from someone who is not enrolled", async () => {
    const staffDesk = new FakeStaffDesk();
    const chat = new EngineChat({ staffDesk });
    expect(textOf(await chat.send("/terima K7QM-4TZP-9XWR"))).toContain("hanya untuk petugas");
    expect(textOf(await chat.send({ choiceId: "x:acc:K7QM4TZP9XWR" }))).toContain("hanya untuk petugas");
    expect(staffDesk.actions).toEqual([]);
  });

  it("in a group answers staff commands only, and sends details privately", async () => {
    const staffDesk = new FakeStaffDesk();
    staffDesk.answer = (action) => ({
      kind: "details",
      details: {
        ...FACTS,
        reference: action.reference,
        reporterRole: "FAMILY",
        indicators: {},
        victimGender: "FEMALE",
        victimCount: "ONE",
        narrative: "cerita rahasia",
        placeDetail: null,
        contactPreference: "NONE",
        contactNumber: null,
        copiedTo: [],
        officeName: "UPTD PPA",
        assignedStaffName: null,
        messages: [],
        messageCount: 0,
        services: [],
        copyView: false,
        createdAt: new Date("2026-11-28T00:00:00Z"),
      },
    });
    const group = new EngineChat({ staffDesk, staff: ANI });
    group.inGroup = true;
    expect(await group.send("selamat pagi semua")).toEqual([]);
    const replies = await group.send("/detail K7QM-4TZP-9XWR");
    expect(textOf(replies)).toContain("dikirim ke chat pribadi Anda");
    expect(textOf(replies)).not.toContain("cerita rahasia");
  });

  it("passes a reporter's message outside any flow to the office of their open case", async () => {
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll("lapor", "ya", "bali", "ya", "1", "1", "lewati", "1", "1", "1");
    const replies = await chat.send("Ada kabar baru: dia dipindah ke Denpasar.");
    expect(textOf(replies)).toContain("sudah kami teruskan");
    expect(desk.relays).toEqual([{ identityId: "identity-1", text: "Ada kabar baru: dia dipindah ke Denpasar." }]);
    const stranger = new EngineChat({ desk, identityId: "stranger" });
    await stranger.send("halo");
    expect(textOf(await stranger.send("Apa ini?"))).toContain("Buat laporan");
  });
});
