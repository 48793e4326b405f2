/**
 * The race of issue 14: the real bot as shipped (`npm start`'s command) against a peer written
 * with grammY's own toolkit (bench/peer), each in a process of its own over the same fake Bot API
 * on 127.0.0.1, users walking the same report in a closed loop: a line is sent when the whole
 * reply to the previous one has arrived.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FakeTelegramServer, type SentMessage } from "../../tests/support/fake-telegram-server.ts";
import { percentile } from "./percentile.ts";

/** One bot in the race: how to start it, given the fake's address and a fresh data directory. */
export interface RaceContestant {
  name: string;
  /** argv for spawn; run with the project root as working directory. */
  command: readonly string[];
  env: (fake: { token: string; apiRoot: string }, dataDir: string) => Record<string, string>;
}

/** What one contestant measured. */
export interface RaceResult {
  name: string;
  updatesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerUpdate: number;
  peakRssMb: number;
  startToFirstPollMs: number;
  /** Messages the bot sent in answer to each line of the walk (from the calibration walk). */
  repliesPerLine: number[];
  updates: number;
}

/** How the race is run. */
export interface RaceOptions {
  lines: readonly string[];
  users: number;
  /** Walks per user in the measured part. */
  rounds: number;
  warmupUsers: number;
  /** Progress lines (stderr in the CLI). */
  progress?: (text: string) => void;
}

const LINE_TIMEOUT_MS = 120_000;
const QUIET_MS = 400;

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** User plus system CPU of a process so far, from /proc (Linux), in ms. */
function cpuMsOf(pid: number, ticksPerSecond: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** The process's peak resident set so far (VmHWM), in MB. */
export function peakRssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Counts what each chat received and wakes whoever waits for a count. */
class ReplyTracker {
  readonly #counts = new Map<number, number>();
  readonly #waiters = new Map<number, { need: number; resolve: () => void }>();
  readonly #off: () => void;

  constructor(fake: FakeTelegramServer) {
    this.#off = fake.onSent((m: SentMessage) => {
      const n = (this.#counts.get(m.chatId) ?? 0) + 1;
      this.#counts.set(m.chatId, n);
      const waiter = this.#waiters.get(m.chatId);
      if (waiter && n >= waiter.need) {
        this.#waiters.delete(m.chatId);
        waiter.resolve();
      }
    });
  }

  count(chatId: number): number {
    return this.#counts.get(chatId) ?? 0;
  }

  /** Resolves once the chat has received `need` messages in all. */
  until(chatId: number, need: number, what: string): Promise<void> {
    if (this.count(chatId) >= need) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(chatId);
        reject(new Error(`race: ${what}: chat ${chatId} got ${this.count(chatId)} of ${need} messages`));
      }, LINE_TIMEOUT_MS);
      this.#waiters.set(chatId, {
        need,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  stop(): void {
    this.#off();
  }
}

/** A started contestant process, its stderr tail kept for error messages. */
class BotProcess {
  readonly child: ChildProcess;
  #stderr = "";
  #exited: Promise<number | null>;

  constructor(root: string, contestant: RaceContestant, env: Record<string, string>) {
    const [file, ...args] = contestant.command as [string, ...string[]];
    this.child = spawn(file, args, { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4000);
    });
    this.#exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`race: could not start: ${this.#stderr}`);
    return this.child.pid;
  }

  get stderrTail(): string {
    return this.#stderr;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    await this.#exited;
    clearTimeout(timer);
  }
}

