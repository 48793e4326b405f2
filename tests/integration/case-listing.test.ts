import { afterEach, describe, expect, it } from "vitest";
import type { OpenCasesQuery } from "../../src/db/case-repository.ts";
import { seedCases } from "../support/staff-world.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

async function started(): Promise<TestApp> {
  const t = await startTestApp();
  open.push(t);
  return t;
}

const page = (t: TestApp, query: Partial<OpenCasesQuery> & Pick<OpenCasesQuery, "officeCodes">) =>
  t.app.cases.openCasesPage({ filter: { kind: "all" }, offset: 0, limit: 10, ...query });

describe("listing every case (admin cases)", () => {
  it("lists each case once, newest first, across pages, cases filed in the same millisecond included", async () => {
    const t = await started();
    const older = await seedCases(t, 4, { officeCode: "DINSOS-35" });
    // Five more at one instant: the page boundary falls among them.
    const at = t.clock.now();
    const same = await seedCases(t, 5, { officeCode: "UPTDPPA-35" });
    await t.app.database.prisma.case.updateMany({ where: { reference: { in: same } }, data: { createdAt: at } });

    const pages: string[][] = [];
    for await (const listed of t.app.cases.listPages(2)) pages.push(listed.map((c) => c.reference));
    const listed = pages.flat();
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    expect(listed).toHaveLength(9);
    expect(new Set(listed).size).toBe(9);
    // The five of the same instant first (in any order), then the older ones newest first.
    expect(new Set(listed.slice(0, 5))).toEqual(new Set(same));
    expect(listed.slice(5)).toEqual([...older].reverse());
    expect((await t.app.cases.list()).map((c) => c.reference)).toEqual(listed);
  });

  it("shows the offices a case was copied to, in the order of the copies", async () => {
    const t = await started();
    const [reference] = await seedCases(t, 1, { officeCode: "KP2MI" });
    const row = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference: reference as string } });
    const now = t.clock.now();
    await t.app.database.prisma.caseCopy.create({ data: { caseId: row.id, officeCode: "DINSOS-35", createdAt: now } });
    await t.app.database.prisma.caseCopy.create({
      data: { caseId: row.id, officeCode: "UPTDPPA-35", createdAt: new Date(now.getTime() + 1000) },
    });
    const [listed] = await t.app.cases.list();
    expect(listed?.copiedTo).toEqual(["DINSOS-35", "UPTDPPA-35"]);
  });
});

describe("an office's open cases (/kasus)", () => {
  it("counts and lists the cases an office holds or was copied, never closed ones nor another office's", async () => {
    const t = await started();
    const elsewhere = await seedCases(t, 3, { officeCode: "KP2MI" });
    t.clock.advance(10 * 60_000);
    const held = await seedCases(t, 3, { officeCode: "DINSOS-35" });
    const copied = elsewhere[0] as string;
    const copiedRow = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference: copied } });
    await t.app.database.prisma.caseCopy.create({
      data: { caseId: copiedRow.id, officeCode: "DINSOS-35", createdAt: t.clock.now() },
    });
    await t.app.database.prisma.case.update({
      where: { reference: held[0] as string },
      data: { status: "CLOSED", closedAt: t.clock.now() },
    });

    const dinsos = await page(t, { officeCodes: ["DINSOS-35"] });
    expect(dinsos.total).toBe(3);
    // Newest first: the two held cases still open (seeded later), then the copy (seeded earlier).
    expect(dinsos.rows.map((r) => r.reference)).toEqual([held[2], held[1], copied]);
    expect(dinsos.rows.at(-1)?.officeCode).toBe("KP2MI");

    const national = await page(t, { officeCodes: null });
    expect(national.total).toBe(5);
    expect(national.rows.map((r) => r.reference)).not.toContain(held[0]);

    expect(national.rows.map((r) => r.reference)).toEqual([held[2], held[1], elsewhere[2], elsewhere[1], copied]);
    const second = await page(t, { officeCodes: null, offset: 3, limit: 3 });
    expect(second.total).toBe(5);
    expect(second.rows.map((r) => r.reference)).toEqual([elsewhere[1], copied]);
  });

  it("leaves out a case closed between reading the page's ids and its rows", async () => {
    const t = await started();
    const [closing, staying] = await seedCases(t, 2, { officeCode: "DINSOS-35" });
    const db = t.app.database.prisma;
    const queryRaw = db.$queryRaw.bind(db);
    db.$queryRaw = (async (...args: Parameters<typeof db.$queryRaw>) => {
      const result = await queryRaw(...args);
      // The page's ids are read: a staff member closes the case at this moment.
      if (String(args[0]).includes('SELECT "id" FROM "cases"'))
        await db.case.update({ where: { reference: closing as string }, data: { status: "CLOSED" } });
      return result;
    }) as typeof db.$queryRaw;
    const listed = await page(t, { officeCodes: ["DINSOS-35"] });
    expect(listed.rows.map((r) => r.reference)).toEqual([staying]);
  });

  it("filters by place (a regency alone), by assignee, by status, and by overdue deadlines", async () => {
    const t = await started();
    const malang = await seedCases(t, 2, { officeCode: "UPTDPPA-35", regencyCode: "35.73" });
    t.clock.advance(10 * 60_000);
    const surabaya = await seedCases(t, 2, { officeCode: "UPTDPPA-35", regencyCode: "35.78", urgency: "URGENT" });
    const office = ["UPTDPPA-35"];

    const byRegency = await page(t, {
      officeCodes: office,
      filter: { kind: "place", provinceCodes: [], regencyCodes: ["35.73"] },
    });
    expect(byRegency.rows.map((r) => r.reference)).toEqual([...malang].reverse());
    expect(byRegency.total).toBe(2);
    const byProvince = await page(t, {
      officeCodes: office,
      filter: { kind: "place", provinceCodes: ["35"], regencyCodes: [] },
    });
    expect(byProvince.total).toBe(4);
    const nowhere = await page(t, {
      officeCodes: office,
      filter: { kind: "place", provinceCodes: [], regencyCodes: [] },
    });
    expect(nowhere).toEqual({ total: 0, rows: [] });

    await t.app.database.prisma.case.update({
      where: { reference: surabaya[0] as string },
      data: { status: "ASSISTANCE", assignedStaffId: "staff-1", serviceStartedAt: t.clock.now() },
    });
    const mine = await page(t, { officeCodes: office, filter: { kind: "mine", staffId: "staff-1" } });
    expect(mine.rows.map((r) => r.reference)).toEqual([surabaya[0]]);
    const routed = await page(t, { officeCodes: office, filter: { kind: "status", status: "ROUTED" } });
    expect(routed.total).toBe(3);

    // Seeded cases were routed up to 12 minutes ago: an hour's deadline for urgent
    // ones and a day's for others, a week for the service clock.
    const overdue = (minutesLater: number) =>
      page(t, {
        officeCodes: office,
        filter: {
          kind: "overdue",
          now: new Date(t.clock.now().getTime() + minutesLater * 60_000),
          ackDeadlineMs: { URGENT: 60 * 60_000, NORMAL: 24 * 60 * 60_000 },
          serviceDeadlineMs: 7 * 24 * 60 * 60_000,
        },
      });
    expect((await overdue(0)).total).toBe(0);
    // After two hours only the urgent case still waiting for acceptance is late.
    const late = await overdue(120);
    expect(late.rows.map((r) => r.reference)).toEqual([surabaya[1]]);
    expect(late.total).toBe(1);
    // After eight days all three waiting, and the one in assistance past its service deadline.
    expect((await overdue(8 * 24 * 60)).total).toBe(4);
  });
});
