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
import { DECLINE_REASONS, type DeclineReason } from "../domain/referrals.ts";
import type { CaseFilter, StaffAction } from "../domain/staff-actions.ts";
import { isShortAnswer } from "../text/input-limits.ts";
import { normalizeName } from "../text/normalize.ts";
import type { Translate } from "./ports.ts";

type CaselessKind = "accept" | "details" | "history" | "setStatus" | "close" | "access" | "service";
type WithoutReference<T> = T extends unknown ? Omit<T, "reference"> : never;

/** An action typed without a case reference: it acts on the card the chat has, or asks which case. */
export type CaselessAction = WithoutReference<Extract<StaffAction, { kind: CaselessKind }>>;

/** A staff command as typed: an action on a case, the case list, enrolment, or a malformed one. */
export type StaffCommand =
  | { kind: "action"; action: StaffAction }
  | { kind: "caseless"; action: CaselessAction }
  | { kind: "cases"; filter: CaseFilter }
  | { kind: "more" }
  | { kind: "enrol"; code: string }
  /** `/masuk`: a one-time link to the web inbox; `/keluar`: every web session ends. */
  | { kind: "webLogin" }
  | { kind: "webLogout" }
  /** A partner's referral commands: the list, accept, decline (with a reason), done. */
  | { kind: "referral"; command: ReferralCommand }
  | { kind: "usage"; example: string };

type ActionKind = StaffAction["kind"];

/** What partner staff do to the referrals of their organisation from the chat. */
export type ReferralCommand =
  | { kind: "list" }
  | { kind: "accept"; code: string }
  | { kind: "decline"; code: string; reason: DeclineReason | null }
  | { kind: "done"; code: string }
  /** A partner records a service given under an accepted referral (today when no day is named). */
  | { kind: "service"; code: string; service: ServiceType | null; givenOn: string | null }
  /** An office refers one of its cases: the services named, and the words that named none. */
  | { kind: "make"; reference: string; services: ServiceType[]; unknown: string[] };

type ReferralWord =
  | "referralList"
  | "referralAccept"
  | "referralDecline"
  | "referralDone"
  | "referralMake"
  | "referralService";

// Staff commands need the slash: "terima kasih" from a reporter must never read as "/terima".
const WORDS: Record<string, ActionKind | ReferralWord | "cases" | "more" | "enrol" | "webLogin" | "webLogout"> = {
  layananrujukan: "referralService",
  referralservice: "referralService",
  rujuk: "referralMake",
  refer: "referralMake",
  rujukan: "referralList",
  referrals: "referralList",
  terimarujukan: "referralAccept",
  acceptreferral: "referralAccept",
  tolakrujukan: "referralDecline",
  declinereferral: "referralDecline",
  selesairujukan: "referralDone",
  referraldone: "referralDone",
  staff: "enrol",
  petugas: "enrol",
  kasus: "cases",
  cases: "cases",
  masuk: "webLogin",
  login: "webLogin",
  keluar: "webLogout",
  logout: "webLogout",
  lagi: "more",
  more: "more",
  terima: "accept",
  accept: "accept",
  detail: "details",
  details: "details",
  riwayat: "history",
  history: "history",
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
  bukakembali: "reopen",
  reopen: "reopen",
  serahkan: "assign",
  assign: "assign",
  layanan: "service",
  service: "service",
  akses: "access",
  access: "access",
  pinbaru: "reissuePin",
  newpin: "reissuePin",
};

const CASELESS: ReadonlySet<string> = new Set<CaselessKind>([
  "accept",
  "details",
  "history",
  "setStatus",
  "close",
  "access",
  "service",
]);

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

/** The filter words of `/kasus` ("saya", "baru", "terlambat", a status, or a place name). */
function caseFilter(args: string, languages: readonly Translate[]): CaseFilter {
  // A filter is a word or a place name: a long text is none, and is not scanned.
  if (!isShortAnswer(args)) return { kind: "all" };
  const typed = normalizeName(args);
  if (!typed) return { kind: "all" };
  const word = (key: string) => languages.some((t) => t(key).split("|").includes(typed));
  if (word("staff:filterWords.mine")) return { kind: "mine" };
  if (word("staff:filterWords.new")) return { kind: "new" };
  if (word("staff:filterWords.overdue")) return { kind: "overdue" };
  const status = matchCode<CaseStatus>(typed, CASE_STATUSES, "staff:statusName", languages);
  if (status && status !== "CLOSED") return { kind: "status", status };
  return { kind: "place", text: args.trim().slice(0, 100) };
}

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DAY_MONTH = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$/;

