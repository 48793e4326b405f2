import type { OutboundMessage } from "../channels/types.ts";
import type { NewReport, SubmittedReport } from "../domain/report.ts";
import { isShortAnswer } from "../text/input-limits.ts";
import {
  choiceByNumber,
  choiceForMeaning,
  matchChoice,
  matchLabel,
  matchLabelWords,
  renderChoices,
  type UserInput,
} from "./choices.ts";
import { MAX_STORY_LENGTH, nextStep, STEPS, type StepOutcome } from "./intake-steps.ts";
import { localTime } from "./notices.ts";
import type { Translate } from "./ports.ts";
import { durationInWords } from "./questions.ts";
import { recipientsInWords } from "./route-preview.ts";
import type { Draft, IntakeState } from "./state.ts";
import { storyHints } from "./story-hints.ts";
import type { Turn } from "./turn.ts";
import { lexiconFor } from "./understanding/lexicon.ts";
import { departureIsClose, mentionsForeigners, soundsDistressed } from "./understanding/read-feelings.ts";
import { readReply } from "./understanding/read-reply.ts";

const DAY_MS = 24 * 60 * 60_000;

/**
 * Starts a new report, unless this chat already opened its daily maximum. A story told before
 * the report began is acknowledged and kept as the report's story, and what it states clearly
 * (place, category) is confirmed at its question instead of asked blindly.
 */
export async function startIntake(turn: Turn, options: { story?: string } = {}): Promise<void> {
  const { desk, identityId, now, settings } = turn.ctx;
  const opened = await desk.countReportsSince(identityId, new Date(now.getTime() - DAY_MS));
  if (opened >= settings.maxReportsPerDay) {
    turn.sayKey("intake:limitReached", { max: settings.maxReportsPerDay });
    turn.setState({ flow: "idle" });
    return;
  }
  const story = options.story?.trim();
  if (!story) {
    turn.sayKey("intake:intro");
    turn.setState({ flow: "intake", step: "danger", draft: { indicators: {} }, editing: null });
    return;
  }
  const distressed = soundsDistressed(story, lexiconFor(turn.allLanguages));
  if (distressed) turn.sayKey("intake:distressAck");
  turn.sayKey("intake:storyKept");
  const hints = storyHints(story, turn.allLanguages);
  turn.setState({
    flow: "intake",
    step: "danger",
    draft: {
      indicators: {},
      story: story.slice(0, MAX_STORY_LENGTH),
      ...(distressed ? { distressAcknowledged: true } : {}),
      ...(hints.place || hints.category ? { storyHints: hints } : {}),
    },
    editing: null,
  });
}

/** The question of the current step, with its choices. */
export function intakePrompt(state: IntakeState, t: Translate): OutboundMessage {
  const def = STEPS[state.step];
  return { text: def.question(t, state), choices: renderChoices(def.choices(state), t) };
}

/** How the engine reads one message at an intake step, before the step acts on it. */
export type StepAnswer =
  | { kind: "choice"; id: string }
  | { kind: "location"; location: NonNullable<UserInput["location"]> }
  /** Free text for the step's own reader (a place, a story, a phone number). */
  | { kind: "text"; text: string }
  /** "bukan, di Batam" at a confirmation: what should replace the answer being confirmed. */
  | { kind: "correction"; text: string }
  /** "2" at the age question: choice 2, or 2 years old? */
  | { kind: "ageOrChoice"; number: number }
  | { kind: "none"; hintKey?: string };

/**
 * Reads a message as an answer to the current step: a button; a choice number (a bare number
 * at the age question that could also be years is asked about); a label; a meaning read by
 * families of words ("iya boleh kak", "cewe", "lebih dr 5"); at a confirmation, only yes, no or
 * "no, <correction>"; otherwise free text for the step. The table test reads replies through this.
 */
