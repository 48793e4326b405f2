import type { OutboundMessage } from "../channels/types.ts";
import { type ChoiceDef, matchChoice, renderChoices, type UserInput } from "./choices.ts";
import type { DestructiveCommand } from "./commands.ts";
import type { Translate } from "./ports.ts";
import type { Turn } from "./turn.ts";

// Ids of their own: an older question's "yes" button pressed now must not delete or cancel anything.
const ANSWERS: readonly ChoiceDef[] = [
  { id: "confirm:yes", label: { key: "common:confirmCommand.yes" }, meanings: ["yes"] },
  { id: "confirm:no", label: { key: "common:confirmCommand.no" }, meanings: ["no", "back"] },
];

/**
 * Whether a command reached only by normalising ("hapus aja", "batal dong") must be confirmed
 * first: deleting always, cancelling only while a report is being written (elsewhere it loses nothing).
 */
export function needsConfirmation(kind: DestructiveCommand, flow: string): boolean {
  return kind === "delete" || flow === "intake";
}

/** Asks "really?" before a destructive command; the question is shown by the engine's prompt. */
export function askToConfirm(turn: Turn, kind: DestructiveCommand): void {
  turn.doc.confirmingCommand = kind;
}

/** The "really?" question of a command waiting for confirmation. */
export function confirmationPrompt(kind: DestructiveCommand, t: Translate): OutboundMessage {
  return { text: t(`common:confirmCommand.${kind}`), choices: renderChoices(ANSWERS, t) };
}

/** Reads the answer to the "really?" question: yes, no, or null when the message is about something else. */
export function readConfirmation(turn: Turn, input: UserInput): "yes" | "no" | null {
  const answer = matchChoice(input, ANSWERS, turn.allLanguages);
  return answer === "confirm:yes" ? "yes" : answer === "confirm:no" ? "no" : null;
}