/** A typed day ("2026-11-30", "30/11", "30/11/2026", "hari ini", "kemarin") as YYYY-MM-DD, or null. */
export function parseDay(text: string, today: string, languages: readonly Translate[]): string | null {
  const typed = normalizeName(text);
  const words = (key: string) => languages.some((t) => t(key).split("|").includes(typed));
  const shift = (days: number) =>
    new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  if (words("staff:dayWords.today")) return today;
  if (words("staff:dayWords.yesterday")) return shift(-1);
  const iso = ISO_DATE.exec(text.trim());
  const dm = DAY_MONTH.exec(text.trim());
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : dm
      ? [dm[3] ? Number(dm[3]) : Number(today.slice(0, 4)), Number(dm[2]), Number(dm[1])]
      : [0, 0, 0];
  if (!year) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const value = date.toISOString().slice(0, 10);
  // A service is recorded after it was given: a day in the future is a typo.
  return value > today ? null : value;
}

/**
 * The services named after `/rujuk <ref>`: separated by commas, semicolons, "+" or a joining word
 * ("rumah aman, kesehatan dan pemulangan", "rumah aman sama kesehatan"); a part that names no
 * service is kept as typed.
 */
export function referralServices(
  rest: string,
  languages: readonly Translate[],
): { services: ServiceType[]; unknown: string[] } {
  const services: ServiceType[] = [];
  const unknown: string[] = [];
  for (const part of rest.slice(0, 500).split(/[,;+]/)) {
    const words = part.trim().split(/\s+/).filter(Boolean);
    while (words.length > 0) {
      // "dan" / "and" (or "sama", "serta") joins two services but is also inside a name ("perlindungan saksi dan korban"):
      // the longest name is taken first, and a joining word only between two services is dropped.
      if (services.length > 0 && /^(dan|and|&|serta|sama|plus|juga)$/i.test(words[0] as string)) words.shift();
      const taken = words.length > 0 ? takeService(words, languages) : null;
      if (!taken) {
        if (words.length > 0) unknown.push(words.join(" ").slice(0, 60));
        break;
      }
      if (!services.includes(taken.service)) services.push(taken.service);
      words.splice(0, taken.used);
    }
  }
  return { services, unknown };
}

/** The service type at the start of the words, with how many words it took. */
function takeService(words: string[], languages: readonly Translate[]): { service: ServiceType; used: number } | null {
  // The longest service names have five words ("perlindungan saksi dan korban", "psychosocial support / counselling").
  for (const used of [5, 4, 3, 2, 1]) {
    if (words.length < used) continue;
    const service = matchCode<ServiceType>(
      words.slice(0, used).join(" "),
      SERVICE_TYPES,
      "staff:serviceName",
      languages,
    );
    if (service) return { service, used };
  }
  return null;
}

/**
 * `/layanan <ref> <type> [provider] [date] [note]`: parts may be separated by ";" ("RPTC Bambu
 * Apus; 30/11; sudah aman"); without separators the words before a date name the provider and
 * those after it are the note.
 */
function serviceArguments(
  rest: string,
  today: string,
  languages: readonly Translate[],
): Omit<Extract<StaffAction, { kind: "service" }>, "kind" | "reference"> {
  const words = rest.trim().split(/\s+/).filter(Boolean);
  const taken = takeService(words, languages);
  if (!taken) return {};
  const remaining = words.slice(taken.used).join(" ");
  let provider = "";
  let givenOn: string | null = null;
  let note = "";
  if (/[;|]/.test(remaining)) {
    const parts = remaining.split(/[;|]/).map((p) => p.trim());
    const dateIndex = parts.findIndex((p) => parseDay(p, today, languages) !== null);
    if (dateIndex >= 0) givenOn = parseDay(parts[dateIndex] as string, today, languages);
    const others = parts.filter((_, i) => i !== dateIndex);
    provider = others[0] ?? "";
    note = others.slice(1).join("; ");
  } else {
    const tokens = remaining.split(/\s+/).filter(Boolean);
    const dateIndex = tokens.findIndex((p) => parseDay(p, today, languages) !== null);
    if (dateIndex >= 0) {
      givenOn = parseDay(tokens[dateIndex] as string, today, languages);
      provider = tokens.slice(0, dateIndex).join(" ");
      note = tokens.slice(dateIndex + 1).join(" ");
    } else provider = remaining;
  }
  return {
    service: taken.service,
    ...(provider ? { provider: provider.slice(0, 200) } : {}),
    ...(givenOn ? { givenOn } : {}),
    ...(note ? { note: note.slice(0, 1000) } : {}),
  };
}

