import { randomUUID } from "node:crypto";
import { caseCard, localTime, reporterMessageNotice } from "../conversation/notices.ts";
import type {
  AssistanceProgress,
  CaseDesk,
  DialogueSettings,
  FollowUpAnswerOutcome,
  RelayOutcome,
  Translate,
} from "../conversation/ports.ts";
import type { AuditStore } from "../db/audit-store.ts";
import type { CaseForLookup, CaseRepository } from "../db/case-repository.ts";
import type { CaseStore } from "../db/case-store.ts";
import type { LookupBudgetStore } from "../db/lookup-budget-store.ts";
import type { OutboxStore } from "../db/outbox-store.ts";
import type { StepWriter } from "../db/step-writer.ts";
import type { OfficeRepository } from "../directory/office-repository.ts";
import type { StaffRepository } from "../directory/staff-repository.ts";
import { ASSISTANCE_STAGES, type AssistanceStage, CASE_STATUSES, type CaseStatus } from "../domain/case.ts";
import { stageStates } from "../domain/case-services.ts";
import type { FollowUpPolicy } from "../domain/follow-up.ts";
import type { Language } from "../domain/language.ts";
import { generatePin, generateReference } from "../domain/reference.ts";
import { stageStatesWithReferrals } from "../domain/referrals.ts";
import type { NewReport, ReportListing, StatusAnswer, SubmittedReport } from "../domain/report.ts";
import { decideRoute, type RoutingMatrix, routingPlaceOf, victimTypeOf } from "../domain/routing.ts";
import type { CaseFacts } from "../domain/staff-actions.ts";
import {
  admitLookup,
  type BudgetCharge,
  chatLockedUntil,
  LOOKUP_RULES,
  type LookupAsker,
  reachesFlagThreshold,
  refundSuccess,
} from "../domain/status-lookup.ts";
import { type StatusViewer, viewerForReporter } from "../domain/status-view.ts";
import type { Logger } from "../logging/logger.ts";
import type { ProviderRepository } from "../partners/provider-repository.ts";
import type { ReportQuota } from "../policy/report-quota.ts";
import type { FieldCipher } from "../security/field-cipher.ts";
import type { Hasher } from "../security/hasher.ts";
import type { WebAddress, WebAuthStore } from "../web/web-auth.ts";
import type { Sleep } from "./clock.ts";
import { answerCheckIn } from "./follow-up-answers.ts";
import { OfficeMailer } from "./office-mailer.ts";
import type { AlertKind } from "./operator-alerts.ts";

/** What the desks need besides the step's writer. */
export interface CaseDeskDeps {
  cases: CaseRepository;
  /** Every write to a case goes through the store. */
  caseStore: CaseStore;
  audit: AuditStore;
  offices: OfficeRepository;
  staff: StaffRepository;
  outbox: OutboxStore;
  cipher: FieldCipher;
  hasher: Hasher;
  reportQuota: ReportQuota;
  lookupBudgets: LookupBudgetStore;
  translate: (language: Language) => Translate;
  matrix: RoutingMatrix;
  followUps: FollowUpPolicy;
  settings: DialogueSettings;
  sleep: Sleep;
  logger: Logger;
  /** The web inbox's login links and sessions; absent where the inbox is not part of the process. */
  webAuth?: WebAuthStore;
  /** Where the web inbox is reached (null while it is off): login links carry it. */
  webAddress?: WebAddress;
  /** The partner directory: a victim's status names the partners they were told of in person. */
  providers?: ProviderRepository;
  /** Referrals within a step (absent where no partner directory is wired). */
  referralDesk?: (writer: StepWriter, now: Date) => { withdrawAllOfCase(caseId: string): Promise<number> };
  /** Tells operators of something a person must look at (wrong invite codes across many chats). */
  operatorAlert?: (kind: AlertKind, details: Record<string, string | number>) => void;
}

const DAY_MS = 24 * 60 * 60_000;

/** Office names by code, for cards. */
async function officeName(offices: OfficeRepository, code: string): Promise<string> {
  return (await offices.get(code))?.name ?? code;
}

/**
 * The CaseDesk over the database for one inbound message: reads go straight to the
 * repositories, writes join the step's transaction so they commit with the reply.
 */
export class PrismaCaseDesk implements CaseDesk {
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

