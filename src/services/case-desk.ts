import { randomUUID } from "node:crypto";
import type { CaseDesk } from "../conversation/ports.ts";
import type { CaseRepository } from "../db/case-repository.ts";
import type { StepWriter } from "../db/step-writer.ts";
import { generatePin, generateReference } from "../domain/reference.ts";
import type { NewReport, ReportListing, StatusAnswer, SubmittedReport } from "../domain/report.ts";
import { chatLockedUntil, LOOKUP_RULES, reachesFlagThreshold, referenceSlowdownMs } from "../domain/status-lookup.ts";
import { viewerForReporter } from "../domain/status-view.ts";
import type { Logger } from "../logging/logger.ts";
import type { FieldCipher } from "../security/field-cipher.ts";
import type { Hasher } from "../security/hasher.ts";
import type { Sleep } from "./clock.ts";

/** What the desk needs besides the step's writer. */
export interface CaseDeskDeps {
  cases: CaseRepository;
  cipher: FieldCipher;
  hasher: Hasher;
  sleep: Sleep;
  logger: Logger;
}

/**
 * The CaseDesk over the database for one inbound message: reads go straight to the
 * repository, writes join the step's transaction so they commit with the reply.
 */
export class PrismaCaseDesk implements CaseDesk {
  readonly #deps: CaseDeskDeps;
  readonly #writer: StepWriter;
  readonly #now: Date;

  constructor(deps: CaseDeskDeps, writer: StepWriter, now: Date) {
    this.#deps = deps;
    this.#writer = writer;
    this.#now = now;
  }

  async submitReport(identityId: string, report: NewReport): Promise<SubmittedReport> {
    const { cipher, hasher } = this.#deps;
    const reference = generateReference();
    const pin = generatePin();
    const id = randomUUID();
    const now = this.#now;
    const data = {
      id,
      reference,
      pinHash: hasher.pin(reference, pin),
      status: "RECEIVED",
      urgency: report.urgency,
      category: report.category,
      indicators: JSON.stringify(report.indicators),
      reporterRole: report.reporterRole,
      provinceCode: report.provinceCode,
      country: report.country,
      homeProvinceCode: report.homeProvinceCode,
      placeCipher: report.placeDetail ? cipher.sealJson(report.placeDetail, "case.place") : null,
      victimAgeGroup: report.victimAgeGroup,
      victimGender: report.victimGender,
      victimCount: report.victimCount,
      narrativeCipher: report.narrative ? cipher.seal(report.narrative, "case.narrative") : null,
      contactPreference: report.contactPreference,
      contactCipher: report.contactNumber ? cipher.seal(report.contactNumber, "case.contact") : null,
      reporterIdentityId: identityId,
      consentToShare: report.consentToShare,
      consentAt: report.consentToShare ? now : null,
      language: report.language,
      keyId: cipher.currentKeyId,
      createdAt: now,
      updatedAt: now,
    };
    this.#writer.add((db) =>
      db.case.create({
        data: {
          ...data,
          events: {
            create: {
              type: "RECEIVED",
              actor: "reporter",
              toStatus: "RECEIVED",
              reason: report.urgency === "URGENT" ? "reported; someone in immediate danger" : "reported",
              createdAt: now,
            },
          },
        },
        select: { id: true },
      }),
    );
    this.#deps.logger.info({ event: "case.submitted", caseId: id, urgency: report.urgency });
    return { reference, pin };
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
    const failuresToday = await cases.failedLookupsByReference(referenceHash, since);
    const delay = referenceSlowdownMs(failuresToday);
    if (delay > 0) await sleep(delay);

    const found = await cases.findForLookup(reference);
    const success = found !== null && hasher.verifyPin(reference, pin, found.pinHash);
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
      viewer: viewerForReporter(found.reporterRole),
      updatedAt: found.updatedAt,
    };
  }
}
