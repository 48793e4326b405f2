import type { Choice, OutboundMessage } from "../channels/types.ts";
import { ASSISTANCE_STAGES, type AssistanceStage, RESOLUTIONS } from "../domain/case.ts";
import { SERVICE_TYPES } from "../domain/case-services.ts";
import type { CaseStateNow, HistoryEntry, StaffOutcome } from "../domain/staff-actions.ts";
import { actionChoiceId, actionId } from "./action-ids.ts";
import { caseDetailsMessage, localTime, resolutionLabel, statusLabel } from "./notices.ts";
import type { Translate } from "./ports.ts";
import type { Turn } from "./turn.ts";

/** Sends something only the asking staff member may see: privately when they asked in a group. */
export function sayPrivately(turn: Turn, message: OutboundMessage, reference: string): void {
  if (turn.ctx.inGroup) {
    turn.effects.push({ type: "replyPrivately", message });
    turn.sayKey("staff:detailsSentPrivately", { reference });
  } else turn.replies.push(message);
}

/** A time as staff read it: in the case's province's zone, named (WIB, WITA, WIT). */
function timeOf(turn: Turn, at: Date, provinceCode: string | null): string {
  return localTime(at, provinceCode, turn.doc.language);
}

/** A case as it stands now, in one line: status (with resolution), office, assignee, last change. */
export function stateLine(turn: Turn, state: CaseStateNow): string {
  return stateText(turn.t, state, turn.doc.language);
}

/** `stateLine` for any reader: the words of a case's state in a language. */
export function stateText(t: Translate, state: CaseStateNow, language: "id" | "en"): string {
  const status =
    state.status === "CLOSED" && state.resolution
      ? `${t("staff:statusName.CLOSED")} (${resolutionLabel(t, state.resolution)})`
      : statusLabel(t, state.status, state.stage);
  const parts = [t("staff:state.status", { reference: state.reference, status })];
  if (state.officeName) parts.push(t("staff:state.office", { office: state.officeName }));
  if (state.assigneeName && state.status !== "CLOSED")
    parts.push(t("staff:state.assignee", { name: state.assigneeName }));
  const time = localTime(state.changedAt, state.provinceCode, language);
  parts.push(
    state.changedBy ? t("staff:state.changedBy", { name: state.changedBy, time }) : t("staff:state.changed", { time }),
  );
  return parts.join(", ");
}

function confirmChoices(t: Translate, yesId: string, reference: string): Choice[] {
  return [
    { id: yesId, label: t("staff:confirm.yes") },
    { id: actionChoiceId("no", reference), label: t("staff:confirm.no") },
  ];
}

const isStage = (value: string | null | undefined): value is AssistanceStage =>
  (ASSISTANCE_STAGES as readonly string[]).includes(value ?? "");

/** Event types with words of their own in the history; others are named by their code. */
export const HISTORY_EVENTS: ReadonlySet<string> = new Set([
  "RECEIVED",
  "ROUTED",
  "COPIED",
  "CARD_FALLBACK",
  "CARD_WAITING",
  "ACKNOWLEDGED",
  "STATUS_CHANGED",
  "CLOSED",
  "REOPENED",
  "TRANSFERRED",
  "ESCALATED",
  "ESCALATION_BLOCKED",
  "ASSIGNED",
  "UNASSIGNED",
  "PIN_REISSUED",
  "PIN_REQUESTED",
  "VICTIM_ACCESS_ISSUED",
  "LOOKUP_FLAGGED",
  "DURESS_PIN_USED",
  "DURESS_PIN_SET",
  "CONTACT_OPT_OUT",
  "CONSENT_WITHDRAWN",
  "CONTACT_ERASED",
  "ATTACHMENT_ADDED",
  "CHECKIN_SENT",
  "CHECKIN_WITHHELD",
  "CHECKIN_ANSWERED",
  "ACK_REMINDER",
  "STALE_REMINDER",
  "SERVICE_REMINDER",
  "SERVICE_DEADLINE",
  "RETRAFFICKING_RISK",
  "PURGED",
]);

/** One history entry as a line. */
function historyLine(turn: Turn, entry: HistoryEntry, provinceCode: string | null): string {
  const t = turn.t;
  const time = timeOf(turn, entry.at, provinceCode);
  const who = entry.who && entry.kind !== "message" ? t("staff:history.by", { name: entry.who }) : "";
  return `• ${time} · ${historyEntryText(t, entry)}${who}`;
}

