import { randomUUID } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { CHAT_REPORT_LINES } from "../support/report-lines.ts";
import { freshDataDir, runNpm } from "../support/run-command.ts";

const REPORT = CHAT_REPORT_LINES("Kakak saya ditahan di pabrik.");

describe("npm run admin", () => {
  it("lists offices, enrols staff by invite, and shows a case's details with an audit row", async () => {
    const { dir, env } = freshDataDir();
    const offices = await runNpm("admin", ["offices", "list", "--json"], "", env);
    expect(offices.code).toBe(0);
    const list = JSON.parse(offices.stdout) as Array<{ code: string; active: boolean; name: string }>;
    expect(list).toHaveLength(79);
    expect(list.every((o) => !o.active)).toBe(true);
    expect(list.find((o) => o.code === "DINSOS-32")?.name).toBe("Dinas Sosial Provinsi Jawa Barat");
    expect(offices.stderr).toContain("offices.without_destination");

    const added = await runNpm(
      "admin",
      ["staff", "add", "--name", "Ani", "--office", "uptdppa-35", "--role", "agent", "--json"],
      "",
      env,
    );
    expect(added.code).toBe(0);
    const staff = JSON.parse(added.stdout) as { id: string; invite: { code: string }; officeCode: string };
    expect(staff.officeCode).toBe("UPTDPPA-35");
    expect(staff.invite.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const set = await runNpm("admin", ["offices", "set-destination", "UPTDPPA-35", "--staff-chats"], "", env);
    expect(set.stdout).toContain("UPTDPPA-35: destination STAFF_CHATS");

    const enrol = await runNpm("chat", ["--user", "ani"], `/staff ${staff.invite.code}\n`, env);
    expect(enrol.stdout).toContain("Selamat datang, Ani");
    await runNpm("chat", ["--user", "reporter"], `${REPORT.join("\n")}\n`, env);
    const card = await runNpm("chat", ["--user", "ani"], "", env);
    expect(card.stdout).toContain("Laporan baru masuk");
    expect(card.stdout).not.toContain("pabrik");
    const reference = /Nomor: (\S+)/.exec(card.stdout)?.[1] as string;

    const cases = JSON.parse((await runNpm("admin", ["cases", "--json"], "", env)).stdout);
    expect(cases[0]).toMatchObject({ reference, officeCode: "UPTDPPA-35", copiedTo: [], status: "ROUTED" });

    const show = await runNpm("admin", ["cases", "show", reference, "--json"], "", env);
    expect(JSON.parse(show.stdout)).toMatchObject({
      reference,
      narrative: "Kakak saya ditahan di pabrik.",
      contactPreference: "CHAT",
    });
    const readable = await runNpm("admin", ["cases", "show", reference.toLowerCase()], "", env);
    expect(readable.stdout).toContain("Report details (confidential, do not forward)");
    const db = new Database(path.join(dir, "bot.db"), { readonly: true });
    const audit = db.prepare("SELECT actor, action FROM audit_log WHERE action = 'case.details_viewed'").all();
    db.close();
    // Each admin action names the OS user the command claims to run as.
    expect(audit).toHaveLength(2);
    for (const row of audit as Array<{ actor: string; action: string }>) expect(row.actor).toMatch(/^admin:\S+$/);

    const table = await runNpm("admin", ["offices", "show", "UPTDPPA-35"], "", env);
    expect(table.stdout).toContain("Ani  AGENT");
    // Staff by unique name; deactivating returns their open cases to the office queue.
    await runNpm("chat", ["--user", "ani"], `/terima ${reference}\n`, env);
    const deactivated = await runNpm("admin", ["staff", "deactivate", "ani"], "", env);
    expect(deactivated.stdout).toContain("is deactivated");
    expect(deactivated.stdout).toContain(`1 open case(s) returned to the office queue: ${reference}`);
    const listed = JSON.parse((await runNpm("admin", ["staff", "list", "--json"], "", env)).stdout);
    expect(listed[0]).toMatchObject({ name: "Ani", active: false, enrolled: true });
    expect((await runNpm("admin", ["staff", "reactivate", "Ani"], "", env)).stdout).toContain("is active again");
    const trail = JSON.parse((await runNpm("admin", ["audit", "--case", reference, "--json"], "", env)).stdout);
    expect(trail.map((r: { action: string }) => r.action)).toEqual([
      "case.details_viewed",
      "case.details_viewed",
      "case.accept",
      "case.unassigned",
    ]);
  });

  it("says clearly what is wrong with an unknown office, staff id, case or option", async () => {
    const { env } = freshDataDir();
    const office = await runNpm("admin", ["offices", "show", "DINSOS-99"], "", env);
    expect(office.code).toBe(2);
    expect(office.stderr).toContain("unknown office: DINSOS-99");
    expect(office.stdout).toBe("");
    const staff = await runNpm("admin", ["staff", "deactivate", "nobody"], "", env);
    expect(staff.stderr).toContain("unknown staff id or name: nobody");
    for (const name of ["Eko Prasetyo", "Eko Santoso"])
      await runNpm("admin", ["staff", "add", "--name", name, "--office", "DINSOS-35", "--role", "agent"], "", env);
    const ambiguous = await runNpm("admin", ["staff", "invite", "eko"], "", env);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('the name "eko" matches 2 staff members');
    const invite = await runNpm("admin", ["staff", "invite", "Eko Santoso"], "", env);
    expect(invite.stdout).toMatch(/expires \d{4}-\d{2}-\d{2} \d{2}:\d{2} WIB\)/);
    const role = await runNpm(
      "admin",
      ["staff", "add", "--name", "X", "--office", "DINSOS-32", "--role", "boss"],
      "",
      env,
    );
    expect(role.stderr).toContain("--role: expected agent, supervisor or national");
    const destination = await runNpm("admin", ["offices", "set-destination", "DINSOS-32"], "", env);
    expect(destination.stderr).toContain("choose exactly one of --group <address>, --staff-chats, --none");
    const unknownCase = await runNpm("admin", ["cases", "show", "ZZZZ-ZZZZ-ZZZZ"], "", env);
    expect(unknownCase.stderr).toContain("unknown case: ZZZZ-ZZZZ-ZZZZ");
    const dryRun = await runNpm("admin", ["followups", "--dry-run"], "", env);
    expect(dryRun.stdout).toBe("Nothing is due now.\n");
    const notDry = await runNpm("admin", ["followups"], "", env);
    expect(notDry.code).toBe(2);
    expect(notDry.stderr).toContain("only --dry-run");
  });

  it("lists more cases than one page, complete, through a pipe, as JSON and as a table", async () => {
    const { dir, env } = freshDataDir();
    expect(JSON.parse((await runNpm("admin", ["cases", "--json"], "", env)).stdout)).toEqual([]);
    // 1,234 cases stored straight in the database (the listing reads them 500 at a time), some
    // filed in the same millisecond.
    const db = new Database(path.join(dir, "bot.db"));
    const insert = db.prepare(
      `INSERT INTO cases (id, reference, pinHash, status, urgency, category, indicators, reporterRole, provinceCode, victimAgeGroup, victimGender, victimCount, contactPreference, consentToShare, language, officeCode, keyId, createdAt, updatedAt)
       VALUES (?, ?, 'x', 'ROUTED', 'NORMAL', 'FORCED_LABOUR', '{}', 'FAMILY', '35', 'ADULT', 'FEMALE', 'ONE', 'NONE', 1, 'id', 'DINSOS-35', 'k1', ?, ?)`,
    );
    const references: string[] = [];
    db.transaction(() => {
      for (let i = 0; i < 1234; i++) {
        const at = new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 3) * 1000).toISOString().replace("Z", "+00:00");
        const reference = `T${String(i).padStart(3, "0").slice(-3)}A-${String(i).padStart(4, "0")}-ZZZZ`.slice(0, 14);
        references.push(reference);
        insert.run(randomUUID(), reference, at, at);
      }
    })();
    db.close();
    const listing = await runNpm("admin", ["cases", "--json"], "", env);
    expect(listing.code).toBe(0);
    const listed = (JSON.parse(listing.stdout) as Array<{ reference: string; createdAt: string }>).map(
      (c) => c.reference,
    );
    expect(listed).toHaveLength(1234);
    expect(new Set(listed)).toEqual(new Set(references));
    const table = await runNpm("admin", ["cases"], "", env);
    expect(table.stdout.split("\n")[0]).toMatch(
      /^REFERENCE\s+STATUS\s+URGENCY\s+CATEGORY\s+PLACE\s+OFFICE\s+LANG\s+CREATED$/,
    );
    expect(table.stdout).toContain("1234 case(s)");
    expect(table.stdout.split("\n").filter((line) => line.includes("DINSOS-35"))).toHaveLength(1234);
  });
});
