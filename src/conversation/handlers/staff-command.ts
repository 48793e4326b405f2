import { dateFormat } from "../../text/date-format.ts";
import { runStaffCommand } from "../staff.ts";
import { detectStaffCommand } from "../staff-commands.ts";
import type { MessageHandler } from "./message-handler.ts";

/** Today's date in Indonesia's western zone, for services typed as "hari ini" or "30/11". */
function today(now: Date): string {
  return dateFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(now);
}

/**
 * First: a staff command ("/kasus", "/terima K7QM-4TZP-9XWR", a bare "/terima"). Staff commands
 * need the slash, so nothing a reporter types is read as one; and they come before any reply to
 * a card, so "/kasus" can never be taken for a card's "Tutup kasus".
 */
export const staffCommandHandler: MessageHandler = {
  name: "staff-command",
  async handle(turn, input) {
    if (input.text === undefined || input.choiceId !== undefined) return false;
    const command = detectStaffCommand(input.text, turn.allLanguages, today(turn.ctx.now));
    if (!command) return false;
    const quoted =
      command.kind === "caseless" && input.replyTo && turn.ctx.staff?.active
        ? await turn.ctx.staffDesk.quotedCard(turn.ctx.identityId, input.replyTo)
        : null;
    await runStaffCommand(turn, command, quoted);
    return true;
  },
};