/** What one history entry says, without its time and author (the chat's line, the web's timeline). */
export function historyEntryText(t: Translate, entry: HistoryEntry): string {
  if (entry.kind === "message") {
    const key =
      entry.type === "FROM_REPORTER"
        ? "staff:details.fromReporter"
        : entry.type === "NOTE"
          ? "staff:details.note"
          : "staff:details.toReporter";
    return `${t(key, { name: entry.who ?? "-" })}: "${entry.text ?? ""}"`;
  }
  if (entry.kind === "service") {
    const service = t(`staff:serviceName.${entry.type}`);
    const stage = t(`staff:stageName.${entry.detail ?? "RECOVERY"}`);
    return `${t("staff:history.service", { service, stage })}${entry.text ? ` – ${entry.text}` : ""}`;
  }
  return t(HISTORY_EVENTS.has(entry.type) ? `staff:historyEvent.${entry.type}` : "staff:historyEvent.OTHER", {
    type: entry.type,
    from: entry.fromStatus ? t(`staff:statusName.${entry.fromStatus}`) : "-",
    to: entry.toStatus
      ? statusLabel(t, entry.toStatus, entry.type === "STATUS_CHANGED" && isStage(entry.detail) ? entry.detail : null)
      : "-",
    detail: entry.type === "CLOSED" && entry.detail ? resolutionLabel(t, entry.detail as never) : (entry.detail ?? "-"),
  });
}

/** Turns what the desk did into words for the staff member, asking a follow-up question where one is needed. */
export function sayOutcome(turn: Turn, outcome: StaffOutcome): void {
  const t = turn.t;
  switch (outcome.kind) {
    case "details":
      sayPrivately(
        turn,
        caseDetailsMessage(t, outcome.details, (d) => timeOf(turn, d, outcome.details.provinceCode)),
        outcome.details.reference,
      );
      return;
    case "history": {
      const lines = [
        t("staff:history.title", { reference: outcome.reference, page: outcome.page, pages: outcome.pages }),
        ...outcome.entries.map((entry) => historyLine(turn, entry, outcome.provinceCode)),
      ];
      if (outcome.page < outcome.pages)
        lines.push("", t("staff:history.more", { reference: outcome.reference, next: outcome.page + 1 }));
      sayPrivately(turn, { text: lines.join("\n") }, outcome.reference);
      return;
    }
    case "choose_status":
      turn.askStaff(
        t("staff:chooseStatus", { reference: outcome.reference, status: t(`staff:statusName.${outcome.current}`) }),
        outcome.allowed.map((status) => ({
          id:
            status === "CLOSED"
              ? actionChoiceId("cl", outcome.reference)
              : actionChoiceId("st", outcome.reference, status),
          label: t(`staff:statusName.${status}`),
        })),
      );
      return;
    case "choose_stage":
      turn.askStaff(
        t("staff:chooseStage", { reference: outcome.reference }),
        ASSISTANCE_STAGES.map((stage) => ({
          id: actionChoiceId("st", outcome.reference, "ASSISTANCE", stage),
          label: t(`staff:stageName.${stage}`),
        })),
      );
      return;
    case "choose_resolution":
      turn.askStaff(
        t("staff:chooseResolution", { reference: outcome.reference }),
        RESOLUTIONS.map((resolution) => ({
          id: actionChoiceId("cl", outcome.reference, resolution),
          label: resolutionLabel(t, resolution),
        })),
      );
      return;
    case "confirm": {
      const { change, reference, version } = outcome;
      const yes =
        change.kind === "close"
          ? actionId({ kind: "close", reference, resolution: change.resolution, confirmed: version })
          : actionId({ kind: "transfer", reference, officeCode: change.officeCode, confirmed: version });
      turn.askStaff(
        outcomeText(t, outcome, turn.ctx.staff?.name ?? "", turn.doc.language),
        confirmChoices(t, yes ?? "", reference),
        {
          confirm: true,
        },
      );
      return;
    }
    case "choose_assignee":
      if (outcome.colleagues.length === 0) break;
      turn.askStaff(
        t("staff:chooseAssignee", { reference: outcome.reference }),
        outcome.colleagues.map((c) => ({ id: actionChoiceId("asg", outcome.reference, c.id), label: c.name })),
      );
      return;
    case "choose_service":
      turn.askStaff(
        t("staff:chooseService", { reference: outcome.reference }),
        SERVICE_TYPES.map((service) => ({
          id: actionChoiceId("svc", outcome.reference, service),
          label: t(`staff:serviceName.${service}`),
        })),
      );
      return;
    case "pin_shown":
    case "access_issued":
      sayPrivately(turn, { text: outcomeText(t, outcome, "", turn.doc.language) }, outcome.reference);
      return;
  }
  turn.say(outcomeText(t, outcome, turn.ctx.staff?.name ?? "", turn.doc.language));
}

/**
 * What the desk did, in one sentence, for the staff member `you` (the chat's reply, the web's
 * notice). Outcomes that ask a question give the question's text; details and history give their title.
 */
