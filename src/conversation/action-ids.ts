import {
  ASSISTANCE_STAGES,
  type AssistanceStage,
  CASE_STATUSES,
  type CaseStatus,
  RESOLUTIONS,
  type Resolution,
} from "../domain/case.ts";
import { SERVICE_TYPES, type ServiceType } from "../domain/case-services.ts";
import { parseReference } from "../domain/reference.ts";
import type { StaffAction } from "../domain/staff-actions.ts";

// Button ids carry their case and everything the action needs, so a press never depends on which
// card is newest. Telegram allows 64 bytes of callback data: the reference goes without hyphens.
const CODES = {
  acc: "accept",
  det: "details",
  his: "history",
  st: "setStatus",
  cl: "close",
  okc: "close",
  okt: "transfer",
  no: "cancel",
  acs: "access",
  svc: "service",
  asg: "assign",
} as const;

const is = <T extends string>(values: readonly T[], value: string | undefined): value is T =>
  value !== undefined && (values as readonly string[]).includes(value);

/** The id of a card button: "x:<action>:<reference without hyphens>[:<argument>...]". */
export function actionChoiceId(action: string, reference: string, ...args: Array<string | number | undefined>): string {
  const tail = args.filter((a) => a !== undefined && a !== "").map(String);
  return ["x", action, reference.replace(/-/g, ""), ...tail].join(":");
}

/** The button id of an action, or null when the action needs words a button cannot carry (a note, a reason). */
export function actionId(action: StaffAction): string | null {
  const ref = action.reference;
  switch (action.kind) {
    case "accept":
      return actionChoiceId("acc", ref);
    case "details":
      return actionChoiceId("det", ref);
    case "history":
      return actionChoiceId("his", ref, action.page && action.page > 1 ? action.page : undefined);
    case "setStatus":
      return actionChoiceId("st", ref, action.status, action.status ? action.stage : undefined);
    case "close":
      return action.confirmed !== undefined && action.resolution
        ? actionChoiceId("okc", ref, action.resolution, action.confirmed)
        : actionChoiceId("cl", ref, action.resolution);
    case "transfer":
      return action.confirmed !== undefined ? actionChoiceId("okt", ref, action.officeCode, action.confirmed) : null;
    case "cancel":
      return actionChoiceId("no", ref);
    case "access":
      return actionChoiceId("acs", ref);
    case "service":
      return action.provider || action.note || action.givenOn ? null : actionChoiceId("svc", ref, action.service);
    case "assign":
      return action.staffName ? null : actionChoiceId("asg", ref, action.staffId);
    default:
      return null;
  }
}

/** Reads a button id ("x:st:K7QM4TZP9XWR:ASSISTANCE:RECOVERY") as a staff action; null when it is not one. */
export function actionFromChoice(choiceId: string): StaffAction | null {
  const [prefix, code, compact, arg1, arg2] = choiceId.split(":");
  const kind = code && Object.hasOwn(CODES, code) ? CODES[code as keyof typeof CODES] : undefined;
  const reference = compact ? parseReference(compact) : null;
  if (prefix !== "x" || !kind || !reference) return null;
  const version = arg2 !== undefined && /^\d{1,9}$/.test(arg2) ? Number(arg2) : undefined;
  switch (code) {
    case "st":
      return {
        kind: "setStatus",
        reference,
        ...(is<CaseStatus>(CASE_STATUSES, arg1) ? { status: arg1 } : {}),
        ...(is<AssistanceStage>(ASSISTANCE_STAGES, arg2) ? { stage: arg2 } : {}),
      };
    case "cl":
      return { kind: "close", reference, ...(is<Resolution>(RESOLUTIONS, arg1) ? { resolution: arg1 } : {}) };
    case "okc":
      return is<Resolution>(RESOLUTIONS, arg1) && version !== undefined
        ? { kind: "close", reference, resolution: arg1, confirmed: version }
        : null;
    case "okt":
      return arg1 && /^[A-Z0-9-]{2,20}$/.test(arg1) && version !== undefined
        ? { kind: "transfer", reference, officeCode: arg1, confirmed: version }
        : null;
    case "his":
      return { kind: "history", reference, ...(arg1 && /^\d{1,4}$/.test(arg1) ? { page: Number(arg1) } : {}) };
    case "svc":
      return { kind: "service", reference, ...(is<ServiceType>(SERVICE_TYPES, arg1) ? { service: arg1 } : {}) };
    case "asg":
      if (arg1 === undefined) return { kind: "assign", reference };
      return /^[0-9a-f-]{8,40}$/i.test(arg1) ? { kind: "assign", reference, staffId: arg1 } : null;
    default:
      return { kind, reference } as StaffAction;
  }
}
