import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { mapUpdate } from "../../src/channels/telegram/telegram-updates.ts";

const now = new Date("2026-11-28T10:00:00Z");

describe("Telegram updates", () => {
  it("carry the id of the bot's message a reply quotes, so a number acts on that card", () => {
    const update = {
      update_id: 7,
      message: {
        message_id: 31,
        date: 1795880000,
        chat: { id: -1001234, type: "supergroup", title: "UPTD PPA" },
        from: { id: 42, is_bot: false, first_name: "Ani" },
        text: "1",
        reply_to_message: {
          message_id: 29,
          date: 1795879000,
          chat: { id: -1001234, type: "supergroup", title: "UPTD PPA" },
          from: { id: 999, is_bot: true, first_name: "Bot" },
          text: "Laporan baru masuk",
        },
      },
    } as unknown as Update;
    expect(mapUpdate(update, now)?.message).toMatchObject({
      address: "tg:-1001234",
      sender: "tg:42",
      text: "1",
      replyTo: "29",
    });
    const plain = { ...update, message: { ...update.message, reply_to_message: undefined } } as unknown as Update;
    expect(mapUpdate(plain, now)?.message.replyTo).toBeUndefined();
  });
});
