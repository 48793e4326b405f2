import type { FollowUpAnswerOutcome } from "../conversation/ports.ts";
import type { StepWriter } from "../db/step-writer.ts";
import type { CaseDeskDeps } from "./case-desk.ts";
import { escalateCase } from "./escalation.ts";
import type { OfficeMailer } from "./office-mailer.ts";

const ANSWERS: Record<string, readonly string[]> = {
  REPORTER_CHECKIN: ["yes", "no"],
  MONITORING_CHECKIN_30: ["safe", "unsafe"],
  MONITORING_CHECKIN_90: ["safe", "unsafe"],
};

/**
 * Records a reporter's answer to a check-in and acts on it: "nobody contacted me" escalates the
 * case; "I don't feel safe" after reintegration flags the risk of re-trafficking and alerts the
 * office. Only the chat the question went to can answer it, and only once.
 */
export async function answerCheckIn(
  deps: CaseDeskDeps,
  writer: StepWriter,
  mailer: OfficeMailer,
  now: Date,
  identityId: string,
  followUpId: string,
  answer: string,
): Promise<FollowUpAnswerOutcome> {
  const followUp = await deps.cases.followUpForAnswer(followUpId);
  const allowed = followUp ? ANSWERS[followUp.kind] : undefined;
  if (!followUp || !allowed?.includes(answer) || followUp.answer !== null || followUp.status !== "DONE") return "gone";
  const row = await deps.caseStore.load(followUp.caseReference);
  if (!row || row.reporterIdentityId !== identityId) return "gone";
  writer.add((db) =>
    db.followUp.update({
      where: { id: followUp.id, answer: null },
      data: { answer, answeredAt: now },
      select: { id: true },
    }),
  );
  writer.add(
    deps.caseStore.recordEvent(
      row.id,
      { type: "CHECKIN_ANSWERED", actor: "reporter", reason: `${followUp.kind}: ${answer}` },
      now,
    ),
  );
  if (answer === "no") {
    await escalateCase(deps, writer, mailer, now, row, "NO_CONTACT");
    return "escalated";
  }
  if (answer === "unsafe") {
    writer.add(deps.caseStore.flagRetraffickingRisk(row.id, now));
    for (const office of [row.officeCode, ...row.copies.map((c) => c.officeCode)]) {
      if (office)
        await mailer.send(
          office,
          (t) => ({ text: t("staff:followUp.retrafficking", { reference: row.reference }) }),
          row.id,
        );
    }
    deps.logger.warn({ event: "case.retrafficking_risk", caseId: row.id });
    return "alerted";
  }
  return "thanks";
}
