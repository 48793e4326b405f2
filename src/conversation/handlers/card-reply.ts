import { matchChoice, type UserInput } from "../choices.ts";
import { answerFollowUp } from "../privacy.ts";
import { listCases, onCard, runChoice } from "../staff.ts";
import type { StaffPrompt } from "../state.ts";
import type { Turn } from "../turn.ts";
import { bareNumber, type MessageHandler } from "./message-handler.ts";

/** Words that mean yes / no to a confirmation, and "the next page". */
function saysWord(turn: Turn, key: string, text: string): boolean {
  const typed = text
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, "");
  return turn.allLanguages.some((t) => t(key).split("|").includes(typed));
}

/**
 * The answer to the question just asked this staff member: a number among its choices, "ya" /
 * "batal" to a confirmation, "lagi" for the next page, or the words of one of its choices.
 * False when the message is something else (the question is then dropped).
 */
async function answerPrompt(turn: Turn, prompt: StaffPrompt, text: string): Promise<boolean> {
  const staff = turn.ctx.staff;
  if (!staff) return false;
  if (prompt.more && saysWord(turn, "staff:moreWords", text)) {
    await listCases(turn, staff, prompt.more.filter, prompt.more.offset);
    return true;
  }
  if (prompt.choices.length === 0) return false;
  const number = bareNumber(text);
  if (number !== null) {
    const choice = prompt.choices[number - 1];
    if (!choice) {
      turn.suppressMenu = true;
      turn.sayKey("staff:pickNumber", { count: prompt.choices.length });
      // The question stands: the person may still pick.
      turn.doc.staffPrompt = prompt;
      return true;
    }
    await runChoice(turn, choice.id);
    return true;
  }
  if (prompt.confirm) {
    const yes = saysWord(turn, "staff:confirm.yesWords", text);
    const no = saysWord(turn, "staff:confirm.noWords", text);
    const choice = yes ? prompt.choices[0] : no ? prompt.choices[1] : undefined;
    if (!choice) return false;
    await runChoice(turn, choice.id);
    return true;
  }
  // Words may pick only among the choices the person is looking at now.
  const id = matchChoice(
    { text },
    prompt.choices.map((choice) => ({ id: choice.id, label: { text: choice.label } })),
    [],
  );
  if (!id) return false;
  await runChoice(turn, id);
  return true;
}

/** True when the latest message with choices in this chat is that question. */
function isShowing(turn: Turn, prompt: StaffPrompt | null): boolean {
  const latest = turn.ctx.latestChoices;
  if (!prompt || !latest || prompt.choices.length !== latest.length) return false;
  return prompt.choices.every((choice, i) => choice.id === latest[i]?.id);
}

/** A reporter's answer to a check-in ("has anyone contacted you?") they received between flows. */
function checkInAnswer(turn: Turn, input: UserInput): string | null {
  const latest = turn.ctx.latestChoices;
  if (!latest?.some((choice) => choice.id.startsWith("f:"))) return null;
  const id = matchChoice(
    input,
    latest.map((choice) => ({ id: choice.id, label: { text: choice.label } })),
    [],
  );
  return id?.startsWith("f:") ? id : null;
}

/**
 * Second: a reply to a card or to a question the bot asked. A pressed button carries its case and
 * action. A staff member's bare number (or a card quoted on WhatsApp) acts only on a card the chat
 * has received: the quoted one, or the only one of the last 15 minutes; otherwise the bot asks
 * which case. Typed words are never matched against a card's buttons. A staff member in the
 * middle of a flow of their own (writing a report) is not taken away by a card; a reporter's
 * answer to a check-in still works.
 */
export const cardReplyHandler: MessageHandler = {
  name: "card-reply",
  async handle(turn, input) {
    // Case buttons (x:), check-in answers (f:) and referral steps (r:).
    if (input.choiceId !== undefined && /^[xfr]:/.test(input.choiceId)) {
      await runChoice(turn, input.choiceId);
      return true;
    }
    if (input.text === undefined || input.choiceId !== undefined) return false;
    const staff = turn.ctx.staff?.active ? turn.ctx.staff : null;
    if (!staff) {
      const id = checkInAnswer(turn, input);
      if (!id) return false;
      await answerFollowUp(turn, id);
      return true;
    }
    const number = bareNumber(input.text);
    if (number !== null && input.replyTo) {
      const quoted = await turn.ctx.staffDesk.quotedCard(turn.ctx.identityId, input.replyTo);
      if (quoted) {
        await onCard(turn, { kind: "number", number }, quoted);
        return true;
      }
    }
    // A case card that came after the question is what a bare number answers: "1" meant to accept
    // it must not answer the older question (and send a referral, say).
    const cardCameAfter =
      number !== null &&
      !isShowing(turn, turn.pendingPrompt) &&
      (turn.ctx.latestChoices?.some((choice) => choice.id.startsWith("x:")) ?? false);
    if (turn.pendingPrompt && !cardCameAfter && (await answerPrompt(turn, turn.pendingPrompt, input.text))) return true;
    // The last thing shown with choices is a question that has lapsed, not a card: ask again.
    if (number !== null && isShowing(turn, turn.expiredPrompt)) {
      turn.suppressMenu = true;
      turn.sayKey("staff:promptExpired");
      return true;
    }
    const ownFlow = turn.doc.state.flow !== "idle" || turn.doc.askingLanguage;
    const cardIsLatest = turn.ctx.latestChoices?.some((choice) => choice.id.startsWith("x:")) ?? false;
    if (number === null || ownFlow || !cardIsLatest) return false;
    await onCard(turn, { kind: "number", number }, null);
    return true;
  },
};
