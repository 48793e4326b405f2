import { type ChannelSender, SendError, type SendLimits } from "../../outbox/channel-sender.ts";
import { splitAtLineBreaks } from "../split-text.ts";
import type { ChannelAddress, OutboundMessage } from "../types.ts";
import { isGroupJid, jidOfAddress } from "./whatsapp-jids.ts";
import type { WhatsAppSocket } from "./whatsapp-socket.ts";

/** How fast the bot writes on WhatsApp, where a number that sends like a machine gets banned. */
export interface WhatsAppPacing {
  /** Messages per minute across all chats; sends are spaced evenly (20 a minute: one every 3 s). */
  maxPerMinute: number;
  /** Minimum milliseconds between two messages to one private chat. */
  chatIntervalMs: number;
  /** Messages per minute to one group. */
  groupPerMinute: number;
  /** How long "typing…" shows before each message. */
  typingMs: number;
}

/** Conservative defaults, well below the rates that get numbers banned. */
export const DEFAULT_PACING: WhatsAppPacing = {
  maxPerMinute: 20,
  chatIntervalMs: 3000,
  groupPerMinute: 10,
  typingMs: 1000,
};

/**
 * WhatsApp lets a sender delete a message for everyone for about 60 hours (2 days and 12
 * hours); an hour less leaves room for clock drift between the bot and WhatsApp.
 */
export const DELETE_FOR_EVERYONE_MS = 59 * 60 * 60_000;

/** How long the dispatcher waits when the socket is not connected (reconnecting, or stopped). */
const NOT_CONNECTED_RETRY_MS = 5000;
/** WhatsApp allows 65,536 characters a message. */
const MAX_TEXT = 65_000;

/**
 * The dispatcher's limits for a pacing: it spaces sends evenly, so 20 a minute is one every 3 s.
 * The sender keeps the same spacing for every single WhatsApp message it sends (long texts in
 * parts, one revocation per deleted message), which the dispatcher counts as one delivery.
 */
export function limitsFor(pacing: WhatsAppPacing): SendLimits {
  return {
    perSecond: pacing.maxPerMinute / 60,
    perChatIntervalMs: pacing.chatIntervalMs,
    perGroupPerMinute: Math.min(pacing.groupPerMinute, pacing.maxPerMinute),
  };
}

/** A message as WhatsApp shows it: the text, then each choice on its own line as "1) Label". */
export function renderText(message: OutboundMessage): string {
  const choices = message.choices ?? [];
  if (choices.length === 0) return message.text;
  return `${message.text}\n\n${choices.map((c, i) => `${i + 1}) ${c.label}`).join("\n")}`;
}

/** Splits text over WhatsApp's limit at line breaks where possible. */
export function splitText(text: string): string[] {
  return splitAtLineBreaks(text, MAX_TEXT);
}

/**
 * The platform id kept for a sent message: "o:<sent at, unix seconds>:<key id>". The prefix
 * marks the bot's own messages (the only ones it may delete) and the time says whether
 * WhatsApp still allows deleting it.
 */
export function ownMessageId(keyId: string, sentAt: Date): string {
  return `o:${Math.floor(sentAt.getTime() / 1000)}:${keyId}`;
}

/** Reads an id written by ownMessageId; null for anything else (a person's message). */
export function parseOwnMessageId(id: string): { keyId: string; sentAt: Date } | null {
  const match = /^o:(\d{1,12}):(.{1,128})$/.exec(id);
  if (!match) return null;
  return { sentAt: new Date(Number(match[1]) * 1000), keyId: match[2] as string };
}

/** The status code of a Baileys error (a Boom), if it has one. */
export function statusCodeOf(error: unknown): number | undefined {
  if (!error || typeof error !== "object") return undefined;
  const code = (error as { output?: { statusCode?: unknown } }).output?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/** Maps a socket failure to what the dispatcher does about it (the core never reads platform text). */
export function mapWhatsAppError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const code = statusCodeOf(error);
  if (code === 429) return new SendError({ kind: "retry_after", ms: 60_000 });
  // Removed from a group, or not allowed to write there: nothing will reach that chat.
  if (code === 403) return new SendError({ kind: "stopped", detail: "forbidden" });
  if (code === 400 || code === 404 || code === 406)
    return new SendError({ kind: "rejected", detail: `status ${code}` });
  if (code !== undefined) return new SendError({ kind: "transient", detail: `status ${code}` });
  return new SendError({ kind: "transient", detail: error instanceof Error ? error.name : "unknown" });
}

