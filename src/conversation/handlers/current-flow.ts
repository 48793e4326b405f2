import type { UserInput } from "../choices.ts";
import { continueIntake } from "../intake.ts";
import { matchMenu } from "../menu.ts";
import { answerOutsideFlow } from "../outside-flow.ts";
import { continuePrivacy } from "../privacy.ts";
import { continueStatus } from "../status-check.ts";
import type { Turn } from "../turn.ts";
import { runCommand, runMenuAction } from "./global-command.ts";
import type { MessageHandler } from "./message-handler.ts";

/** A message from a reporter outside any flow goes to the office handling their open case. */
async function relayed(turn: Turn, input: UserInput): Promise<boolean> {
  const text = input.text?.trim();
  if (!text || /^\d{1,2}[.)]?$/.test(text)) return false;
  const outcome = await turn.ctx.desk.relayFromReporter(turn.ctx.identityId, text);
  if (outcome === "no_case") return false;
  turn.sayKey(outcome === "relayed" ? "common:relayed" : "common:relayLimited");
  return true;
}

/** Last: the answer to the current flow's question (intake, status, settings), or the menu between flows. */
export const currentFlowHandler: MessageHandler = {
  name: "current-flow",
  async handle(turn, input) {
    const state = turn.doc.state;
    switch (state.flow) {
      case "intake":
        await continueIntake(turn, state, input);
        return true;
      case "status":
        await continueStatus(turn, state, input);
        return true;
      case "settings":
        await continuePrivacy(turn, state, input);
        return true;
      case "idle": {
        const action = matchMenu(turn, input);
        if (action) await runMenuAction(turn, action);
        else {
          await answerOutsideFlow(turn, input, turn.firstContact, {
            relay: () => relayed(turn, input),
            run: (command) => runCommand(turn, command),
          });
        }
        return true;
      }
    }
  },
};
