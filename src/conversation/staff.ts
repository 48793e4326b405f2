import type { Choice } from "../channels/types.ts";
import type { CaseFilter, ReceivedCard, StaffAction, StaffActor } from "../domain/staff-actions.ts";
import { actionFromChoice, actionId } from "./action-ids.ts";
import { caseLineText, localTime, placeLabel } from "./notices.ts";
import { answerFollowUp } from "./privacy.ts";
import { referralStep, startReferral } from "./referral-dialogue.ts";
import { referralOutcomeText } from "./referral-replies.ts";
import { type CaselessAction, type ReferralCommand, type StaffCommand, withReference } from "./staff-commands.ts";
import { sayOutcome } from "./staff-replies.ts";
import type { Turn } from "./turn.ts";

/** A card answers a bare number only when it reached the chat this recently, and it is the only one. */
export const RECENT_CARD_MS = 15 * 60_000;
/** How far back "which case?" looks for the open cards a chat received. */
const OPEN_CARDS_LOOKBACK_MS = 3 * 24 * 60 * 60_000;
/** At most this many cases are offered as choices. */
const MAX_CASE_CHOICES = 9;

/** The active staff member behind this message, or null after saying why they cannot act (and auditing it). */
async function activeStaff(turn: Turn, attempted: StaffAction | null): Promise<StaffActor | null> {
  turn.suppressMenu = true;
  const staff = turn.ctx.staff;
  if (!staff?.active) {
    if (attempted)
      await turn.ctx.staffDesk.refuse(turn.ctx.senderIdentityId, attempted, staff ? "inactive" : "not_staff");
    // In a group, someone who is not staff gets no answer: the group is not a place to argue.
    if (!staff && !turn.ctx.inGroup) turn.sayKey("staff:notStaff");
    if (staff) turn.sayKey("staff:inactive");
    return null;
  }
  return staff;
}

/**
 * Runs a typed staff command: enrolment, the case list, or an action on a case. A command
 * without a reference acts on the quoted card, if the message quoted one.
 */
export async function runStaffCommand(turn: Turn, command: StaffCommand, quoted: ReceivedCard | null): Promise<void> {
  turn.suppressMenu = true;
  switch (command.kind) {
    case "usage":
      turn.sayKey(
        command.example.startsWith("/staff") || command.example.startsWith("/petugas")
          ? "staff:enrolUsage"
          : "staff:usage",
        {
          example: command.example,
        },
      );
      return;
    case "enrol":
      await enrol(turn, command.code);
      return;
    case "action":
      await runStaffAction(turn, command.action);
      return;
    case "caseless": {
      if (!(await activeStaff(turn, null))) return;
      await onCard(turn, { kind: "caseless", action: command.action }, quoted);
      return;
    }
    case "cases": {
      const staff = await activeStaff(turn, null);
      if (staff) await listCases(turn, staff, command.filter, 0);
      return;
    }
    case "webLogin": {
      const staff = await activeStaff(turn, null);
      if (staff) await sendWebLink(turn, staff);
      return;
    }
    case "referral": {
      const staff = await activeStaff(turn, null);
      if (staff) await runReferralCommand(turn, staff, command.command);
      return;
    }
    case "webLogout": {
      const staff = await activeStaff(turn, null);
      if (staff) turn.sayKey("staff:web.loggedOut", { count: await turn.ctx.staffDesk.endWebSessions(staff) });
      return;
    }
    case "more": {
      const staff = await activeStaff(turn, null);
      const more = turn.pendingPrompt?.more;
      if (!staff) return;
      if (more) await listCases(turn, staff, more.filter, more.offset);
      else turn.sayKey("staff:nothingMore");
      return;
    }
  }
}

