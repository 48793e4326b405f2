import type { ChannelAddress, ChannelKind, OutboundMessage } from "../../src/channels/types.ts";
import { type ChannelSender, SendError, type SendFailure, type SendLimits } from "../../src/outbox/channel-sender.ts";
import { type Clock, systemClock } from "../../src/services/clock.ts";

/** A sender that records sends (each at the moment it is asked, on its clock) and fails on demand. */
export class ScriptedSender implements ChannelSender {
  readonly channel: ChannelKind;
  readonly limits: SendLimits;
  readonly log: Array<{ address: string; text: string; at: number }> = [];
  readonly deleted: Array<{ address: string; ids: readonly string[]; at: number }> = [];
  readonly failures: SendFailure[] = [];
  inFlight = new Map<string, number>();
  maxInFlightPerChat = 0;
  #next = 1;

  readonly #clock: Clock;

  constructor(
    limits: SendLimits = { perSecond: 1000, perChatIntervalMs: 1, perGroupPerMinute: 1000 },
    clock: Clock = systemClock,
    channel: ChannelKind = "tg",
  ) {
    this.limits = limits;
    this.#clock = clock;
    this.channel = channel;
  }

  isGroup(address: ChannelAddress): boolean {
    return address.startsWith("tg:-") || address.endsWith("@g.us");
  }

  async send(address: ChannelAddress, message: OutboundMessage) {
    // The start of the send: the moment the platform is asked, which its limits count.
    const at = this.#clock.now().getTime();
    const n = (this.inFlight.get(address) ?? 0) + 1;
    this.inFlight.set(address, n);
    this.maxInFlightPerChat = Math.max(this.maxInFlightPerChat, n);
    try {
      await new Promise((r) => setTimeout(r, 2));
      const failure = this.failures.shift();
      if (failure) throw new SendError(failure);
      this.log.push({ address, text: message.text, at });
      return { platformMessageId: String(this.#next++) };
    } finally {
      this.inFlight.set(address, (this.inFlight.get(address) ?? 1) - 1);
    }
  }

  async deleteMessages(address: ChannelAddress, ids: readonly string[]) {
    this.deleted.push({ address, ids, at: this.#clock.now().getTime() });
  }
}
