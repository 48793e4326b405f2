import type { StaffRole } from "./case.ts";

/**
 * How far a staff member reaches into one case: FULL for the responsible office (and national
 * staff), COPY for an office that received a copy, NONE otherwise.
 */
export type CaseAccess = "FULL" | "COPY" | "NONE";

/** The staff member as the scope rules read them. */
export interface ScopedStaff {
  role: StaffRole;
  officeCode: string;
  active: boolean;
}

/** The case as the scope rules read it. */
export interface ScopedCase {
  officeCode: string | null;
  copiedTo: readonly string[];
}

/**
 * The scope rules of DESIGN §2: an agent and a supervisor act on the cases of their own office;
 * staff of the national desk (role NATIONAL) on all cases; SAPA 129 and KP2MI are offices like
 * the others. An office that only received a copy gets COPY access.
 */
export function caseAccess(staff: ScopedStaff, target: ScopedCase): CaseAccess {
  // Partner staff reach a case only through a referral to their organisation, never as an office.
  if (!staff.active || staff.role === "PARTNER") return "NONE";
  if (staff.role === "NATIONAL") return "FULL";
  if (target.officeCode !== null && target.officeCode === staff.officeCode) return "FULL";
  return target.copiedTo.includes(staff.officeCode) ? "COPY" : "NONE";
}

/**
 * What an office that received a copy may do: read the card, the details and the history, add
 * notes, record the services it gives and issue the victim access code. Never change status,
 * transfer, copy, close, reopen or assign: the responsible office decides those.
 */
export const COPY_OFFICE_ACTIONS: ReadonlySet<string> = new Set(["details", "history", "note", "service", "access"]);

/** True when the role may reopen a closed case and hand any case of its office to a colleague. */
export function supervises(role: StaffRole): boolean {
  return role === "SUPERVISOR" || role === "NATIONAL";
}

/**
 * The offices whose cases a list may show: the staff member's own reach, and in a group only the
 * offices that group serves (a list posted there is read by everyone in it).
 */
export function listScope(
  staff: ScopedStaff,
  chat: { inGroup: boolean; groupOffices: readonly string[] },
): { kind: "all" } | { kind: "offices"; officeCodes: string[] } {
  const own = staff.role === "NATIONAL" ? null : [staff.officeCode];
  if (chat.inGroup) {
    return { kind: "offices", officeCodes: chat.groupOffices.filter((code) => own === null || own.includes(code)) };
  }
  return own === null ? { kind: "all" } : { kind: "offices", officeCodes: own };
}