/** A partner's referral command: the list, an answer (an acceptance brings the story), done. */
async function runReferralCommand(turn: Turn, staff: StaffActor, command: ReferralCommand): Promise<void> {
  const referrals = turn.ctx.referrals;
  if (command.kind === "make") {
    if (staff.role === "PARTNER") turn.sayKey("staff:referral.make.officesOnly");
    else if (!referrals) turn.sayKey("staff:referral.make.unavailable");
    else await startReferral(turn, staff, referrals, command);
    return;
  }
  if (staff.role !== "PARTNER" || !referrals) {
    turn.sayKey("staff:referral.partnersOnly");
    return;
  }
  if (command.kind === "list") {
    const list = await referrals.forPartner(staff);
    if (list.length === 0) {
      turn.sayKey("staff:referral.listEmpty");
      return;
    }
    const lines = list.slice(0, 10).map((r) => {
      const status = turn.t(`staff:referral.status.${r.status}`);
      const due =
        r.status === "PENDING" && !r.overdue
          ? ` (${turn.t("staff:referral.listDue", { time: localTime(r.dueAt, null, turn.doc.language) })})`
          : "";
      return turn.t("staff:referral.listLine", {
        code: r.code,
        services: r.services.map((s) => turn.t(`staff:serviceName.${s}`)).join(", "),
        status: `${status}${due}`,
      });
    });
    turn.say([turn.t("staff:referral.listTitle"), ...lines, turn.t("staff:referral.listHint")].join("\n"));
    return;
  }
  if (command.kind === "decline" && !command.reason) {
    turn.sayKey("staff:referral.declineUsage", { code: command.code });
    return;
  }
  if (command.kind === "service") {
    if (!command.service) {
      turn.sayKey("staff:referral.serviceUsage", { code: command.code });
      return;
    }
    // A day typed is that day in Indonesia (midnight UTC reads as it, as the web's date field does).
    const givenOn = command.givenOn ? new Date(`${command.givenOn}T00:00:00Z`) : turn.ctx.now;
    const recorded = await referrals.recordService(staff, command.code, command.service, givenOn);
    turn.say(referralOutcomeText({ t: turn.t, language: turn.doc.language }, recorded).text);
    return;
  }
  const outcome =
    command.kind === "done"
      ? await referrals.complete(staff, command.code)
      : await referrals.answer(
          staff,
          command.code,
          command.kind === "accept" ? { accept: true } : { accept: false, reason: command.reason ?? "OTHER" },
        );
  const said = referralOutcomeText({ t: turn.t, language: turn.doc.language }, outcome).text;
  // The story comes in the partner's own chat only, once their organisation accepted.
  const story =
    outcome.kind === "answered" && outcome.story && !turn.ctx.inGroup
      ? `\n\n${turn.t("staff:referral.story", { code: outcome.referral.code, story: outcome.story })}`
      : "";
  turn.say(`${said}${story}`);
}

/** `/masuk`: a one-time link to the web inbox, in the staff member's own chat only. */
async function sendWebLink(turn: Turn, staff: StaffActor): Promise<void> {
  const outcome = await turn.ctx.staffDesk.webLoginLink(staff, {
    chatIdentityId: turn.ctx.identityId,
    inGroup: turn.ctx.inGroup,
  });
  switch (outcome.kind) {
    case "link":
      turn.sayKey("staff:web.link", { url: outcome.url, minutes: minutesUntil(turn, outcome.expiresAt) });
      return;
    case "off":
      turn.sayKey("staff:web.off");
      return;
    case "private_only":
      turn.sayKey("staff:web.privateOnly");
      return;
  }
}

async function enrol(turn: Turn, code: string): Promise<void> {
  const outcome = await turn.ctx.staffDesk.enrol(turn.ctx.senderIdentityId, code);
  switch (outcome.kind) {
    case "enrolled":
      turn.setLanguage(outcome.staff.language);
      turn.effects.push({ type: "staffEnrolled" });
      // Partner staff work on referrals to their organisation, never on an office's case list.
      turn.sayKey(outcome.staff.role === "PARTNER" ? "staff:enrolledPartner" : "staff:enrolled", {
        name: outcome.staff.name,
        office: outcome.officeName,
        role: turn.t(`staff:roleName.${outcome.staff.role}`),
      });
      return;
    case "already":
      turn.sayKey("staff:enrolAlready", { name: outcome.staff.name });
      return;
    case "expired":
      turn.sayKey("staff:enrolExpired");
      return;
    case "invalid":
      turn.sayKey("staff:enrolInvalid");
      return;
    case "limited":
      turn.sayKey("staff:enrolLimited", {
        time: turn.t("staff:minutes", { count: minutesUntil(turn, outcome.until) }),
      });
      return;
  }
}

function minutesUntil(turn: Turn, until: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - turn.ctx.now.getTime()) / 60_000));
}

/** Runs an action on a case from a card button or a command, after checking the sender is active staff. */
export async function runStaffAction(turn: Turn, action: StaffAction): Promise<void> {
  const staff = await activeStaff(turn, action);
  if (!staff) return;
  sayOutcome(turn, await turn.ctx.staffDesk.act(staff, action));
}

/** Runs the choice behind a button id: a staff action, or an answer to a reporter's check-in. */
export async function runChoice(turn: Turn, choiceId: string): Promise<void> {
  if (choiceId.startsWith("f:")) {
    await answerFollowUp(turn, choiceId);
    return;
  }
  if (choiceId.startsWith("r:")) {
    const staff = await activeStaff(turn, null);
    const referrals = turn.ctx.referrals;
    if (!staff) return;
    if (staff.role !== "PARTNER" && referrals && (await referralStep(turn, staff, referrals, choiceId))) return;
    turn.sayKey("staff:staleButton");
    return;
  }
  const action = actionFromChoice(choiceId);
  if (action) await runStaffAction(turn, action);
  else {
    // A button of an older version of the bot, or one whose question has passed.
    turn.suppressMenu = true;
    if (turn.ctx.staff?.active) turn.sayKey("staff:staleButton");
  }
}

/** What a staff member meant without naming a case: a number from a card, or a command without a reference. */
export type CardIntent = { kind: "number"; number: number } | { kind: "caseless"; action: CaselessAction };

