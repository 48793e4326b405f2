import { z } from "zod";
import { caseCard, staffMessageToReporter, statusNotification } from "../conversation/notices.ts";
import type { StaffDesk } from "../conversation/ports.ts";
import type { StepWriter } from "../db/step-writer.ts";
import {
  AGE_GROUPS,
  type AssistanceStage,
  CASE_STATUSES,
  CATEGORIES,
  type CaseStatus,
  CONTACT_PREFERENCES,
  GENDERS,
  IndicatorsSchema,
  REPORTER_ROLES,
  type Resolution,
  staffMayActOn,
  URGENCIES,
  VICTIM_COUNTS,
} from "../domain/case.ts";
import { generatePin } from "../domain/reference.ts";
import type {
  CaseDetails,
  CaseFacts,
  CaseLine,
  EnrolOutcome,
  StaffAction,
  StaffActor,
  StaffOutcome,
} from "../domain/staff-actions.ts";
import { canChangeStatus, STATUS_TRANSITIONS } from "../domain/status-transitions.ts";
import { statusStageFor, viewerForReporter } from "../domain/status-view.ts";
import type { CaseDeskDeps } from "./case-desk.ts";
import { OfficeMailer } from "./office-mailer.ts";

type CaseRow = NonNullable<Awaited<ReturnType<CaseDeskDeps["cases"]["findForStaff"]>>>;

// Coded columns are plain text in the database; read them back through the domain's enums.
const Coded = {
  status: z.enum(CASE_STATUSES),
  stage: z.enum(["RETURN", "RECOVERY", "REINTEGRATION"]).nullable(),
  urgency: z.enum(URGENCIES),
  category: z.enum(CATEGORIES),
  age: z.enum(AGE_GROUPS),
  gender: z.enum(GENDERS),
  count: z.enum(VICTIM_COUNTS),
  role: z.enum(REPORTER_ROLES),
  contact: z.enum(CONTACT_PREFERENCES),
};

function factsOf(row: CaseRow): CaseFacts {
  return {
    reference: row.reference,
    status: Coded.status.parse(row.status),
    assistanceStage: Coded.stage.parse(row.assistanceStage),
    urgency: Coded.urgency.parse(row.urgency),
    category: Coded.category.parse(row.category),
    provinceCode: row.provinceCode,
    regencyCode: row.regencyCode,
    country: row.country,
    homeProvinceCode: row.homeProvinceCode,
    victimAgeGroup: Coded.age.parse(row.victimAgeGroup),
    officeCode: row.officeCode,
  };
}

/**
 * The staff operations over the database for one inbound message. Every attempt, allowed or
 * refused, leaves an audit row; every change leaves a case event; reporters hear of changes in
 * their language; other offices get cards, all in the step's transaction.
 */
export class PrismaStaffDesk implements StaffDesk {
  readonly #deps: CaseDeskDeps;
  readonly #writer: StepWriter;
  readonly #now: Date;
  readonly #mailer: OfficeMailer;

  constructor(deps: CaseDeskDeps, writer: StepWriter, now: Date) {
    this.#deps = deps;
    this.#writer = writer;
    this.#now = now;
    this.#mailer = new OfficeMailer({ ...deps, fallbackOffice: deps.matrix.fallback }, writer, now);
  }

