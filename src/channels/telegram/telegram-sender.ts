import { type Api, GrammyError, HttpError } from "grammy";
import { type ChannelSender, SendError, type SendLimits } from "../../outbox/channel-sender.ts";
import { splitAtLineBreaks } from "../split-text.ts";
import type { ChannelAddress, OutboundMessage } from "../types.ts";

/** Telegram's documented limits; the dispatcher keeps a margin inside each (SEND_WINDOW_MARGIN_MS). */
export const TELEGRAM_LIMITS: SendLimits = {
  perSecond: 30,
  perChatIntervalMs: 1000,
  perGroupPerMinute: 20,
};

const MAX_TEXT = 4096;

/**
 * Telegram's limits multiplied by a scale (TELEGRAM_LIMITS_SCALE): more per second and per
 * group, a shorter per-chat interval. Only drills against a fake Bot API raise it, to run in minutes.
 */
export function scaleLimits(limits: SendLimits, scale: number): SendLimits {
  if (!(scale > 0)) throw new RangeError("the limits scale must be positive");
  return {
    perSecond: limits.perSecond * scale,
    // The dispatcher's jitter margin is added after scaling: 1,000 ms at ×10 is 100 + 50 ms.
    perChatIntervalMs: limits.perChatIntervalMs / scale,
    // The group window counts whole messages.
    perGroupPerMinute: Math.max(1, Math.floor(limits.perGroupPerMinute * scale)),
  };
}

/** The Telegram chat id of a "tg:<id>" address. */
export function chatIdOf(address: ChannelAddress): number {
  const id = Number(address.slice(3));
  if (!address.startsWith("tg:") || !Number.isSafeInteger(id))
    throw new SendError({ kind: "rejected", detail: "not a Telegram address" });
  return id;
}

/** Splits text over Telegram's 4,096-character limit at line breaks where possible. */
export function splitText(text: string): string[] {
  return splitAtLineBreaks(text, MAX_TEXT);
}

/** Maps a Bot API failure to what the dispatcher does about it (the core never reads platform text). */
export function mapTelegramError(error: unknown): SendError {
  if (error instanceof GrammyError) {
    if (error.error_code === 429) {
      return new SendError({ kind: "retry_after", ms: ((error.parameters.retry_after ?? 1) * 1000) | 0 });
    }
    if (error.error_code === 403) return new SendError({ kind: "stopped", detail: "forbidden" });
    if (error.error_code >= 500) return new SendError({ kind: "transient", detail: `http ${error.error_code}` });
    return new SendError({ kind: "rejected", detail: `http ${error.error_code}` });
  }
  if (error instanceof HttpError) return new SendError({ kind: "transient", detail: "network" });
  return new SendError({ kind: "transient", detail: error instanceof Error ? error.name : "unknown" });
}

/**
 * Sends outbox messages with the Bot API: choices become an inline keyboard (one button a row,
 * the choice id as callback data). The Api given here must not retry on its own: the
 * dispatcher owns retries and rate limits.
 */
export class TelegramSender implements ChannelSender {
  readonly channel = "tg" as const;
  readonly limits: SendLimits;
  readonly #api: Api;

  constructor(api: Api, options: { limitsScale?: number } = {}) {
    this.#api = api;
    this.limits = scaleLimits(TELEGRAM_LIMITS, options.limitsScale ?? 1);
  }

  isGroup(address: ChannelAddress): boolean {
    return chatIdOf(address) < 0;
  }

  async send(address: ChannelAddress, message: OutboundMessage): Promise<{ platformMessageId: string | null }> {
    const chatId = chatIdOf(address);
    const parts = splitText(message.text || " ");
    let last: number | null = null;
    try {
      for (const [i, part] of parts.entries()) {
        const isLast = i === parts.length - 1;
        const sent = await this.#api.sendMessage(chatId, part, {
          link_preview_options: { is_disabled: true },
          ...(isLast && message.choices && message.choices.length > 0
            ? {
                reply_markup: { inline_keyboard: message.choices.map((c) => [{ text: c.label, callback_data: c.id }]) },
              }
            : {}),
        });
        last = sent.message_id;
      }
    } catch (error) {
      throw mapTelegramError(error);
    }
    return { platformMessageId: last === null ? null : String(last) };
  }

  async deleteMessages(address: ChannelAddress, platformMessageIds: readonly string[]): Promise<void> {
    const chatId = chatIdOf(address);
    const ids = platformMessageIds.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
    for (let i = 0; i < ids.length; i += 100) {
      try {
        await this.#api.deleteMessages(chatId, ids.slice(i, i + 100));
      } catch (error) {
        // Messages older than 48 hours cannot be deleted; the person is told how to clear them.
        const mapped = mapTelegramError(error);
        if (mapped.failure.kind !== "rejected") throw mapped;
      }
    }
  }
}
