import type { OutboundMessage } from "../channels/types.ts";
import { ASSISTANCE_STAGES } from "../domain/case.ts";
import { parsePin, parseReference } from "../domain/reference.ts";
import { statusStageFor } from "../domain/status-view.ts";
import { dateFormat } from "../text/date-format.ts";
import { type ChoiceDef, matchChoice, renderChoices, type UserInput } from "./choices.ts";
import type { Translate } from "./ports.ts";
import { officeInWords } from "./route-preview.ts";
import type { StatusState } from "./state.ts";
import type { Turn } from "./turn.ts";

const referenceChoices = (state: StatusState): ChoiceDef[] =>
  state.references.map((reference) => ({ id: reference.replace(/-/g, ""), label: { text: reference } }));

/** Starts a status check, optionally with the reference and PIN given inline or from "my reports". */
export async function startStatus(
  turn: Turn,
  options: { reference?: string; pin?: string; mine?: boolean },
): Promise<void> {
  const { desk, identityId, now } = turn.ctx;
  const lockedUntil = await desk.lookupLockedUntil(identityId, now);
  if (lockedUntil) {
    sayLocked(turn, lockedUntil);
    return;
  }
  const references = (await desk.listReports(identityId)).map((r) => r.reference);
  if (options.mine) {
    if (references.length === 0) {
      turn.sayKey("status:noReports");
      turn.setState({ flow: "idle" });
      return;
    }
    turn.sayKey("status:myReports", { count: references.length });
  }
  if (options.reference && options.pin) {
    await check(turn, options.reference, options.pin, references);
  } else if (options.reference) {
    turn.setState({ flow: "status", step: "pin", reference: options.reference, references });
  } else {
    turn.setState({ flow: "status", step: "reference", references });
  }
}

/** The question of the current status step. */
export function statusPrompt(state: StatusState, t: Translate): OutboundMessage {
  if (state.step === "pin") return { text: t("status:askPin", { reference: state.reference }) };
  const choices = renderChoices(referenceChoices(state), t);
  return { text: t(choices.length > 0 ? "status:askReferenceOrPick" : "status:askReference"), choices };
}

/** Handles an answer in the status check. */
export async function continueStatus(turn: Turn, state: StatusState, input: UserInput): Promise<void> {
  if (state.step === "reference") {
    const picked = matchChoice(input, referenceChoices(state), turn.allLanguages);
    const reference = picked ? parseReference(picked) : input.text ? parseReference(input.text) : null;
    if (!reference) {
      turn.invalid("status:hint.reference");
      return;
    }
    turn.setState({ ...state, step: "pin", reference });
    return;
  }
  const pin = input.text ? parsePin(input.text) : null;
  if (!pin || !state.reference) {
    turn.invalid("status:hint.pin");
    return;
  }
  await check(turn, state.reference, pin, state.references);
}

async function check(turn: Turn, reference: string, pin: string, references: string[]): Promise<void> {
  const { desk, identityId, now } = turn.ctx;
  const answer = await desk.checkStatus(identityId, reference, pin, now);
  if (answer.kind === "locked") {
    sayLocked(turn, answer.until);
    return;
  }
  if (answer.kind === "wait") {
    // The same words whether or not the reference exists: the PIN was not looked at.
    turn.sayKey("status:referenceWait", { minutes: minutesUntil(turn, answer.until) });
    turn.setState({ flow: "idle" });
    return;
  }
  if (answer.kind === "not_found") {
    // The same words whether the reference does not exist or the PIN is wrong.
    turn.sayKey("status:notFound");
    turn.setState({ flow: "status", step: "reference", references });
    return;
  }
  const stage = statusStageFor(answer.viewer, answer.status, answer.assistanceStage);
  const date = dateFormat(turn.doc.language === "id" ? "id-ID" : "en-GB", {
    dateStyle: "long",
    timeZone: "Asia/Jakarta",
  }).format(answer.updatedAt);
  const lines = [
    turn.t("status:answer", { reference: answer.reference, stage: turn.t(`status:stage.${stage}`), date }),
  ];
  // Who has it and what comes next (DESIGN §8): never in the emergency PIN's harmless view.
  if (answer.officeCode) lines.push(turn.t("status:office", { office: officeInWords(turn.t, answer.officeCode) }));
  if (answer.officeCode || stage !== "tipster.RECEIVED") lines.push(turn.t(`status:next.${stage}`));
  // A victim sees how far each stage of their assistance has come; never which services (a phone
  // may be seen by the trafficker). The duress PIN answers as a tipster, so it shows nothing here.
  if (answer.viewer === "VICTIM") {
    const progress = await desk.assistanceProgress(answer.reference);
    const states = progress?.states;
    if (states && Object.values(states).some((s) => s !== "NOT_STARTED")) {
      lines.push(
        turn.t("status:stages.title"),
        ...ASSISTANCE_STAGES.map((s) =>
          turn.t("status:stages.line", {
            stage: turn.t(`status:stages.name.${s}`),
            state: turn.t(`status:stages.state.${states[s]}`),
          }),
        ),
      );
      if (progress.partners.length > 0)
        lines.push(turn.t("status:stages.partners", { names: progress.partners.join(", ") }));
    }
  }
  turn.say(lines.join("\n"));
  turn.setState({ flow: "idle" });
}

function minutesUntil(turn: Turn, until: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - turn.ctx.now.getTime()) / 60_000));
}

function sayLocked(turn: Turn, until: Date): void {
  turn.sayKey("status:locked", { minutes: minutesUntil(turn, until) });
  turn.setState({ flow: "idle" });
}
