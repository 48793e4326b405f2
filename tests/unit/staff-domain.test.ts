import { describe, expect, it } from "vitest";
import { actionFromChoice, actionId } from "../../src/conversation/action-ids.ts";
import { detectStaffCommand, parseDay } from "../../src/conversation/staff-commands.ts";
import { stageStates } from "../../src/domain/case-services.ts";
import type { StaffAction } from "../../src/domain/staff-actions.ts";
import { caseAccess, listScope } from "../../src/domain/staff-scope.ts";
import { createTranslator, loadLocales } from "../../src/i18n/i18n.ts";

const translate = createTranslator(loadLocales(), { strict: true });
const both = [translate("id"), translate("en")];
const REF = "K7QM-4TZP-9XWR";
const agent = { role: "AGENT" as const, officeCode: "UPTDPPA-35", active: true };

describe("scopes", () => {
  it("give the responsible office the case, a copied office a read-and-help view, others nothing", () => {
    const target = { officeCode: "KP2MI", copiedTo: ["DINSOS-35"] };
    expect(caseAccess({ ...agent, officeCode: "KP2MI" }, target)).toBe("FULL");
    expect(caseAccess({ ...agent, officeCode: "DINSOS-35" }, target)).toBe("COPY");
    expect(caseAccess({ ...agent, role: "SUPERVISOR", officeCode: "DINSOS-32" }, target)).toBe("NONE");
    expect(caseAccess({ ...agent, role: "NATIONAL", officeCode: "NATIONAL" }, target)).toBe("FULL");
    expect(caseAccess({ ...agent, officeCode: "KP2MI", active: false }, target)).toBe("NONE");
  });

  it("list in a group only the offices it serves, within the asker's reach", () => {
    const national = { ...agent, role: "NATIONAL" as const, officeCode: "NATIONAL" };
    expect(listScope(national, { inGroup: false, groupOffices: [] })).toEqual({ kind: "all" });
    expect(listScope(national, { inGroup: true, groupOffices: ["DINSOS-35"] })).toEqual({
      kind: "offices",
      officeCodes: ["DINSOS-35"],
    });
    expect(listScope(agent, { inGroup: true, groupOffices: ["DINSOS-35"] })).toEqual({
      kind: "offices",
      officeCodes: [],
    });
  });
});

describe("stage states", () => {
  it("show the stage in progress, stages with services before it done, and never services", () => {
    expect(stageStates("ASSISTANCE", "RECOVERY", new Set(["RETURN"]))).toEqual({
      RETURN: "DONE",
      RECOVERY: "IN_PROGRESS",
      REINTEGRATION: "NOT_STARTED",
    });
    expect(stageStates("MONITORING", "REINTEGRATION", new Set(["RECOVERY"]))).toEqual({
      RETURN: "NOT_STARTED",
      RECOVERY: "DONE",
      REINTEGRATION: "DONE",
    });
    expect(stageStates("ACKNOWLEDGED", null, new Set(["RECOVERY"]))).toEqual({
      RETURN: "NOT_STARTED",
      RECOVERY: "IN_PROGRESS",
      REINTEGRATION: "NOT_STARTED",
    });
  });
});

describe("button ids", () => {
  it("carry every action a button can, and read back the same", () => {
    const actions: StaffAction[] = [
      { kind: "accept", reference: REF },
      { kind: "details", reference: REF },
      { kind: "history", reference: REF, page: 3 },
      { kind: "setStatus", reference: REF, status: "ASSISTANCE", stage: "RETURN" },
      { kind: "close", reference: REF, resolution: "DUPLICATE" },
      { kind: "close", reference: REF, resolution: "NOT_TRAFFICKING", confirmed: 12 },
      { kind: "transfer", reference: REF, officeCode: "UPTDPPA-35", confirmed: 4 },
      { kind: "cancel", reference: REF },
      { kind: "service", reference: REF, service: "FAMILY_REUNIFICATION" },
      { kind: "assign", reference: REF, staffId: "0b6a3c2e-7f41-4c55-9d1e-5a7f8e2b9c10" },
    ];
    for (const action of actions) {
      const id = actionId(action) as string;
      expect(id.length, id).toBeLessThanOrEqual(64);
      expect(actionFromChoice(id)).toEqual(action);
    }
    // A yes without its version is no yes.
    expect(actionFromChoice("x:okc:K7QM4TZP9XWR:DUPLICATE")).toBeNull();
    expect(actionId({ kind: "note", reference: REF, text: "…" })).toBeNull();
  });
});

describe("staff commands in a hurry", () => {
  it("read a command without a reference as meant for the card at hand", () => {
    expect(detectStaffCommand("/terima", both)).toEqual({ kind: "caseless", action: { kind: "accept" } });
    expect(detectStaffCommand("/tutup ganda", both)).toEqual({
      kind: "caseless",
      action: { kind: "close", resolution: "DUPLICATE" },
    });
    expect(detectStaffCommand(`/tutup ${REF} dibantu`, both)).toMatchObject({ action: { resolution: "ASSISTED" } });
    // Words in no outcome's label pick none: the staff member chooses from the list.
    expect(detectStaffCommand(`/tutup ${REF} selesai`, both)).toEqual({
      kind: "action",
      action: { kind: "close", reference: REF },
    });
  });

  it("read the filters of /kasus", () => {
    expect(detectStaffCommand("/kasus saya", both)).toEqual({ kind: "cases", filter: { kind: "mine" } });
    expect(detectStaffCommand("/cases overdue", both)).toEqual({ kind: "cases", filter: { kind: "overdue" } });
    expect(detectStaffCommand("/kasus baru", both)).toEqual({ kind: "cases", filter: { kind: "new" } });
    expect(detectStaffCommand("/kasus asesmen", both)).toEqual({
      kind: "cases",
      filter: { kind: "status", status: "ASSESSMENT" },
    });
    expect(detectStaffCommand("/kasus kota malang", both)).toEqual({
      kind: "cases",
      filter: { kind: "place", text: "kota malang" },
    });
  });

  it("read a service with its provider, day and note", () => {
    expect(
      detectStaffCommand(`/layanan ${REF} rumah aman; RPTC Bambu Apus; 30/11; sudah aman`, both, "2026-12-02"),
    ).toEqual({
      kind: "action",
      action: {
        kind: "service",
        reference: REF,
        service: "SHELTER",
        provider: "RPTC Bambu Apus",
        givenOn: "2026-11-30",
        note: "sudah aman",
      },
    });
    expect(
      detectStaffCommand(`/service ${REF} legal aid LBH Surabaya yesterday to court`, both, "2026-12-02"),
    ).toMatchObject({
      action: { service: "LEGAL_AID", provider: "LBH Surabaya", givenOn: "2026-12-01", note: "to court" },
    });
    expect(detectStaffCommand(`/layanan ${REF}`, both)).toEqual({
      kind: "action",
      action: { kind: "service", reference: REF },
    });
  });

  it("read days as typed, refusing days that do not exist or have not come", () => {
    expect(parseDay("30/11", "2026-12-02", both)).toBe("2026-11-30");
    expect(parseDay("2026-02-30", "2026-12-02", both)).toBeNull();
    expect(parseDay("3/12", "2026-12-02", both)).toBeNull();
    expect(parseDay("kemarin", "2026-12-01", both)).toBe("2026-11-30");
  });
});
