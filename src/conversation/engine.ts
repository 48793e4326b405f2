import type { InboundMessage, OutboundMessage } from "../channels/types.ts";
import type { UserInput } from "./choices.ts";
import { confirmationPrompt } from "./command-confirmation.ts";
import { handleInOrder, MESSAGE_HANDLERS } from "./handlers/index.ts";
import { intakePrompt } from "./intake.ts";
import { languagePrompt, menuMessage } from "./menu.ts";
import type { TurnContext } from "./ports.ts";
import { privacyPrompt } from "./privacy.ts";
import { type ConversationDoc, newConversation, type StaffPrompt } from "./state.ts";
import { statusPrompt } from "./status-check.ts";
import { Turn, type TurnEffect } from "./turn.ts";

/** The outcome of one message: the new state to store, the replies to send, and effects. */
export interface TurnResult {
  doc: ConversationDoc;
  replies: OutboundMessage[];
  effects: TurnEffect[];
}

/** The parts of an inbound message the engine reads. */
export type EngineInput = Pick<
  InboundMessage,
  "text" | "choiceId" | "location" | "languageHint" | "attachments" | "unsupported" | "replyTo"
>;

/** A question asked of a staff member stands this long; after that a number means a card again. */
const STAFF_PROMPT_MS = 15 * 60_000;

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
    ...(message.replyTo !== undefined ? { replyTo: message.replyTo } : {}),
  };
  turn.firstContact = stored === null;
  // A question asked of a staff member is answered by their very next message, or dropped; in a
  // group, other people's messages leave it standing.
  const asked = doc.staffPrompt;
  doc.staffPrompt = undefined;
  const theirs = asked !== undefined && asked.staffId === ctx.staff?.id;
  turn.pendingPrompt = theirs && isFresh(asked, ctx.now) ? asked : null;
  turn.expiredPrompt = theirs && !isFresh(asked, ctx.now) ? asked : null;
  await handleInOrder(MESSAGE_HANDLERS, turn, input);
  const askedNow = doc.staffPrompt !== undefined;
  if (!askedNow && asked && !theirs && isFresh(asked, ctx.now)) doc.staffPrompt = asked;

  rememberAbroad(doc);
  if (!turn.answeredInvalid) doc.invalidAnswers = 0;
  // A question just asked of a staff member is the last thing shown: the flow's question waits.
  if (!askedNow) addPrompt(turn);
  doc.updatedAt = ctx.now.toISOString();
  const replies = joinReplies(turn.replies);
  return { doc, replies: turn.urgent ? replies.map((r) => ({ ...r, urgent: true })) : replies, effects: turn.effects };
}

function isFresh(prompt: StaffPrompt, now: Date): boolean {
  return now.getTime() - Date.parse(prompt.askedAt) < STAFF_PROMPT_MS;
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
