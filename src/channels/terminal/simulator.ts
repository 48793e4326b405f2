import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { App } from "../../app.ts";
import type { Identity } from "../../db/identity-store.ts";
import type { Language } from "../../domain/language.ts";
import type { InboundMessage, OutboundMessage } from "../types.ts";

/** How the simulator runs: who is talking, and where input and output go. */
export interface SimulatorOptions {
  user: string;
  language?: Language;
  input: Readable;
  output: Writable;
  /** On a TTY the simulator also shows messages that arrive while it waits for input. */
  interactive: boolean;
  /** Where the interactive prompt and the echo of typed input go (stderr, so stdout stays the bot's). */
  promptOutput?: Writable;
  pollMs?: number;
  /** A line printed above every message (the training mode's "MODE LATIHAN"). */
  banner?: string;
  /**
   * Reads a typed line before the bot does: the text it returns is printed instead of handing the
   * line on (the training mode's own commands); null hands it on.
   */
  intercept?: (line: string) => Promise<string | null>;
}

/** Thrown when a simulator user name cannot be a chat identity. */
export class SimulatorUsageError extends Error {
  override name = "SimulatorUsageError";
}

/**
 * Formats a bot message as the simulator prints it: text, numbered choices, one empty line.
 * Paragraph breaks inside a message are folded so that an empty line always ends a message.
 */
export function formatMessage(message: OutboundMessage, banner?: string): string {
  const text = message.text.replace(/\n[ \t]*(?:\n[ \t]*)+/g, "\n").trimEnd();
  const lines = [
    ...(banner ? [banner] : []),
    text,
    ...(message.choices ?? []).map((choice, i) => `  ${i + 1}) ${choice.label}`),
  ];
  return `${lines.join("\n")}\n\n`;
}

const LOCATION = /^\/loc\s+(-?\d+(?:\.\d+)?)\s*[, ]\s*(-?\d+(?:\.\d+)?)\s*$/i;

/** Reads one typed line as an inbound message; "/loc <lat> <lon>" shares a location pin. */
export function lineToInbound(
  line: string,
  address: `term:${string}`,
  language: Language | undefined,
  now: Date,
): InboundMessage {
  const base = {
    address,
    messageId: randomUUID(),
    receivedAt: now,
    ...(language ? { languageHint: language } : {}),
  };
  const pin = LOCATION.exec(line.trim());
  if (pin) {
    const latitude = Number(pin[1]);
    const longitude = Number(pin[2]);
    if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) return { ...base, location: { latitude, longitude } };
  }
  return { ...base, text: line };
}

/**
 * The terminal channel: the same engine as Telegram and WhatsApp, talking as `term:<user>`.
 * Stdout carries only what the bot says; logs go to stderr.
 */
export async function runSimulator(app: App, options: SimulatorOptions): Promise<void> {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(options.user)) {
    throw new SimulatorUsageError("--user: expected 1 to 64 letters, digits, dots, dashes or underscores");
  }
  const address = `term:${options.user}` as const;
  const identity = await app.identities.resolve(address, app.clock.now());
  const printer = new PendingPrinter(app, identity, options.output, options.banner);
  await printer.flush();

  const interactive = options.interactive && options.promptOutput !== undefined;
  const lines = createInterface({
    input: options.input,
    ...(interactive ? { output: options.promptOutput, terminal: true, prompt: "> " } : { terminal: false }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let poll: NodeJS.Timeout | undefined;
  if (options.interactive) {
    poll = setInterval(() => void printer.flush(), options.pollMs ?? 1000);
    poll.unref();
  }
  if (interactive) lines.prompt();
  try {
    for await (const line of lines) {
      let own: string | null = null;
      let failed = false;
      try {
        own = line.trim() !== "" && options.intercept ? await options.intercept(line) : null;
      } catch (error) {
        // The line was the mode's own command: it is not passed on to the bot as a message.
        failed = true;
        app.logger.error({ event: "simulator.intercept_failed", identityId: identity.id, err: error });
      }
      if (failed) {
        await printer.flush();
      } else if (own !== null) {
        await printer.flush();
        await write(options.output, formatMessage({ text: own }, options.banner));
      } else if (line.trim() !== "") {
        try {
          await app.conversation.handle(lineToInbound(line, address, options.language, app.clock.now()));
        } catch (error) {
          app.logger.error({ event: "simulator.handle_failed", identityId: identity.id, err: error });
        }
        await printer.flush();
      }
      if (interactive) lines.prompt();
    }
  } finally {
    if (poll) clearInterval(poll);
    await printer.flush();
  }
}

/** Prints an identity's pending outbox messages in order, marking each sent after it is written. */
class PendingPrinter {
  readonly #app: App;
  readonly #identity: Identity;
  readonly #output: Writable;
  readonly #banner: string | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(app: App, identity: Identity, output: Writable, banner: string | undefined) {
    this.#app = app;
    this.#identity = identity;
    this.#output = output;
    this.#banner = banner;
  }

  /** Prints everything waiting; concurrent calls run one after another. */
  flush(): Promise<void> {
    this.#running = this.#running
      .then(() => this.#flushOnce())
      .catch((error: unknown) => {
        this.#app.logger.error({ event: "simulator.flush_failed", identityId: this.#identity.id, err: error });
      });
    return this.#running;
  }

  async #flushOnce(): Promise<void> {
    const { outbox, clock } = this.#app;
    for (;;) {
      const pending = await outbox.pending({ identityId: this.#identity.id });
      if (pending.length === 0) return;
      for (const item of pending) {
        await write(this.#output, formatMessage(item.message, this.#banner));
        // Marked sent only after it was written: a crash here repeats a message, never loses one.
        await outbox.markSent([item.id], clock.now());
      }
    }
  }
}

function write(output: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    output.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
