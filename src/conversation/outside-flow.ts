import type { UserInput } from "./choices.ts";
import { askToConfirm } from "./command-confirmation.ts";
import type { Command } from "./commands.ts";
import { startIntake } from "./intake.ts";
import { sayWelcome } from "./menu.ts";
import type { Turn } from "./turn.ts";
import { lexiconFor } from "./understanding/lexicon.ts";
import { soundsDistressed } from "./understanding/read-feelings.ts";
import { type Intent, readMenuText } from "./understanding/read-menu-text.ts";

/** What the engine lends this handler: passing a message to the office of the chat's case, and running commands. */
export interface OutsideFlowHooks {
  /** Passes the message on to the office handling the chat's open case; false when there is none. */
  relay(): Promise<boolean>;
  /** Runs a command as if typed. */
  run(command: Command): Promise<void>;
}

const INTENT_COMMANDS: Record<Exclude<Intent, "delete">, Command> = {
  report: { kind: "report" },
  status: { kind: "status" },
  mine: { kind: "myReports" },
  emergency: { kind: "emergency" },
  help: { kind: "help" },
  language: { kind: "language" },
  english: { kind: "setLanguage", language: "en" },
  indonesian: { kind: "setLanguage", language: "id" },
  privacy: { kind: "privacy" },
};

/**
 * Free text outside any flow, at the menu or as the first message: an intent in the person's
 * own words starts its flow ("mau lapor kak", "cek laporan saya"); a story starts a report and
 * is kept as its story; a repeated greeting gets a short answer and the menu, not the whole
 * welcome again. Messages for the office of an open case are passed on as before.
 */
export async function answerOutsideFlow(
  turn: Turn,
  input: UserInput,
  firstContact: boolean,
  hooks: OutsideFlowHooks,
): Promise<void> {
  const text = input.text?.trim() ?? "";
  const reading = text ? readMenuText(text, lexiconFor(turn.allLanguages)) : { kind: "other" as const };
  // A few words about what happened, from a chat with a case open, are news for its office.
  if (reading.kind === "intent" && reading.inferred && !firstContact && (await hooks.relay())) return;
  if (reading.kind === "intent") {
    if (firstContact) turn.sayKey("common:welcomeShort");
    // "Tolong bu anak saya": the fear is heard before the first question.
    const distressed = reading.intent === "report" && soundsDistressed(text, lexiconFor(turn.allLanguages));
    if (distressed) turn.sayKey("intake:distressAck");
    // Deleting said in other words asks first, as "hapus aja" does.
    if (reading.intent === "delete") askToConfirm(turn, "delete");
    else await hooks.run(INTENT_COMMANDS[reading.intent]);
    const state = turn.doc.state;
    if (distressed && state.flow === "intake") state.draft.distressAcknowledged = true;
    return;
  }
  if (!firstContact && (await hooks.relay())) return;
  if (reading.kind === "story") {
    if (firstContact) turn.sayKey("common:welcomeShort");
    await startIntake(turn, { story: text });
    return;
  }
  if (firstContact) {
    sayWelcome(turn);
    return;
  }
  // Something was said already this turn (the expiry notice): the menu follows it.
  if (turn.replies.length > 0) return;
  if (reading.kind === "greeting") turn.sayKey("common:greetingAgain");
  else if (reading.kind === "thanks") turn.sayKey("common:thanksReply");
  else turn.sayKey("common:menuNotUnderstood");
}
