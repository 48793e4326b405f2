import type { OutboundMessage } from "../channels/types.ts";
import type { NewReport } from "../domain/report.ts";
import { isNumberAnswer, matchChoice, renderChoices, type UserInput } from "./choices.ts";
import { nextStep, STEPS, type StepOutcome } from "./intake-steps.ts";
import type { Translate } from "./ports.ts";
import type { Draft, IntakeState } from "./state.ts";
import type { Turn } from "./turn.ts";

const DAY_MS = 24 * 60 * 60_000;

/** Starts a new report, unless this chat already opened its daily maximum. */
export async function startIntake(turn: Turn): Promise<void> {
  const { desk, identityId, now, settings } = turn.ctx;
  const opened = await desk.countReportsSince(identityId, new Date(now.getTime() - DAY_MS));
  if (opened >= settings.maxReportsPerDay) {
    turn.sayKey("intake:limitReached", { max: settings.maxReportsPerDay });
    turn.setState({ flow: "idle" });
    return;
  }
  turn.sayKey("intake:intro");
  turn.setState({ flow: "intake", step: "danger", draft: { indicators: {} }, editing: null });
}

/** The question of the current step, with its choices. */
export function intakePrompt(state: IntakeState, t: Translate): OutboundMessage {
  const def = STEPS[state.step];
  return { text: def.question(t, state), choices: renderChoices(def.choices(state), t) };
}

/** Handles an answer to the current intake step. */
export async function continueIntake(turn: Turn, state: IntakeState, input: UserInput): Promise<void> {
  const def = STEPS[state.step];
  const choices = def.choices(state);
  const picked = matchChoice(input, choices, turn.allLanguages);
  let outcome: StepOutcome;
  if (picked !== undefined) outcome = def.onChoice(state, picked, turn);
  else if (input.location) {
    outcome = def.onLocation
      ? def.onLocation(state, input.location, turn)
      : { kind: "invalid", hintKey: "intake:hint.noLocation" };
  } else if (input.text !== undefined && def.onText && !isNumberAnswer(input.text)) {
    outcome = def.onText(state, input.text, turn);
  } else outcome = { kind: "invalid" };
  await applyOutcome(turn, state, outcome, choices.length);
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
  const { reference, pin } = await turn.ctx.desk.submitReport(turn.ctx.identityId, report);
  turn.sayKey("intake:done", { reference, pin });
  turn.sayKey(`intake:nextSteps.${report.contactPreference}`);
  turn.setState({ flow: "idle" });
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
    narrative: draft.story ?? null,
    contactPreference: draft.contactPreference ?? "NONE",
    contactNumber: draft.contactPreference === "OTHER_NUMBER" ? (draft.contactNumber ?? null) : null,
    consentToShare: true,
    language,
    attachmentIds: draft.attachmentIds ?? [],
  };
}
