import type { InboundMessage, OutboundMessage } from "../channels/types.ts";
import { parsePin } from "../domain/reference.ts";
import { matchChoice, type UserInput } from "./choices.ts";
import { askToConfirm, confirmationPrompt, needsConfirmation, readConfirmation } from "./command-confirmation.ts";
import { type Command, destructiveKind, readCommand } from "./commands.ts";
import { continueIntake, intakePrompt, startIntake } from "./intake.ts";
import { languagePrompt, type MenuAction, matchLanguage, matchMenu, menuMessage, sayEmergency } from "./menu.ts";
import { answerOutsideFlow } from "./outside-flow.ts";
import type { RelayOutcome, TurnContext } from "./ports.ts";
import { answerFollowUp, continuePrivacy, offerErasure, privacyPrompt, startPrivacy } from "./privacy.ts";
import { answerQuestion, questionIn } from "./questions.ts";
import { runStaffAction, runStaffCommand } from "./staff.ts";
import { actionFromChoice, detectStaffCommand } from "./staff-commands.ts";
import { type ConversationDoc, newConversation } from "./state.ts";
import { continueStatus, startStatus, statusPrompt } from "./status-check.ts";
import { Turn, type TurnEffect } from "./turn.ts";
import { lexiconFor } from "./understanding/lexicon.ts";
import { readMenuText } from "./understanding/read-menu-text.ts";
import { readReply } from "./understanding/read-reply.ts";

/** The outcome of one message: the new state to store, the replies to send, and effects. */
export interface TurnResult {
  doc: ConversationDoc;
  replies: OutboundMessage[];
  effects: TurnEffect[];
}

/** The parts of an inbound message the engine reads. */
export type EngineInput = Pick<
  InboundMessage,
  "text" | "choiceId" | "location" | "languageHint" | "attachments" | "unsupported"
>;

/**
 * The channel-neutral dialogue: (stored state, one message) -> (new state, replies, effects).
 * It never touches a channel or the database; case operations go through ctx.desk.
 */
export async function converse(
  stored: ConversationDoc | null,
  message: EngineInput,
  ctx: TurnContext,
): Promise<TurnResult> {
  const doc = stored
    ? structuredClone(stored)
    : newConversation(message.languageHint ?? ctx.settings.defaultLanguage, ctx.now);
  if (!doc.languageChosen && message.languageHint) doc.language = message.languageHint;
  const turn = new Turn(doc, ctx);

  const idleFor = ctx.now.getTime() - Date.parse(doc.updatedAt);
  if (doc.state.flow !== "idle" && idleFor > ctx.settings.conversationTtlMs) {
    doc.state = { flow: "idle", expiredNotice: true };
    doc.askingLanguage = false;
    delete doc.confirmingCommand;
  }
  if (doc.state.flow === "idle" && doc.state.expiredNotice) {
    turn.sayKey("common:expired");
    doc.state = { flow: "idle" };
  }

  const input: UserInput = {
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.choiceId !== undefined ? { choiceId: message.choiceId } : {}),
    ...(message.location !== undefined ? { location: message.location } : {}),
    ...(message.attachments?.length ? { attachments: message.attachments } : {}),
    ...(message.unsupported !== undefined ? { unsupported: message.unsupported } : {}),
  };
  await dispatch(turn, input, stored === null);

  rememberAbroad(doc);
  if (!turn.answeredInvalid) doc.invalidAnswers = 0;
  addPrompt(turn);
  doc.updatedAt = ctx.now.toISOString();
  const replies = joinReplies(turn.replies);
  return { doc, replies: turn.urgent ? replies.map((r) => ({ ...r, urgent: true })) : replies, effects: turn.effects };
}

/** Once a report's place is known abroad, later emergency messages in this chat use that country. */
function rememberAbroad(doc: TurnResult["doc"]): void {
  if (doc.state.flow !== "intake") return;
  const place = doc.state.draft.place;
  if (place?.kind === "abroad") doc.abroad = { country: place.country };
  else if (place?.kind === "province") delete doc.abroad;
}