/** The arguments of a status change or a close typed with or without a reference. */
function statusArguments(rest: string, languages: readonly Translate[]) {
  const [statusWord = "", stageWord = ""] = rest.split(/\s+/, 2);
  const status = matchCode<CaseStatus>(statusWord, CASE_STATUSES, "staff:statusName", languages);
  const stage = matchCode<AssistanceStage>(stageWord, ASSISTANCE_STAGES, "staff:stageName", languages);
  return { ...(status ? { status } : {}), ...(stage ? { stage } : {}) };
}

/**
 * The outcome typed after /tutup: a code, a label, or words found in one label only ("dibantu",
 * "ganda"). A guess is safe here because a close always asks for a yes first.
 */
function closeArguments(rest: string, languages: readonly Translate[]) {
  // An outcome is named in a few words: a long text names none and is not scanned.
  if (!isShortAnswer(rest)) return {};
  const exact = matchCode<Resolution>(rest, RESOLUTIONS, "staff:resolutionName", languages);
  if (exact) return { resolution: exact };
  const typed = normalizeName(rest);
  if (typed.length < 4) return {};
  const containing = RESOLUTIONS.filter((code) =>
    languages.some((t) => ` ${normalizeName(t(`staff:resolutionName.${code}`))} `.includes(` ${typed} `)),
  );
  return containing.length === 1 ? { resolution: containing[0] as Resolution } : {};
}

/**
 * Recognises a staff command ("/terima K7QM-4TZP-9XWR", "/ubahstatus K7QM-4TZP-9XWR ASSISTANCE
 * RECOVERY", "/kasus terlambat", "/staff 7KQ2-M9XT", a bare "/terima") in either language; null
 * when the text is not one. `today` (YYYY-MM-DD, the office's day) reads dates of services.
 */
