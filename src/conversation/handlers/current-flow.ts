import { parsePin } from "../../domain/reference.ts";
import type { UserInput } from "../choices.ts";
import { continueIntake } from "../intake.ts";
import { matchMenu } from "../menu.ts";
import { answerOutsideFlow } from "../outside-flow.ts";
import type { RelayOutcome } from "../ports.ts";
import { continuePrivacy } from "../privacy.ts";
import { continueStatus } from "../status-check.ts";
import type { Turn } from "../turn.ts";
import { lexiconFor } from "../understanding/lexicon.ts";
import { readMenuText } from "../understanding/read-menu-text.ts";
import { readReply } from "../understanding/read-reply.ts";
import { runCommand, runMenuAction } from "./global-command.ts";
import type { MessageHandler } from "./message-handler.ts";

/**
 * A message from a reporter outside any flow goes to the office handling their open case. A
 * bare "ya", "ok" or number (a PIN, a choice) is never passed on: it means nothing to staff, and
 * a PIN must not travel.
 */
async function relayed(turn: Turn, input: UserInput): Promise<boolean> {
  const text = input.text?.trim();
  if (!text || /^\d{1,2}[.)]?$/.test(text)) return false;
  const lexicon = lexiconFor(turn.allLanguages);
  // Greetings and thanks ("halo kak", "makasih") get their own answer; staff need not read them.
  if (["greeting", "thanks"].includes(readMenuText(text, lexicon).kind)) return false;
  const short = /^[\d\s.-]+$/.test(text) || readReply(text, "yesNo", lexicon).fillerOnly;
  if (short) {
    if ((await turn.ctx.desk.listReports(turn.ctx.identityId)).length === 0) return false;
    turn.sayKey(/\d/.test(text) ? "common:notRelayedNumber" : "common:notRelayedShort");
    return true;
  }
  const outcome = await turn.ctx.desk.relayFromReporter(turn.ctx.identityId, text);
  if (outcome === "no_case") return false;
  const keys: Record<Exclude<RelayOutcome, "no_case">, string> = {
    relayed: "common:relayed",
    relayed_anonymous: "common:relayedAnonymous",
    relayed_anonymous_offer: "common:relayedAnonymousOffer",
    limited: "common:relayLimited",
  };
  turn.sayKey(keys[outcome]);
  if (outcome === "relayed_anonymous_offer") turn.setState({ flow: "idle", contactOffer: true });
  return true;
}

/** The answer to the offer to allow replies: the case PIN accepts it; anything else goes on as usual. */
async function answerContactOffer(turn: Turn, input: UserInput): Promise<boolean> {
  const pin = input.text ? parsePin(input.text) : null;
  if (!pin) return false;
  const outcome = await turn.ctx.desk.allowContact(turn.ctx.identityId, pin);
  turn.sayKey(outcome === "allowed" ? "common:contactAllowed" : "common:contactPinWrong");
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
        if (state.contactOffer) {
          turn.setState({ flow: "idle" });
          if (await answerContactOffer(turn, input)) return true;
        }
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
