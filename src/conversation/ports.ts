import type { Language } from "../domain/language.ts";
import type { NewReport, ReportListing, StatusAnswer, SubmittedReport } from "../domain/report.ts";

/** Renders a locale key in one language. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

/**
 * The case operations the dialogue needs. The service implements it over the database
 * (writes join the step's transaction); tests use an in-memory fake.
 */
export interface CaseDesk {
  /** Stores a confirmed report and returns its reference and PIN. */
  submitReport(identityId: string, report: NewReport): Promise<SubmittedReport>;
  /** How many reports this chat opened since a time, for the daily limit. */
  countReportsSince(identityId: string, since: Date): Promise<number>;
  /** The references of reports opened from this chat, newest first. */
  listReports(identityId: string): Promise<ReportListing[]>;
  /** When this chat may look up a status again, or null if it may now. */
  lookupLockedUntil(identityId: string, now: Date): Promise<Date | null>;
  /** Checks a reference + PIN, counting failures per chat and per reference. */
  checkStatus(identityId: string, reference: string, pin: string, now: Date): Promise<StatusAnswer>;
}

/** Settings that shape the dialogue. */
export interface DialogueSettings {
  maxReportsPerDay: number;
  conversationTtlMs: number;
  defaultLanguage: Language;
}

/** What the engine needs for one turn besides the state and the message. */
export interface TurnContext {
  now: Date;
  identityId: string;
  translate(language: Language): Translate;
  desk: CaseDesk;
  settings: DialogueSettings;
}
