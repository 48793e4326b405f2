import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ON_POSTGRES, sqliteOnly } from "../support/postgres.ts";
import { REPO_ROOT } from "../support/run-command.ts";

const run = promisify(execFile);
const check = (schema: string) =>
  run(process.execPath, ["--import", "tsx", "scripts/create-migration.ts", "--check", "--schema", schema], {
    cwd: REPO_ROOT,
  }).then(
    () => 0,
    (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? "" }),
  );

// The SQLite migrations; postgres-migrations.test.ts checks the PostgreSQL ones.
describe.skipIf(ON_POSTGRES)(sqliteOnly("the committed migrations"), () => {
  it("build exactly the schema in prisma/schema.prisma", async () => {
    expect(await check("prisma/schema.prisma")).toBe(0);
  });

  it("are reported stale when the schema gains a column without a migration", async () => {
    const original = readFileSync(path.join(REPO_ROOT, "prisma/schema.prisma"), "utf8");
    const changed = original.replace(/(\n\s+lookupFlagged\s+Boolean\s+@default\(false\))/, "$1\n  extraColumn String?");
    expect(changed).not.toBe(original);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "schema-")), "schema.prisma");
    writeFileSync(file, changed);
    const result = await check(file);
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stderr: string }).stderr).toContain("extraColumn");
  });
});
