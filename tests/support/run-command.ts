import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, where npm scripts run. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** What a finished command printed. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** A fresh data directory and the environment that points the bot at it. */
export function freshDataDir(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), "tppo-e2e-"));
  return { dir, env: { DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "bot.db")}` } };
}

/** Runs `npm run --silent <script> -- <args>` with the given stdin, as a person at a terminal would. */
export function runNpm(
  script: string,
  args: string[],
  input: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const npmArgs = ["run", "--silent", script, ...(args.length > 0 ? ["--", ...args] : [])];
    const child = spawn("npm", npmArgs, {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: "info", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`npm run ${script} timed out\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(input);
  });
}

/** Splits simulator output into messages: each is text lines, then choices, then an empty line. */
export function messagesOf(stdout: string): Array<{ text: string; choices: string[] }> {
  return stdout
    .split(/\n\n/)
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const choices = lines.filter((l) => /^ {2}\d+\) /.test(l)).map((l) => l.replace(/^ {2}\d+\) /, ""));
      return { text: lines.filter((l) => !/^ {2}\d+\) /.test(l)).join("\n"), choices };
    });
}