export function outcomeText(t: Translate, outcome: StaffOutcome, you: string, language: "id" | "en"): string {
  const time = (at: Date, provinceCode: string | null) => localTime(at, provinceCode, language);
  switch (outcome.kind) {
    case "not_found":
      return t("staff:caseNotFound", { reference: outcome.reference });
    case "not_allowed":
      return t("staff:notAllowed", { reference: outcome.reference });
    case "moved_away":
      return t("staff:movedAway", { reference: outcome.reference });
    case "copy_only":
      return t("staff:copyOnly", { reference: outcome.reference });
    case "supervisors_only":
      return t("staff:supervisorsOnly", { reference: outcome.reference });
    case "closed_already":
      return t("staff:closedAlready", { reference: outcome.reference });
    case "accepted":
      return t("staff:accepted", { reference: outcome.reference, name: you });
    case "already_accepted": {
      const { state } = outcome;
      const at = time(state.changedAt, state.provinceCode);
      if (state.assigneeName && state.assigneeName === you)
        return t("staff:alreadyYours", { reference: state.reference, time: at });
      return t("staff:alreadyAccepted", { reference: state.reference, name: state.assigneeName ?? "-", time: at, you });
    }
    case "changed_meanwhile":
      return t("staff:changedMeanwhile", {
        state: stateText(t, outcome.state, language),
        reference: outcome.state.reference,
      });
    case "details":
      return outcome.details.reference;
    case "history":
      return t("staff:history.title", { reference: outcome.reference, page: outcome.page, pages: outcome.pages });
    case "choose_status":
      return t("staff:chooseStatus", {
        reference: outcome.reference,
        status: t(`staff:statusName.${outcome.current}`),
      });
    case "choose_stage":
      return t("staff:chooseStage", { reference: outcome.reference });
    case "invalid_transition":
      return t("staff:invalidTransition", {
        reference: outcome.reference,
        from: t(`staff:statusName.${outcome.from}`),
        to: t(`staff:statusName.${outcome.to}`),
        allowed: outcome.allowed.map((s) => t(`staff:statusName.${s}`)).join(", ") || "-",
      });
    case "status_changed":
      return t("staff:statusChanged", {
        reference: outcome.reference,
        status: statusLabel(t, outcome.status, outcome.stage),
      });
    case "choose_resolution":
      return t("staff:chooseResolution", { reference: outcome.reference });
    case "confirm": {
      const { change, reference } = outcome;
      return change.kind === "close"
        ? t("staff:confirm.close", { reference, resolution: resolutionLabel(t, change.resolution) })
        : t("staff:confirm.transfer", { reference, office: change.officeName });
    }
    case "cancelled":
      return t("staff:cancelled", { reference: outcome.reference });
    case "closed":
      return t("staff:closed", { reference: outcome.reference, resolution: resolutionLabel(t, outcome.resolution) });
    case "reopen_needs_reason":
      return t("staff:reopenNeedsReason", { reference: outcome.reference });
    case "not_closed":
      return t("staff:notClosed", { reference: outcome.reference });
    case "purged":
      return t("staff:purged", { reference: outcome.reference });
    case "reopened":
      return t("staff:reopened", { reference: outcome.reference, status: t(`staff:statusName.${outcome.status}`) });
    case "noted":
      return t("staff:noted", { reference: outcome.reference });
    case "replied":
      return t("staff:replied", { reference: outcome.reference });
    case "cannot_reply":
      return t(outcome.why === "anonymous" ? "staff:cannotReplyAnonymous" : "staff:cannotReplyOtherNumber", {
        reference: outcome.reference,
      });
    case "unknown_office":
      return t("staff:unknownOffice", { office: outcome.officeCode });
    case "same_office":
      return t("staff:sameOffice", { reference: outcome.reference, office: outcome.officeCode });
    case "transferred":
      return t("staff:transferred", { reference: outcome.reference, office: outcome.officeName });
    case "copied":
      return t("staff:copied", { reference: outcome.reference, office: outcome.officeName });
    case "choose_assignee":
      return outcome.colleagues.length === 0
        ? t("staff:chooseAssigneeNone", { reference: outcome.reference })
        : t("staff:chooseAssignee", { reference: outcome.reference });
    case "unknown_staff":
      return outcome.matches.length > 1
        ? t("staff:ambiguousStaff", { name: outcome.name, matches: outcome.matches.join(", ") })
        : t("staff:unknownStaff", { name: outcome.name, reference: outcome.reference });
    case "assigned":
      return t("staff:assigned", { reference: outcome.reference, name: outcome.name });
    case "choose_service":
      return t("staff:chooseService", { reference: outcome.reference });
    case "service_recorded":
      return t("staff:serviceRecorded", {
        reference: outcome.reference,
        service: t(`staff:serviceName.${outcome.service}`),
        stage: t(`staff:stageName.${outcome.stage}`),
      });
    case "consent_withdrawn":
      return t("staff:consentBlocked", { reference: outcome.reference });
    case "pin_reissued":
      return t("staff:pinReissued", { reference: outcome.reference });
    case "pin_held":
      return t("staff:pinHeld", { reference: outcome.reference });
    case "pin_shown":
      return t(outcome.duress ? "staff:pinReissuedShowDuress" : "staff:pinReissuedShow", {
        reference: outcome.reference,
        pin: outcome.pin,
      });
    case "access_issued":
      return t("staff:accessIssued", { reference: outcome.reference, pin: outcome.pin });
  }
}
