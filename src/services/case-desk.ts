import { randomUUID } from "node:crypto";
import { caseCard, localTime, reporterMessageNotice } from "../conversation/notices.ts";
import type {
  CaseDesk,
  DialogueSettings,
  FollowUpAnswerOutcome,
  RelayOutcome,
  Translate,
} from "../conversation/ports.ts";
import type { CaseRepository } from "../db/case-repository.ts";
import type { OutboxStore } from "../db/outbox-store.ts";
import type { StepWriter } from "../db/step-writer.ts";
import type { OfficeRepository } from "../directory/office-repository.ts";
import type { StaffRepository } from "../directory/staff-repository.ts";
import type { FollowUpPolicy } from "../domain/follow-up.ts";
import type { Language } from "../domain/language.ts";
import { generatePin, generateReference } from "../domain/reference.ts";
import type { NewReport, ReportListing, StatusAnswer, SubmittedReport } from "../domain/report.ts";
import { decideRoute, type RoutingMatrix, routingPlaceOf, victimTypeOf } from "../domain/routing.ts";
import type { CaseFacts } from "../domain/staff-actions.ts";
import { chatLockedUntil, LOOKUP_RULES, reachesFlagThreshold, referenceSlowdownMs } from "../domain/status-lookup.ts";
import { viewerForReporter } from "../domain/status-view.ts";
import type { Logger } from "../logging/logger.ts";
import type { FieldCipher } from "../security/field-cipher.ts";
import type { Hasher } from "../security/hasher.ts";
import type { Sleep } from "./clock.ts";
import { answerCheckIn } from "./follow-up-answers.ts";
import { OfficeMailer } from "./office-mailer.ts";

/** What the desks need besides the step's writer. */
export interface CaseDeskDeps {
  cases: CaseRepository;
  offices: OfficeRepository;
  staff: StaffRepository;
  outbox: OutboxStore;
  cipher: FieldCipher;
  hasher: Hasher;
  translate: (language: Language) => Translate;
  matrix: RoutingMatrix;
  followUps: FollowUpPolicy;
  settings: DialogueSettings;
  sleep: Sleep;
  logger: Logger;
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
    const acceptByDate = new Date(now.getTime() + this.#deps.followUps.ackDeadlineMs[report.urgency]);
    const acceptBy = localTime(acceptByDate, report.provinceCode ?? report.homeProvinceCode, "id");
    const delivery = await this.#mailer.send(decision.responsible, (t, viaFallback) =>
      caseCard(t, facts, { reason: "NEW", officeName: responsibleName, viaFallback, acceptBy }),
    );
    const copyEvents: Array<{ type: string; actor: string; reason: string; createdAt: Date }> = [];
    for (const copy of decision.copies) {
      const name = await officeName(offices, copy);
      await this.#mailer.send(copy, (t, viaFallback) =>
        caseCard(t, facts, { reason: "COPY", officeName: name, viaFallback }),
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
    this.#writer.add((db) =>
      db.case.create({
        data: {
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
          placeCipher: report.placeDetail ? cipher.sealJson(report.placeDetail, "case.place") : null,
          victimAgeGroup: report.victimAgeGroup,
          victimGender: report.victimGender,
          victimCount: report.victimCount,
          victimNationality: report.victimNationality,
          victimCountry: report.victimCountry,
          narrativeCipher: report.narrative ? cipher.seal(report.narrative, "case.narrative") : null,
          contactPreference: report.contactPreference,
          contactCipher: report.contactNumber ? cipher.seal(report.contactNumber, "case.contact") : null,
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
          copies: { create: decision.copies.map((officeCode) => ({ officeCode, createdAt: now })) },
          events: {
            create: [
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
          },
        },
        select: { id: true },
      }),
    );
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
    return this.#deps.cases.countByReporterSince(identityId, since);
  }

  listReports(identityId: string): Promise<ReportListing[]> {
    return this.#deps.cases.listByReporter(identityId);
  }

