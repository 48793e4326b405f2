import { askToConfirm, needsConfirmation, readConfirmation } from "../command-confirmation.ts";
import { type Command, destructiveKind, readCommand } from "../commands.ts";
import { startIntake } from "../intake.ts";
import { type MenuAction, matchLanguage, sayEmergency } from "../menu.ts";
import { offerErasure, startPrivacy } from "../privacy.ts";
import { answerQuestion } from "../questions.ts";
import { startStatus } from "../status-check.ts";
import type { Turn } from "../turn.ts";
import type { MessageHandler } from "./message-handler.ts";

/**
 * Fourth: the answer to "which language?", then the answer to "really delete / cancel?", then the
 * commands that work at any step in either language (lapor, status, bantuan, batal, bahasa, hapus,
 * privasi, pin hilang), read through the understanding module.
 */
export const globalCommandHandler: MessageHandler = {
  name: "global-command",
  async handle(turn, input) {
    if (turn.doc.askingLanguage) {
      turn.doc.askingLanguage = false;
      const language = matchLanguage(turn, input);
      if (language) {
        turn.setLanguage(language);
        turn.sayKey("common:language.changed");
        return true;
      }
    }
    const confirming = turn.doc.confirmingCommand;
    if (confirming) {
      delete turn.doc.confirmingCommand;
      const answer = readConfirmation(turn, input);
      if (answer === "yes") {
        await runCommand(turn, { kind: confirming });
        return true;
      }
      if (answer === "no") {
        turn.sayKey("common:confirmCommand.kept");
        return true;
      }
      // Anything else is read as if the question had not been asked.
    }
    const read =
      input.text !== undefined && input.choiceId === undefined ? readCommand(input.text, turn.allLanguages) : null;
    if (!read) return false;
    // "hapus aja" reached only through normalisation asks first; the exact command acts at once.
    const destructive = destructiveKind(read.command);
    if (destructive && !read.exact && needsConfirmation(destructive, turn.doc.state.flow))
      askToConfirm(turn, destructive);
    else await runCommand(turn, read.command);
    return true;
  },
};

/** Runs a menu entry as the command it stands for. */
export async function runMenuAction(turn: Turn, action: MenuAction): Promise<void> {
  const commands: Record<MenuAction, Command> = {
    report: { kind: "report" },
    status: { kind: "status" },
    mine: { kind: "myReports" },
    emergency: { kind: "emergency" },
    language: { kind: "language" },
    delete: { kind: "delete" },
    help: { kind: "help" },
    privacy: { kind: "privacy" },
  };
  await runCommand(turn, commands[action]);
}

/** Runs one global command in the current flow. */
export async function runCommand(turn: Turn, command: Command): Promise<void> {
  const flow = turn.doc.state.flow;
  switch (command.kind) {
    case "help":
      // In a staff member's own chat, help is about their work; the reporter's menu still works.
      if (turn.ctx.staff?.active && !turn.ctx.inGroup) {
        turn.suppressMenu = true;
        turn.sayKey(turn.ctx.staff.role === "PARTNER" ? "staff:referral.help" : "staff:help");
      } else turn.sayKey("common:help");
      return;
    case "emergency":
      sayEmergency(turn);
      return;
    case "language":
      turn.doc.askingLanguage = true;
      return;
    case "setLanguage":
      turn.setLanguage(command.language);
      turn.sayKey("common:language.changed");
      return;
    case "delete":
      turn.setState({ flow: "idle" });
      turn.effects.push({ type: "forgetChat" });
      turn.sayKey("common:deleted");
      // Contact details on sent reports go only when the person says so.
      await offerErasure(turn);
      return;
    case "privacy":
      if (flow === "intake") {
        // Mid-report the person wants to know who sees it; the settings come after sending.
        answerQuestion(turn, "privacy");
        turn.sayKey("common:faq.privacySettings");
      } else await startPrivacy(turn);
      return;
    case "lostPin":
      if (flow === "intake") {
        turn.sayKey("intake:finishFirst");
        return;
      }
      turn.sayKey(
        (await turn.ctx.desk.requestNewPin(turn.ctx.identityId)) === "requested"
          ? "privacy:pinRequested"
          : "privacy:pinRequestNoReports",
      );
      turn.setState({ flow: "idle" });
      return;
    case "cancel":
      if (flow === "intake") turn.sayKey("intake:cancelled");
      else if (flow === "status") turn.sayKey("common:stopped");
      else turn.sayKey("common:nothingToCancel");
      turn.setState({ flow: "idle" });
      return;
    case "menu":
      // A long report must not be lost to a stray "menu": say how to stop instead.
      if (flow === "intake") turn.sayKey("intake:menuDuringReport");
      else turn.setState({ flow: "idle" });
      return;
    case "report":
      if (flow === "intake") turn.sayKey("intake:alreadyInProgress");
      else await startIntake(turn);
      return;
    case "status":
    case "myReports":
      if (flow === "intake") {
        turn.sayKey("intake:finishFirst");
        return;
      }
      await startStatus(turn, {
        ...(command.kind === "status" && command.reference ? { reference: command.reference } : {}),
        ...(command.kind === "status" && command.pin ? { pin: command.pin } : {}),
        mine: command.kind === "myReports",
      });
      return;
  }
}