export function detectStaffCommand(
  text: string,
  languages: readonly Translate[],
  today = new Date().toISOString().slice(0, 10),
): StaffCommand | null {
  // Most messages are not staff commands: decide that from the first word, without reading the rest.
  const word = COMMAND_WORD.exec(text.trimStart().slice(0, 64));
  if (!word || !WORDS[(word[1] as string).toLowerCase()]) return null;
  const match = SLASH_COMMAND.exec(text.trim());
  if (!match) return null;
  const kind = WORDS[(match[1] as string).toLowerCase()];
  if (!kind) return null;
  const command = `/${(match[1] as string).toLowerCase()}`;
  const args = (match[2] ?? "").trim();
  if (kind === "cases") return { kind: "cases", filter: caseFilter(args, languages) };
  if (kind === "more") return { kind: "more" };
  if (kind === "webLogin" || kind === "webLogout") return { kind };
  if (kind === "referralList") return { kind: "referral", command: { kind: "list" } };
  if (kind === "referralAccept" || kind === "referralDecline" || kind === "referralDone")
    return referralCommand(kind, command, args, languages);
  if (kind === "referralService") {
    const taken = takeReferralCode(args);
    if (!taken)
      return {
        kind: "usage",
        example: `${command} 7KQ2-M9XT ${command === "/referralservice" ? "shelter" : "rumah aman"} 30/11`,
      };
    const given = serviceArguments(taken.rest, today, languages);
    // Words left over (a day in the future, a typo) are not guessed at: the usage says the form.
    const clear = given.service && !given.provider && !given.note;
    return {
      kind: "referral",
      command: {
        kind: "service",
        code: taken.code,
        service: clear ? (given.service ?? null) : null,
        givenOn: given.givenOn ?? null,
      },
    };
  }
  if (kind === "referralMake") {
    const named = takeReference(args);
    if (!named)
      return {
        kind: "usage",
        example: `${command} K7QM-4TZP-9XWR ${command === "/refer" ? "shelter, health care" : "rumah aman, kesehatan"}`,
      };
    return {
      kind: "referral",
      command: { kind: "make", reference: named.reference, ...referralServices(named.rest, languages) },
    };
  }
  if (kind === "enrol")
    return args ? { kind: "enrol", code: args } : { kind: "usage", example: `${command} 7KQ2-M9XT` };
  const taken = takeReference(args);
  const examples: Partial<Record<ActionKind, string>> = {
    note: " …",
    reply: " …",
    transfer: " DINSOS-32",
    copy: " DINSOS-32",
    reopen: " …",
    assign: " Budi",
    service: " rumah-aman",
  };
  const example = `${command} K7QM-4TZP-9XWR${examples[kind] ?? ""}`;
  if (!taken) {
    if (!CASELESS.has(kind)) return { kind: "usage", example };
    switch (kind) {
      case "setStatus":
        return { kind: "caseless", action: { kind, ...statusArguments(args, languages) } };
      case "close":
        return { kind: "caseless", action: { kind, ...closeArguments(args, languages) } };
      case "service":
        return { kind: "caseless", action: { kind, ...serviceArguments(args, today, languages) } };
      default:
        return { kind: "caseless", action: { kind } as CaselessAction };
    }
  }
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
    case "setStatus":
      return { kind: "action", action: { kind, reference, ...statusArguments(rest, languages) } };
    case "close":
      return { kind: "action", action: { kind, reference, ...closeArguments(rest, languages) } };
    case "reopen":
      return { kind: "action", action: { kind, reference, ...(rest ? { reason: rest.slice(0, 1000) } : {}) } };
    case "assign":
      return { kind: "action", action: { kind, reference, ...(rest ? { staffName: rest.slice(0, 100) } : {}) } };
    case "history": {
      const page = /^\d{1,4}$/.test(rest) ? Number(rest) : undefined;
      return { kind: "action", action: { kind, reference, ...(page ? { page } : {}) } };
    }
    case "service":
      return { kind: "action", action: { kind, reference, ...serviceArguments(rest, today, languages) } };
    default:
      return { kind: "action", action: { kind, reference } as StaffAction };
  }
}

/** A referral code as typed ("7KQ2-M9XT", "7kq2 m9xt") with the words after it, or null. */
function takeReferralCode(args: string): { code: string; rest: string } | null {
  const tokens = args.trim().split(/\s+/, 3);
  for (const count of [1, 2]) {
    const compact = tokens
      .slice(0, count)
      .join("")
      .toUpperCase()
      .replace(/-/g, "")
      .replace(/O/g, "0")
      .replace(/[IL]/g, "1");
    if (/^[0-9A-HJKMNP-TV-Z]{8}$/.test(compact))
      return { code: `${compact.slice(0, 4)}-${compact.slice(4)}`, rest: restAfterWords(args, count) };
  }
  return null;
}

/** `/terimarujukan`, `/tolakrujukan` (with a reason in words) and `/selesairujukan`. */
function referralCommand(
  kind: "referralAccept" | "referralDecline" | "referralDone",
  command: string,
  args: string,
  languages: readonly Translate[],
): StaffCommand {
  const taken = takeReferralCode(args);
  if (!taken)
    return { kind: "usage", example: `${command} 7KQ2-M9XT${kind === "referralDecline" ? " kapasitas" : ""}` };
  if (kind === "referralAccept") return { kind: "referral", command: { kind: "accept", code: taken.code } };
  if (kind === "referralDone") return { kind: "referral", command: { kind: "done", code: taken.code } };
  const typed = normalizeName(taken.rest).split(" ");
  const reason =
    DECLINE_REASONS.find((code) =>
      languages.some((t) =>
        t(`staff:referral.declineWords.${code}`)
          .split("|")
          .some((w) => typed.includes(w)),
      ),
    ) ?? null;
  return { kind: "referral", command: { kind: "decline", code: taken.code, reason } };
}

/** The action a caseless command means for one case. */
export function withReference(action: CaselessAction, reference: string): StaffAction {
  return { ...action, reference } as StaffAction;
}

export { actionFromChoice } from "./action-ids.ts";
