import { describe, expect, it } from "vitest";
import { CHAT_REPORT_LINES } from "../support/report-lines.ts";
import { freshDataDir, runNpm } from "../support/run-command.ts";

describe("npm run admin -- stats and export", () => {
  it("prints a month's figures: an office's own in full, national ones with small counts hidden, as text, JSON or CSV", async () => {
    const { env } = freshDataDir();
    const reported = await runNpm(
      "chat",
      ["--user", "reporter"],
      `${CHAT_REPORT_LINES("Kakak saya ditahan.").join("\n")}\n`,
      env,
    );
    expect(reported.stdout).toMatch(/Nomor laporan: \S+/);
    const listed = JSON.parse((await runNpm("admin", ["cases", "--json"], "", env)).stdout) as Array<{
      officeCode: string;
      createdAt: string;
    }>;
    const officeCode = listed[0]?.officeCode as string;
    // The month the report was made in, in Western Indonesia Time.
    const month = new Date(Date.parse(listed[0]?.createdAt ?? "") + 7 * 3_600_000).toISOString().slice(0, 7);

    const national = await runNpm("admin", ["stats", "--month", month], "", env);
    expect(national.code, national.stderr).toBe(0);
    expect(national.stdout).toContain(`Figures for ${month} (WIB), national`);
    expect(national.stdout).toContain("new reports: <5");

    const own = await runNpm("admin", ["stats", "--month", month, "--office", officeCode, "--json"], "", env);
    expect(JSON.parse(own.stdout)).toMatchObject({ scope: `office ${officeCode}`, newReports: 1 });

    const csv = await runNpm("admin", ["stats", "--month", month, "--csv"], "", env);
    expect(csv.stdout.split("\n")[0]).toBe("figure,key,value");
    expect(csv.stdout).toContain("newReports,,<5");

    // One case is too few to share its combination with 10 others: the export holds the header only.
    const exported = await runNpm("admin", ["export", "anonymised"], "", env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe("year,sex,age_band,nationality,province,category,destination_country\n");
    expect(exported.stderr).toContain("1 cases: 0 rows exported (0 of them generalised), 1 left out");
    const audit = JSON.parse((await runNpm("admin", ["audit", "--json"], "", env)).stdout) as Array<{
      action: string;
      detail: string;
    }>;
    expect(audit.find((row) => row.action === "export.anonymised")?.detail).toBe("0 rows of 1 cases");
    expect((await runNpm("admin", ["export", "cases"], "", env)).code).toBe(2);

    const bad = await runNpm("admin", ["stats", "--month", "november"], "", env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--month takes a month written YYYY-MM");
    const unknown = await runNpm("admin", ["stats", "--month", month, "--office", "NOPE"], "", env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown office: NOPE");
  });
});
