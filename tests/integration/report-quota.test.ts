import { afterEach, describe, expect, it } from "vitest";
import { runMaintenance } from "../../src/services/maintenance.ts";
import { textOf } from "../support/engine-chat.ts";
import { REPORT_LINES, startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await startTestApp(env);
  open.push(t);
  return t;
}
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

const LIMIT_REACHED = "sudah ada 2 laporan";
const INTAKE_STARTED = "apakah ada orang yang dalam bahaya";

describe("the daily report limit of a chat", () => {
  it("still counts the chat's reports after it erased its contact data from them", async () => {
    const t = await start({ MAX_REPORTS_PER_DAY: "2" });
    for (let i = 0; i < 2; i++) await t.sendAll("eraser", ...REPORT_LINES(`cerita ${i}`, "081211112222"));
    expect(textOf(await t.send("eraser", "lapor"))).toContain(LIMIT_REACHED);

    // "hapus", then yes to erasing the contact data: the reports no longer name this chat.
    expect(textOf(await t.send("eraser", "hapus"))).toContain("Lanjutkan?");
    expect(textOf(await t.send("eraser", "1"))).toContain("sudah dihapus dari 2 laporan");
    const cases = await t.app.database.prisma.case.findMany({ select: { reporterIdentityId: true } });
    expect(cases).toEqual([{ reporterIdentityId: null }, { reporterIdentityId: null }]);

    // The limit still holds for this chat, and only for it.
    expect(textOf(await t.send("eraser", "lapor"))).toContain(LIMIT_REACHED);
    expect(textOf(await t.send("neighbour", "lapor"))).toContain(INTAKE_STARTED);

    // A day after the reports, the chat may report again.
    t.clock.advance(24 * 60 * 60_000);
    expect(textOf(await t.send("eraser", "lapor"))).toContain(INTAKE_STARTED);
  });

  it("keeps only a keyed hash of the chat, for 24 hours", async () => {
    const t = await start();
    await t.sendAll("counted", ...REPORT_LINES("cerita", "081211112222"));
    const db = t.app.database.prisma;
    const marks = await db.reportQuotaMark.findMany();
    expect(marks).toHaveLength(1);
    const identity = await db.contactIdentity.findFirstOrThrow({ where: { staff: null } });
    const mark = marks[0]?.chatHash as string;
    // Neither the address nor anything that joins to the chat's identity row.
    expect(mark).not.toContain("counted");
    expect(mark).not.toBe(identity.lookupHash);
    expect(mark).not.toBe(identity.id);

    t.clock.advance(23 * 60 * 60_000);
    await runMaintenance(t.app);
    expect(await db.reportQuotaMark.count()).toBe(1);
    t.clock.advance(2 * 60 * 60_000);
    await runMaintenance(t.app);
    expect(await db.reportQuotaMark.count()).toBe(0);
  });
});
