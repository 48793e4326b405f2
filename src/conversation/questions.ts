/**
 * Answers to the questions people ask about the service, wherever they are (issue 11, item 4).
 * Each answer says only what this system does, conservatively; the question the person was
 * answering is asked again after it. The texts are listed in the README for the hotline owner.
 */
import { DEFAULT_FOLLOW_UP_POLICY } from "../domain/follow-up.ts";
import type { UserInput } from "./choices.ts";
import type { Translate } from "./ports.ts";
import type { Turn } from "./turn.ts";
import { lexiconFor } from "./understanding/lexicon.ts";
import { type QuestionTopic, readQuestion } from "./understanding/read-question.ts";

/** A duration as people say it: "30 menit", "24 jam". */
export function durationInWords(t: Translate, ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120
    ? t("intake:nextSteps.minutes", { count: minutes })
    : t("intake:nextSteps.hours", { count: Math.round(minutes / 60) });
}

/** Steps whose free text is the person's own account: only an unmistakable question is taken as one there. */
const ACCOUNT_STEPS = new Set(["story", "place", "place_narrow", "country", "home_province", "contact_number"]);

/** The topic of a question the message asks about the service, or null. */
export function questionIn(turn: Turn, input: UserInput): QuestionTopic | null {
  if (input.text === undefined || input.choiceId !== undefined) return null;
  const state = turn.doc.state;
  if (state.flow === "status" && state.step === "pin") return null;
  const topic = readQuestion(input.text, lexiconFor(turn.allLanguages));
  if (!topic) return null;
  if (state.flow === "intake" && ACCOUNT_STEPS.has(state.step) && !input.text.includes("?")) return null;
  return topic;
}

/** Answers one question; the engine then asks the pending question again. */
export function answerQuestion(turn: Turn, topic: QuestionTopic): void {
  const deadlines = turn.ctx.settings.acceptDeadlinesMs ?? DEFAULT_FOLLOW_UP_POLICY.ackDeadlineMs;
  turn.sayKey(`common:faq.${topic}`, {
    urgent: durationInWords(turn.t, deadlines.URGENT),
    normal: durationInWords(turn.t, deadlines.NORMAL),
  });
}
