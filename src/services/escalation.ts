import { caseCard, localTime } from "../conversation/notices.ts";
import type { CaseRecord } from "../db/case-store.ts";
import type { StepWriter } from "../db/step-writer.ts";
import { AGE_GROUPS, CATEGORIES, GENDERS, URGENCIES, VICTIM_COUNTS } from "../domain/case.ts";
import { escalationTarget, victimTypeOf } from "../domain/routing.ts";
import type { CaseFacts } from "../domain/staff-actions.ts";
import type { CaseDeskDeps } from "./case-desk.ts";
import type { OfficeMailer } from "./office-mailer.ts";

/** A case as the staff and follow-up code read it. */
export type CaseRow = CaseRecord;

const pick = <T extends string>(values: readonly T[], value: string, fallback: T): T =>
  (values as readonly string[]).includes(value) ? (value as T) : fallback;

/** The coded facts of a case row, for cards. */
export function factsOfRow(row: CaseRow): CaseFacts {
  return {
    reference: row.reference,
    status: row.status as CaseFacts["status"],
    assistanceStage: (row.assistanceStage as CaseFacts["assistanceStage"]) ?? null,
    urgency: pick(URGENCIES, row.urgency, "NORMAL"),
    category: pick(CATEGORIES, row.category, "UNSURE"),
    provinceCode: row.provinceCode,
    regencyCode: row.regencyCode,
    country: row.country,
    homeProvinceCode: row.homeProvinceCode,
    victimAgeGroup: pick(AGE_GROUPS, row.victimAgeGroup, "UNKNOWN"),
    officeCode: row.officeCode,
  };
}

/**
 * Escalates a case (DESIGN §4): to SAPA 129 for women and children, the national desk otherwise.
 * A case nobody accepted moves there (the first office keeps a copy, and a new acceptance clock
 * starts); an accepted one is copied there. A reporter who withdrew consent blocks any sharing:
 * the responsible office is reminded instead. Everything is recorded on the case.
 */
export async function escalateCase(
  deps: CaseDeskDeps,
  writer: StepWriter,
  mailer: OfficeMailer,
  now: Date,
  row: CaseRow,
  why: "ACK_DEADLINE" | "NO_CONTACT",
): Promise<"escalated" | "blocked"> {
  const facts = factsOfRow(row);
  const office = async (code: string) => (await deps.offices.get(code))?.name ?? code;
  if (!row.consentToShare) {
    if (row.officeCode) {
      const name = await office(row.officeCode);
      await mailer.send(
        row.officeCode,
        (t, viaFallback) => caseCard(t, facts, { reason: "REMINDER", officeName: name, viaFallback, why }),
        row.id,
      );
    }
    writer.add(
      deps.caseStore.recordEvent(
        row.id,
        { type: "ESCALATION_BLOCKED", actor: "system", reason: `${why}; consent to share withdrawn` },
        now,
      ),
    );
    return "blocked";
  }
  const type = victimTypeOf(
    pick(AGE_GROUPS, row.victimAgeGroup, "UNKNOWN"),
    pick(GENDERS, row.victimGender, "UNKNOWN"),
    pick(VICTIM_COUNTS, row.victimCount, "UNKNOWN"),
  );
  const target = escalationTarget(deps.matrix, type);
  const copiedTo = row.copies.map((c) => c.officeCode);
  const moves = row.status === "ROUTED" && row.officeCode !== target;
  const targetName = await office(target);
  const acceptBy = moves
    ? localTime(
        new Date(now.getTime() + deps.followUps.ackDeadlineMs[facts.urgency]),
        row.provinceCode ?? row.homeProvinceCode,
        "id",
      )
    : undefined;
  const delivery = await mailer.send(
    target,
    (t, viaFallback) =>
      caseCard(
        t,
        { ...facts, officeCode: moves ? target : facts.officeCode },
        {
          reason: "ESCALATION",
          officeName: targetName,
          viaFallback,
          why,
          ...(acceptBy ? { acceptBy } : {}),
        },
      ),
    row.id,
  );
  const newCopies = [
    ...(moves && row.officeCode ? [row.officeCode] : []),
    ...(!moves && row.officeCode !== target ? [target] : []),
  ].filter((code) => !copiedTo.includes(code) && code !== (moves ? target : row.officeCode));
  writer.add(
    deps.caseStore.escalate(
      row,
      {
        moves,
        target,
        cardOfficeCode: delivery.deliveredTo,
        newCopies,
        reason: `${why === "ACK_DEADLINE" ? "not accepted in time" : "reporter says nobody contacted them"}: ${moves ? "moved" : "copied"} to ${target} (victim ${type})`,
      },
      now,
    ),
  );
  deps.logger.warn({ event: "case.escalated", caseId: row.id, to: target, why });
  return "escalated";
}