export function readStepAnswer(state: IntakeState, input: UserInput, languages: readonly Translate[]): StepAnswer {
  const def = STEPS[state.step];
  const choices = def.choices(state);
  const reads = def.reads ?? { kind: "yesNo" };
  if (input.choiceId !== undefined) {
    const id = matchChoice(input, choices, languages);
    return id ? { kind: "choice", id } : { kind: "none" };
  }
  if (input.text === undefined) {
    if (input.location) return { kind: "location", location: input.location };
    return { kind: "none" };
  }
  const text = input.text;
  // A long message is no choice, number or yes/no, and is not scanned for one: only a step that
  // takes free text reads it (a story kept whole; a place read from its first words).
  if (!isShortAnswer(text)) return def.onText && !reads.confirm ? { kind: "text", text } : { kind: "none" };
  const reading = readReply(text, reads.kind, lexiconFor(languages));
  // Labels first: "Pilihan 2 (Dewasa)" is a label at the age clarification, not choice 2.
  const byLabel = matchLabel(text, choices, languages) ?? def.exactChoice?.(text);
  if (byLabel) return { kind: "choice", id: byLabel };
  const byNumber = choiceByNumber(text, choices, languages);
  if (byNumber !== null || reading.bareNumber !== null) {
    // An age or a head count beyond the choices ("19", "7") is years or people.
    const asValue =
      reads.kind === "age" || reads.kind === "count" ? choiceForMeaning(reading.meaning, choices) : undefined;
    if (reads.ageNumbers && state.pendingNumber === undefined && reading.bareNumber !== null) {
      // "2" could be choice 2 or two years old; "pilihan 2" is the choice.
      if (byNumber && asValue && byNumber !== asValue) return { kind: "ageOrChoice", number: reading.bareNumber };
    }
    const id = byNumber ?? (reading.bareNumber !== null ? asValue : undefined);
    // Numbers pick choices; they are never a place, a story or a phone number.
    return id ? { kind: "choice", id } : { kind: "none" };
  }
  if (reading.correction !== null && def.onCorrection) return { kind: "correction", text: reading.correction };
  if (reads.confirm) {
    const id = choiceForMeaning(reading.meaning, choices);
    return id ? { kind: "choice", id } : { kind: "none", hintKey: def.hintKey };
  }
  // Where the step takes free text, "ga tau" picks "don't know" only when it is all the reply says.
  if (!reads.freeText || reading.fillerOnly || !def.onText) {
    const byMeaning = choiceForMeaning(reading.meaning, choices);
    if (byMeaning) return { kind: "choice", id: byMeaning };
  }
  if (!reading.fillerOnly && reads.labelWords !== false) {
    const byWords = matchLabelWords(text, choices, languages);
    if (byWords) return { kind: "choice", id: byWords };
  }
  return def.onText ? { kind: "text", text } : { kind: "none" };
}

/** Handles an answer to the current intake step. */
export async function continueIntake(turn: Turn, state: IntakeState, input: UserInput): Promise<void> {
  const def = STEPS[state.step];
  const choices = def.choices(state);
  const answer = readStepAnswer(state, input, turn.allLanguages);
  const lexicon = lexiconFor(turn.allLanguages);
  // "saya nulis sambil nangis": heard once, in a short human sentence, before the next question.
  const distressed =
    !state.draft.distressAcknowledged && input.text !== undefined && soundsDistressed(input.text, lexicon);
  if (distressed) turn.sayKey("intake:distressAck");
  let outcome: StepOutcome;
  switch (answer.kind) {
    case "choice":
      outcome = def.onChoice(state, answer.id, turn);
      break;
    case "location":
      outcome = def.onLocation
        ? def.onLocation(state, answer.location, turn)
        : { kind: "invalid", hintKey: "intake:hint.noLocation" };
      break;
    case "text":
      outcome = def.onText ? def.onText(state, answer.text, turn) : { kind: "invalid" };
      break;
    case "correction":
      outcome = def.onCorrection ? def.onCorrection(state, answer.text, turn) : { kind: "invalid" };
      break;
    case "ageOrChoice":
      outcome = { kind: "stay", draft: state.draft, extra: { pendingNumber: answer.number } };
      break;
    case "none":
      outcome = answer.hintKey ? { kind: "invalid", hintKey: answer.hintKey } : { kind: "invalid" };
      break;
  }
  await applyOutcome(turn, state, outcome, choices.length);
  const after = turn.doc.state;
  if (after.flow !== "intake") return;
  if (distressed) after.draft.distressAcknowledged = true;
  markCloseDeparture(turn, after.draft);
  if (after.draft.story && after.draft.foreignersMentioned === undefined)
    after.draft.foreignersMentioned = mentionsForeigners(after.draft.story, lexicon);
}

/**
 * "Berangkat minggu depan", "besok dibawa": a departure or transfer that is close makes the report
 * urgent even when nobody is in danger at this moment, and the person is told why.
 */
function markCloseDeparture(turn: Turn, draft: Draft): void {
  if (draft.urgency !== "NORMAL" || draft.departureFlagged || !draft.story) return;
  if (!departureIsClose(draft.story, lexiconFor(turn.allLanguages))) return;
  draft.urgency = "URGENT";
  draft.departureFlagged = true;
  turn.sayKey("intake:departureUrgent");
}

