import { afterEach, describe, expect, it } from "vitest";
import { loadMonthlyFigures } from "../../src/stats/monthly-stats.ts";
import { textOf } from "../support/engine-chat.ts";
import { enrolStaff, fileReport } from "../support/staff-world.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
});

describe("a month's figures from the database", () => {
  it("counts reports, acceptance, status at the month's end and services as staff worked them", async () => {
    const t = await startTestApp();
    open.push(t);
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const first = await fileReport(t, "siti");
    await fileReport(t, "dewi");
    t.clock.advance(2 * 3_600_000);
    await t.send("ani", `/terima ${first.reference}`);
    await t.send("ani", `/ubahstatus ${first.reference} ASSESSMENT`);
    expect(textOf(await t.send("ani", `/layanan ${first.reference} rumah aman; RPTC Bambu Apus`))).toContain(
      "tercatat",
    );
    // Two days on (still November), the second report is past its 24-hour deadline.
    t.clock.advance(2 * 86_400_000);
    const request = {
      month: "2026-11",
      ackDeadlineMs: t.app.config.followUps.ackDeadlineMs,
      now: t.clock.now(),
    };
    const own = await loadMonthlyFigures(t.app.database.prisma, {
      ...request,
      scope: { kind: "office", code: "UPTDPPA-35" },
      readerOfficeCode: "UPTDPPA-35",
    });
    expect(own).toMatchObject({
      newReports: 2,
      byAgeGroup: { CHILD: 2 },
      byProvince: { "35": 2 },
      hoursToAcceptance: { median: 2, p90: 2, accepted: 1 },
      overdueAcceptances: 1,
      statusAtMonthEnd: { ASSESSMENT: 1, ROUTED: 1 },
      servicesByType: { SHELTER: 1 },
      servicesByStage: { RECOVERY: 1 },
      closedByResolution: {},
    });
    // Nationally the same counts are small: they read "<5", and the waiting times are left out.
    const national = await loadMonthlyFigures(t.app.database.prisma, {
      ...request,
      scope: { kind: "national" },
      readerOfficeCode: null,
    });
    expect(national).toMatchObject({
      newReports: "<5",
      byProvince: { "35": "<5" },
      hoursToAcceptance: { median: null, p90: null, accepted: "<5" },
      statusAtMonthEnd: { ASSESSMENT: "<5", ROUTED: "<5" },
    });
    // October had nothing; another office's own figures are empty.
    expect(
      await loadMonthlyFigures(t.app.database.prisma, {
        ...request,
        month: "2026-10",
        scope: { kind: "office", code: "UPTDPPA-35" },
        readerOfficeCode: "UPTDPPA-35",
      }),
    ).toMatchObject({ newReports: 0, statusAtMonthEnd: {} });
  });
});
