import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { type App, createApp } from "../../src/app.ts";
import type { ChannelAddress, OutboundMessage } from "../../src/channels/types.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { ephemeralKeyRing, type KeyRing } from "../../src/security/key-ring.ts";
import type { Clock, Timers } from "../../src/services/clock.ts";
import { createTestDatabase, ON_POSTGRES } from "./postgres.ts";

/** Which database a test app runs on; PostgreSQL needs TEST_DATABASE_URL. */
export type TestProvider = "sqlite" | "postgres";

/** The provider of this run: PostgreSQL under TEST_PROVIDER=postgres (npm run test:postgres), else SQLite. */
export const TEST_PROVIDER: TestProvider = ON_POSTGRES ? "postgres" : "sqlite";

/**
 * A clock (and timers) the test moves by hand: a component's promises about time (limits,
 * intervals, order) are checked on its own clock, however busy the machine is.
 */
export class ManualClock implements Clock, Timers {
  current: Date;
  #serial = 0;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start = new Date("2026-11-28T03:00:00Z")) {
    this.current = start;
  }
  now(): Date {
    return new Date(this.current);
  }
  /** Moves time forward without firing timers (what happens meanwhile elsewhere). */
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(ms: number, callback: () => void): () => void {
    const id = ++this.#serial;
    this.#timers.set(id, { at: this.current.getTime() + Math.max(0, ms), callback });
    return () => this.#timers.delete(id);
  }
  /** How many timers wait to fire. */
  get pendingTimers(): number {
    return this.#timers.size;
  }
  /** Moves time to the earliest timer (never backwards) and fires it; false when none waits. */
  fireNext(): boolean {
    let next: [number, { at: number; callback: () => void }] | undefined;
    for (const entry of this.#timers) if (!next || entry[1].at < next[1].at) next = entry;
    if (!next) return false;
    this.#timers.delete(next[0]);
    if (next[1].at > this.current.getTime()) this.current = new Date(next[1].at);
    next[1].callback();
    return true;
  }
}

/** The PostgreSQL database of each test folder, so that `new TestApp(t.dir, ...)` re-opens t's data. */
const databaseOfFolder = new Map<string, string>();

/**
 * The core on a real database with captured logs: a SQLite file in a temporary folder, or on
 * the PostgreSQL run a fresh database of its own (the folder still holds nothing else).
 */
export class TestApp {
  readonly logs: string[] = [];
  readonly sleeps: number[] = [];
  app!: App;
  readonly dir: string;
  readonly keys: KeyRing;
  readonly clock: ManualClock;
  readonly env: Record<string, string>;
  /** The DATABASE_URL the app opens: file:<dir>/bot.db, or a postgresql:// URL. */
  readonly databaseUrl: string;

  constructor(dir: string, keys: KeyRing, clock: ManualClock, env: Record<string, string>, databaseUrl?: string) {
    this.dir = dir;
    this.keys = keys;
    this.clock = clock;
    this.env = env;
    this.databaseUrl = databaseUrl ?? databaseOfFolder.get(dir) ?? `file:${path.join(dir, "bot.db")}`;
    if (databaseUrl && !databaseUrl.startsWith("file:")) databaseOfFolder.set(dir, databaseUrl);
  }

  /** The database engine under this app. */
  get provider(): TestProvider {
    return this.databaseUrl.startsWith("file:") ? "sqlite" : "postgres";
  }

  /** Opens (or re-opens, after close) the app on the same database and keys. */
  async open(): Promise<this> {
    const config = loadConfig({
      DATA_DIR: this.dir,
      DATABASE_URL: this.databaseUrl,
      ...this.env,
    });
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        this.logs.push(String(chunk));
        done();
      },
    });
    this.app = await createApp(config, createLogger("trace", sink), {
      keys: this.keys,
      clock: this.clock,
      sleep: async (ms) => {
        this.sleeps.push(ms);
      },
      strictLocales: true,
    });
    return this;
  }

  /** Sends a line as a person and returns what the bot sent back (marking it delivered). */
  async send(user: string, text: string, messageId: string = randomUUID()): Promise<OutboundMessage[]> {
    const address = `term:${user}` as ChannelAddress;
    await this.app.conversation.handle({ address, messageId, receivedAt: this.clock.now(), text });
    this.clock.advance(1000);
    return this.deliver(user);
  }

  /** Sends several lines and returns the replies to the last. */
  async sendAll(user: string, ...lines: string[]): Promise<OutboundMessage[]> {
    let replies: OutboundMessage[] = [];
    for (const line of lines) replies = await this.send(user, line);
    return replies;
  }

  /** Takes everything pending for a user, as the terminal does. */
  async deliver(user: string): Promise<OutboundMessage[]> {
    const identity = await this.app.identities.resolve(`term:${user}`, this.clock.now());
    const pending = await this.app.outbox.pending({ identityId: identity.id });
    await this.app.outbox.markSent(
      pending.map((p) => p.id),
      this.clock.now(),
    );
    return pending.map((p) => p.message);
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/**
 * Starts a test app in a fresh temporary folder, on a fresh database of the run's provider
 * (or of the one asked for).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  provider: TestProvider = TEST_PROVIDER,
): Promise<TestApp> {
  const dir = mkdtempSync(path.join(tmpdir(), "tppo-test-"));
  const databaseUrl = provider === "postgres" ? await createTestDatabase() : undefined;
  return new TestApp(dir, ephemeralKeyRing(), new ManualClock(), env, databaseUrl).open();
}

export { REPORT_LINES } from "./report-lines.ts";
