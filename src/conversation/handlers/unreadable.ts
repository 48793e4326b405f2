import type { MessageHandler } from "./message-handler.ts";

/** Something the bot cannot read (an edit, a sticker, a file too large): say so and what to send instead. */
export const unreadableHandler: MessageHandler = {
  name: "unreadable",
  async handle(turn, input) {
    if (!input.unsupported) return false;
    turn.sayKey(`common:unsupported.${input.unsupported}`);
    return true;
  },
};
