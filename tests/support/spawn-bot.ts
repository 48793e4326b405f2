import { type ChildProcess, spawn } from "node:child_process";
import { REPO_ROOT } from "./run-command.ts";

/** A running `npm start` with its output so far. */
export interface RunningBot {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Sends SIGTERM and waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `npm start` with an environment, and waits until its log says it started. */
export async function startBot(
  env: Record<string, string>,
  startedEvent = '"event":"start"',
  timeoutMs = 90_000,
): Promise<RunningBot> {
  const child = spawn("npm", ["start", "--silent"], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString("utf8");
  });
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
  });
  // "close" comes after the process exited and its output ended: the shutdown is really over.
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const started = Date.now();
  while (!stderr.includes(startedEvent)) {
    if (Date.now() - started > timeoutMs) {
      process.kill(-(child.pid as number), "SIGKILL");
      throw new Error(`npm start did not start:\n${stderr}`);
    }
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) process.kill(-(child.pid as number), "SIGTERM");
      const timer = setTimeout(() => {
        if (child.exitCode === null) process.kill(-(child.pid as number), "SIGKILL");
      }, 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