  async submitReport(identityId: string, report: NewReport): Promise<SubmittedReport> {
    const { cipher, hasher, matrix, offices } = this.#deps;
    const reference = generateReference();
    const pin = generatePin();
    const id = randomUUID();
    const now = this.#now;
    const victimType = victimTypeOf(report.victimAgeGroup, report.victimGender, report.victimCount);
    const decision = decideRoute(matrix, routingPlaceOf(report), victimType);
    const facts: CaseFacts = {
      reference,
      status: "ROUTED",
      assistanceStage: null,
      urgency: report.urgency,
      category: report.category,
      provinceCode: report.provinceCode,
      regencyCode: report.regencyCode,
      country: report.country,
      homeProvinceCode: report.homeProvinceCode,
      victimAgeGroup: report.victimAgeGroup,
      officeCode: decision.responsible,
      victimNationality: report.victimNationality,
      victimCountry: report.victimCountry,
    };
    // Cards go out in the same transaction as the case: a confirmed report always reaches an office.
    const responsibleName = await officeName(offices, decision.responsible);
    const acceptBy = localTime(
      new Date(now.getTime() + this.#deps.followUps.ackDeadlineMs[report.urgency]),
      report.provinceCode ?? report.homeProvinceCode,
      "id",
    );
    const delivery = await this.#mailer.send(
      decision.responsible,
      (t, viaFallback) => caseCard(t, facts, { reason: "NEW", officeName: responsibleName, viaFallback, acceptBy }),
      id,
    );
    const copyEvents: Array<{ type: string; actor: string; reason: string; createdAt: Date }> = [];
    for (const copy of decision.copies) {
      const name = await officeName(offices, copy);
      await this.#mailer.send(
        copy,
        (t, viaFallback) => caseCard(t, facts, { reason: "COPY", officeName: name, viaFallback }),
        id,
      );
      copyEvents.push({
        type: "COPIED",
        actor: "system",
        reason: `copied to ${copy}: ${decision.reason}`,
        createdAt: now,
      });
    }
    const deliveryEvent = delivery.viaFallback
      ? [
          {
            type: "CARD_FALLBACK",
            actor: "system",
            reason: `${decision.responsible} has no chat destination; card delivered to ${delivery.deliveredTo}`,
            createdAt: now,
          },
        ]
      : delivery.deliveredTo === null
        ? [
            {
              type: "CARD_WAITING",
              actor: "system",
              reason: `neither ${decision.responsible} nor ${matrix.fallback} has a chat destination; the card waits`,
              createdAt: now,
            },
          ]
        : [];
    this.#writer.add(
      this.#deps.caseStore.submit({
        id,
        reference,
        pinHash: hasher.pin(reference, pin),
        status: "ROUTED",
        urgency: report.urgency,
        category: report.category,
        indicators: JSON.stringify(report.indicators),
        reporterRole: report.reporterRole,
        provinceCode: report.provinceCode,
        regencyCode: report.regencyCode,
        districtCode: report.districtCode,
        country: report.country,
        homeProvinceCode: report.homeProvinceCode,
        placeCipher: report.placeDetail ? cipher.sealJson(report.placeDetail, "case.place", id) : null,
        victimAgeGroup: report.victimAgeGroup,
        victimGender: report.victimGender,
        victimCount: report.victimCount,
        victimNationality: report.victimNationality,
        victimCountry: report.victimCountry,
        narrativeCipher: report.narrative ? cipher.seal(report.narrative, "case.narrative", id) : null,
        contactPreference: report.contactPreference,
        contactCipher: report.contactNumber ? cipher.seal(report.contactNumber, "case.contact", id) : null,
        reporterIdentityId: identityId,
        consentToShare: report.consentToShare,
        consentAt: report.consentToShare ? now : null,
        language: report.language,
        officeCode: decision.responsible,
        cardOfficeCode: delivery.deliveredTo,
        keyId: cipher.currentKeyId,
        createdAt: now,
        updatedAt: now,
        routedAt: now,
        lastActivityAt: now,
        copies: decision.copies.map((officeCode) => ({ officeCode, createdAt: now })),
        events: [
          {
            type: "RECEIVED",
            actor: "reporter",
            toStatus: "RECEIVED",
            reason: report.urgency === "URGENT" ? "reported; someone in immediate danger" : "reported",
            createdAt: now,
          },
          {
            type: "ROUTED",
            actor: "system",
            fromStatus: "RECEIVED",
            toStatus: "ROUTED",
            reason: `${decision.reason} (victim type ${victimType})`,
            data: JSON.stringify({ officeCode: decision.responsible, copies: decision.copies }),
            createdAt: now,
          },
          ...copyEvents,
          ...deliveryEvent,
        ],
      }),
    );
    this.#writer.add(await this.#deps.reportQuota.markWrite(identityId, now));
    if (report.attachmentIds.length > 0) {
      // Only files this chat uploaded can join its case.
      this.#writer.add((db) =>
        db.attachment.updateMany({
          where: { id: { in: report.attachmentIds }, identityId, caseId: null },
          data: { caseId: id },
        }),
      );
    }
    this.#deps.logger.info({
      event: "case.submitted",
      caseId: id,
      urgency: report.urgency,
      officeCode: decision.responsible,
      cardOffice: delivery.deliveredTo,
    });
    return {
      reference,
      pin,
      officeCode: decision.responsible,
      copiedTo: decision.copies,
      acceptWithinMs: this.#deps.followUps.ackDeadlineMs[report.urgency],
    };
  }

  countReportsSince(identityId: string, since: Date): Promise<number> {
    // Not by the cases' reporter link: erasing contact data removes it, and the count with it.
    return this.#deps.reportQuota.countSince(identityId, since);
  }

  listReports(identityId: string): Promise<ReportListing[]> {
    return this.#deps.cases.listByReporter(identityId);
  }

  async lookupLockedUntil(identityId: string, now: Date): Promise<Date | null> {
    const since = new Date(now.getTime() - LOOKUP_RULES.chatWindowMs);
    return chatLockedUntil(await this.#deps.cases.failedLookupsByIdentity(identityId, since), now);
  }

  async checkStatus(identityId: string, reference: string, pin: string, now: Date): Promise<StatusAnswer> {
    const { cases, hasher, lookupBudgets, logger } = this.#deps;
    const lockedUntil = await this.lookupLockedUntil(identityId, now);
    if (lockedUntil) return { kind: "locked", until: lockedUntil };

    const referenceHash = hasher.reference(reference);
    const budgetHashes = hasher.referenceCandidates(reference);
    const found = await cases.findForLookup(reference);
    const victimPinIssuedAt = found?.victimPinIssuedAt ?? null;
    const asker: LookupAsker = {
      reportersChat: found !== null && found.reporterIdentityId === identityId,
      victimPinIssuedAt,
      freshPinTries: victimPinIssuedAt
        ? await cases.freshVictimPinTries(identityId, budgetHashes, victimPinIssuedAt)
        : 0,
    };
    // The reference's budget is charged before the PIN is compared, in a write of its own: chats
    // asking at one moment take turns, and nobody sleeps inside this chat's lock. The budget is
    // kept by the reference's hash whether or not a case has it, so a wait reveals nothing.
    const admission = await lookupBudgets.apply(budgetHashes, now, (budget) => {
      const decided = admitLookup(budget, asker, now);
      const charged = decided.kind === "check" && decided.pins === "all" ? decided.charge : null;
      return { next: charged ? charged.after : null, answer: decided };
    });
    if (admission.kind === "wait") return { kind: "wait", until: admission.until };
    const giveBack = async (charge: BudgetCharge | null) => {
      if (charge)
        await lookupBudgets.apply(budgetHashes, now, (stored) => ({
          next: refundSuccess(stored, charge),
          answer: null,
        }));
    };

    if (admission.pins === "fresh_victim") {
      // Only the victim PIN staff issued in the last day is compared. A wrong one reads as a wait,
      // and is one of this chat's few tries of it, not a failure toward the chat's lock (a lock
      // would tell that the reference exists). Each chat has tries of its own, so guessers cannot
      // use up the victim's.
      const right = found?.victimPinHash ? hasher.verifyVictimPin(reference, pin, found.victimPinHash) : false;
      this.#writer.add((db) =>
        db.statusLookup.create({
          data: { identityId, referenceHash, success: right, freshVictimPinTry: true, createdAt: now },
        }),
      );
      return right && found ? this.#shown(found, "VICTIM") : { kind: "wait", until: admission.until };
    }

    if (found?.duressPinHash && hasher.verifyDuressPin(reference, pin, found.duressPinHash)) {
      // Someone may be forcing the person: show a harmless status, and tell staff without a sign on screen.
      await giveBack(admission.charge);
      await this.#flagDuress(found.id, found.reference, found.officeCode);
      this.#writer.add((db) =>
        db.statusLookup.create({ data: { identityId, referenceHash, success: true, createdAt: now } }),
      );
      return {
        kind: "found",
        reference: found.reference,
        status: "RECEIVED",
        assistanceStage: null,
        viewer: "TIPSTER",
        updatedAt: found.createdAt,
        officeCode: null,
      };
    }
    const asReporter = found !== null && hasher.verifyPin(reference, pin, found.pinHash);
    const asVictim =
      found !== null &&
      !asReporter &&
      found.victimPinHash !== null &&
      hasher.verifyVictimPin(reference, pin, found.victimPinHash);
    const success = asReporter || asVictim;
    this.#writer.add((db) => db.statusLookup.create({ data: { identityId, referenceHash, success, createdAt: now } }));
    if (!found || !success) {
      const failures = admission.charge?.after.failures ?? 0;
      if (found && !found.lookupFlagged && reachesFlagThreshold(failures)) {
        this.#writer.add(this.#deps.caseStore.flagLookups(found.id, failures, now));
        logger.warn({ event: "case.lookup_flagged", caseId: found.id });
      }
      return { kind: "not_found" };
    }
    await giveBack(admission.charge);
    return this.#shown(found, asVictim ? "VICTIM" : viewerForReporter(found.reporterRole));
  }

  #shown(found: CaseForLookup, viewer: StatusViewer): StatusAnswer {
    return {
      kind: "found",
      reference: found.reference,
      status: found.status,
      assistanceStage: found.assistanceStage,
      viewer,
      updatedAt: found.updatedAt,
      officeCode: found.officeCode,
    };
  }

  async relayFromReporter(identityId: string, text: string): Promise<RelayOutcome> {
    const { cases, settings, logger } = this.#deps;
    const open = await cases.latestOpenOfReporter(identityId);
    if (!open) return "no_case";
    const since = new Date(this.#now.getTime() - DAY_MS);
    if ((await cases.relaysSince(identityId, since)) >= settings.maxRelaysPerDay) return "limited";
    const now = this.#now;
    // Staff cannot answer an anonymous reporter: say so, and offer once per case to allow contact here.
    const anonymous = open.contactPreference === "NONE";
    const offer = anonymous && open.contactOfferedAt === null;
    this.#writer.add(
      this.#deps.caseStore.appendMessage(
        open.id,
        { direction: "FROM_REPORTER", staffId: null, text },
        { type: "REPORTER_MESSAGE", actor: "reporter", reason: "message relayed to the office" },
        now,
        offer ? { contactOfferedAt: now } : {},
      ),
    );
    if (open.officeCode)
      await this.#mailer.send(open.officeCode, (t) => reporterMessageNotice(t, open.reference), open.id, {
        oncePerCase: true,
      });
    logger.info({ event: "case.reporter_message", caseId: open.id });
    return offer ? "relayed_anonymous_offer" : anonymous ? "relayed_anonymous" : "relayed";
  }

  async allowContact(identityId: string, pin: string): Promise<"allowed" | "wrong_pin" | "no_case"> {
    const open = await this.#deps.cases.latestOpenOfReporter(identityId);
    if (!open) return "no_case";
    if (!this.#deps.hasher.verifyPin(open.reference, pin, open.pinHash)) return "wrong_pin";
    if (open.contactPreference === "NONE") {
      this.#writer.add(this.#deps.caseStore.allowContact(open.id, this.#now));
    }
    return "allowed";
  }

  async #flagDuress(caseId: string, reference: string, officeCode: string | null): Promise<void> {
    this.#writer.add(this.#deps.caseStore.flagDuress(caseId, this.#now));
    // A new PIN waiting for the reporter must not reach whoever forced the emergency PIN.
    this.#writer.add(this.#deps.outbox.dropHeldWrite(caseId));
    if (officeCode)
      await this.#mailer.send(officeCode, (t) => ({ text: t("staff:duressAlert", { reference }) }), caseId);
    this.#deps.logger.warn({ event: "case.duress_pin_used", caseId });
  }

  async optOutOfContact(identityId: string): Promise<number> {
    const mine = await this.#deps.cases.ofReporter(identityId);
    for (const c of mine) {
      if (c.contactPreference !== "NONE") this.#writer.add(this.#deps.caseStore.optOutOfContact(c.id, this.#now));
    }
    return mine.length;
  }

  async withdrawConsent(identityId: string, reference: string): Promise<"withdrawn" | "not_found"> {
    const target = (await this.#deps.cases.ofReporter(identityId)).find((c) => c.reference === reference);
    if (!target) return "not_found";
    // Whoever reported, their words no longer go to partners: every open referral ends at once (the
    // office may refer again with the victim's own, fresh consent).
    await this.#deps.referralDesk?.(this.#writer, this.#now).withdrawAllOfCase(target.id);
    if (target.consentToShare) {
      this.#writer.add(this.#deps.caseStore.withdrawConsent(target.id, this.#now));
      for (const office of [target.officeCode, ...target.copies.map((c) => c.officeCode)]) {
        if (office)
          await this.#mailer.send(office, (t) => ({ text: t("staff:consentWithdrawn", { reference }) }), target.id);
      }
    }
    return "withdrawn";
  }

  async eraseContactData(identityId: string): Promise<number> {
    const mine = await this.#deps.cases.ofReporter(identityId);
    for (const c of mine) this.#writer.add(this.#deps.caseStore.eraseContact(c.id, this.#now));
    return mine.length;
  }

  async setDuressPin(
    identityId: string,
    reference: string,
    pin: string,
    duressPin: string,
  ): Promise<"set" | "wrong_pin" | "same_pin"> {
    const { cases, hasher } = this.#deps;
    const target = (await cases.ofReporter(identityId)).find((c) => c.reference === reference);
    if (!target || !hasher.verifyPin(reference, pin, target.pinHash)) return "wrong_pin";
    if (
      duressPin === pin ||
      (target.victimPinHash && hasher.verifyVictimPin(reference, duressPin, target.victimPinHash))
    ) {
      return "same_pin";
    }
    this.#writer.add(this.#deps.caseStore.setDuressPin(target.id, hasher.duressPin(reference, duressPin), this.#now));
    return "set";
  }

  async requestNewPin(identityId: string): Promise<"requested" | "no_reports"> {
    const [latest] = await this.#deps.cases.ofReporter(identityId);
    if (!latest) return "no_reports";
    this.#writer.add(this.#deps.caseStore.requestPin(latest.id, this.#now));
    if (latest.officeCode)
      await this.#mailer.send(
        latest.officeCode,
        (t) => ({ text: t("staff:pinRequested", { reference: latest.reference }) }),
        latest.id,
      );
    return "requested";
  }

  async answerFollowUp(identityId: string, followUpId: string, answer: string): Promise<FollowUpAnswerOutcome> {
    return answerCheckIn(this.#deps, this.#writer, this.#mailer, this.#now, identityId, followUpId, answer);
  }

  async assistanceProgress(reference: string): Promise<AssistanceProgress | null> {
    const row = await this.#deps.caseStore.load(reference);
    if (!row) return null;
    const served = new Set(
      (await this.#deps.caseStore.servedStages(row.id)).filter((s): s is AssistanceStage =>
        (ASSISTANCE_STAGES as readonly string[]).includes(s),
      ),
    );
    const status = (CASE_STATUSES as readonly string[]).includes(row.status) ? (row.status as CaseStatus) : "RECEIVED";
    const stage = (ASSISTANCE_STAGES as readonly string[]).includes(row.assistanceStage ?? "")
      ? (row.assistanceStage as AssistanceStage)
      : null;
    const referrals = await this.#deps.caseStore.referralsOf(row.id);
    const working = referrals.filter((r) => r.status === "ACCEPTED" || r.status === "DONE");
    // Once the case is in monitoring or closed, no partner's work on it is still in progress.
    const finished = status === "MONITORING" || status === "CLOSED";
    // A provider's name only when the victim was told it in person: the screen may be seen by others.
    const named = [...new Set(working.filter((r) => r.providerNamedToVictim).map((r) => r.providerCode))];
    const partners = await Promise.all(
      named.map(async (code) => (await this.#deps.providers?.get(code))?.name ?? code),
    );
    const counted = finished ? working.map((r) => ({ ...r, status: "DONE" as const })) : working;
    return { states: stageStatesWithReferrals(stageStates(status, stage, served), counted), partners };
  }

  async attachToOpenCase(identityId: string, attachmentIds: readonly string[]): Promise<"attached" | "no_case"> {
    const open = await this.#deps.cases.latestOpenOfReporter(identityId);
    if (!open) return "no_case";
    const now = this.#now;
    this.#writer.add((db) =>
      db.attachment.updateMany({
        where: { id: { in: [...attachmentIds] }, identityId, caseId: null },
        data: { caseId: open.id },
      }),
    );
    this.#writer.add(
      this.#deps.caseStore.recordEvent(
        open.id,
        { type: "ATTACHMENT_ADDED", actor: "reporter", reason: `${attachmentIds.length} file(s) added` },
        now,
      ),
    );
    if (open.officeCode)
      await this.#mailer.send(open.officeCode, (t) => reporterMessageNotice(t, open.reference), open.id, {
        oncePerCase: true,
      });
    return "attached";
  }
}