  async lookupLockedUntil(identityId: string, now: Date): Promise<Date | null> {
    const since = new Date(now.getTime() - LOOKUP_RULES.chatWindowMs);
    return chatLockedUntil(await this.#deps.cases.failedLookupsByIdentity(identityId, since), now);
  }

  async checkStatus(identityId: string, reference: string, pin: string, now: Date): Promise<StatusAnswer> {
    const { cases, hasher, sleep, logger } = this.#deps;
    const lockedUntil = await this.lookupLockedUntil(identityId, now);
    if (lockedUntil) return { kind: "locked", until: lockedUntil };

    // Failures are counted per reference whether or not it exists, so the slowdown reveals nothing.
    const referenceHash = hasher.reference(reference);
    const since = new Date(now.getTime() - LOOKUP_RULES.referenceWindowMs);
    // Failures counted under an older HMAC key (before rotate-keys re-hashed them) still count.
    const failuresToday = await cases.failedLookupsByReference(hasher.referenceCandidates(reference), since);
    const delay = referenceSlowdownMs(failuresToday);
    if (delay > 0) await sleep(delay);

    const found = await cases.findForLookup(reference);
    if (found?.duressPinHash && hasher.verifyDuressPin(reference, pin, found.duressPinHash)) {
      // Someone may be forcing the person: show a harmless status, and tell staff without a sign on screen.
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
      if (found && !found.lookupFlagged && reachesFlagThreshold(failuresToday + 1)) {
        this.#writer.add((db) =>
          db.case.update({
            where: { id: found.id },
            data: {
              lookupFlagged: true,
              updatedAt: now,
              events: {
                create: {
                  type: "LOOKUP_FLAGGED",
                  actor: "system",
                  reason: `${failuresToday + 1} failed status look-ups in 24 hours`,
                  createdAt: now,
                },
              },
            },
            select: { id: true },
          }),
        );
        logger.warn({ event: "case.lookup_flagged", caseId: found.id });
      }
      return { kind: "not_found" };
    }
    return {
      kind: "found",
      reference: found.reference,
      status: found.status,
      assistanceStage: found.assistanceStage,
      viewer: asVictim ? "VICTIM" : viewerForReporter(found.reporterRole),
      updatedAt: found.updatedAt,
      officeCode: found.officeCode,
    };
  }

  async relayFromReporter(identityId: string, text: string): Promise<RelayOutcome> {
    const { cases, cipher, settings, logger } = this.#deps;
    const open = await cases.latestOpenOfReporter(identityId);
    if (!open) return "no_case";
    const since = new Date(this.#now.getTime() - DAY_MS);
    if ((await cases.relaysSince(identityId, since)) >= settings.maxRelaysPerDay) return "limited";
    const now = this.#now;
    // Staff cannot answer an anonymous reporter: say so, and offer once per case to allow contact here.
    const anonymous = open.contactPreference === "NONE";
    const offer = anonymous && open.contactOfferedAt === null;
    this.#writer.add((db) =>
      db.case.update({
        where: { id: open.id },
        data: {
          updatedAt: now,
          lastActivityAt: now,
          ...(offer ? { contactOfferedAt: now } : {}),
          messages: {
            create: {
              direction: "FROM_REPORTER",
              bodyCipher: cipher.seal(text, "case.message"),
              keyId: cipher.currentKeyId,
              createdAt: now,
            },
          },
          events: {
            create: {
              type: "REPORTER_MESSAGE",
              actor: "reporter",
              reason: "message relayed to the office",
              createdAt: now,
            },
          },
        },
        select: { id: true },
      }),
    );
    if (open.officeCode) await this.#mailer.send(open.officeCode, (t) => reporterMessageNotice(t, open.reference));
    logger.info({ event: "case.reporter_message", caseId: open.id });
    return offer ? "relayed_anonymous_offer" : anonymous ? "relayed_anonymous" : "relayed";
  }

  async allowContact(identityId: string, pin: string): Promise<"allowed" | "wrong_pin" | "no_case"> {
    const open = await this.#deps.cases.latestOpenOfReporter(identityId);
    if (!open) return "no_case";
    if (!this.#deps.hasher.verifyPin(open.reference, pin, open.pinHash)) return "wrong_pin";
    if (open.contactPreference === "NONE") {
      this.#event(
        open.id,
        "CONTACT_ALLOWED",
        "the anonymous reporter typed the case PIN to allow replies in this chat",
        {
          contactPreference: "CHAT",
        },
      );
    }
    return "allowed";
  }