/** Time and waiting for the sender; injectable so tests need not wait. */
export interface SenderTiming {
  now(): number;
  /** Waits, or returns early when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

const realTiming: SenderTiming = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    }),
};

/**
 * Sends outbox messages over the current socket, driven by the OutboxDispatcher (which keeps
 * per-chat order, per-chat and per-group limits and retries). On top it spaces all sends evenly
 * (at most maxPerMinute), shows "typing…" briefly before each message, renders choices as a
 * numbered list, and deletes for everyone only the bot's own messages still inside WhatsApp's
 * window.
 */
export class WhatsAppSender implements ChannelSender {
  readonly channel = "wa" as const;
  readonly limits: SendLimits;
  readonly #socket: () => WhatsAppSocket | null;
  readonly #pacing: WhatsAppPacing;
  readonly #timing: SenderTiming;
  readonly #closing = new AbortController();
  #nextSlot = 0;

  constructor(socket: () => WhatsAppSocket | null, pacing: WhatsAppPacing, timing: SenderTiming = realTiming) {
    this.#socket = socket;
    this.#pacing = pacing;
    this.#timing = timing;
    this.limits = limitsFor(pacing);
  }

  isGroup(address: ChannelAddress): boolean {
    return isGroupJid(jidOfAddress(address));
  }

  /** Refuses new sends and ends the waits of paced ones, so that shutdown is quick; they stay in the outbox. */
  close(): void {
    this.#closing.abort();
  }

  async #sleep(ms: number): Promise<void> {
    await this.#timing.sleep(ms, this.#closing.signal);
    if (this.#closing.signal.aborted) throw new SendError({ kind: "transient", detail: "shutting down" });
  }

  /** Waits for this send's turn: sends across all chats are spaced 60 s / maxPerMinute apart. */
  async #turn(): Promise<void> {
    const now = this.#timing.now();
    const at = Math.max(now, this.#nextSlot);
    this.#nextSlot = at + Math.ceil(60_000 / this.#pacing.maxPerMinute);
    if (at > now) await this.#sleep(at - now);
  }

  #connected(): WhatsAppSocket {
    const socket = this.#closing.signal.aborted ? null : this.#socket();
    if (!socket) throw new SendError({ kind: "retry_after", ms: NOT_CONNECTED_RETRY_MS });
    return socket;
  }

  async send(address: ChannelAddress, message: OutboundMessage): Promise<{ platformMessageId: string | null }> {
    const jid = jidOfAddress(address);
    const typing = this.#pacing.typingMs > 0;
    if (typing) {
      // Cosmetic: a failed presence update must not cost the message.
      await this.#connected()
        .sendPresenceUpdate("composing", jid)
        .catch(() => {});
      await this.#sleep(this.#pacing.typingMs);
    }
    // The pace holds for the messages themselves: the slot is taken right before they go, so a
    // late wake-up from "typing…" on a busy machine cannot bring two messages closer together.
    this.#connected();
    await this.#turn();
    const socket = this.#connected();
    let last: string | null = null;
    try {
      for (const part of splitText(renderText(message) || " ")) {
        const sent = await socket.sendMessage(jid, { text: part });
        last = sent?.key?.id ?? null;
      }
    } catch (error) {
      throw mapWhatsAppError(error);
    } finally {
      if (typing) await socket.sendPresenceUpdate("paused", jid).catch(() => {});
    }
    return { platformMessageId: last ? ownMessageId(last, new Date(this.#timing.now())) : null };
  }

  async deleteMessages(address: ChannelAddress, platformMessageIds: readonly string[]): Promise<void> {
    const jid = jidOfAddress(address);
    const now = this.#timing.now();
    const own = platformMessageIds
      .map(parseOwnMessageId)
      .filter((m) => m !== null && now - m.sentAt.getTime() < DELETE_FOR_EVERYONE_MS) as Array<{ keyId: string }>;
    for (const { keyId } of own) {
      this.#connected();
      await this.#turn();
      try {
        await this.#connected().sendMessage(jid, { delete: { remoteJid: jid, fromMe: true, id: keyId } });
      } catch (error) {
        // One message WhatsApp refuses to delete must not keep the others; the person is told how to clear them.
        const mapped = mapWhatsAppError(error);
        if (mapped.failure.kind !== "rejected") throw mapped;
      }
    }
  }
}