async function firstPoll(fake: FakeTelegramServer, callsBefore: number, bot: BotProcess): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    for (let i = callsBefore; i < fake.calls.length; i++) {
      const call = fake.calls[i];
      if (call?.method === "getUpdates") return call.at;
    }
    if (bot.child.exitCode !== null) throw new Error(`race: the bot exited before polling:\n${bot.stderrTail}`);
    if (Date.now() > deadline) throw new Error(`race: no getUpdates within 60 s:\n${bot.stderrTail}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Walks one user through the lines, waiting for each whole reply; returns each line's latency. */
async function walk(
  fake: FakeTelegramServer,
  tracker: ReplyTracker,
  chatId: number,
  lines: readonly string[],
  repliesPerLine: readonly number[],
): Promise<number[]> {
  const latencies: number[] = [];
  let need = tracker.count(chatId);
  for (const [i, line] of lines.entries()) {
    need += repliesPerLine[i] as number;
    const sentAt = performance.now();
    fake.userText(chatId, line);
    await tracker.until(chatId, need, `line ${i + 1} "${line.slice(0, 20)}"`);
    latencies.push(performance.now() - sentAt);
  }
  return latencies;
}

/** One walk sent line by line with a quiet wait after each reply: how many messages each line gets. */
async function calibrate(fake: FakeTelegramServer, tracker: ReplyTracker, chatId: number, lines: readonly string[]) {
  const counts: number[] = [];
  for (const [i, line] of lines.entries()) {
    const before = tracker.count(chatId);
    fake.userText(chatId, line);
    await tracker.until(chatId, before + 1, `calibration line ${i + 1}`);
    let seen = tracker.count(chatId);
    for (;;) {
      await new Promise((r) => setTimeout(r, QUIET_MS));
      if (tracker.count(chatId) === seen) break;
      seen = tracker.count(chatId);
    }
    counts.push(seen - before);
  }
  return counts;
}

/** Races one contestant: start (twice: the first prepares its database), calibrate, warm up, measure. */
export async function raceContestant(
  root: string,
  contestant: RaceContestant,
  options: RaceOptions,
): Promise<RaceResult> {
  const say = options.progress ?? (() => {});
  const fake = await new FakeTelegramServer().start();
  fake.scaleLimits(1000);
  const dataDir = mkdtempSync(path.join(tmpdir(), `race-${contestant.name}-`));
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dataDir, ...contestant.env(fake, dataDir) };
  const tracker = new ReplyTracker(fake);
  const ticks = clockTicksPerSecond();
  let chat = 7_000_000;
  let bot: BotProcess | null = null;
  try {
    // The first start applies migrations and creates keys; start time is measured on the second.
    const preparing = new BotProcess(root, contestant, env);
    await firstPoll(fake, 0, preparing);
    await preparing.stop();
    const callsBefore = fake.calls.length;
    const spawnedAt = Date.now();
    bot = new BotProcess(root, contestant, env);
    const startToFirstPollMs = (await firstPoll(fake, callsBefore, bot)) - spawnedAt;
    say(`race ${contestant.name}: polling ${startToFirstPollMs} ms after start; calibrating replies per line`);
    const repliesPerLine = await calibrate(fake, tracker, chat++, options.lines);
    say(`race ${contestant.name}: ${options.warmupUsers} warm-up users`);
    await Promise.all(
      Array.from({ length: options.warmupUsers }, () => walk(fake, tracker, chat++, options.lines, repliesPerLine)),
    );
    say(`race ${contestant.name}: ${options.users} users x ${options.rounds} walks of ${options.lines.length} lines`);
    const cpuBefore = cpuMsOf(bot.pid, ticks);
    const started = performance.now();
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: options.users }, async () => {
        for (let r = 0; r < options.rounds; r++)
          latencies.push(...(await walk(fake, tracker, chat++, options.lines, repliesPerLine)));
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const cpuMs = cpuMsOf(bot.pid, ticks) - cpuBefore;
    const peakRssMb = peakRssMbOf(bot.pid);
    latencies.sort((a, b) => a - b);
    return {
      name: contestant.name,
      updatesPerSecond: latencies.length / elapsedS,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      cpuMsPerUpdate: cpuMs / latencies.length,
      peakRssMb,
      startToFirstPollMs,
      repliesPerLine,
      updates: latencies.length,
    };
  } finally {
    tracker.stop();
    await bot?.stop();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The real bot as `npm start` runs it: the start script's command, Telegram only, pacing scaled away. */
export function shippedBot(root: string): RaceContestant {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { start: string } };
  return {
    name: "ours",
    command: ["sh", "-c", pkg.scripts.start],
    env: (fake, dataDir) => ({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_LIMITS_SCALE: "1000",
      DATA_DIR: dataDir,
    }),
  };
}

/** The peer of bench/peer: grammY, conversations, runner with sequentialize, SQLite sessions. */
export function peerBot(): RaceContestant {
  return {
    name: "peer",
    command: [process.execPath, "bench/peer/peer-bot.mjs"],
    env: (fake, dataDir) => ({
      BOT_TOKEN: fake.token,
      API_ROOT: fake.apiRoot,
      DB_PATH: path.join(dataDir, "peer.db"),
    }),
  };
}

/** Both bots, one after the other on the same machine, with the figures the issue names. */
export async function raceTelegram(
  root: string,
  options: RaceOptions,
): Promise<Record<string, { value: number; unit: string }>> {
  const ours = await raceContestant(root, shippedBot(root), options);
  const peer = await raceContestant(root, peerBot(), options);
  const round = (n: number, digits = 1) => Number(n.toFixed(digits));
  return {
    race_ours_updates_per_s: { value: round(ours.updatesPerSecond), unit: "updates/s" },
    race_peer_updates_per_s: { value: round(peer.updatesPerSecond), unit: "updates/s" },
    race_throughput_ratio: {
      value: round(ours.updatesPerSecond / peer.updatesPerSecond, 3),
      unit: "ratio (target >= 1)",
    },
    race_ours_p50_ms: { value: round(ours.p50Ms), unit: "ms" },
    race_peer_p50_ms: { value: round(peer.p50Ms), unit: "ms" },
    race_ours_p99_ms: { value: round(ours.p99Ms), unit: "ms" },
    race_peer_p99_ms: { value: round(peer.p99Ms), unit: "ms" },
    race_ours_cpu_ms_per_update: { value: round(ours.cpuMsPerUpdate, 2), unit: "ms" },
    race_peer_cpu_ms_per_update: { value: round(peer.cpuMsPerUpdate, 2), unit: "ms" },
    race_cpu_ratio: { value: round(ours.cpuMsPerUpdate / peer.cpuMsPerUpdate, 3), unit: "ratio (target <= 1.2)" },
    race_ours_peak_rss_mb: { value: round(ours.peakRssMb), unit: "MB (target <= 200)" },
    race_peer_peak_rss_mb: { value: round(peer.peakRssMb), unit: "MB" },
    start_to_first_poll_ms: { value: ours.startToFirstPollMs, unit: "ms" },
    race_peer_start_to_first_poll_ms: { value: peer.startToFirstPollMs, unit: "ms" },
    race_start_ratio: {
      value: round(ours.startToFirstPollMs / peer.startToFirstPollMs, 2),
      unit: "ratio (target <= 3)",
    },
    race_updates: { value: ours.updates, unit: "updates per bot" },
  };
}
