import type { OutboundMessage } from "../channels/types.ts";
import { ASSISTANCE_STAGES, RESOLUTIONS } from "../domain/case.ts";
import type { StaffAction, StaffOutcome } from "../domain/staff-actions.ts";
import { actionChoiceId, caseDetailsMessage, caseLineText, resolutionLabel, statusLabel } from "./notices.ts";
import type { StaffCommand } from "./staff-commands.ts";
import type { Turn } from "./turn.ts";

/** Runs a typed staff command: enrolment, the case list, or an action on a case. */
export async function runStaffCommand(turn: Turn, command: StaffCommand): Promise<void> {
  turn.suppressMenu = true;
  if (command.kind === "usage") {
    turn.sayKey(
      command.example.startsWith("/staff") || command.example.startsWith("/petugas")
        ? "staff:enrolUsage"
        : "staff:usage",
      {
        example: command.example,
      },
    );
    return;
  }
  if (command.kind === "enrol") {
    await enrol(turn, command.code);
    return;
  }
  const staff = turn.ctx.staff;
  if (!staff) {
    // In a group, someone who is not staff gets no answer: the group is not a place to argue.
    if (!turn.ctx.inGroup) turn.sayKey("staff:notStaff");
    return;
  }
  if (!staff.active) {
    turn.sayKey("staff:inactive");
    return;
  }
  if (command.kind === "cases") {
    const lines = await turn.ctx.staffDesk.listCases(staff);
    if (lines.length === 0) turn.sayKey("staff:caseListEmpty");
    else
      turn.say(
        [turn.t("staff:caseListTitle", { count: lines.length }), ...lines.map((l) => caseLineText(turn.t, l))].join(
          "\n",
        ),
      );
    return;
  }
  await runStaffAction(turn, command.action);
}

async function enrol(turn: Turn, code: string): Promise<void> {
  const outcome = await turn.ctx.staffDesk.enrol(turn.ctx.senderIdentityId, code);
  switch (outcome.kind) {
    case "enrolled":
      turn.setLanguage(outcome.staff.language);
      turn.effects.push({ type: "staffEnrolled" });
      turn.sayKey("staff:enrolled", { name: outcome.staff.name, office: outcome.officeName });
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
  }
}

/** Runs an action on a case from a card button or a command, after checking the sender is active staff. */
export async function runStaffAction(turn: Turn, action: StaffAction): Promise<void> {
  turn.suppressMenu = true;
  const staff = turn.ctx.staff;
  if (!staff) {
    if (!turn.ctx.inGroup) turn.sayKey("staff:notStaff");
    return;
  }
  if (!staff.active) {
    turn.sayKey("staff:inactive");
    return;
  }
  sayOutcome(turn, await turn.ctx.staffDesk.act(staff, action));
}

/** Sends something only the asking staff member may see: privately when they asked in a group. */
function sayPrivately(turn: Turn, message: OutboundMessage, reference: string): void {
  if (turn.ctx.inGroup) {
    turn.effects.push({ type: "replyPrivately", message });
    turn.sayKey("staff:detailsSentPrivately", { reference });
  } else turn.replies.push(message);
}

function sayOutcome(turn: Turn, outcome: StaffOutcome): void {
  const t = turn.t;
  switch (outcome.kind) {
    case "not_found":
      turn.sayKey("staff:caseNotFound", { reference: outcome.reference });
      return;
    case "not_allowed":
      turn.sayKey("staff:notAllowed", { reference: outcome.reference });
      return;
    case "closed_already":
      turn.sayKey("staff:closedAlready", { reference: outcome.reference });
      return;
    case "accepted":
      turn.sayKey("staff:accepted", { reference: outcome.reference, name: turn.ctx.staff?.name ?? "" });
      return;
    case "details": {
      const format = new Intl.DateTimeFormat(turn.doc.language === "id" ? "id-ID" : "en-GB", {
        dateStyle: "medium",
        timeStyle: "short",
        timeZone: "Asia/Jakarta",
      });
      sayPrivately(
        turn,
        caseDetailsMessage(t, outcome.details, (d) => format.format(d)),
        outcome.details.reference,
      );
      return;
    }
    case "choose_status":
      turn.say(
        t("staff:chooseStatus", { reference: outcome.reference, status: t(`staff:statusName.${outcome.current}`) }),
        outcome.allowed.map((status) => ({
          id: actionChoiceId(
            status === "CLOSED" ? "cl" : "st",
            outcome.reference,
            status === "CLOSED" ? undefined : status,
          ),
          label: t(`staff:statusName.${status}`),
        })),
      );
      return;
    case "choose_stage":
      turn.say(
        t("staff:chooseStage", { reference: outcome.reference }),
        ASSISTANCE_STAGES.map((stage) => ({
          id: actionChoiceId("st", outcome.reference, `ASSISTANCE:${stage}`),
          label: t(`staff:stageName.${stage}`),
        })),
      );
      return;
    case "invalid_transition":
      turn.sayKey("staff:invalidTransition", {
        reference: outcome.reference,
        from: t(`staff:statusName.${outcome.from}`),
        to: t(`staff:statusName.${outcome.to}`),
        allowed: outcome.allowed.map((s) => t(`staff:statusName.${s}`)).join(", ") || "-",
      });
      return;
    case "status_changed":
      turn.sayKey("staff:statusChanged", {
        reference: outcome.reference,
        status: statusLabel(t, outcome.status, outcome.stage),
      });
      return;
    case "choose_resolution":
      turn.say(
        t("staff:chooseResolution", { reference: outcome.reference }),
        RESOLUTIONS.map((resolution) => ({
          id: actionChoiceId("cl", outcome.reference, resolution),
          label: resolutionLabel(t, resolution),
        })),
      );
      return;
    case "closed":
      turn.sayKey("staff:closed", { reference: outcome.reference, resolution: resolutionLabel(t, outcome.resolution) });
      return;
    case "noted":
      turn.sayKey("staff:noted", { reference: outcome.reference });
      return;
    case "replied":
      turn.sayKey("staff:replied", { reference: outcome.reference });
      return;
    case "cannot_reply":
      turn.sayKey(outcome.why === "anonymous" ? "staff:cannotReplyAnonymous" : "staff:cannotReplyOtherNumber", {
        reference: outcome.reference,
      });
      return;
    case "unknown_office":
      turn.sayKey("staff:unknownOffice", { office: outcome.officeCode });
      return;
    case "same_office":
      turn.sayKey("staff:sameOffice", { reference: outcome.reference, office: outcome.officeCode });
      return;
    case "transferred":
      turn.sayKey("staff:transferred", { reference: outcome.reference, office: outcome.officeName });
      return;
    case "copied":
      turn.sayKey("staff:copied", { reference: outcome.reference, office: outcome.officeName });
      return;
    case "consent_withdrawn":
      turn.sayKey("staff:consentBlocked", { reference: outcome.reference });
      return;
    case "pin_reissued":
      turn.sayKey("staff:pinReissued", { reference: outcome.reference });
      return;
    case "pin_shown":
      sayPrivately(
        turn,
        { text: t("staff:pinReissuedShow", { reference: outcome.reference, pin: outcome.pin }) },
        outcome.reference,
      );
      return;
    case "access_issued":
      sayPrivately(
        turn,
        { text: t("staff:accessIssued", { reference: outcome.reference, pin: outcome.pin }) },
        outcome.reference,
      );
      return;
  }
}