  #audit(actor: string, action: string, caseId: string | null, detail?: string): void {
    const now = this.#now;
    this.#writer.add((db) =>
      db.auditLog.create({ data: { actor, action, caseId, detail: detail ?? null, createdAt: now } }),
    );
  }

  async enrol(identityId: string, code: string): Promise<EnrolOutcome> {
    const { staff: repo, offices } = this.#deps;
    const existing = await repo.byIdentity(identityId);
    if (existing?.active) return { kind: "already", staff: toActor(existing) };
    const invite = await repo.findInvite(code);
    if (!invite || invite.usedAt) {
      this.#audit(
        `identity:${identityId}`,
        "staff.enrol_refused",
        null,
        invite ? "invite already used" : "unknown invite",
      );
      return { kind: "invalid" };
    }
    if (invite.expiresAt <= this.#now) {
      this.#audit(`identity:${identityId}`, "staff.enrol_refused", null, "invite expired");
      return { kind: "expired" };
    }
    const member = await repo.get(invite.staffId);
    if (!member?.active) return { kind: "invalid" };
    const now = this.#now;
    this.#writer.add((db) => db.staffInvite.update({ where: { codeHash: invite.codeHash }, data: { usedAt: now } }));
    // A chat belongs to one staff record: an older, deactivated link to this chat is released.
    if (existing) this.#writer.add((db) => db.staff.update({ where: { id: existing.id }, data: { identityId: null } }));
    this.#writer.add((db) => db.staff.update({ where: { id: member.id }, data: { identityId } }));
    this.#audit(`staff:${member.id}`, "staff.enrolled", null, member.officeCode);
    this.#deps.logger.info({ event: "staff.enrolled", staffId: member.id, officeCode: member.officeCode });
    return {
      kind: "enrolled",
      staff: toActor(member),
      officeName: (await offices.get(member.officeCode))?.name ?? member.officeCode,
    };
  }

  async listCases(staff: StaffActor): Promise<CaseLine[]> {
    this.#audit(`staff:${staff.id}`, "cases.listed", null);
    const rows = await this.#deps.cases.openCases(staff.role === "AGENT" ? staff.officeCode : null);
    return rows.map((row) => ({
      reference: row.reference,
      status: Coded.status.parse(row.status),
      urgency: Coded.urgency.parse(row.urgency),
      category: Coded.category.parse(row.category),
      provinceCode: row.provinceCode,
      country: row.country,
      createdAt: row.createdAt,
    }));
  }

  async act(staff: StaffActor, action: StaffAction): Promise<StaffOutcome> {
    const actor = `staff:${staff.id}`;
    const row = await this.#deps.cases.findForStaff(action.reference);
    if (!row) {
      this.#audit(actor, `case.${action.kind}.refused`, null, "not found");
      return { kind: "not_found", reference: action.reference };
    }
    const copiedTo = row.copies.map((c) => c.officeCode);
    if (!staffMayActOn(staff, { officeCode: row.officeCode, copiedTo })) {
      this.#audit(actor, `case.${action.kind}.refused`, row.id, "not the staff member's office");
      this.#deps.logger.warn({ event: "staff.refused", staffId: staff.id, caseId: row.id, action: action.kind });
      return { kind: "not_allowed", reference: row.reference };
    }
    if (action.kind === "details") return this.#details(staff, row);
    if (row.status === "CLOSED") {
      this.#audit(actor, `case.${action.kind}.refused`, row.id, "case closed");
      return { kind: "closed_already", reference: row.reference };
    }
    switch (action.kind) {
      case "accept":
        return this.#changeStatus(staff, row, "ACKNOWLEDGED", null, "accept");
      case "setStatus":
        return this.#setStatus(staff, row, action.status, action.stage);
      case "close":
        if (!action.resolution) return { kind: "choose_resolution", reference: row.reference };
        return this.#changeStatus(staff, row, "CLOSED", null, "close", action.resolution);
      case "note":
        return this.#note(staff, row, action.text);
      case "reply":
        return this.#reply(staff, row, action.text);
      case "transfer":
      case "copy":
        return this.#reroute(staff, row, action.kind, action.officeCode);
      case "access":
        return this.#access(staff, row);
      case "reissuePin":
        return this.#reissuePin(staff, row);
    }
  }

  async #details(staff: StaffActor, row: CaseRow): Promise<StaffOutcome> {
    const details = await caseDetailsOf(this.#deps, row);
    this.#audit(`staff:${staff.id}`, "case.details_viewed", row.id);
    this.#deps.logger.info({ event: "case.details_viewed", staffId: staff.id, caseId: row.id });
    return { kind: "details", details };
  }

  async #setStatus(
    staff: StaffActor,
    row: CaseRow,
    status: CaseStatus | undefined,
    stage: AssistanceStage | undefined,
  ): Promise<StaffOutcome> {
    const current = Coded.status.parse(row.status);
    const allowed = [...STATUS_TRANSITIONS[current], ...(current === "ASSISTANCE" ? (["ASSISTANCE"] as const) : [])];
    if (!status) return { kind: "choose_status", reference: row.reference, current, allowed: [...new Set(allowed)] };
    if (!canChangeStatus(current, status)) {
      this.#audit(`staff:${staff.id}`, "case.setStatus.refused", row.id, `${current}->${status} not allowed`);
      return {
        kind: "invalid_transition",
        reference: row.reference,
        from: current,
        to: status,
        allowed: [...STATUS_TRANSITIONS[current]],
      };
    }
    if (status === "ASSISTANCE" && !stage) return { kind: "choose_stage", reference: row.reference };
    if (status === "CLOSED") return { kind: "choose_resolution", reference: row.reference };
    return this.#changeStatus(staff, row, status, status === "ASSISTANCE" ? (stage ?? null) : null, "setStatus");
  }

  async #changeStatus(
    staff: StaffActor,
    row: CaseRow,
    status: CaseStatus,
    stage: AssistanceStage | null,
    kind: "accept" | "setStatus" | "close",
    resolution?: Resolution,
  ): Promise<StaffOutcome> {
    const from = Coded.status.parse(row.status);
    const fromStage = Coded.stage.parse(row.assistanceStage);
    if (!canChangeStatus(from, status) || (from === status && fromStage === stage)) {
      this.#audit(`staff:${staff.id}`, `case.${kind}.refused`, row.id, `${from}->${status} not allowed`);
      return {
        kind: "invalid_transition",
        reference: row.reference,
        from,
        to: status,
        allowed: [...STATUS_TRANSITIONS[from]],
      };
    }
    const now = this.#now;
    const reason =
      kind === "close"
        ? `closed: ${resolution}`
        : status === "ASSISTANCE"
          ? `assistance stage ${stage}`
          : `status set by staff`;
    this.#writer.add((db) =>
      db.case.update({
        where: { id: row.id },
        data: {
          status,
          assistanceStage: status === "ASSISTANCE" ? stage : status === "MONITORING" ? row.assistanceStage : null,
          updatedAt: now,
          lastActivityAt: now,
          // The clocks start on first entry: UU 21/2007's 7 days, and the check-ins after reintegration.
          ...(status === "ASSISTANCE" && !row.serviceStartedAt ? { serviceStartedAt: now } : {}),
          ...(status === "MONITORING" && !row.monitoringStartedAt ? { monitoringStartedAt: now } : {}),
          ...(kind === "accept" ? { assignedStaffId: staff.id, acknowledgedAt: now } : {}),
          ...(status === "CLOSED" ? { resolution: resolution ?? null, closedAt: now } : {}),
          events: {
            create: {
              type: kind === "accept" ? "ACKNOWLEDGED" : kind === "close" ? "CLOSED" : "STATUS_CHANGED",
              actor: `staff:${staff.id}`,
              fromStatus: from,
              toStatus: status,
              reason,
              data: JSON.stringify({ stage, resolution: resolution ?? null }),
              createdAt: now,
            },
          },
        },
        select: { id: true },
      }),
    );
    this.#audit(
      `staff:${staff.id}`,
      `case.${kind}`,
      row.id,
      `${from}->${status}${stage ? `:${stage}` : ""}${resolution ? `:${resolution}` : ""}`,
    );
    await this.#notifyReporter(row, from, fromStage, status, status === "ASSISTANCE" ? stage : null);
    if (kind === "accept") return { kind: "accepted", reference: row.reference };
    if (kind === "close") return { kind: "closed", reference: row.reference, resolution: resolution ?? "ASSISTED" };
    return { kind: "status_changed", reference: row.reference, status, stage: status === "ASSISTANCE" ? stage : null };
  }

  /** Tells a reporter who agreed to be contacted in this chat, when the stage they can see changes. */
  async #notifyReporter(
    row: CaseRow,
    from: CaseStatus,
    fromStage: AssistanceStage | null,
    to: CaseStatus,
    toStage: AssistanceStage | null,
  ): Promise<void> {
    if (row.contactPreference !== "CHAT" || !row.reporterIdentityId || !row.consentToShare) return;
    const viewer = viewerForReporter(Coded.role.parse(row.reporterRole));
    if (statusStageFor(viewer, from, fromStage) === statusStageFor(viewer, to, toStage)) return;
    const channel = await this.#reporterChannel(row.reporterIdentityId);
    if (!channel) return;
    const language = row.language === "en" ? "en" : "id";
    const message = statusNotification(this.#deps.translate(language), viewer, row.reference, to, toStage);
    this.#writer.add(this.#deps.outbox.enqueueWrite(row.reporterIdentityId, channel, [message], this.#now));
  }

  #reporterChannel(identityId: string) {
    return this.#deps.cases.channelOfIdentity(identityId);
  }

  #note(staff: StaffActor, row: CaseRow, text: string): StaffOutcome {
    const { cipher } = this.#deps;
    const now = this.#now;
    this.#writer.add((db) =>
      db.case.update({
        where: { id: row.id },
        data: {
          updatedAt: now,
          lastActivityAt: now,
          messages: {
            create: {
              direction: "NOTE",
              staffId: staff.id,
              bodyCipher: cipher.seal(text, "case.message"),
              keyId: cipher.currentKeyId,
              createdAt: now,
            },
          },
          events: { create: { type: "NOTE_ADDED", actor: `staff:${staff.id}`, reason: "note added", createdAt: now } },
        },
        select: { id: true },
      }),
    );
    this.#audit(`staff:${staff.id}`, "case.note", row.id);
    return { kind: "noted", reference: row.reference };
  }

  async #reply(staff: StaffActor, row: CaseRow, text: string): Promise<StaffOutcome> {
    if (row.contactPreference === "NONE" || !row.reporterIdentityId) {
      this.#audit(`staff:${staff.id}`, "case.reply.refused", row.id, "reporter is anonymous");
      return { kind: "cannot_reply", reference: row.reference, why: "anonymous" };
    }
    if (row.contactPreference === "OTHER_NUMBER") {
      this.#audit(`staff:${staff.id}`, "case.reply.refused", row.id, "reporter asked for another number");
      return { kind: "cannot_reply", reference: row.reference, why: "other_number" };
    }
    const channel = await this.#reporterChannel(row.reporterIdentityId);
    if (!channel) return { kind: "cannot_reply", reference: row.reference, why: "anonymous" };
    const { cipher, outbox, translate } = this.#deps;
    const now = this.#now;
    const language = row.language === "en" ? "en" : "id";
    this.#writer.add(
      outbox.enqueueWrite(
        row.reporterIdentityId,
        channel,
        [staffMessageToReporter(translate(language), row.reference, text)],
        now,
      ),
    );
    this.#writer.add((db) =>
      db.case.update({
        where: { id: row.id },
        data: {
          updatedAt: now,
          lastActivityAt: now,
          messages: {
            create: {
              direction: "TO_REPORTER",
              staffId: staff.id,
              bodyCipher: cipher.seal(text, "case.message"),
              keyId: cipher.currentKeyId,
              createdAt: now,
            },
          },
          events: {
            create: {
              type: "REPLY_SENT",
              actor: `staff:${staff.id}`,
              reason: "staff replied to the reporter",
              createdAt: now,
            },
          },
        },
        select: { id: true },
      }),
    );
    this.#audit(`staff:${staff.id}`, "case.reply", row.id);
    return { kind: "replied", reference: row.reference };
  }

  async #reroute(staff: StaffActor, row: CaseRow, kind: "transfer" | "copy", code: string): Promise<StaffOutcome> {
    const office = await this.#deps.offices.get(code);
    if (!office) return { kind: "unknown_office", officeCode: code };
    // The reporter withdrew consent: nothing more is shared with anyone.
    if (!row.consentToShare) {
      this.#audit(`staff:${staff.id}`, `case.${kind}.refused`, row.id, "consent withdrawn");
      return { kind: "consent_withdrawn", reference: row.reference };
    }
    const copiedTo = row.copies.map((c) => c.officeCode);
    if (row.officeCode === office.code || (kind === "copy" && copiedTo.includes(office.code))) {
      return { kind: "same_office", reference: row.reference, officeCode: office.code };
    }
    const now = this.#now;
    const facts = factsOf(row);
    const delivery = await this.#mailer.send(office.code, (t, viaFallback) =>
      caseCard(t, facts, { reason: kind === "copy" ? "COPY" : "TRANSFER", officeName: office.name, viaFallback }),
    );
    const from = Coded.status.parse(row.status);
    this.#writer.add((db) =>
      db.case.update({
        where: { id: row.id },
        data:
          kind === "transfer"
            ? {
                // A transfer routes the case again: the new office accepts it afresh.
                officeCode: office.code,
                cardOfficeCode: delivery.deliveredTo,
                status: "ROUTED",
                assistanceStage: null,
                assignedStaffId: null,
                updatedAt: now,
                routedAt: now,
                lastActivityAt: now,
                events: {
                  create: {
                    type: "TRANSFERRED",
                    actor: `staff:${staff.id}`,
                    fromStatus: from,
                    toStatus: "ROUTED",
                    reason: `transferred from ${row.officeCode} to ${office.code}`,
                    data: JSON.stringify({ from: row.officeCode, to: office.code, cardOffice: delivery.deliveredTo }),
                    createdAt: now,
                  },
                },
              }
            : {
                updatedAt: now,
                copies: { create: { officeCode: office.code, createdAt: now } },
                events: {
                  create: {
                    type: "COPIED",
                    actor: `staff:${staff.id}`,
                    reason: `copied to ${office.code}`,
                    data: JSON.stringify({ to: office.code, cardOffice: delivery.deliveredTo }),
                    createdAt: now,
                  },
                },
              },
        select: { id: true },
      }),
    );
    this.#audit(`staff:${staff.id}`, `case.${kind}`, row.id, `${row.officeCode}->${office.code}`);
    if (kind === "transfer")
      await this.#notifyReporter(row, from, Coded.stage.parse(row.assistanceStage), "ROUTED", null);
    return kind === "transfer"
      ? { kind: "transferred", reference: row.reference, officeCode: office.code, officeName: office.name }
      : { kind: "copied", reference: row.reference, officeCode: office.code, officeName: office.name };
  }

  /** A new reporter PIN: sent to the reporter's chat when there is one, else shown to staff to hand over. */
  async #reissuePin(staff: StaffActor, row: CaseRow): Promise<StaffOutcome> {
    const pin = generatePin();
    const now = this.#now;
    this.#writer.add((db) =>
      db.case.update({
        where: { id: row.id },
        data: {
          pinHash: this.#deps.hasher.pin(row.reference, pin),
          updatedAt: now,
          lastActivityAt: now,
          events: {
            create: {
              type: "PIN_REISSUED",
              actor: `staff:${staff.id}`,
              reason: "a new reporter PIN was issued",
              createdAt: now,
            },
          },
        },
        select: { id: true },
      }),
    );
    this.#audit(`staff:${staff.id}`, "case.pin_reissued", row.id);
    const channel = row.reporterIdentityId ? await this.#reporterChannel(row.reporterIdentityId) : null;
    if (row.reporterIdentityId && channel) {
      const t = this.#deps.translate(row.language === "en" ? "en" : "id");
      this.#writer.add(
        this.#deps.outbox.enqueueWrite(
          row.reporterIdentityId,
          channel,
          [{ text: t("privacy:newPin", { reference: row.reference, pin }) }],
          now,
        ),
      );
      return { kind: "pin_reissued", reference: row.reference };
    }
    return { kind: "pin_shown", reference: row.reference, pin };
  }

  #access(staff: StaffActor, row: CaseRow): StaffOutcome {
    const pin = generatePin();
    const now = this.#now;
    const hash = this.#deps.hasher.victimPin(row.reference, pin);
    this.#writer.add((db) =>
      db.case.update({
        where: { id: row.id },
        data: {
          victimPinHash: hash,
          updatedAt: now,
          events: {
            create: {
              type: "VICTIM_ACCESS_ISSUED",
              actor: `staff:${staff.id}`,
              reason: "victim access code issued",
              createdAt: now,
            },
          },
        },
        select: { id: true },
      }),
    );
    this.#audit(`staff:${staff.id}`, "case.access_issued", row.id);
    return { kind: "access_issued", reference: row.reference, pin };
  }
}