  async #flagDuress(caseId: string, reference: string, officeCode: string | null): Promise<void> {
    const now = this.#now;
    this.#writer.add((db) =>
      db.case.update({
        where: { id: caseId },
        data: {
          duressUsedAt: now,
          lookupFlagged: true,
          events: {
            create: {
              type: "DURESS_PIN_USED",
              actor: "system",
              reason: "status opened with the emergency PIN",
              createdAt: now,
            },
          },
        },
        select: { id: true },
      }),
    );
    if (officeCode) await this.#mailer.send(officeCode, (t) => ({ text: t("staff:duressAlert", { reference }) }));
    this.#deps.logger.warn({ event: "case.duress_pin_used", caseId });
  }

  #event(caseId: string, type: string, reason: string, data: Record<string, unknown> = {}) {
    const now = this.#now;
    this.#writer.add((db) =>
      db.case.update({
        where: { id: caseId },
        data: { ...data, updatedAt: now, events: { create: { type, actor: "reporter", reason, createdAt: now } } },
        select: { id: true },
      }),
    );
  }

  async optOutOfContact(identityId: string): Promise<number> {
    const mine = await this.#deps.cases.ofReporter(identityId);
    for (const c of mine) {
      if (c.contactPreference !== "NONE")
        this.#event(c.id, "CONTACT_OPT_OUT", "the reporter asked not to be contacted", { contactPreference: "NONE" });
    }
    return mine.length;
  }

  async withdrawConsent(identityId: string, reference: string): Promise<"withdrawn" | "not_found"> {
    const target = (await this.#deps.cases.ofReporter(identityId)).find((c) => c.reference === reference);
    if (!target) return "not_found";
    if (target.consentToShare) {
      this.#event(target.id, "CONSENT_WITHDRAWN", "the reporter withdrew consent to share the report", {
        consentToShare: false,
        consentWithdrawnAt: this.#now,
      });
      for (const office of [target.officeCode, ...target.copies.map((c) => c.officeCode)]) {
        if (office) await this.#mailer.send(office, (t) => ({ text: t("staff:consentWithdrawn", { reference }) }));
      }
    }
    return "withdrawn";
  }

  async eraseContactData(identityId: string): Promise<number> {
    const mine = await this.#deps.cases.ofReporter(identityId);
    for (const c of mine) {
      this.#event(c.id, "CONTACT_ERASED", "the reporter asked to erase their contact details", {
        contactCipher: null,
        contactPreference: "NONE",
        reporterIdentityId: null,
      });
    }
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
    this.#event(target.id, "DURESS_PIN_SET", "the reporter set an emergency PIN", {
      duressPinHash: hasher.duressPin(reference, duressPin),
    });
    return "set";
  }

  async requestNewPin(identityId: string): Promise<"requested" | "no_reports"> {
    const [latest] = await this.#deps.cases.ofReporter(identityId);
    if (!latest) return "no_reports";
    this.#event(latest.id, "PIN_REQUESTED", "the reporter asked for a new PIN from the chat that reported");
    if (latest.officeCode)
      await this.#mailer.send(latest.officeCode, (t) => ({
        text: t("staff:pinRequested", { reference: latest.reference }),
      }));
    return "requested";
  }

  async answerFollowUp(identityId: string, followUpId: string, answer: string): Promise<FollowUpAnswerOutcome> {
    return answerCheckIn(this.#deps, this.#writer, this.#mailer, this.#now, identityId, followUpId, answer);
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
    this.#writer.add((db) =>
      db.caseEvent.create({
        data: {
          caseId: open.id,
          type: "ATTACHMENT_ADDED",
          actor: "reporter",
          reason: `${attachmentIds.length} file(s) added`,
          createdAt: now,
        },
      }),
    );
    if (open.officeCode) await this.#mailer.send(open.officeCode, (t) => reporterMessageNotice(t, open.reference));
    return "attached";
  }
}