/** A message longer than this is hard to read on a small phone; only the summary may be longer. */
export const MAX_JOINED_CHARS = 700;

/**
 * One turn, one message where possible: text without choices is joined to the message after
 * it, as long as the result stays short enough to read on a small phone. Fewer notifications
 * for the person, and platforms allow about one message a second per chat.
 */
function joinReplies(replies: readonly OutboundMessage[]): OutboundMessage[] {
  const joined: OutboundMessage[] = [];
  let pending: string[] = [];
  const length = (texts: readonly string[]) => texts.reduce((n, text) => n + text.length + 2, -2);
  for (const reply of replies) {
    if (pending.length > 0 && length([...pending, reply.text]) > MAX_JOINED_CHARS) {
      joined.push({ text: pending.join("\n\n") });
      pending = [];
    }
    if (!reply.choices && reply !== replies[replies.length - 1]) {
      pending.push(reply.text);
      continue;
    }
    joined.push({ ...reply, text: [...pending, reply.text].join("\n\n") });
    pending = [];
  }
  return joined;
}

async function dispatch(turn: Turn, raw: UserInput, firstContact: boolean): Promise<void> {
  const input = answerToLatestChoices(turn, raw);
  if (input.choiceId?.startsWith("f:")) {
    await answerFollowUp(turn, input.choiceId);
    return;
  }
  if (input.choiceId?.startsWith("x:")) {
    const action = actionFromChoice(input.choiceId);
    if (action) await runStaffAction(turn, action);
    else turn.suppressMenu = true;
    return;
  }
  const staffCommand = input.text !== undefined ? detectStaffCommand(input.text, turn.allLanguages) : null;
  if (staffCommand) {
    await runStaffCommand(turn, staffCommand);
    return;
  }
  // In a group only staff commands are answered; everything else there is conversation between people.
  if (turn.ctx.inGroup) {
    turn.suppressMenu = true;
    return;
  }
  if (input.unsupported) {
    turn.sayKey(`common:unsupported.${input.unsupported}`);
    return;
  }
  if (input.attachments && input.attachments.length > 0 && (await attachmentsTaken(turn, input))) return;
  if (turn.doc.askingLanguage) {
    turn.doc.askingLanguage = false;
    const language = matchLanguage(turn, input);
    if (language) {
      turn.setLanguage(language);
      turn.sayKey("common:language.changed");
      return;
    }
  }
  const confirming = turn.doc.confirmingCommand;
  if (confirming) {
    delete turn.doc.confirmingCommand;
    const answer = readConfirmation(turn, input);
    if (answer === "yes") {
      await runCommand(turn, { kind: confirming });
      return;
    }
    if (answer === "no") {
      turn.sayKey("common:confirmCommand.kept");
      return;
    }
    // Anything else is read as if the question had not been asked.
  }
  const read =
    input.text !== undefined && input.choiceId === undefined ? readCommand(input.text, turn.allLanguages) : null;
  if (read) {
    const destructive = destructiveKind(read.command);
    if (destructive && !read.exact && needsConfirmation(destructive, turn.doc.state.flow))
      askToConfirm(turn, destructive);
    else await runCommand(turn, read.command);
    return;
  }
  // "apakah polisi akan tahu nama saya?": answered wherever it is asked, then the pending question again.
  const topic = questionIn(turn, input);
  if (topic) {
    if (firstContact) turn.sayKey("common:welcomeShort");
    answerQuestion(turn, topic);
    return;
  }
  const state = turn.doc.state;
  switch (state.flow) {
    case "intake":
      await continueIntake(turn, state, input);
      return;
    case "status":
      await continueStatus(turn, state, input);
      return;
    case "settings":
      await continuePrivacy(turn, state, input);
      return;
    case "idle": {
      if (state.contactOffer) {
        turn.setState({ flow: "idle" });
        if (await answerContactOffer(turn, input)) return;
      }
      const action = matchMenu(turn, input);
      if (action) await runMenuAction(turn, action);
      else {
        await answerOutsideFlow(turn, input, firstContact, {
          relay: () => relayed(turn, input),
          run: (command) => runCommand(turn, command),
        });
      }
      return;
    }
  }
}

