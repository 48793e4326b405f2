import type { AssistanceStage, CaseStatus, ReporterRole } from "./case.ts";

/** Who is asking: a third-party tipster sees coarse stages, a victim the service stage. */
export type StatusViewer = "TIPSTER" | "VICTIM";

/** The stages a tipster may see (DESIGN §2, check status). */
export type TipsterStage = "RECEIVED" | "FORWARDED" | "IN_PROGRESS" | "CLOSED";

/** What a status answer may say, as a locale key suffix under status.stage. */
export type StatusStageKey =
  | `tipster.${TipsterStage}`
  | `victim.${CaseStatus}`
  | `victim.ASSISTANCE_${AssistanceStage}`;

/** The reporter of a case is its victim when they said so; anyone else is a tipster. */
export function viewerForReporter(role: ReporterRole): StatusViewer {
  return role === "VICTIM" ? "VICTIM" : "TIPSTER";
}

/** Chooses what a viewer is told about a case's status, saying no more than they may know. */
export function statusStageFor(
  viewer: StatusViewer,
  status: CaseStatus,
  stage: AssistanceStage | null,
): StatusStageKey {
  if (viewer === "VICTIM") {
    return status === "ASSISTANCE" && stage ? `victim.ASSISTANCE_${stage}` : `victim.${status}`;
  }
  switch (status) {
    case "RECEIVED":
      return "tipster.RECEIVED";
    case "ROUTED":
      return "tipster.FORWARDED";
    case "CLOSED":
      return "tipster.CLOSED";
    default:
      return "tipster.IN_PROGRESS";
  }
}