/** Decrypts everything staff may see of a case; callers audit the view. */
export async function caseDetailsOf(
  deps: Pick<CaseDeskDeps, "cipher" | "offices" | "staff">,
  row: CaseRow,
): Promise<CaseDetails> {
  const { cipher, offices, staff: repo } = deps;
  const names = new Map<string, string>();
  const nameOf = async (id: string | null) => {
    if (!id) return null;
    if (!names.has(id)) names.set(id, (await repo.get(id))?.name ?? "-");
    return names.get(id) ?? null;
  };
  const messages: CaseDetails["messages"] = [];
  for (const m of row.messages.slice(-10)) {
    messages.push({
      direction: m.direction === "FROM_REPORTER" || m.direction === "NOTE" ? m.direction : "TO_REPORTER",
      text: cipher.open(m.bodyCipher, "case.message"),
      at: m.createdAt,
      staffName: await nameOf(m.staffId),
    });
  }
  return {
    ...factsOf(row),
    reporterRole: Coded.role.parse(row.reporterRole),
    indicators: IndicatorsSchema.parse(JSON.parse(row.indicators)),
    victimGender: Coded.gender.parse(row.victimGender),
    victimCount: Coded.count.parse(row.victimCount),
    narrative: row.narrativeCipher ? cipher.open(row.narrativeCipher, "case.narrative") : null,
    placeDetail: row.placeCipher ? PlaceDetailSchema.parse(cipher.openJson(row.placeCipher, "case.place")) : null,
    contactPreference: Coded.contact.parse(row.contactPreference),
    contactNumber: row.contactCipher ? cipher.open(row.contactCipher, "case.contact") : null,
    copiedTo: row.copies.map((c) => c.officeCode),
    officeName: row.officeCode ? ((await offices.get(row.officeCode))?.name ?? row.officeCode) : null,
    assignedStaffName: await nameOf(row.assignedStaffId),
    messages,
    createdAt: row.createdAt,
  };
}

const PlaceDetailSchema = z.object({
  text: z.string().optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});

function toActor(member: {
  id: string;
  name: string;
  officeCode: string;
  role: StaffActor["role"];
  active: boolean;
  language: StaffActor["language"];
}): StaffActor {
  return {
    id: member.id,
    name: member.name,
    officeCode: member.officeCode,
    role: member.role,
    active: member.active,
    language: member.language,
  };
}
