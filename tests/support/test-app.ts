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
import type { Clock } from "../../src/services/clock.ts";

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  current: Date;
  constructor(start = new Date("2026-11-28T03:00:00Z")) {
    this.current = start;
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** The core on a real SQLite file in a temporary folder, with captured logs. */
export class TestApp {
  readonly logs: string[] = [];
  readonly sleeps: number[] = [];
  app!: App;
  readonly dir: string;
  readonly keys: KeyRing;
  readonly clock: ManualClock;
  readonly env: Record<string, string>;

  constructor(dir: string, keys: KeyRing, clock: ManualClock, env: Record<string, string>) {
    this.dir = dir;
    this.keys = keys;
    this.clock = clock;
    this.env = env;
  }

  /** Opens (or re-opens, after close) the app on the same database and keys. */
  async open(): Promise<this> {
    const config = loadConfig({
      DATA_DIR: this.dir,
      DATABASE_URL: `file:${path.join(this.dir, "bot.db")}`,
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

/** Starts a test app in a fresh temporary folder. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(path.join(tmpdir(), "tppo-test-"));
  return new TestApp(dir, ephemeralKeyRing(), new ManualClock(), env).open();
}

/** A whole Indonesian report from a fresh chat: urgent, family, a story and a contact number. */
export const REPORT_LINES = (story: string, phone: string) => [
  "halo",
  "lapor",
  "tidak",
  "2",
  "1",
  "1",
  "2",
  "1",
  "1",
  "jatim",
  "ya",
  "2",
  "1",
  "1",
  story,
  "2",
  phone,
  "1",
  "1",
];
