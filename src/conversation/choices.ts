import type { Choice, InboundMessage } from "../channels/types.ts";
import { isShortAnswer } from "../text/input-limits.ts";
import { normalizeName } from "../text/normalize.ts";
import type { Translate } from "./ports.ts";
import { lexiconFor } from "./understanding/lexicon.ts";
import { normalizeReply } from "./understanding/normalize-reply.ts";
import { type AnswerKind, readReply } from "./understanding/read-reply.ts";

/** A choice as the flows define it: an id, and a label from the locales or a proper name. */
export interface ChoiceDef {
  id: string;
  label: { key: string; params?: Record<string, unknown> } | { text: string };
  /** A locale key holding "|"-separated words that also pick this choice ("ya|iya|y"). */
  synonyms?: string;
  /**
   * Meanings that pick this choice when the person says it in their own words: "yes", "no",
   * "unsure", "skip", "back", or a code the question kind reads ("FEMALE", "CHILD", "MANY").
   */
  meanings?: readonly string[];
}

/** What the person sent, reduced to what the flows look at. */
export interface UserInput {
  text?: string;
  choiceId?: string;
  location?: { latitude: number; longitude: number };
  attachments?: Array<{ id: string; kind: string }>;
  unsupported?: InboundMessage["unsupported"];
  /** The platform id of the bot's message this one quotes (a WhatsApp or Telegram reply). */
  replyTo?: string;
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

/** The forms a typed answer is compared with labels in: as typed, and normalised without edge particles. */
function typedForms(text: string, languages: readonly Translate[]): string[] {
  const plain = normalizeName(text);
  const core = normalizeReply(text, lexiconFor(languages)).core.join(" ");
  return plain === core || core === "" ? [plain] : [plain, core];
}

/**
 * The choice whose label, part of a label ("Saksi / orang yang melihat" -> "saksi") or synonym
 * is exactly what was typed, in either language ("Keluarga korban kak" counts).
 */
export function matchLabel(
  text: string,
  defs: readonly ChoiceDef[],
  languages: readonly Translate[],
): string | undefined {
  // No label is long: a long message picks nothing, and is not scanned for labels.
  if (!isShortAnswer(text)) return undefined;
  const forms = typedForms(text, languages).filter((form) => form !== "");
  if (forms.length === 0) return undefined;
  for (const typed of forms) {
    for (const def of defs) {
      for (const label of labelsOf(def, languages)) {
        const labelForms = formsOf(label);
        if (typed === labelForms.whole || labelForms.parts.includes(typed)) return def.id;
      }
      for (const word of synonymsOf(def, languages)) if (formsOf(word).whole === typed) return def.id;
    }
  }
  return undefined;
}

/** The one choice that carries this meaning, if exactly one does. */
export function choiceForMeaning(meaning: string | null, defs: readonly ChoiceDef[]): string | undefined {
  if (meaning === null) return undefined;
  const carrying = defs.filter((def) => def.meanings?.includes(meaning));
  return carrying.length === 1 ? carrying[0]?.id : undefined;
}

/** Words found in exactly one label ("adult"): the last resort before a hint. */
export function matchLabelWords(
  text: string,
  defs: readonly ChoiceDef[],
  languages: readonly Translate[],
): string | undefined {
  const typed = normalizeName(text);
  if (typed.length < 3) return undefined;
  const padded = ` ${typed} `;
  const containing = defs.filter((def) =>
    labelsOf(def, languages).some((label) => ` ${formsOf(label).whole} `.includes(padded)),
  );
  return containing.length === 1 ? containing[0]?.id : undefined;
}

/**
 * The choice a number picks ("2", "2.", "pilihan 2", "option 2"), or undefined; null when the
 * text is not a choice number.
 */
export function choiceByNumber(
  text: string,
  defs: readonly ChoiceDef[],
  languages: readonly Translate[] = [],
): string | undefined | null {
  if (!isShortAnswer(text)) return null;
  const bare = NUMBER_ANSWER.exec(text.trim());
  const number = bare ? Number(bare[1]) : readReply(text, "yesNo", lexiconFor(languages)).choiceNumber;
  return number === null ? null : defs[number - 1]?.id;
}

/**
 * Finds the choice a message picks: a pressed button's id, the choice's number, its label,
 * part of a label or a synonym, typed in either language; then what the reply means, read by
 * families of words for this kind of question ("iya boleh kak" is yes, "cewe" is female);
 * failing that, words found in exactly one label ("adult"). Undefined when nothing matches.
 */
export function matchChoice(
  input: UserInput,
  defs: readonly ChoiceDef[],
  languages: readonly Translate[],
  kind: AnswerKind = "yesNo",
): string | undefined {
  if (input.choiceId !== undefined) return defs.find((def) => def.id === input.choiceId)?.id;
  // No choice is long: a long message picks nothing, and is not read for one (a story is kept elsewhere).
  if (input.text === undefined || !isShortAnswer(input.text)) return undefined;
  const byNumber = choiceByNumber(input.text, defs, languages);
  if (byNumber !== null) return byNumber;
  const byLabel = matchLabel(input.text, defs, languages);
  if (byLabel) return byLabel;
  if (languages.length > 0 && defs.some((def) => def.meanings)) {
    const byMeaning = choiceForMeaning(readReply(input.text, kind, lexiconFor(languages)).meaning, defs);
    if (byMeaning) return byMeaning;
  }
  return matchLabelWords(input.text, defs, languages);
}
