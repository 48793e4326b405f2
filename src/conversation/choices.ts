import type { Choice } from "../channels/types.ts";
import { isShortAnswer } from "../text/input-limits.ts";
import { normalizeName } from "../text/normalize.ts";
import type { Translate } from "./ports.ts";

/** A choice as the flows define it: an id, and a label from the locales or a proper name. */
export interface ChoiceDef {
  id: string;
  label: { key: string; params?: Record<string, unknown> } | { text: string };
  /** A locale key holding "|"-separated words that also pick this choice ("ya|iya|y"). */
  synonyms?: string;
}

/** What the person sent, reduced to what the flows look at. */
export interface UserInput {
  text?: string;
  choiceId?: string;
  location?: { latitude: number; longitude: number };
  attachments?: Array<{ id: string; kind: string }>;
  unsupported?: "edited" | "type" | "too_large" | "not_received";
}

/** Renders choice definitions in one language. */
export function renderChoices(defs: readonly ChoiceDef[], t: Translate): Choice[] {
  return defs.map((def) => ({
    id: def.id,
    label: "key" in def.label ? t(def.label.key, def.label.params) : def.label.text,
  }));
}

// Matched on trimmed text: "\s*[.)]?\s*$" backtracks quadratically over a long run of spaces.
const NUMBER_ANSWER = /^(\d{1,2})\s*[.)]?$/;

/** True when a message is a choice's number ("2", "2.", "2 )"). */
export function isNumberAnswer(text: string): boolean {
  return isShortAnswer(text) && NUMBER_ANSWER.test(text.trim());
}

// Labels and synonyms are a small fixed set; normalising them once keeps matching cheap.
const normalizedForms = new Map<string, { whole: string; parts: string[] }>();
function formsOf(label: string): { whole: string; parts: string[] } {
  let forms = normalizedForms.get(label);
  if (!forms) {
    const withoutNotes = label.replace(/\(.*?\)/g, "");
    forms = {
      whole: normalizeName(label),
      parts: [withoutNotes, ...withoutNotes.split("/")].map(normalizeName).filter((p) => p.length > 0),
    };
    if (normalizedForms.size > 5000) normalizedForms.clear();
    normalizedForms.set(label, forms);
  }
  return forms;
}

function labelsOf(def: ChoiceDef, languages: readonly Translate[]): string[] {
  if ("text" in def.label) return [def.label.text];
  const { key, params } = def.label;
  return languages.map((t) => t(key, params));
}

function synonymsOf(def: ChoiceDef, languages: readonly Translate[]): string[] {
  const key = def.synonyms;
  return key ? languages.flatMap((t) => t(key).split("|")) : [];
}

/**
 * Finds the choice a message picks: a pressed button's id, the choice's number, its label,
 * part of a label ("Saksi / orang yang melihat" -> "saksi") or a synonym, typed in either
 * language; failing that, words found in exactly one label ("adult"). Undefined when nothing matches.
 */
export function matchChoice(
  input: UserInput,
  defs: readonly ChoiceDef[],
  languages: readonly Translate[],
): string | undefined {
  if (input.choiceId !== undefined) return defs.find((def) => def.id === input.choiceId)?.id;
  // No label is long: a long message picks nothing, and is not scanned for labels.
  if (input.text === undefined || !isShortAnswer(input.text)) return undefined;
  const number = NUMBER_ANSWER.exec(input.text.trim());
  if (number) return defs[Number(number[1]) - 1]?.id;
  const typed = normalizeName(input.text);
  if (!typed) return undefined;
  for (const def of defs) {
    for (const label of labelsOf(def, languages)) {
      const forms = formsOf(label);
      if (typed === forms.whole || forms.parts.includes(typed)) return def.id;
    }
    for (const word of synonymsOf(def, languages)) if (formsOf(word).whole === typed) return def.id;
  }
  if (typed.length < 3) return undefined;
  const padded = ` ${typed} `;
  const containing = defs.filter((def) =>
    labelsOf(def, languages).some((label) => ` ${formsOf(label).whole} `.includes(padded)),
  );
  return containing.length === 1 ? containing[0]?.id : undefined;
}
