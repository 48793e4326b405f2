import type { MessageHandler } from "./message-handler.ts";
import { bareNumber } from "./message-handler.ts";

/**
 * Fifth, for staff in their own chat between flows: words that are no command ("tutup",
 * "terima") are never guessed at; the staff member is shown how to say it instead. Numbers go on
 * to the flow (the menu), so staff can still report or check a status like anyone.
 */
export const staffHintHandler: MessageHandler = {
  name: "staff-hint",
  async handle(turn, input) {
    const staff = turn.ctx.staff;
    if (!staff?.active || turn.ctx.inGroup || turn.doc.state.flow !== "idle") return false;
    if (input.text === undefined || input.choiceId !== undefined || bareNumber(input.text) !== null) return false;
    turn.suppressMenu = true;
    turn.sayKey("staff:hint");
    return true;
  },
};
