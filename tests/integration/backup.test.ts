import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { BackupError, backupSqlite } from "../../src/services/backup.ts";
import { caseDetailsOf } from "../../src/services/staff-desk.ts";
import { CANARY, CANARY_SECRETS, expectNoPlainText } from "../support/canary-traces.ts";
import { textOf } from "../support/engine-chat.ts";
import { REPORT_LINES, startTestApp, TestApp } from "../support/test-app.ts";

const { name: NAME, phone: PHONE } = CANARY;

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

const referenceIn = (text: string) => /Nomor laporan: (\S+)/.exec(text)?.[1] as string;
const pinIn = (text: string) => /PIN: (\d{6})/.exec(text)?.[1] as string;

const folder = () => mkdtempSync(path.join(tmpdir(), "tppo-backup-"));

describe("backup and the restore drill", () => {
  it("restores a backup taken while the bot writes: cases, narratives, identities, status look-ups", async () => {
    const t = await startTestApp({}, "sqlite");
    open.push(t);
    const reports: Array<{ user: string; reference: string; pin: string; story: string }> = [];
    for (const user of ["siti", "budi"]) {
      const story = `Saya ${NAME} (${user}), nomor saya ${PHONE}. Majikan menahan paspor saya.`;
      const done = textOf(await t.sendAll(user, ...REPORT_LINES(story, PHONE)));
      reports.push({ user, reference: referenceIn(done), pin: pinIn(done), story });
    }

    // Another connection writes between the backup's steps, as the running bot would.
    const writer = new Database(path.join(t.dir, "bot.db"), { timeout: 10_000 });
    const file = path.join(folder(), "tppo.backup.db");
    let steps = 0;
    const result = await backupSqlite({
      source: path.join(t.dir, "bot.db"),
      destination: file,
      pagesPerStep: 8,
      onProgress: ({ remainingPages }) => {
        if (remainingPages === 0) return;
        steps += 1;
        writer
          .prepare(
            "INSERT INTO audit_log (actor, action, caseId, detail, createdAt) VALUES ('test', 'during-backup', NULL, NULL, 0)",
          )
          .run();
      },
    });
    writer.close();
    expect(steps).toBeGreaterThan(1);
    expect(result).toMatchObject({ file, pages: expect.any(Number) as number });
    expect(result.rows.cases).toBe(2);
    expect(result.bytes).toBe(statSync(file).size);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(file))).toEqual(["tppo.backup.db"]);
    // One snapshot: what was written during the backup is not in it, and it is whole.
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
    expect(copy.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'during-backup'").get()).toEqual({ n: 0 });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();

    // The backup holds ciphertext only.
    const bytes = readFileSync(file);
    expectNoPlainText(bytes, CANARY_SECRETS);
    expect(bytes.includes(Buffer.from(reports[0]?.reference as string))).toBe(true);

    // The drill: the backup becomes the database of a fresh app with the same keys.
    const restoredDir = folder();
    copyFileSync(file, path.join(restoredDir, "bot.db"));
    const restored = await new TestApp(restoredDir, t.keys, t.clock, {}).open();
    open.push(restored);
    const cases = await restored.app.cases.list();
    expect(cases.map((c) => c.reference).sort()).toEqual(reports.map((r) => r.reference).sort());
    for (const report of reports) {
      const row = await restored.app.caseStore.load(report.reference);
      if (!row) throw new Error(`case ${report.reference} is missing`);
      const details = await caseDetailsOf(restored.app, row);
      expect(details.narrative).toBe(report.story);
      expect(details.contactNumber).toBe("+6281377712345");
      // The reporter is recognised, "my reports" lists the case, and the PIN opens its status.
      expect(textOf(await restored.send(report.user, "laporan saya"))).toContain(report.reference);
      await restored.send(report.user, "batal");
      expect(textOf(await restored.send(report.user, `status ${report.reference} ${report.pin}`))).toContain("Status:");
    }
    const identities = await restored.app.database.prisma.contactIdentity.count();
    expect(identities).toBe(await t.app.database.prisma.contactIdentity.count());
  });

  it("refuses to replace a file unless forced, and leaves nothing half-written", async () => {
    const t = await startTestApp({}, "sqlite");
    open.push(t);
    const dir = folder();
    const file = path.join(dir, "existing.db");
    writeFileSync(file, "keep me");
    await expect(backupSqlite({ source: path.join(t.dir, "bot.db"), destination: file })).rejects.toThrow(
      /already exists; pass --force/,
    );
    expect(readFileSync(file, "utf8")).toBe("keep me");
    const forced = await backupSqlite({ source: path.join(t.dir, "bot.db"), destination: file, force: true });
    expect(forced.rows.cases).toBe(0);
    expect(readFileSync(file).subarray(0, 15).toString()).toBe("SQLite format 3");
    expect(readdirSync(dir)).toEqual(["existing.db"]);

    await expect(
      backupSqlite({ source: path.join(dir, "none.db"), destination: path.join(dir, "b.db") }),
    ).rejects.toThrow(BackupError);
    await expect(
      backupSqlite({ source: path.join(t.dir, "bot.db"), destination: path.join(dir, "missing", "b.db") }),
    ).rejects.toThrow(/does not exist/);
    await expect(
      backupSqlite({ source: path.join(t.dir, "bot.db"), destination: path.join(t.dir, "bot.db") }),
    ).rejects.toThrow(/the database itself/);
    expect(existsSync(path.join(dir, "b.db"))).toBe(false);
  });
});