/**
 * A number or label answers the latest message with choices the chat received. Usually that is
 * the current question; when it is a staff card or notice (choices with "x:" ids) written by
 * another conversation, the answer belongs to that message.
 */
function answerToLatestChoices(turn: Turn, input: UserInput): UserInput {
  const latest = turn.ctx.latestChoices;
  if (!latest || input.choiceId !== undefined || input.text === undefined) return input;
  if (!latest.some((choice) => choice.id.startsWith("x:") || choice.id.startsWith("f:"))) return input;
  const prompt = currentQuestion(turn)?.choices ?? [];
  if (prompt.length === latest.length && prompt.every((choice, i) => choice.id === latest[i]?.id)) return input;
  const id = matchChoice(
    input,
    latest.map((choice) => ({ id: choice.id, label: { text: choice.label } })),
    [],
  );
  return id ? { choiceId: id } : input;
}

/**
 * Files join the report being written, or the chat's open case. Returns true when the message
 * needs nothing more (a caption in the story step is still read as the story).
 */
async function attachmentsTaken(turn: Turn, input: UserInput): Promise<boolean> {
  const ids = (input.attachments ?? []).map((a) => a.id);
  const state = turn.doc.state;
  if (state.flow === "intake") {
    const draft = { ...state.draft, attachmentIds: [...(state.draft.attachmentIds ?? []), ...ids].slice(0, 20) };
    turn.setState({ ...state, draft });
    if (state.step === "story" && input.text?.trim()) return false;
    turn.sayKey("common:attachmentSaved", { count: ids.length });
    return true;
  }
  const outcome = await turn.ctx.desk.attachToOpenCase(turn.ctx.identityId, ids);
  turn.sayKey(outcome === "attached" ? "common:attachmentForwarded" : "common:attachmentNeedsReport");
  return true;
}

/**
 * A message from a reporter outside any flow goes to the office handling their open case. A
 * bare "ya", "ok" or number (a PIN, a choice) is never passed on: it means nothing to staff, and
 * a PIN must not travel.
 */
async function relayed(turn: Turn, input: UserInput): Promise<boolean> {
  const text = input.text?.trim();
  if (!text || /^\d{1,2}[.)]?$/.test(text)) return false;
  const lexicon = lexiconFor(turn.allLanguages);
  const short = /^[\d\s.-]+$/.test(text) || readReply(text, "yesNo", lexicon).fillerOnly;
  if (short) {
    // Greetings and thanks get their own answer.
    if (["greeting", "thanks"].includes(readMenuText(text, lexicon).kind)) return false;
    if ((await turn.ctx.desk.listReports(turn.ctx.identityId)).length === 0) return false;
    turn.sayKey(/\d/.test(text) ? "common:notRelayedNumber" : "common:notRelayedShort");
    return true;
  }
  const outcome = await turn.ctx.desk.relayFromReporter(turn.ctx.identityId, text);
  if (outcome === "no_case") return false;
  const keys: Record<Exclude<RelayOutcome, "no_case">, string> = {
    relayed: "common:relayed",
    relayed_anonymous: "common:relayedAnonymous",
    relayed_anonymous_offer: "common:relayedAnonymousOffer",
    limited: "common:relayLimited",
  };
  turn.sayKey(keys[outcome]);
  if (outcome === "relayed_anonymous_offer") turn.setState({ flow: "idle", contactOffer: true });
  return true;
}

/** The answer to the offer to allow replies: the case PIN accepts it; anything else goes on as usual. */
async function answerContactOffer(turn: Turn, input: UserInput): Promise<boolean> {
  const pin = input.text ? parsePin(input.text) : null;
  if (!pin) return false;
  const outcome = await turn.ctx.desk.allowContact(turn.ctx.identityId, pin);
  turn.sayKey(outcome === "allowed" ? "common:contactAllowed" : "common:contactPinWrong");
  return true;
}

