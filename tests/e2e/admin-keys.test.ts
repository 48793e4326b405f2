import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RotationSummary } from "../../src/services/key-rotation.ts";
import { CHAT_REPORT_LINES } from "../support/report-lines.ts";
import { freshDataDir, runNpm } from "../support/run-command.ts";

const REPORT = CHAT_REPORT_LINES("Kakak saya ditahan di pabrik.");

const key = () => randomBytes(32).toString("base64");

describe("npm run admin -- rotate-keys", () => {
  it("re-encrypts and re-hashes under new keys, with progress on stderr and JSON on stdout", async () => {
    const { env } = freshDataDir();
    const [k1, h1] = [key(), key()];
    const before = { ...env, DATA_KEYS: `k1:${k1}`, HMAC_KEY: h1 };
    const reported = await runNpm("chat", ["--user", "reporter"], `${REPORT.join("\n")}\n`, before);
    const reference = /Nomor laporan: (\S+)/.exec(reported.stdout)?.[1] as string;
    expect(reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const after = { ...env, DATA_KEYS: `k2:${key()},k1:${k1}`, HMAC_KEYS: `h2:${key()},h1:${h1}` };
    const rotation = await runNpm("admin", ["rotate-keys", "--json", "--batch-size", "1"], "", after);
    expect(rotation.code).toBe(0);
    const summary = JSON.parse(rotation.stdout) as RotationSummary;
    expect(summary).toMatchObject({ dataKey: "k2", hmacKey: "h2", dataKeysInUse: {}, errors: [] });
    expect(summary.tables.find((s) => s.table === "cases")).toMatchObject({ pending: 1, rotated: 1, remaining: 0 });
    expect(summary.hmacKeysInUse.h1?.pinHashes).toBe(1);
    expect(rotation.stderr).toContain("cases: 1/1 re-encrypted");
    expect(rotation.stderr).toMatch(/outbox_messages: 1\/\d+ re-encrypted\n/);

    const again = await runNpm("admin", ["rotate-keys"], "", after);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("cases: 0/0 re-encrypted");
    expect(again.stdout).toContain(
      "Data key k1: no row uses it; remove it once no backup made before this rotation is kept.",
    );
    expect(again.stdout).toContain("HMAC key h1: still needed by 1 PIN hash(es)");

    // The reporter is still recognised, and their PIN still verifies (it was made with h1).
    const mine = await runNpm("chat", ["--user", "reporter"], "laporan saya\n", after);
    expect(mine.stdout).toContain(reference);

    // Without the key the rows are under, rotate-keys says which key is missing and exits 2.
    const lost = await runNpm("admin", ["rotate-keys"], "", { ...after, DATA_KEYS: `k3:${key()}` });
    expect(lost.code).toBe(2);
    expect(lost.stderr).toContain('could not be opened (no data key "k2")');
    expect(lost.stdout).toContain("Data key k2: used by");

    const usage = await runNpm("admin", ["rotate-keys", "--batch-size", "0"], "", after);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--batch-size");
  });
});

describe("npm run admin -- backup", () => {
  it("copies the database online, refuses to overwrite without --force, and points PostgreSQL to pg_dump", async () => {
    const { env } = freshDataDir();
    await runNpm("chat", ["--user", "reporter"], `${REPORT.join("\n")}\n`, env);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "tppo-e2e-backup-")), "tppo.db");

    const first = await runNpm("admin", ["backup", file, "--json"], "", env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ file, rows: { cases: 1 } });
    expect(first.stderr).toMatch(/backup: 100% \(\d+\/\d+ pages\)/);

    const refused = await runNpm("admin", ["backup", file], "", env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("already exists; pass --force to replace it");
    expect(refused.stdout).toBe("");

    const forced = await runNpm("admin", ["backup", file, "--force"], "", env);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`to ${file}:`);
    expect(forced.stdout).toContain("1 cases");

    const postgres = await runNpm("admin", ["backup", `${file}.pg`], "", {
      ...env,
      DATABASE_URL: "postgresql://bot@localhost:5432/tppo",
    });
    expect(postgres.code).toBe(2);
    expect(postgres.stderr).toContain("pg_dump");
    expect(existsSync(`${file}.pg`)).toBe(false);

    const missing = await runNpm("admin", ["backup"], "", env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("backup: expected one file name");
  });
});
