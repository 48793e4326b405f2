import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseProviderCsv } from "../../src/partners/provider-csv.ts";
import { freshDataDir, REPO_ROOT, runNpm } from "../support/run-command.ts";

const FICTIONAL = path.join(REPO_ROOT, "tests/fixtures/providers/fictional-providers.csv");

describe("npm run admin -- providers", () => {
  it("imports a directory all or nothing, finds providers by place and service, exports it back, and audits each change", async () => {
    const { dir, env } = freshDataDir();
    const empty = await runNpm("admin", ["providers", "list"], "", env);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain("The directory is empty");

    // One bad row: nothing is written, and the admin learns where and what.
    const bad = path.join(dir, "bad.csv");
    const lines = readFileSync(FICTIONAL, "utf8").split("\n");
    lines[2] = lines[2]?.replace("NGO_SHELTER", "SHELTR") ?? "";
    writeFileSync(bad, lines.join("\n"));
    const refused = await runNpm("admin", ["providers", "import", bad], "", env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("nothing imported, 1 problem(s)");
    expect(refused.stderr).toContain('line 3, kind: "SHELTR" is not one of NGO_SHELTER');
    expect((await runNpm("admin", ["providers", "list", "--all"], "", env)).stdout).toContain("No provider matches.");

    const imported = await runNpm("admin", ["providers", "import", FICTIONAL], "", env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("4 added, 0 updated");

    // Typed as staff would: the town's name, a service in lower case.
    const found = await runNpm("admin", ["providers", "list", "--place", "mataram", "--service", "legal aid"], "", env);
    expect(found.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(/^NTB-LBH-FIKTIF {2}LEGAL_AID {2}LBH Fiktif Mataram .*Kota Mataram/),
    ]);
    const listed = await runNpm("admin", ["providers", "list"], "", env);
    expect(listed.stdout).toMatch(/NTB-RUMAH-AMAN-FIKTIF .*\[review was due 2026-06-01\]/);
    expect(listed.stdout).not.toContain("KALTARA-KLINIK-FIKTIF");
    const unknownPlace = await runNpm("admin", ["providers", "list", "--place", "atlantis"], "", env);
    expect(unknownPlace.code).toBe(2);
    expect(unknownPlace.stderr).toContain('"atlantis" is not a province or regency');

    const exported = await runNpm("admin", ["providers", "export", "--all"], "", env);
    expect(exported.code).toBe(0);
    const again = parseProviderCsv(exported.stdout);
    const original = parseProviderCsv(readFileSync(FICTIONAL, "utf8"));
    expect(again.ok && again.providers.map((p) => [p.code, p.contacts, p.areas.length])).toEqual(
      original.ok && original.providers.map((p) => [p.code, p.contacts, p.areas.length]).sort(),
    );

    const verified = await runNpm("admin", ["providers", "verify", "ntb-rumah-aman-fiktif"], "", env);
    expect(verified.stdout).toMatch(/^NTB-RUMAH-AMAN-FIKTIF verified today; next review by \d{4}-\d{2}-\d{2}\.\n$/);
    const shown = await runNpm("admin", ["providers", "show", "NTB-RUMAH-AMAN-FIKTIF", "--json"], "", env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ code: "NTB-RUMAH-AMAN-FIKTIF", reviewOverdue: false });

    // A provider's staff member: added by the provider's code, never with an office or as an office's partner.
    const partner = await runNpm(
      "admin",
      ["staff", "add", "--name", "Rina", "--provider", "ntb-rumah-aman-fiktif"],
      "",
      env,
    );
    expect(partner.code, partner.stderr).toBe(0);
    expect(partner.stdout).toMatch(/^Added Rina \(partner staff, Rumah Aman Fiktif Lombok \(CONTOH\)\) as /);
    expect(partner.stdout).toMatch(/In their chat with the bot they type: \/staff [0-9A-Z]{4}-[0-9A-Z]{4}/);
    const asOffice = await runNpm(
      "admin",
      ["staff", "add", "--name", "Tono", "--office", "UPTDPPA-52", "--role", "partner"],
      "",
      env,
    );
    expect(asOffice.code).toBe(2);
    expect(asOffice.stderr).toContain("partner staff are added with --provider <code>, without --office");
    const unknown = await runNpm("admin", ["staff", "add", "--name", "Tono", "--provider", "NOPE"], "", env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown provider: NOPE");
    const inactive = await runNpm(
      "admin",
      ["staff", "add", "--name", "Tono", "--provider", "KALTARA-KLINIK-FIKTIF"],
      "",
      env,
    );
    expect(inactive.stderr).toContain("is deactivated");
    const staffList = await runNpm("admin", ["staff", "list", "--json"], "", env);
    expect(JSON.parse(staffList.stdout)).toEqual([
      expect.objectContaining({ name: "Rina", role: "PARTNER", providerCode: "NTB-RUMAH-AMAN-FIKTIF" }),
    ]);

    const audit = await runNpm("admin", ["audit", "--json"], "", env);
    const actions = (JSON.parse(audit.stdout) as Array<{ action: string }>).map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(["provider.imported", "provider.verified"]));
  });
});
