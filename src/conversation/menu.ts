import type { OutboundMessage } from "../channels/types.ts";
import type { Language } from "../domain/language.ts";
import { normalizeName } from "../text/normalize.ts";
import { type ChoiceDef, choiceByNumber, matchChoice, renderChoices, type UserInput } from "./choices.ts";
import type { Translate } from "./ports.ts";
import type { Turn } from "./turn.ts";

/** The main menu (DESIGN §2 step 1). */
export const MENU_CHOICES: readonly ChoiceDef[] = [
  { id: "report", label: { key: "common:menu.report" } },
  { id: "status", label: { key: "common:menu.status" } },
  { id: "mine", label: { key: "common:menu.myReports" } },
  { id: "emergency", label: { key: "common:menu.emergency" } },
  { id: "language", label: { key: "common:menu.language" } },
  { id: "delete", label: { key: "common:menu.delete" } },
  { id: "help", label: { key: "common:menu.help" } },
  { id: "privacy", label: { key: "common:menu.privacy" } },
];

/** The menu entries as command kinds, so a picked entry runs the same code as the typed command. */
export type MenuAction = "report" | "status" | "mine" | "emergency" | "language" | "delete" | "help" | "privacy";

/** The language question: each language is named in itself. */
export const LANGUAGE_CHOICES: readonly ChoiceDef[] = [
  { id: "id", label: { text: "Bahasa Indonesia" }, synonyms: "common:synonyms.indonesian" },
  { id: "en", label: { text: "English" }, synonyms: "common:synonyms.english" },
];

/** The main menu as choices in the current language. */
export function menuMessage(t: Translate): OutboundMessage {
  return { text: t("common:menu.prompt"), choices: renderChoices(MENU_CHOICES, t) };
}

/** The language question as a message. */
export function languagePrompt(t: Translate): OutboundMessage {
  return { text: t("common:language.prompt"), choices: renderChoices(LANGUAGE_CHOICES, t) };
}

/** Reads an answer to the language question. */
export function matchLanguage(turn: Turn, input: UserInput): Language | undefined {
  return matchChoice(input, LANGUAGE_CHOICES, turn.allLanguages) as Language | undefined;
}

/**
 * Reads a pick from the main menu. Deleting is picked only by its button, its number or its
 * label as written; said in other words ("hapus percakapan ini dong") it is left to the free-text
 * reader, which asks first.
 */
export function matchMenu(turn: Turn, input: UserInput): MenuAction | undefined {
  const action = matchChoice(input, MENU_CHOICES, turn.allLanguages) as MenuAction | undefined;
  if (action !== "delete" || input.text === undefined) return action;
  const typed = normalizeName(input.text);
  const exact =
    choiceByNumber(input.text, MENU_CHOICES) === "delete" ||
    turn.allLanguages.some((t) => normalizeName(t("common:menu.delete")) === typed);
  return exact ? action : undefined;
}

/** The emergency numbers (DESIGN §4): never invented, always the public ones. */
export function sayEmergency(turn: Turn): void {
  turn.sayEmergency();
}

/** The greeting: what the service is, that it is confidential, what happens to a report. */
export function sayWelcome(turn: Turn): void {
  turn.sayKey("common:welcome");
}