async function applyOutcome(turn: Turn, state: IntakeState, outcome: StepOutcome, choiceCount: number): Promise<void> {
  switch (outcome.kind) {
    case "next": {
      const step = nextStep(outcome.draft, state.step, state.editing);
      turn.setState({ flow: "intake", step, draft: outcome.draft, editing: step === "summary" ? null : state.editing });
      return;
    }
    case "goto":
      turn.setState({
        flow: "intake",
        step: outcome.step,
        draft: outcome.draft,
        editing: outcome.step === "summary" ? null : (outcome.editing ?? state.editing),
        ...outcome.extra,
      });
      return;
    case "stay":
      turn.setState({
        flow: "intake",
        step: state.step,
        draft: outcome.draft,
        editing: state.editing,
        ...outcome.extra,
      });
      return;
    case "invalid":
      turn.invalid(outcome.hintKey ?? STEPS[state.step].hintKey, { max: choiceCount, ...outcome.params });
      return;
    case "cancel":
      turn.sayKey("intake:cancelled");
      turn.setState({ flow: "idle" });
      return;
    case "submit":
      await submit(turn, state.draft);
      return;
  }
}

async function submit(turn: Turn, draft: Draft): Promise<void> {
  if (draft.consent !== true) {
    turn.setState({ flow: "intake", step: "consent", draft, editing: null });
    return;
  }
  const report = toReport(draft, turn.doc.language);
  const submitted = await turn.ctx.desk.submitReport(turn.ctx.identityId, report);
  turn.sayKey("intake:done", { reference: submitted.reference, pin: submitted.pin });
  sayNextSteps(turn, report, submitted);
  turn.setState({ flow: "idle" });
}

/**
 * What happens next and when (DESIGN §8): which office received the report, by when its staff
 * must accept it (the deadline the scheduler enforces), and how news will arrive.
 */
function sayNextSteps(turn: Turn, report: NewReport, submitted: SubmittedReport): void {
  const { t } = turn;
  const deadline = new Date(turn.ctx.now.getTime() + submitted.acceptWithinMs);
  const within = durationInWords(t, submitted.acceptWithinMs);

  const region = report.provinceCode ?? report.homeProvinceCode;
  turn.sayKey("intake:nextSteps.office", {
    recipients: recipientsInWords(t, { responsible: submitted.officeCode, copies: submitted.copiedTo }),
    within,
    time: localTime(deadline, region, turn.doc.language),
  });
  turn.sayKey(`intake:nextSteps.${report.contactPreference}`);
}

/** Turns a confirmed draft into a report; unanswered questions become UNKNOWN / UNSURE. */
export function toReport(draft: Draft, language: NewReport["language"]): NewReport {
  const place = draft.place ?? { kind: "unknown" as const };
  const detail = {
    ...(draft.placeText ? { text: draft.placeText } : {}),
    ...(place.kind === "abroad" && place.countryText ? { text: place.countryText } : {}),
    ...(draft.pin ? { latitude: draft.pin.latitude, longitude: draft.pin.longitude } : {}),
  };
  return {
    urgency: draft.urgency ?? "NORMAL",
    reporterRole: draft.reporterRole ?? "UNKNOWN",
    category: draft.category ?? "UNSURE",
    indicators: draft.indicators,
    provinceCode: place.kind === "province" ? place.provinceCode : null,
    regencyCode: place.kind === "province" ? place.regencyCode : null,
    districtCode: place.kind === "province" ? place.districtCode : null,
    abroad: place.kind === "abroad",
    country: place.kind === "abroad" ? place.country : null,
    homeProvinceCode: place.kind === "abroad" ? place.homeProvinceCode : null,
    placeDetail: Object.keys(detail).length > 0 ? detail : null,
    victimAgeGroup: draft.victimAgeGroup ?? "UNKNOWN",
    victimGender: draft.victimGender ?? "UNKNOWN",
    victimCount: draft.victimCount ?? "UNKNOWN",
    victimNationality: place.kind === "province" ? (draft.victimNationality ?? null) : null,
    victimCountry:
      place.kind === "province" && draft.victimNationality === "FOREIGN" ? (draft.victimCountry ?? null) : null,
    narrative: draft.story ?? null,
    contactPreference: draft.contactPreference ?? "NONE",
    contactNumber: draft.contactPreference === "OTHER_NUMBER" ? (draft.contactNumber ?? null) : null,
    consentToShare: true,
    language,
    attachmentIds: draft.attachmentIds ?? [],
  };
}
