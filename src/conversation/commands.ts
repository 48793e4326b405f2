import type { Language } from "../domain/language.ts";
import { parsePin, parseReference } from "../domain/reference.ts";
import { isShortAnswer } from "../text/input-limits.ts";
import { normalizeName } from "../text/normalize.ts";
import type { Translate } from "./ports.ts";
import { lexiconFor } from "./understanding/lexicon.ts";
import { normalizeReply } from "./understanding/normalize-reply.ts";

/** A command that works at any step, in either language (DESIGN §2). */
export type Command =
  | { kind: "menu" }
  | { kind: "report" }
  | { kind: "status"; reference?: string; pin?: string }
  | { kind: "myReports" }
  | { kind: "help" }
  | { kind: "emergency" }
  | { kind: "cancel" }
  | { kind: "language" }
  | { kind: "setLanguage"; language: Language }
  | { kind: "delete" }
  | { kind: "privacy" }
  | { kind: "lostPin" };

const WORDS: ReadonlyArray<[Command, readonly string[]]> = [
  [{ kind: "menu" }, ["menu", "start", "mulai", "menu utama", "main menu"]],
  [{ kind: "report" }, ["lapor", "report", "laporan baru", "new report", "buat laporan", "make a report"]],
  [{ kind: "status" }, ["status", "cek", "check", "cek status", "check status", "cek laporan"]],
  [{ kind: "myReports" }, ["laporan saya", "laporansaya", "my reports", "myreports"]],
  [{ kind: "help" }, ["bantuan", "help", "panduan", "info"]],
  [{ kind: "emergency" }, ["darurat", "emergency", "sos", "tolong", "nomor darurat", "emergency numbers"]],
  [{ kind: "cancel" }, ["batal", "cancel", "batalkan", "berhenti", "stop"]],
  [{ kind: "language" }, ["bahasa", "language", "ganti bahasa", "change language"]],
  [{ kind: "setLanguage", language: "en" }, ["english", "bahasa inggris", "en"]],
  [{ kind: "setLanguage", language: "id" }, ["bahasa indonesia", "indonesian", "id"]],
  [{ kind: "delete" }, ["hapus", "delete", "hapus chat", "delete chat", "hapus percakapan"]],
  [{ kind: "privacy" }, ["privasi", "privacy", "pengaturan", "settings", "privasi dan kontak", "privacy and contact"]],
  [
    { kind: "lostPin" },
    ["pin hilang", "lupa pin", "pinhilang", "lost pin", "forgot pin", "lostpin", "pin baru", "new pin"],
  ],
];

const LOOKUP = new Map<string, Command>();
for (const [command, words] of WORDS) for (const word of words) LOOKUP.set(word, command);

const STATUS_WITH_ARGUMENTS = /^\/?(?:status|cek|check|cek status|check status)\s+(.+)$/i;

/**
 * Recognises a command when it is the whole message ("batal", "/cancel", "Bantuan!"), and
 * "status <reference> [PIN]". Anything else is an answer for the current step.
 */
export function detectCommand(text: string): Command | null {
  // A command is a short message; a long one that starts with a command word is something else.
  if (!isShortAnswer(text)) return null;
  const withArguments = STATUS_WITH_ARGUMENTS.exec(text.trim());
  if (withArguments) {
    const parsed = parseStatusArguments(withArguments[1] as string);
    if (parsed) return { kind: "status", ...parsed };
  }
  const word = normalizeName(text.trim().replace(/^\//, "").replace(/@\w+$/, ""));
  return LOOKUP.get(word) ?? null;
}

/** Reads "K7QM-4TZP-9XWR 123456" or just a reference after the status command. */
function parseStatusArguments(rest: string): { reference: string; pin?: string } | null {
  const tokens = rest.trim().split(/\s+/);
  const last = tokens[tokens.length - 1] ?? "";
  const pin = tokens.length > 1 ? parsePin(last) : null;
  const reference = parseReference((pin ? tokens.slice(0, -1) : tokens).join(""));
  if (!reference) return null;
  return pin ? { reference, pin } : { reference };
}

/** A command read from a message, and whether it was typed exactly or only reached by normalising. */
export interface ReadCommand {
  command: Command;
  /** False for "hapus aja", "batal dong kak": the command word with particles or abbreviations around it. */
  exact: boolean;
}

/**
 * Reads a command: exactly as typed ("hapus", "/cancel"), or after the one normalisation step
 * every reply goes through ("bantuan dong", "batal aja kak", "laporan saya kak").
 */
export function readCommand(text: string, languages: readonly Translate[]): ReadCommand | null {
  // A command is a short message: a long one is not read for one.
  if (!isShortAnswer(text)) return null;
  const exact = detectCommand(text);
  if (exact) return { command: exact, exact: true };
  const core = normalizeReply(text, lexiconFor(languages)).core.join(" ");
  const command = LOOKUP.get(core);
  return command ? { command, exact: false } : null;
}

/** Commands that throw something away: reached only by normalising, they ask first. */
export type DestructiveCommand = Extract<Command, { kind: "delete" } | { kind: "cancel" }>["kind"];

/** The destructive kind of a command, or null. */
export function destructiveKind(command: Command): DestructiveCommand | null {
  return command.kind === "delete" || command.kind === "cancel" ? command.kind : null;
}
