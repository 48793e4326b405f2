import type { CaseStatus } from "./case.ts";

/** The one table of allowed status changes (DESIGN §3); anything else is refused with a reason. */
export const STATUS_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  RECEIVED: ["ROUTED", "CLOSED"],
  ROUTED: ["ACKNOWLEDGED", "CLOSED"],
  ACKNOWLEDGED: ["ASSESSMENT", "CLOSED"],
  ASSESSMENT: ["ASSISTANCE", "CLOSED"],
  ASSISTANCE: ["MONITORING", "CLOSED"],
  MONITORING: ["ASSISTANCE", "CLOSED"],
  CLOSED: [],
};

/** True when a case may move from one status to another. */
export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

/** True when a status change is allowed, counting a new service stage within ASSISTANCE as one. */
export function canChangeStatus(from: CaseStatus, to: CaseStatus): boolean {
  return canTransition(from, to) || (from === "ASSISTANCE" && to === "ASSISTANCE");
}
