import {
  ASSISTANCE_STAGES,
  type AssistanceStage,
  CASE_STATUSES,
  type CaseStatus,
  RESOLUTIONS,
  type Resolution,
} from "../domain/case.ts";
import { parseReference } from "../domain/reference.ts";
import type { StaffAction } from "../domain/staff-actions.ts";
import { isShortAnswer } from "../text/input-limits.ts";
import { normalizeName } from "../text/normalize.ts";
import type { Translate } from "./ports.ts";

/** A staff command as typed: an action on a case, the case list, enrolment, or a malformed one. */
export type StaffCommand =
  | { kind: "action"; action: StaffAction }
  | { kind: "cases" }
  | { kind: "enrol"; code: string }
  | { kind: "usage"; example: string };

type ActionKind = StaffAction["kind"];

// Staff commands need the slash: "terima kasih" from a reporter must never read as "/terima".
const WORDS: Record<string, ActionKind | "cases" | "enrol"> = {
  staff: "enrol",
  petugas: "enrol",
  kasus: "cases",
  cases: "cases",
  terima: "accept",
  accept: "accept",
  detail: "details",
  details: "details",
  ubahstatus: "setStatus",
  setstatus: "setStatus",
  catatan: "note",
  note: "note",
  balas: "reply",
  reply: "reply",
  alihkan: "transfer",
  transfer: "transfer",
  salin: "copy",
  copy: "copy",
  tutup: "close",
  close: "close",
  akses: "access",
  access: "access",
  pinbaru: "reissuePin",
  newpin: "reissuePin",
};

const SLASH_COMMAND = /^\/([a-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i;
/** The command word, read from the start of a message before anything else is looked at. */
const COMMAND_WORD = /^\/([a-z]+)(?:@\w+)?(?:\s|$)/i;

/** Reads the case reference at the start of the arguments ("K7QM-4TZP-9XWR rest" or "k7qm 4tzp 9xwr rest"). */
function takeReference(args: string): { reference: string; rest: string } | null {
  // Only the first words can hold the reference; a long note after it is kept, not split.
  const tokens = args.trim().split(/\s+/, 3);
  for (const count of [1, 3]) {
    const reference = parseReference(tokens.slice(0, count).join(""));
    if (reference) return { reference, rest: restAfterWords(args, count) };
  }
  return null;
}

/** The text after the first `count` words, with runs of white space made single spaces as before. */
function restAfterWords(args: string, count: number): string {
  const words = new RegExp(`^\\s*(?:\\S+\\s+){${count}}`).exec(`${args} `);
  return words ? args.slice(words[0].length).trim().replace(/\s+/g, " ") : "";
}

function matchCode<T extends string>(
  word: string,
  codes: readonly T[],
  labelKey: string,
  languages: readonly Translate[],
): T | undefined {
  // Status and resolution names are short; a long text names none of them and is not normalised.
  if (!isShortAnswer(word)) return undefined;
  const typed = normalizeName(word);
  if (!typed) return undefined;
  return codes.find(
    (code) =>
      normalizeName(code) === typed ||
      languages.some(
        (t) =>
          normalizeName(t(`${labelKey}.${code}`)) === typed ||
          normalizeName(t(`${labelKey}.${code}`)).startsWith(`${typed} `),
      ),
  );
}

/**
 * Recognises a staff command ("/terima K7QM-4TZP-9XWR", "/ubahstatus K7QM-4TZP-9XWR ASSISTANCE
 * RECOVERY", "/staff 7KQ2-M9XT") in either language; null when the text is not one.
 */
export function detectStaffCommand(text: string, languages: readonly Translate[]): StaffCommand | null {
  // Most messages are not staff commands: decide that from the first word, without reading the rest.
  const word = COMMAND_WORD.exec(text.trimStart().slice(0, 64));
  if (!word || !WORDS[(word[1] as string).toLowerCase()]) return null;
  const match = SLASH_COMMAND.exec(text.trim());
  if (!match) return null;
  const kind = WORDS[(match[1] as string).toLowerCase()];
  if (!kind) return null;
  const command = `/${(match[1] as string).toLowerCase()}`;
  const args = (match[2] ?? "").trim();
  if (kind === "cases") return { kind: "cases" };
  if (kind === "enrol")
    return args ? { kind: "enrol", code: args } : { kind: "usage", example: `${command} 7KQ2-M9XT` };
  const taken = takeReference(args);
  const needsText = kind === "note" || kind === "reply";
  const needsOffice = kind === "transfer" || kind === "copy";
  const example = `${command} K7QM-4TZP-9XWR${needsText ? " …" : needsOffice ? " DINSOS-32" : ""}`;
  if (!taken) return { kind: "usage", example };
  const { reference, rest } = taken;
  switch (kind) {
    case "note":
    case "reply":
      return rest ? { kind: "action", action: { kind, reference, text: rest } } : { kind: "usage", example };
    case "transfer":
    case "copy": {
      const officeCode = rest.split(/\s+/, 1)[0]?.toUpperCase();
      return officeCode ? { kind: "action", action: { kind, reference, officeCode } } : { kind: "usage", example };
    }
    case "setStatus": {
      const [statusWord = "", stageWord = ""] = rest.split(/\s+/, 2);
      const status = matchCode<CaseStatus>(statusWord, CASE_STATUSES, "staff:statusName", languages);
      const stage = matchCode<AssistanceStage>(stageWord, ASSISTANCE_STAGES, "staff:stageName", languages);
      return {
        kind: "action",
        action: { kind, reference, ...(status ? { status } : {}), ...(stage ? { stage } : {}) },
      };
    }
    case "close": {
      const resolution = matchCode<Resolution>(rest, RESOLUTIONS, "staff:resolutionName", languages);
      return { kind: "action", action: { kind, reference, ...(resolution ? { resolution } : {}) } };
    }
    default:
      return { kind: "action", action: { kind, reference } };
  }
}

const BUTTONS: Record<string, ActionKind> = {
  acc: "accept",
  det: "details",
  st: "setStatus",
  cl: "close",
  acs: "access",
};

/** Reads a card button id ("x:st:K7QM4TZP9XWR:ASSISTANCE:RECOVERY") as a staff action. */
export function actionFromChoice(choiceId: string): StaffAction | null {
  const [prefix, code, compact, arg1, arg2] = choiceId.split(":");
  const kind = code ? BUTTONS[code] : undefined;
  const reference = compact ? parseReference(compact) : null;
  if (prefix !== "x" || !kind || !reference) return null;
  if (kind === "setStatus") {
    const status = (CASE_STATUSES as readonly string[]).includes(arg1 ?? "") ? (arg1 as CaseStatus) : undefined;
    const stage = (ASSISTANCE_STAGES as readonly string[]).includes(arg2 ?? "") ? (arg2 as AssistanceStage) : undefined;
    return { kind, reference, ...(status ? { status } : {}), ...(stage ? { stage } : {}) };
  }
  if (kind === "close") {
    const resolution = (RESOLUTIONS as readonly string[]).includes(arg1 ?? "") ? (arg1 as Resolution) : undefined;
    return { kind, reference, ...(resolution ? { resolution } : {}) };
  }
  return { kind, reference } as StaffAction;
}
