import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { type RunningBot, startBot } from "../../support/spawn-bot.ts";

/** How long a drill waits for `npm start` to say it started (cold starts are slow on a busy machine). */
const START_TIMEOUT_MS = 90_000;

/** Starts `npm start` for a drill, with info logs (the start event the spawner waits for is one). */
export function startDrillBot(env: Record<string, string>): Promise<RunningBot> {
  return startBot({ ...env, LOG_LEVEL: "info" }, '"event":"start"', START_TIMEOUT_MS);
}

function parentOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses; the fields after the last ")" do not.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
  } catch {
    return null;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/**
 * The process that runs the bot itself under `npm start`: node running the compiled
 * dist/bundle/main.js below npm and a shell. Kill -9 and RSS must aim at that one.
 */
export function botNodePid(bot: RunningBot): number {
  const root = bot.child.pid;
  if (root === undefined) throw new Error("the bot has no process id");
  const pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), Number(pid)]);
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      if (/\bdist\/bundle\/main\.js\b/.test(commandOf(child))) found.push(child);
      visit(child);
    }
  };
  visit(root);
  if (found.length !== 1)
    throw new Error(`expected one node process running dist/bundle/main.js, found ${found.length}`);
  return found[0] as number;
}

/** Resident memory of a process in kilobytes (VmRSS). */
export function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

/** True while a process exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/**
 * kill -9 of the bot's node process, then of what is left of its process group (npm and
 * anything left below it), and waits until every one of them is gone.
 */
export async function killNine(bot: RunningBot): Promise<void> {
  const pid = botNodePid(bot);
  process.kill(pid, "SIGKILL");
  try {
    process.kill(-(bot.child.pid as number), "SIGKILL");
  } catch {
    // The group may already be gone with its node process.
  }
  const started = Date.now();
  while (isAlive(pid) || (bot.child.exitCode === null && bot.child.signalCode === null)) {
    if (Date.now() - started > 10_000) throw new Error("the bot survived kill -9");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A TCP port of 127.0.0.1 that was free a moment ago, for the webhook server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Lines of the bot's stderr that are not JSON log lines, or are logs at error level or above, by event. */
export function troubleIn(stderr: string): { errorEvents: Record<string, number>; otherLines: string[] } {
  const errorEvents: Record<string, number> = {};
  const otherLines: string[] = [];
  for (const line of stderr.split("\n")) {
    if (line.trim() === "") continue;
    let parsed: { level?: unknown; event?: unknown } | null = null;
    try {
      parsed = JSON.parse(line) as { level?: unknown; event?: unknown };
    } catch {
      otherLines.push(line);
      continue;
    }
    if (typeof parsed.level === "number" && parsed.level >= 50) {
      const event = typeof parsed.event === "string" ? parsed.event : "(no event)";
      errorEvents[event] = (errorEvents[event] ?? 0) + 1;
    }
  }
  return { errorEvents, otherLines };
}

/** Words Node prints when a promise rejection or an exception reached the top of the process. */
export const CRASH_SIGNS = /unhandled ?rejection|uncaught ?exception|triggerUncaughtException|Unexpected error:/i;

export type { RunningBot };

/**
 * SIGTERM to the bot's node process alone, then waits for `npm start` to end; returns its exit
 * code, which npm passes on (0 after a clean shutdown). Signalling the group instead would
 * leave npm's own death by the signal as the only code to read.
 */
export async function stopNodeGracefully(bot: RunningBot, timeoutMs = 20_000): Promise<number | null> {
  const pid = botNodePid(bot);
  process.kill(pid, "SIGTERM");
  const started = Date.now();
  while (isAlive(pid) || (bot.child.exitCode === null && bot.child.signalCode === null)) {
    if (Date.now() - started > timeoutMs) {
      process.kill(-(bot.child.pid as number), "SIGKILL");
      throw new Error("the bot did not stop within the deadline after SIGTERM");
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return bot.child.exitCode;
}
