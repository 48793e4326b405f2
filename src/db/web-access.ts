import type { DeferredWrite } from "./step-writer.ts";

/**
 * The writes that end every web session of a staff member and void their unused login links
 * (logout everywhere, a new chat, deactivation and reactivation). Apart from the web inbox's
 * store so that the staff directory can use it without importing the web.
 */
export function endWebAccessWrites(staffId: string, now: Date): DeferredWrite[] {
  return [
    (db) => db.webSession.updateMany({ where: { staffId, endedAt: null }, data: { endedAt: now } }),
    (db) => db.webLoginLink.updateMany({ where: { staffId, usedAt: null }, data: { usedAt: now } }),
  ];
}