/**
 * Acts on the card a staff member means: the quoted one, else the only card this chat received
 * in the last 15 minutes; otherwise it asks which case, listing the open cards the chat has.
 * Only cards the chat has on screen count (sent, not still waiting in the outbox).
 */
export async function onCard(turn: Turn, intent: CardIntent, quoted: ReceivedCard | null): Promise<void> {
  turn.suppressMenu = true;
  const { staffDesk, identityId, now } = turn.ctx;
  const recent = quoted
    ? [quoted]
    : await staffDesk.receivedCards(identityId, new Date(now.getTime() - RECENT_CARD_MS));
  if (recent.length === 1 && recent[0]) {
    await applyToCard(turn, intent, recent[0]);
    return;
  }
  const candidates =
    recent.length > 1
      ? recent
      : (await staffDesk.receivedCards(identityId, new Date(now.getTime() - OPEN_CARDS_LOOKBACK_MS))).filter(
          (card) => card.facts.status !== "CLOSED",
        );
  const options: Choice[] = [];
  for (const card of candidates.slice(0, MAX_CASE_CHOICES)) {
    const choice = choiceFor(turn, intent, card);
    if (choice) options.push({ id: choice.id, label: `${choice.label} · ${cardSummary(turn, card)}` });
  }
  if (options.length === 0) {
    turn.sayKey(candidates.length === 0 ? "staff:noCards" : "staff:numberOnNoCard");
    return;
  }
  turn.askStaff(turn.t("staff:whichCase"), options);
}

async function applyToCard(turn: Turn, intent: CardIntent, card: ReceivedCard): Promise<void> {
  const choice = choiceFor(turn, intent, card);
  if (choice) {
    await runChoice(turn, choice.id);
    return;
  }
  if (intent.kind === "number")
    turn.sayKey("staff:numberNotOnCard", { reference: card.reference, count: card.choices.length });
  else await runStaffAction(turn, withReference(intent.action, card.reference));
}

const ACTION_LABELS: Record<CaselessAction["kind"], string> = {
  accept: "staff:card.accept",
  details: "staff:card.details",
  history: "staff:card.history",
  setStatus: "staff:card.setStatus",
  close: "staff:card.close",
  access: "staff:card.access",
  service: "staff:card.service",
};

/** The button that does what was meant on one card: its n-th choice, or the command for its case. */
function choiceFor(turn: Turn, intent: CardIntent, card: ReceivedCard): Choice | null {
  if (intent.kind === "number") return card.choices[intent.number - 1] ?? null;
  const id = actionId(withReference(intent.action, card.reference));
  return id ? { id, label: turn.t(ACTION_LABELS[intent.action.kind]) } : null;
}

/** A card in a few words, so staff can tell cases apart: reference, category, place, urgency. */
function cardSummary(turn: Turn, card: ReceivedCard): string {
  const t = turn.t;
  const urgent = card.facts.urgency === "URGENT" ? t("staff:urgentMark") : "";
  return `${card.reference} · ${t(`intake:category.${card.facts.category}`)} · ${placeLabel(t, card.facts)}${urgent}`;
}

/** One page of `/kasus`; when more follow, "lagi" shows the next. */
export async function listCases(turn: Turn, staff: StaffActor, filter: CaseFilter, offset: number): Promise<void> {
  const t = turn.t;
  const page = await turn.ctx.staffDesk.listCases(
    staff,
    { chatIdentityId: turn.ctx.identityId, inGroup: turn.ctx.inGroup },
    filter,
    offset,
  );
  if (page.noScope) {
    turn.sayKey("staff:caseListGroupNone");
    return;
  }
  if (page.unknownPlace && filter.kind === "place") {
    turn.sayKey("staff:unknownPlace", { text: filter.text });
    return;
  }
  const filterName = filterLabel(turn, filter);
  if (page.total === 0 || page.lines.length === 0) {
    turn.say(filter.kind === "all" ? t("staff:caseListEmpty") : t("staff:caseListEmptyFilter", { filter: filterName }));
    return;
  }
  const to = page.offset + page.lines.length;
  const lines = [
    t(filter.kind === "all" ? "staff:caseListTitle" : "staff:caseListTitleFilter", {
      from: page.offset + 1,
      to,
      total: page.total,
      filter: filterName,
    }),
    ...page.lines.map((line) => caseLineText(t, line, turn.ctx.now, turn.doc.language)),
  ];
  if (to < page.total) {
    lines.push("", t("staff:caseListMore", { count: Math.min(page.total - to, page.lines.length) }));
    turn.askStaff(lines.join("\n"), [], { more: { filter, offset: to } });
  } else {
    if (page.offset > 0) lines.push("", t("staff:caseListEnd"));
    turn.say(lines.join("\n"));
  }
}

function filterLabel(turn: Turn, filter: CaseFilter): string {
  const t = turn.t;
  switch (filter.kind) {
    case "status":
      return t(`staff:statusName.${filter.status}`);
    case "place":
      return filter.text;
    default:
      return t(`staff:filterName.${filter.kind}`);
  }
}
