import type { MessageHandler } from "./message-handler.ts";

/** Third, in a group: nothing else is for the bot there; it is conversation between people. */
export const groupChatterHandler: MessageHandler = {
  name: "group-chatter",
  async handle(turn) {
    if (!turn.ctx.inGroup) return false;
    turn.suppressMenu = true;
    return true;
  },
};
