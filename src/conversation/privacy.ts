import type { OutboundMessage } from "../channels/types.ts";
import { parsePin, parseReference } from "../domain/reference.ts";
import { type ChoiceDef, matchChoice, renderChoices, type UserInput } from "./choices.ts";
import type { Translate } from "./ports.ts";
import type { SettingsState } from "./state.ts";
import type { Turn } from "./turn.ts";

const MENU: readonly ChoiceDef[] = [
  { id: "optOut", label: { key: "privacy:menu.optOut" } },
  { id: "withdraw", label: { key: "privacy:menu.withdraw" } },
  { id: "erase", label: { key: "privacy:menu.erase" } },
  { id: "duress", label: { key: "privacy:menu.duress" } },
  { id: "back", label: { key: "privacy:menu.back" } },
];

const ERASE: readonly ChoiceDef[] = [
  { id: "yes", label: { key: "privacy:eraseYes" }, meanings: ["yes"] },
  { id: "no", label: { key: "privacy:eraseNo" }, meanings: ["no", "back"] },
];

const referenceChoices = (state: SettingsState): ChoiceDef[] =>
  state.references.map((reference) => ({ id: reference.replace(/-/g, ""), label: { text: reference } }));

/** Opens the privacy and contact settings for a chat that sent reports. */
export async function startPrivacy(turn: Turn): Promise<void> {
  const references = (await turn.ctx.desk.listReports(turn.ctx.identityId)).map((r) => r.reference);
  if (references.length === 0) {
    turn.sayKey("privacy:noReports");
    turn.setState({ flow: "idle" });
    return;
  }
  turn.setState({ flow: "settings", step: "menu", references });
}

/** After "hapus": offers to erase the contact details from the chat's reports too, when there are any. */
export async function offerErasure(turn: Turn): Promise<void> {
  const references = (await turn.ctx.desk.listReports(turn.ctx.identityId)).map((r) => r.reference);
  if (references.length > 0) turn.setState({ flow: "settings", step: "erase_confirm", references });
}

/** The question of the current settings step. */
export function privacyPrompt(state: SettingsState, t: Translate): OutboundMessage {
  switch (state.step) {
    case "menu":
      return { text: t("privacy:menu.prompt"), choices: renderChoices(MENU, t) };
    case "withdraw_pick":
      return { text: t("privacy:withdrawPick"), choices: renderChoices(referenceChoices(state), t) };
    case "erase_confirm":
      return { text: t("privacy:eraseConfirm"), choices: renderChoices(ERASE, t) };
    case "duress_pick":
      return { text: t("privacy:duressExplain"), choices: renderChoices(referenceChoices(state), t) };
    case "duress_current":
      return { text: t("privacy:duressCurrent", { reference: state.reference }) };
    case "duress_new":
      return { text: t("privacy:duressNew") };
  }
}

function pickReference(turn: Turn, state: SettingsState, input: UserInput): string | null {
  const picked = matchChoice(input, referenceChoices(state), turn.allLanguages);
  const reference = picked ? parseReference(picked) : input.text ? parseReference(input.text) : null;
  return reference && state.references.includes(reference) ? reference : null;
}

/** Handles an answer in the privacy and contact settings. */
export async function continuePrivacy(turn: Turn, state: SettingsState, input: UserInput): Promise<void> {
  const { desk, identityId } = turn.ctx;
  switch (state.step) {
    case "menu": {
      const choice = matchChoice(input, MENU, turn.allLanguages);
      if (choice === "optOut") {
        turn.sayKey("privacy:optedOut", { count: await desk.optOutOfContact(identityId) });
        turn.setState({ flow: "idle" });
      } else if (choice === "withdraw") turn.setState({ ...state, step: "withdraw_pick" });
      else if (choice === "erase") turn.setState({ ...state, step: "erase_confirm" });
      else if (choice === "duress") turn.setState({ ...state, step: "duress_pick" });
      else if (choice === "back") turn.setState({ flow: "idle" });
      else turn.invalid("intake:hint.choose", { max: MENU.length });
      return;
    }
    case "withdraw_pick": {
      const reference = pickReference(turn, state, input);
      if (!reference) {
        turn.invalid("status:hint.reference");
        return;
      }
      if ((await desk.withdrawConsent(identityId, reference)) === "withdrawn")
        turn.sayKey("privacy:withdrawn", { reference });
      turn.setState({ flow: "idle" });
      return;
    }
    case "erase_confirm": {
      const choice = matchChoice(input, ERASE, turn.allLanguages);
      if (!choice) {
        turn.invalid("intake:hint.choose", { max: ERASE.length });
        return;
      }
      if (choice === "yes") turn.sayKey("privacy:erased", { count: await desk.eraseContactData(identityId) });
      else turn.sayKey("privacy:kept");
      turn.setState({ flow: "idle" });
      return;
    }
    case "duress_pick": {
      const reference = pickReference(turn, state, input);
      if (!reference) {
        turn.invalid("status:hint.reference");
        return;
      }
      turn.setState({ ...state, step: "duress_current", reference });
      return;
    }
    case "duress_current": {
      const pin = input.text ? parsePin(input.text) : null;
      if (!pin) {
        turn.invalid("privacy:hintPin");
        return;
      }
      turn.setState({ ...state, step: "duress_new", currentPin: pin });
      return;
    }
    case "duress_new": {
      const duressPin = input.text ? parsePin(input.text) : null;
      if (!duressPin || !state.reference || !state.currentPin) {
        turn.invalid("privacy:hintPin");
        return;
      }
      const outcome = await desk.setDuressPin(identityId, state.reference, state.currentPin, duressPin);
      if (outcome === "set") {
        turn.sayKey("privacy:duressSet");
        turn.setState({ flow: "idle" });
      } else if (outcome === "same_pin") {
        turn.invalid("privacy:duressSamePin");
      } else {
        turn.sayKey("privacy:duressWrongPin");
        const { currentPin: _forgotten, ...rest } = state;
        turn.setState({ ...rest, step: "duress_current" });
      }
      return;
    }
  }
}

/** A check-in answer from its button or number ("f:<follow-up id>:<answer>"). */
export async function answerFollowUp(turn: Turn, choiceId: string): Promise<void> {
  const [, followUpId = "", answer = ""] = choiceId.split(":");
  const outcome = await turn.ctx.desk.answerFollowUp(turn.ctx.identityId, followUpId, answer);
  const key =
    outcome === "escalated"
      ? "privacy:checkIn.escalated"
      : outcome === "alerted"
        ? "privacy:monitoring.alert"
        : outcome === "gone"
          ? "privacy:followUpGone"
          : answer === "safe"
            ? "privacy:monitoring.thanks"
            : "privacy:checkIn.thanks";
  turn.sayKey(key);
}
