import type { StepWriter } from "../db/step-writer.ts";
import { endWebAccessWrites } from "../db/web-access.ts";
import type { StaffMember } from "../directory/staff-repository.ts";
import type { EnrolOutcome, StaffActor } from "../domain/staff-actions.ts";
import type { CaseDeskDeps } from "./case-desk.ts";

/** Wrong invite codes one chat may try in a window before it must wait (a guess has 1 in 2^40 odds; many guesses do not). */
export const INVITE_TRIES = { perChat: 5, windowMs: 15 * 60_000 } as const;

/** The audit action of a refused enrolment: counted per chat for the limit and across chats for the alert. */
export const ENROL_REFUSED = "staff.enrol_refused";

/** Wrong codes across all chats in an hour that make operators look: someone may be guessing from many chats. */
export const INVITE_ALERT = { failures: 20, windowMs: 60 * 60_000 } as const;

/** The staff member as the dialogue sees them. */
export function toActor(member: StaffMember): StaffActor {
  return {
    id: member.id,
    name: member.name,
    officeCode: member.officeCode,
    role: member.role,
    active: member.active,
    language: member.language,
    providerCode: member.providerCode,
  };
}

/**
 * `/staff <code>`: links this chat to the staff record of a single-use invite code. Every attempt
 * is audited; a chat gets a few wrong tries per window; a code is used atomically (the write is
 * conditional on it being unused, so of two chats racing for one code only one commits).
 */
export async function enrolStaff(
  deps: CaseDeskDeps,
  writer: StepWriter,
  now: Date,
  identityId: string,
  code: string,
): Promise<EnrolOutcome> {
  const { staff: repo, offices } = deps;
  const actor = `identity:${identityId}`;
  const audit = (action: string, detail: string) => writer.add(deps.audit.record({ actor, action, detail }, now));
  const refuse = async (detail: string) => {
    audit(ENROL_REFUSED, detail);
    const lastHour = (await deps.audit.countSince(ENROL_REFUSED, new Date(now.getTime() - INVITE_ALERT.windowMs))) + 1;
    if (lastHour >= INVITE_ALERT.failures) deps.operatorAlert?.("invite_guessing", { failures: lastHour });
  };
  const existing = await repo.byIdentity(identityId);
  if (existing?.active) {
    audit("staff.enrol_already", `already enrolled as ${existing.id}`);
    return { kind: "already", staff: toActor(existing) };
  }
  const since = new Date(now.getTime() - INVITE_TRIES.windowMs);
  const failures = await deps.audit.timesSince(actor, ENROL_REFUSED, since);
  if (failures.length >= INVITE_TRIES.perChat) {
    audit("staff.enrol_limited", `${failures.length} wrong codes in 15 minutes`);
    const oldest = failures[failures.length - INVITE_TRIES.perChat] ?? now;
    return { kind: "limited", until: new Date(oldest.getTime() + INVITE_TRIES.windowMs) };
  }
  const invite = await repo.findInvite(code);
  if (!invite || invite.usedAt) {
    await refuse(invite ? "invite already used" : "unknown invite");
    return { kind: "invalid" };
  }
  if (invite.expiresAt <= now) {
    await refuse("invite expired");
    return { kind: "expired" };
  }
  const member = await repo.get(invite.staffId);
  if (!member?.active) {
    await refuse("the invite's staff member is deactivated");
    return { kind: "invalid" };
  }
  // Conditional on the code being unused: a second chat taking it at the same moment fails here,
  // the step runs again and finds the code used.
  writer.add((d) =>
    d.staffInvite.update({
      where: { codeHash: invite.codeHash, usedAt: null },
      data: { usedAt: now },
      select: { codeHash: true },
    }),
  );
  // A chat belongs to one staff record: an older, deactivated link to this chat is released.
  if (existing) writer.add((d) => d.staff.update({ where: { id: existing.id }, data: { identityId: null } }));
  writer.add((d) => d.staff.update({ where: { id: member.id }, data: { identityId } }));
  // A new chat for the staff member (a lost phone replaced): web sessions and links of the old one end.
  for (const write of endWebAccessWrites(member.id, now)) writer.add(write);
  if (existing) for (const write of endWebAccessWrites(existing.id, now)) writer.add(write);
  writer.add(
    deps.audit.record(
      {
        actor: `staff:${member.id}`,
        action: "staff.enrolled",
        detail: `${member.officeCode} ${member.role} by ${actor}`,
      },
      now,
    ),
  );
  deps.logger.info({ event: "staff.enrolled", staffId: member.id, officeCode: member.officeCode });
  return {
    kind: "enrolled",
    staff: toActor(member),
    officeName: member.providerCode
      ? ((await deps.providers?.get(member.providerCode))?.name ?? member.providerCode)
      : ((await offices.get(member.officeCode))?.name ?? member.officeCode),
  };
}
