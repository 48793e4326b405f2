import type { AssistanceStage, CaseStatus } from "./case.ts";

/**
 * The services a victim can be given, after UU 21/2007 Art. 51 (health and social rehabilitation,
 * return, social reintegration) and the IOM Human Trafficking Case Data Standard. Append only: chat
 * buttons carry services as bits of their place in this list.
 */
export const SERVICE_TYPES = [
  "COMPLAINT_HANDLING",
  "HEALTH",
  "PSYCHOSOCIAL",
  "SOCIAL_REHABILITATION",
  "SHELTER",
  "LEGAL_AID",
  "WITNESS_PROTECTION",
  "RESTITUTION",
  "RETURN_TRAVEL",
  "FAMILY_REUNIFICATION",
  "LIVELIHOOD",
  "EDUCATION",
  "DOCUMENTS",
  "SPIRITUAL_CARE",
  "OTHER",
] as const;
/** One of SERVICE_TYPES. */
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** The assistance stage each service belongs to; OTHER counts towards the stage the case is in. */
export const SERVICE_STAGE: Readonly<Record<Exclude<ServiceType, "OTHER">, AssistanceStage>> = {
  COMPLAINT_HANDLING: "RECOVERY",
  HEALTH: "RECOVERY",
  PSYCHOSOCIAL: "RECOVERY",
  SOCIAL_REHABILITATION: "RECOVERY",
  SHELTER: "RECOVERY",
  LEGAL_AID: "RECOVERY",
  WITNESS_PROTECTION: "RECOVERY",
  SPIRITUAL_CARE: "RECOVERY",
  RETURN_TRAVEL: "RETURN",
  DOCUMENTS: "RETURN",
  FAMILY_REUNIFICATION: "REINTEGRATION",
  LIVELIHOOD: "REINTEGRATION",
  EDUCATION: "REINTEGRATION",
  RESTITUTION: "REINTEGRATION",
};

/** The stage a service is recorded under. */
export function stageOfService(type: ServiceType, current: AssistanceStage | null): AssistanceStage {
  return type === "OTHER" ? (current ?? "RECOVERY") : SERVICE_STAGE[type];
}

/** How far one assistance stage has come, as a victim may read it. */
export type StageState = "NOT_STARTED" | "IN_PROGRESS" | "DONE";

const ORDER: readonly AssistanceStage[] = ["RETURN", "RECOVERY", "REINTEGRATION"];

/**
 * Each stage's state from the case's status and the stages that services were recorded under:
 * the current stage is in progress; a stage with services before it, or every stage with services
 * once the case is in monitoring or closed, is done. Never the services themselves: a phone may be
 * seen by the trafficker, and "shelter" or "witness protection" on it can endanger the victim.
 */
export function stageStates(
  status: CaseStatus,
  current: AssistanceStage | null,
  servedStages: ReadonlySet<AssistanceStage>,
): Record<AssistanceStage, StageState> {
  const finished = status === "MONITORING" || status === "CLOSED";
  // MONITORING keeps the stage the case was in; CLOSED clears it.
  const currentIndex = (status === "ASSISTANCE" || status === "MONITORING") && current ? ORDER.indexOf(current) : -1;
  const states = {} as Record<AssistanceStage, StageState>;
  ORDER.forEach((stage, index) => {
    if (index === currentIndex) states[stage] = status === "ASSISTANCE" ? "IN_PROGRESS" : "DONE";
    else if (servedStages.has(stage)) states[stage] = finished || index < currentIndex ? "DONE" : "IN_PROGRESS";
    else states[stage] = "NOT_STARTED";
  });
  return states;
}
