import type { ChannelAddress, ChannelKind, OutboundMessage } from "../channels/types.ts";

/** Why a send failed, as a channel adapter maps its platform's errors (the core never parses platform text). */
export type SendFailure =
  /** The platform asked us to wait this long before sending again (Telegram 429 retry_after). */
  | { kind: "retry_after"; ms: number }
  /** Worth retrying later: a 5xx, a timeout, a network error. */
  | { kind: "transient"; detail: string }
  /** The person blocked the bot or left the chat: nothing will reach them. */
  | { kind: "stopped"; detail: string }
  /** The platform refused this message and always will (a 400): give up on it, not the chat. */
  | { kind: "rejected"; detail: string };

/** The error a ChannelSender throws; carries the mapped failure. */
export class SendError extends Error {
  override name = "SendError";
  readonly failure: SendFailure;

  constructor(failure: SendFailure) {
    super(`${failure.kind}${"detail" in failure ? `: ${failure.detail}` : `: ${failure.ms} ms`}`);
    this.failure = failure;
  }
}

/** A platform's sending limits (DESIGN §6), applied by the dispatcher. */
export interface SendLimits {
  /** Messages per second across all chats. */
  perSecond: number;
  /** Minimum milliseconds between two messages to one private chat. */
  perChatIntervalMs: number;
  /** Messages per minute to one group chat. */
  perGroupPerMinute: number;
}

/** What to do for one outbox message: send it, or delete recent messages ("hapus"). */
export type Delivery = { kind: "message"; message: OutboundMessage } | { kind: "delete"; platformMessageIds: string[] };

/** One channel's outbound side: the only place that talks to the platform's send API. */
export interface ChannelSender {
  readonly channel: ChannelKind;
  readonly limits: SendLimits;
  /** True when the address is a group chat (group limits apply). */
  isGroup(address: ChannelAddress): boolean;
  /** Sends one message; returns the platform's message id. Throws SendError. */
  send(address: ChannelAddress, message: OutboundMessage): Promise<{ platformMessageId: string | null }>;
  /** Deletes messages the platform still allows deleting; never throws for ones it does not. */
  deleteMessages(address: ChannelAddress, platformMessageIds: readonly string[]): Promise<void>;
}
