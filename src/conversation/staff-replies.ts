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
  const t = turn.t;
  const status =
    state.status === "CLOSED" && state.resolution
      ? `${t("staff:statusName.CLOSED")} (${resolutionLabel(t, state.resolution)})`
      : statusLabel(t, state.status, state.stage);
  const parts = [t("staff:state.status", { reference: state.reference, status })];
  if (state.officeName) parts.push(t("staff:state.office", { office: state.officeName }));
  if (state.assigneeName && state.status !== "CLOSED")
    parts.push(t("staff:state.assignee", { name: state.assigneeName }));
  const time = timeOf(turn, state.changedAt, state.provinceCode);
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
  const who = entry.who ? t("staff:history.by", { name: entry.who }) : "";
  if (entry.kind === "message") {
    const key =
      entry.type === "FROM_REPORTER"
        ? "staff:details.fromReporter"
        : entry.type === "NOTE"
          ? "staff:details.note"
          : "staff:details.toReporter";
    return `• ${time} · ${t(key, { name: entry.who ?? "-" })}: "${entry.text ?? ""}"`;
  }
  if (entry.kind === "service") {
    const service = t(`staff:serviceName.${entry.type}`);
    const stage = t(`staff:stageName.${entry.detail ?? "RECOVERY"}`);
    return `• ${time} · ${t("staff:history.service", { service, stage })}${entry.text ? ` – ${entry.text}` : ""}${who}`;
  }
  const known = t(HISTORY_EVENTS.has(entry.type) ? `staff:historyEvent.${entry.type}` : "staff:historyEvent.OTHER", {
    type: entry.type,
    from: entry.fromStatus ? t(`staff:statusName.${entry.fromStatus}`) : "-",
    to: entry.toStatus
      ? statusLabel(t, entry.toStatus, entry.type === "STATUS_CHANGED" && isStage(entry.detail) ? entry.detail : null)
      : "-",
    detail: entry.type === "CLOSED" && entry.detail ? resolutionLabel(t, entry.detail as never) : (entry.detail ?? "-"),
  });
  return `• ${time} · ${known}${who}`;
}

/** Turns what the desk did into words for the staff member, asking a follow-up question where one is needed. */
export function sayOutcome(turn: Turn, outcome: StaffOutcome): void {
  const t = turn.t;
  switch (outcome.kind) {
    case "not_found":
      turn.sayKey("staff:caseNotFound", { reference: outcome.reference });
      return;
    case "not_allowed":
      turn.sayKey("staff:notAllowed", { reference: outcome.reference });
      return;
    case "moved_away":
      turn.sayKey("staff:movedAway", { reference: outcome.reference });
      return;
    case "copy_only":
      turn.sayKey("staff:copyOnly", { reference: outcome.reference });
      return;
    case "supervisors_only":
      turn.sayKey("staff:supervisorsOnly", { reference: outcome.reference });
      return;
    case "closed_already":
      turn.sayKey("staff:closedAlready", { reference: outcome.reference });
      return;
    case "accepted":
      turn.sayKey("staff:accepted", { reference: outcome.reference, name: turn.ctx.staff?.name ?? "" });
      return;
    case "already_accepted": {
      const { state } = outcome;
      const time = timeOf(turn, state.changedAt, state.provinceCode);
      if (state.assigneeName && state.assigneeName === turn.ctx.staff?.name)
        turn.sayKey("staff:alreadyYours", { reference: state.reference, time });
      else
        turn.sayKey("staff:alreadyAccepted", {
          reference: state.reference,
          name: state.assigneeName ?? "-",
          time,
          you: turn.ctx.staff?.name ?? "",
        });
      return;
    }
    case "changed_meanwhile":
      turn.sayKey("staff:changedMeanwhile", {
        state: stateLine(turn, outcome.state),
        reference: outcome.state.reference,
      });
      return;
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
      const text =
        change.kind === "close"
          ? t("staff:confirm.close", { reference, resolution: resolutionLabel(t, change.resolution) })
          : t("staff:confirm.transfer", { reference, office: change.officeName });
      turn.askStaff(text, confirmChoices(t, yes ?? "", reference), { confirm: true });
      return;
    }
    case "cancelled":
      turn.sayKey("staff:cancelled", { reference: outcome.reference });
      return;
    case "closed":
      turn.sayKey("staff:closed", { reference: outcome.reference, resolution: resolutionLabel(t, outcome.resolution) });
      return;
    case "reopen_needs_reason":
      turn.sayKey("staff:reopenNeedsReason", { reference: outcome.reference });
      return;
    case "not_closed":
      turn.sayKey("staff:notClosed", { reference: outcome.reference });
      return;
    case "purged":
      turn.sayKey("staff:purged", { reference: outcome.reference });
      return;
    case "reopened":
      turn.sayKey("staff:reopened", { reference: outcome.reference, status: t(`staff:statusName.${outcome.status}`) });
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
    case "choose_assignee":
      if (outcome.colleagues.length === 0) {
        turn.sayKey("staff:chooseAssigneeNone", { reference: outcome.reference });
        return;
      }
      turn.askStaff(
        t("staff:chooseAssignee", { reference: outcome.reference }),
        outcome.colleagues.map((c) => ({ id: actionChoiceId("asg", outcome.reference, c.id), label: c.name })),
      );
      return;
    case "unknown_staff":
      if (outcome.matches.length > 1)
        turn.sayKey("staff:ambiguousStaff", { name: outcome.name, matches: outcome.matches.join(", ") });
      else turn.sayKey("staff:unknownStaff", { name: outcome.name, reference: outcome.reference });
      return;
    case "assigned":
      turn.sayKey("staff:assigned", { reference: outcome.reference, name: outcome.name });
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
    case "service_recorded":
      turn.sayKey("staff:serviceRecorded", {
        reference: outcome.reference,
        service: t(`staff:serviceName.${outcome.service}`),
        stage: t(`staff:stageName.${outcome.stage}`),
      });
      return;
    case "consent_withdrawn":
      turn.sayKey("staff:consentBlocked", { reference: outcome.reference });
      return;
    case "pin_reissued":
      turn.sayKey("staff:pinReissued", { reference: outcome.reference });
      return;
    case "pin_held":
      turn.sayKey("staff:pinHeld", { reference: outcome.reference });
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