async function runMenuAction(turn: Turn, action: MenuAction): Promise<void> {
  const commands: Record<MenuAction, Command> = {
    report: { kind: "report" },
    status: { kind: "status" },
    mine: { kind: "myReports" },
    emergency: { kind: "emergency" },
    language: { kind: "language" },
    delete: { kind: "delete" },
    help: { kind: "help" },
    privacy: { kind: "privacy" },
  };
  await runCommand(turn, commands[action]);
}

async function runCommand(turn: Turn, command: Command): Promise<void> {
  const flow = turn.doc.state.flow;
  switch (command.kind) {
    case "help":
      turn.sayKey("common:help");
      return;
    case "emergency":
      sayEmergency(turn);
      return;
    case "language":
      turn.doc.askingLanguage = true;
      return;
    case "setLanguage":
      turn.setLanguage(command.language);
      turn.sayKey("common:language.changed");
      return;
    case "delete":
      turn.setState({ flow: "idle" });
      turn.effects.push({ type: "forgetChat" });
      turn.sayKey("common:deleted");
      // Contact details on sent reports go only when the person says so.
      await offerErasure(turn);
      return;
    case "privacy":
      if (flow === "intake") {
        // Mid-report the person wants to know who sees it; the settings come after sending.
        answerQuestion(turn, "privacy");
        turn.sayKey("common:faq.privacySettings");
      } else await startPrivacy(turn);
      return;
    case "lostPin":
      if (flow === "intake") {
        turn.sayKey("intake:finishFirst");
        return;
      }
      turn.sayKey(
        (await turn.ctx.desk.requestNewPin(turn.ctx.identityId)) === "requested"
          ? "privacy:pinRequested"
          : "privacy:pinRequestNoReports",
      );
      turn.setState({ flow: "idle" });
      return;
    case "cancel":
      if (flow === "intake") turn.sayKey("intake:cancelled");
      else if (flow === "status") turn.sayKey("common:stopped");
      else turn.sayKey("common:nothingToCancel");
      turn.setState({ flow: "idle" });
      return;
    case "menu":
      // A long report must not be lost to a stray "menu": say how to stop instead.
      if (flow === "intake") turn.sayKey("intake:menuDuringReport");
      else turn.setState({ flow: "idle" });
      return;
    case "report":
      if (flow === "intake") turn.sayKey("intake:alreadyInProgress");
      else await startIntake(turn);
      return;
    case "status":
    case "myReports":
      if (flow === "intake") {
        turn.sayKey("intake:finishFirst");
        return;
      }
      await startStatus(turn, {
        ...(command.kind === "status" && command.reference ? { reference: command.reference } : {}),
        ...(command.kind === "status" && command.pin ? { pin: command.pin } : {}),
        mine: command.kind === "myReports",
      });
      return;
  }
}

/** The question the conversation is waiting on: a step's prompt, the language choice, or the menu. */
function currentQuestion(turn: Turn) {
  const { doc, t } = turn;
  if (doc.confirmingCommand) return confirmationPrompt(doc.confirmingCommand, t);
  if (doc.askingLanguage) return languagePrompt(t);
  const state = doc.state;
  if (state.flow === "intake") return intakePrompt(state, t);
  if (state.flow === "status") return statusPrompt(state, t);
  if (state.flow === "settings") return privacyPrompt(state, t);
  return menuMessage(t);
}

/** Ends every turn with the question the person is expected to answer, so no reply is a dead end. */
function addPrompt(turn: Turn): void {
  const question = currentQuestion(turn);
  if (turn.doc.confirmingCommand || turn.doc.askingLanguage || turn.doc.state.flow !== "idle") {
    turn.replies.push(question);
    return;
  }
  if (turn.suppressMenu) return;
  const last = turn.replies[turn.replies.length - 1];
  if (last && !last.choices) last.choices = question.choices as NonNullable<typeof last.choices>;
  else turn.replies.push(question);
}
