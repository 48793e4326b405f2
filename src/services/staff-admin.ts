import type { App } from "../app.ts";
import { actionChoiceId } from "../conversation/action-ids.ts";
import { isRecordNotFound } from "../db/database.ts";
import { StepWriter } from "../db/step-writer.ts";
import type { StaffMember } from "../directory/staff-repository.ts";
import { OfficeMailer } from "./office-mailer.ts";

/** What administering staff needs of the app. */
export type StaffAdminApp = Pick<
  App,
  "database" | "staff" | "caseStore" | "audit" | "offices" | "outbox" | "translate" | "matrix" | "cases" | "logger"
>;

/** Why a staff member could not be found by what the admin typed. */
export class StaffLookupError extends Error {
  override name = "StaffLookupError";
}

/**
 * The staff member an admin means: by id, or by a name that only one member has. An ambiguous
 * name is an error that lists the matches, so the admin can use an id.
 */
export async function findStaff(app: Pick<App, "staff">, idOrName: string): Promise<StaffMember> {
  const byId = await app.staff.get(idOrName);
  if (byId) return byId;
  const matches = await app.staff.byName(idOrName);
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) throw new StaffLookupError(`unknown staff id or name: ${idOrName} (see staff list)`);
  throw new StaffLookupError(
    `the name "${idOrName}" matches ${matches.length} staff members; use an id:\n${matches
      .map((m) => `  ${m.id}  ${m.name}  ${m.officeCode}  ${m.role.toLowerCase()}${m.active ? "" : " (inactive)"}`)
      .join("\n")}`,
  );
}

/**
 * Deactivates a staff member: they can no longer act or receive cards, and every open case they
 * were handling returns to their office's queue, each change version-checked and told to the
 * office's supervisors (or the office's chat when it has none). Returns the references returned.
 */
export async function deactivateStaff(app: StaffAdminApp, member: StaffMember, actor: string, now: Date) {
  await app.staff.deactivate(member.id, now);
  const db = app.database.prisma;
  const open = await db.case.findMany({
    where: { assignedStaffId: member.id, status: { not: "CLOSED" } },
    select: { reference: true },
    orderBy: { createdAt: "asc" },
  });
  const returned: string[] = [];
  for (const { reference } of open) {
    // A case someone changed meanwhile is read again; one handed to a colleague meanwhile stays theirs.
    for (let attempt = 0; attempt < 3; attempt++) {
      const record = await app.caseStore.load(reference);
      if (!record || record.assignedStaffId !== member.id || record.status === "CLOSED") break;
      const writer = new StepWriter();
      writer.add(app.caseStore.unassign(record, actor, `${member.name} was deactivated`, now));
      writer.add(app.audit.record({ actor, action: "case.unassigned", caseId: record.id, detail: member.id }, now));
      await tellSupervisors(
        app,
        writer,
        record.officeCode ?? member.officeCode,
        record.id,
        reference,
        member.name,
        now,
      );
      try {
        await writer.commit(db);
        returned.push(reference);
        break;
      } catch (error) {
        if (!isRecordNotFound(error)) throw error;
      }
    }
  }
  await app.audit.record(
    { actor, action: "staff.deactivated", detail: `${member.id}; ${returned.length} case(s) back to the queue` },
    now,
  )(db);
  app.logger.info({ event: "staff.deactivated", staffId: member.id, returned: returned.length });
  return returned;
}

async function tellSupervisors(
  app: StaffAdminApp,
  writer: StepWriter,
  officeCode: string,
  caseId: string,
  reference: string,
  name: string,
  now: Date,
): Promise<void> {
  const supervisors = (await app.staff.activeOf(officeCode)).filter((m) => m.role === "SUPERVISOR" && m.identityId);
  const render = (t: ReturnType<App["translate"]>) => ({
    text: t("staff:returnedToQueue", { reference, name }),
    choices: [
      { id: actionChoiceId("det", reference), label: t("staff:card.details") },
      { id: actionChoiceId("asg", reference), label: t("staff:card.assign") },
    ],
  });
  let told = false;
  for (const supervisor of supervisors) {
    const channel = await app.cases.channelOfIdentity(supervisor.identityId as string);
    if (!channel) continue;
    writer.add(
      app.outbox.enqueueWrite(
        supervisor.identityId as string,
        channel,
        [render(app.translate(supervisor.language))],
        now,
        officeCode,
        caseId,
      ),
    );
    told = true;
  }
  if (!told) {
    const mailer = new OfficeMailer({ ...app, fallbackOffice: app.matrix.fallback }, writer, now);
    await mailer.send(officeCode, (t) => render(t), caseId);
  }
}

/** Lets a deactivated staff member act again, from the chat they enrolled with. */
export async function reactivateStaff(app: StaffAdminApp, member: StaffMember, actor: string, now: Date) {
  await app.staff.reactivate(member.id, now);
  await app.audit.record({ actor, action: "staff.reactivated", detail: member.id }, now)(app.database.prisma);
}
