import { randomUUID } from "node:crypto";
import type { ChannelKind, OutboundMessage } from "../channels/types.ts";
import { localTime, placeLabel } from "../conversation/notices.ts";
import type { ReferralChoices, Translate } from "../conversation/ports.ts";
import type { CaseRecord } from "../db/case-store.ts";
import type { Db } from "../db/database.ts";
import { isRecordNotFound, isUniqueViolation } from "../db/database.ts";
import { StepWriter } from "../db/step-writer.ts";
import { generateInviteCode, normalizeInviteCode } from "../directory/staff-repository.ts";
import { type ServiceType, stageOfService } from "../domain/case-services.ts";
import { dayOf, type ProviderRecord, reviewOverdue, servesPlace } from "../domain/providers.ts";
import {
  consentRefusal,
  type DeclineReason,
  nextReferralStatus,
  providerSeesStory,
  type ReferralConsent,
  type ReferralEvent,
  type ReferralOutcome,
  type ReferralView,
  referralDueAt,
  referralOverdue,
  referralServicesOf,
  referralStatusOf,
} from "../domain/referrals.ts";
import type { StaffActor } from "../domain/staff-actions.ts";
import { caseAccess } from "../domain/staff-scope.ts";
import type { CaseDeskDeps } from "../services/case-desk.ts";
import type { Clock } from "../services/clock.ts";
import { OfficeMailer } from "../services/office-mailer.ts";
import { Coded } from "../services/staff-views.ts";
import type { ProviderRepository } from "./provider-repository.ts";

/** What the referral desk needs besides the case desk's services. */
export interface ReferralDeskDeps extends CaseDeskDeps {
  db: Db;
  providers: ProviderRepository;
  clock: Clock;
}

/** A provider a case could be referred to, with whether its details are due for a check. */
export interface ReferralOption {
  provider: ProviderRecord;
  reviewOverdue: boolean;
}

/** The request to refer a case. */
export interface ReferralRequest {
  reference: string;
  providerCode: string;
  services: readonly ServiceType[];
  consent: ReferralConsent;
  /** The victim was told the provider's name in person. */
  providerNamedToVictim?: boolean;
}

type ReferralRow = NonNullable<Awaited<ReturnType<Db["referral"]["findUnique"]>>>;

const MAX_ATTEMPTS = 3;

/** Where a provider is asked to work for a case: its place in Indonesia, or the home province of a case abroad. */
function placeForProviders(row: CaseRecord): { provinceCode: string | null; regencyCode: string | null } {
  return row.provinceCode
    ? { provinceCode: row.provinceCode, regencyCode: row.regencyCode }
    : { provinceCode: row.homeProvinceCode, regencyCode: null };
}

/**
 * Referrals of cases to partner providers, for one step: every change goes through the case store
 * in the step's transaction, leaves a case event and an audit row, and tells the other side (the
 * provider's enrolled staff, or the referring office's chats). The reporter's consent covers
 * government offices only: a referral carries the victim's own consent, or a supervisor's override.
 */
export class ReferralDesk {
  readonly #deps: ReferralDeskDeps;
  readonly #writer: StepWriter;
  readonly #now: Date;
  readonly #mailer: OfficeMailer;
  readonly #providers = new Map<string, Promise<ProviderRecord | null>>();

  constructor(deps: ReferralDeskDeps, writer: StepWriter, now: Date) {
    this.#deps = deps;
    this.#writer = writer;
    this.#now = now;
    this.#mailer = new OfficeMailer({ ...deps, fallbackOffice: deps.matrix.fallback }, writer, now);
  }

  #audit(actor: string, action: string, caseId: string | null, detail?: string): void {
    this.#writer.add(this.#deps.audit.record({ actor, action, caseId, detail: detail ?? null }, this.#now));
  }

  /** A provider by code, read once per step however many referrals name it. */
  #provider(code: string): Promise<ProviderRecord | null> {
    let found = this.#providers.get(code);
    if (!found) {
      found = this.#deps.providers.get(code);
      this.#providers.set(code, found);
    }
    return found;
  }

  async #view(row: ReferralRow, reference?: string): Promise<ReferralView> {
    const provider = await this.#provider(row.providerCode);
    const status = referralStatusOf(row.status);
    const caseReference =
      reference ??
      (await this.#deps.db.case.findUnique({ where: { id: row.caseId }, select: { reference: true } }))?.reference ??
      "";
    return {
      code: row.code,
      reference: caseReference,
      providerCode: row.providerCode,
      providerName: provider?.name ?? row.providerCode,
      officeCode: row.officeCode,
      services: referralServicesOf(row.services),
      status,
      urgent: row.urgent,
      dueAt: row.dueAt,
      overdue: referralOverdue({ status, dueAt: row.dueAt }, this.#now),
      declineReason: (row.declineReason as DeclineReason | null) ?? null,
      createdAt: row.createdAt,
    };
  }

  /** The case, when the staff member's office is responsible for it (only that office refers and withdraws). */
  async #ownCase(staff: StaffActor, reference: string, quiet = false): Promise<CaseRecord | ReferralOutcome> {
    const row = await this.#deps.caseStore.load(reference);
    // A page that only shows the referral section to those who may use it is no attempt: not audited.
    const audit = quiet
      ? () => {}
      : (detail: string, caseId: string | null) =>
          this.#audit(`staff:${staff.id}`, "case.referral.refused", caseId, detail);
    if (!row) {
      audit(`not found; reference tried ${reference}`, null);
      return { kind: "not_found", reference };
    }
    const access = caseAccess(staff, { officeCode: row.officeCode, copiedTo: row.copies.map((c) => c.officeCode) });
    if (access !== "FULL") {
      audit("not the responsible office", row.id);
      return { kind: "not_allowed" };
    }
    return row;
  }

  /** Active providers serving the case's place that offer every service asked (or any, when none is asked). */
  async options(staff: StaffActor, reference: string, services: readonly ServiceType[]) {
    const row = await this.#ownCase(staff, reference, true);
    if ("kind" in row) return row;
    const place = placeForProviders(row);
    const providers = await this.#deps.providers.list({ services: [...services] });
    const serving = providers.filter(
      (p) => servesPlace(p.areas, place) && services.every((service) => p.services.includes(service)),
    );
    return serving.map((provider) => ({ provider, reviewOverdue: reviewOverdue(provider, this.#now) }));
  }

  /** The chat's view of `options`: the partners, and whether a guardian may consent for the victim. */
  async choices(staff: StaffActor, reference: string, services: readonly ServiceType[]): Promise<ReferralChoices> {
    // A refusal is audited, as on the web: another office trying a reference is worth knowing.
    const row = await this.#ownCase(staff, reference);
    if ("kind" in row) return { kind: "refused", outcome: row };
    if (row.status === "CLOSED")
      return { kind: "refused", outcome: { kind: "closed_already", reference: row.reference } };
    const offered = await this.options(staff, row.reference, services);
    if (!Array.isArray(offered)) return { kind: "refused", outcome: offered };
    return {
      kind: "choices",
      reference: row.reference,
      guardianMayConsent: Coded.age.parse(row.victimAgeGroup) !== "ADULT",
      providers: offered.map(({ provider, reviewOverdue }) => ({
        code: provider.code,
        name: provider.name,
        services: [...provider.services],
        reviewOverdue,
      })),
    };
  }

  /** A provider's name as the directory holds it, or null for an unknown code. */
  async providerName(code: string): Promise<string | null> {
    return (await this.#provider(code))?.name ?? null;
  }

  /** Refers a case to a provider for some services, with consent; the provider's staff get the minimal card. */
  async refer(staff: StaffActor, request: ReferralRequest): Promise<ReferralOutcome> {
    const actor = `staff:${staff.id}`;
    const row = await this.#ownCase(staff, request.reference);
    if ("kind" in row) return row;
    if (row.status === "CLOSED") {
      this.#audit(actor, "case.referral.refused", row.id, "case closed");
      return { kind: "closed_already", reference: row.reference };
    }
    const services = [...new Set(request.services)];
    if (services.length === 0) return { kind: "no_services" };
    const refused = consentRefusal(staff.role, request.consent, Coded.age.parse(row.victimAgeGroup));
    if (refused) {
      this.#audit(actor, "case.referral.refused", row.id, refused);
      return { kind: "consent_refused", why: refused };
    }
    const provider = await this.#provider(request.providerCode);
    if (!provider) return { kind: "unknown_provider", providerCode: request.providerCode };
    const unsuitable = !provider.active
      ? "inactive"
      : !servesPlace(provider.areas, placeForProviders(row))
        ? "area"
        : services.some((s) => !provider.services.includes(s))
          ? "services"
          : null;
    if (unsuitable) {
      this.#audit(actor, "case.referral.refused", row.id, `${provider.code} ${unsuitable}`);
      return { kind: "provider_unsuitable", providerCode: provider.code, why: unsuitable };
    }
    const open = await this.#deps.db.referral.findFirst({
      where: { caseId: row.id, providerCode: provider.code, status: { in: ["PENDING", "ACCEPTED"] } },
    });
    if (open) return { kind: "referred_already", referral: await this.#view(open, row.reference) };

    const urgent = row.urgency === "URGENT";
    const id = randomUUID();
    const code = generateInviteCode();
    const { consent } = request;
    const dueAt = referralDueAt(this.#now, urgent);
    this.#writer.add(
      this.#deps.caseStore.refer(
        row.id,
        {
          id,
          code,
          providerCode: provider.code,
          // The case's responsible office refers (national staff may act for it): it hears the answers.
          officeCode: row.officeCode ?? staff.officeCode,
          referredByStaffId: staff.id,
          services: services.join(";"),
          openKey: `${row.id}:${provider.code}`,
          status: "PENDING",
          urgent,
          dueAt,
          consentSource: consent.source,
          consentMethod: consent.source === "OVERRIDE" ? null : consent.method,
          consentRecordedBy: staff.id,
          consentAt: this.#now,
          overrideGround: consent.source === "OVERRIDE" ? consent.ground : null,
          providerNamedToVictim: request.providerNamedToVictim === true,
        },
        {
          type: "REFERRED",
          actor,
          reason: `to ${provider.code}: ${services.join(", ")}`,
          data: { referral: code, provider: provider.code, services, consent: consent.source },
        },
        this.#now,
      ),
    );
    this.#audit(actor, "case.referral", row.id, `${code} ${provider.code} consent ${consent.source}`);
    const view: ReferralView = {
      code,
      reference: row.reference,
      providerCode: provider.code,
      providerName: provider.name,
      officeCode: row.officeCode ?? staff.officeCode,
      services,
      status: "PENDING",
      urgent,
      dueAt,
      overdue: false,
      declineReason: null,
      createdAt: this.#now,
    };
    if (consent.source === "OVERRIDE") {
      // The reason is free text: it goes to the case's encrypted notes, and the national desk is told the decision.
      const t = this.#deps.translate("id");
      const ground = t(`staff:referral.overrideGround.${consent.ground}`);
      this.#writer.add(
        this.#deps.caseStore.appendMessage(
          row.id,
          {
            direction: "NOTE",
            staffId: staff.id,
            text: t("staff:referral.overrideNote", {
              code,
              provider: provider.name,
              ground,
              reason: consent.reason.trim(),
            }),
          },
          { type: "NOTE_ADDED", actor, reason: "referral override reason" },
          this.#now,
        ),
      );
      this.#audit(actor, "case.referral_override", row.id, `${code} ${consent.ground}`);
      const office = (await this.#deps.offices.get(staff.officeCode))?.name ?? staff.officeCode;
      await this.#mailer.send(
        this.#deps.matrix.fallback,
        (tr) => ({
          text: tr("staff:referral.override", {
            code,
            reference: row.reference,
            provider: provider.name,
            name: staff.name,
            office,
            ground: tr(`staff:referral.overrideGround.${consent.ground}`),
          }),
        }),
        row.id,
      );
    }
    const office = (await this.#deps.offices.get(view.officeCode))?.name ?? view.officeCode;
    const reached = await this.#tellPartner(provider.code, (t, language) => ({
      text: this.#partnerCard(t, language, row, view, office),
    }));
    return { kind: "referred", referral: view, partnerReachable: reached > 0 };
  }

  /** The card a provider's staff get: what is asked, by when, and coded facts only (no identity, no story). */
  #partnerCard(t: Translate, language: "id" | "en", row: CaseRecord, view: ReferralView, office: string): string {
    return [
      t(view.urgent ? "staff:referral.cardTitleUrgent" : "staff:referral.cardTitle", { code: view.code }),
      t("staff:referral.cardFrom", { office }),
      t("staff:referral.cardServices", {
        services: view.services.map((s) => t(`staff:serviceName.${s}`)).join(", "),
      }),
      t("staff:referral.cardVictim", {
        age: t(`intake:victimAge.${Coded.age.parse(row.victimAgeGroup)}`),
        gender: t(`intake:victimGender.${Coded.gender.parse(row.victimGender)}`),
      }),
      t("staff:referral.cardPlace", { place: placeLabel(t, row) }),
      t("staff:referral.cardAnswerBy", { time: localTime(view.dueAt, row.provinceCode, language) }),
      t("staff:referral.cardPrivacy"),
      t("staff:referral.cardHow", { code: view.code }),
    ].join("\n");
  }

  /** Queues a message to every enrolled, active staff member of a provider, each in their language. */
  async #tellPartner(
    providerCode: string,
    render: (t: Translate, language: "id" | "en") => OutboundMessage,
  ): Promise<number> {
    const staff = await this.#deps.db.staff.findMany({
      where: { providerCode, role: "PARTNER", active: true, identityId: { not: null } },
      select: { language: true, identity: { select: { id: true, channel: true } } },
      orderBy: { createdAt: "asc" },
    });
    for (const member of staff) {
      if (!member.identity) continue;
      const language = member.language === "en" ? "en" : "id";
      const message = render(this.#deps.translate(language), language);
      this.#writer.add(
        this.#deps.outbox.enqueueWrite(
          member.identity.id,
          member.identity.channel as ChannelKind,
          [message],
          this.#now,
        ),
      );
    }
    return staff.length;
  }

  /** A referral by the code partner staff type, with its case; null when there is none. */
  async #referral(code: string) {
    const row = await this.#deps.db.referral.findUnique({ where: { code: normalizeInviteCode(code) } });
    if (!row) return null;
    const kase = await this.#deps.caseStore.loadById(row.caseId);
    return kase ? { row, kase } : null;
  }

  /** The office that hears of a referral: the case's responsible office now (after a transfer, the new one). */
  #officeOf(found: { row: ReferralRow; kase: CaseRecord }): string {
    return found.kase.officeCode ?? found.row.officeCode;
  }

  /** A view for the actor: partner staff see the case reference only while their organisation works on it. */
  #forActor(actor: StaffActor, view: ReferralView): ReferralView {
    return actor.role === "PARTNER" && !providerSeesStory(view.status) ? { ...view, reference: "" } : view;
  }

  /** The referral, when the actor may act on it: the provider's own staff, or the referring office's. */
  async #referralFor(actor: StaffActor, code: string, side: "partner" | "office" | "either") {
    const found = await this.#referral(code);
    const partnerOwn =
      found !== null && actor.role === "PARTNER" && actor.active && actor.providerCode === found.row.providerCode;
    const officeOwn =
      found !== null &&
      actor.role !== "PARTNER" &&
      caseAccess(actor, { officeCode: found.kase.officeCode, copiedTo: [] }) === "FULL";
    const allowed = side === "partner" ? partnerOwn : side === "office" ? officeOwn : partnerOwn || officeOwn;
    if (!found || !allowed) {
      // Another provider's referral reads as unknown: a code must not confirm that a case exists.
      this.#audit(`staff:${actor.id}`, "referral.refused", found?.row.caseId ?? null, `code tried ${code}`);
      return null;
    }
    return found;
  }

  /** Moves a referral by an event, or says why it cannot; returns the moved view. */
  async #move(
    actor: StaffActor,
    found: { row: ReferralRow; kase: CaseRecord },
    event: ReferralEvent,
    fields: Parameters<CaseDeskDeps["caseStore"]["moveReferral"]>[2],
  ): Promise<ReferralView | ReferralOutcome> {
    const { row, kase } = found;
    const from = referralStatusOf(row.status);
    const to = nextReferralStatus({ status: from, dueAt: row.dueAt }, event, this.#now);
    if (!to) return { kind: "wrong_state", referral: this.#forActor(actor, await this.#view(row, kase.reference)) };
    for (const write of this.#deps.caseStore.moveReferral(
      row,
      to,
      fields,
      {
        type: `REFERRAL_${to}`,
        actor: `staff:${actor.id}`,
        reason: `${row.code} to ${row.providerCode}: ${from} to ${to}`,
        data: { referral: row.code, provider: row.providerCode, from, to },
      },
      this.#now,
    ))
      this.#writer.add(write);
    this.#audit(`staff:${actor.id}`, `referral.${event}`, row.caseId, row.code);
    return { ...(await this.#view(row, kase.reference)), status: to, overdue: false };
  }

  /** A provider's staff accept or decline a referral before its deadline; the office is told, and an acceptance brings the story. */
  async answer(
    partner: StaffActor,
    code: string,
    answer: { accept: true } | { accept: false; reason: DeclineReason },
  ): Promise<ReferralOutcome> {
    const found = await this.#referralFor(partner, code, "partner");
    if (!found) return { kind: "referral_not_found", code };
    if (found.kase.status === "CLOSED") return { kind: "closed_already", reference: "" };
    if (answer.accept && !(await this.#provider(found.row.providerCode))?.active)
      return { kind: "provider_unsuitable", providerCode: found.row.providerCode, why: "inactive" };
    const moved = await this.#move(partner, found, answer.accept ? "accept" : "decline", {
      answeredAt: this.#now,
      answeredByStaffId: partner.id,
      ...(answer.accept ? {} : { declineReason: answer.reason, closedAt: this.#now }),
    });
    if ("kind" in moved) return moved;
    await this.#mailer.send(
      this.#officeOf(found),
      (t) => ({
        text: answer.accept
          ? t("staff:referral.accepted", { provider: moved.providerName, code: moved.code, reference: moved.reference })
          : t("staff:referral.declined", {
              provider: moved.providerName,
              code: moved.code,
              reference: moved.reference,
              reason: t(`staff:referral.declineReason.${answer.reason}`),
            }),
      }),
      found.row.caseId,
    );
    const story =
      providerSeesStory(moved.status) && found.kase.narrativeCipher
        ? this.#deps.cipher.open(found.kase.narrativeCipher, "case.narrative", found.kase.id)
        : null;
    if (story) this.#audit(`staff:${partner.id}`, "case.details.partner", found.row.caseId, moved.code);
    return {
      kind: "answered",
      referral: this.#forActor(partner, { ...moved, declineReason: answer.accept ? null : answer.reason }),
      story,
    };
  }

  /** The report's story for the provider's staff, once their organisation accepted (audited); null before or after. */
  async storyFor(partner: StaffActor, code: string): Promise<{ referral: ReferralView; story: string | null } | null> {
    const found = await this.#referralFor(partner, code, "partner");
    if (!found) return null;
    const referral = this.#forActor(partner, await this.#view(found.row, found.kase.reference));
    const active = (await this.#provider(found.row.providerCode))?.active === true;
    if (!active || !providerSeesStory(referral.status) || !found.kase.narrativeCipher) return { referral, story: null };
    this.#audit(`staff:${partner.id}`, "case.details.partner", found.row.caseId, referral.code);
    return {
      referral,
      story: this.#deps.cipher.open(found.kase.narrativeCipher, "case.narrative", found.kase.id),
    };
  }

  /** A service given under an accepted referral, recorded by the provider's staff or the referring office. */
  async recordService(actor: StaffActor, code: string, service: ServiceType, givenOn: Date): Promise<ReferralOutcome> {
    const found = await this.#referralFor(actor, code, "either");
    if (!found) return { kind: "referral_not_found", code };
    if (found.kase.status === "CLOSED") return { kind: "closed_already", reference: "" };
    const view = this.#forActor(actor, await this.#view(found.row, found.kase.reference));
    if (view.status !== "ACCEPTED") return { kind: "wrong_state", referral: view };
    // Only what was asked of the partner, on a day between the referral and today.
    if (!view.services.includes(service)) return { kind: "service_refused", referral: view, why: "not_asked" };
    if (dayOf(givenOn) < dayOf(found.row.createdAt) || dayOf(givenOn) > dayOf(this.#now))
      return { kind: "service_refused", referral: view, why: "date" };
    const stage = stageOfService(service, Coded.stage.parse(found.kase.assistanceStage));
    this.#writer.add(
      this.#deps.caseStore.recordService(
        found.kase.id,
        {
          type: service,
          stage,
          officeCode: this.#officeOf(found),
          staffId: actor.id,
          givenOn,
          provider: null,
          note: null,
          referralId: found.row.id,
        },
        this.#now,
      ),
    );
    this.#audit(`staff:${actor.id}`, "case.service", found.kase.id, `${service}:${stage} referral ${view.code}`);
    if (actor.role === "PARTNER")
      await this.#mailer.send(
        this.#officeOf(found),
        (t) => ({
          text: t("staff:referral.serviceByPartner", {
            provider: view.providerName,
            service: t(`staff:serviceName.${service}`),
            date: givenOn.toISOString().slice(0, 10),
            reference: view.reference,
            code: view.code,
          }),
        }),
        found.kase.id,
      );
    return { kind: "service_recorded", referral: view, service };
  }

  /** Closes an accepted referral as done (its services were given); the other side is told. */
  async complete(actor: StaffActor, code: string): Promise<ReferralOutcome> {
    const found = await this.#referralFor(actor, code, "either");
    if (!found) return { kind: "referral_not_found", code };
    const moved = await this.#move(actor, found, "complete", { closedAt: this.#now });
    if ("kind" in moved) return moved;
    const text = (t: Translate) =>
      t("staff:referral.done", { provider: moved.providerName, code: moved.code, reference: moved.reference });
    if (actor.role === "PARTNER")
      await this.#mailer.send(this.#officeOf(found), (t) => ({ text: text(t) }), found.kase.id);
    else await this.#tellPartner(found.row.providerCode, (t) => ({ text: text(t) }));
    return { kind: "completed", referral: this.#forActor(actor, moved) };
  }

  /** The victim withdrew consent: the provider's access ends at once and its staff are told to stop and delete. */
  async withdrawConsent(staff: StaffActor, code: string): Promise<ReferralOutcome> {
    const found = await this.#referralFor(staff, code, "office");
    if (!found) return { kind: "referral_not_found", code };
    const moved = await this.#move(staff, found, "withdraw", { closedAt: this.#now });
    if ("kind" in moved) return moved;
    await this.#tellPartner(found.row.providerCode, (t) => ({
      text: t("staff:referral.withdrawn", { code: moved.code }),
    }));
    return { kind: "withdrawn", referral: moved };
  }

  /**
   * The reporter withdrew consent for their report in the chat: every open referral of the case
   * ends, each provider's staff are told to stop and delete what they received, and the office is
   * told which ended (it may refer again with the victim's fresh consent). Returns how many ended.
   */
  async withdrawAllOfCase(caseId: string): Promise<number> {
    const open = await this.#deps.db.referral.findMany({
      where: { caseId, status: { in: ["PENDING", "ACCEPTED"] } },
    });
    for (const row of open) {
      const from = referralStatusOf(row.status);
      for (const write of this.#deps.caseStore.moveReferral(
        row,
        "WITHDRAWN",
        { closedAt: this.#now },
        {
          type: "REFERRAL_WITHDRAWN",
          actor: "reporter",
          reason: `${row.code} to ${row.providerCode}: the victim withdrew consent`,
          data: { referral: row.code, provider: row.providerCode, from, to: "WITHDRAWN" },
        },
        this.#now,
      ))
        this.#writer.add(write);
      this.#audit("reporter", "referral.withdraw", row.caseId, row.code);
      await this.#tellPartner(row.providerCode, (t) => ({
        text: t("staff:referral.withdrawn", { code: row.code }),
      }));
    }
    const kase = open.length > 0 ? await this.#deps.caseStore.loadById(caseId) : null;
    const office = kase?.officeCode ?? open[0]?.officeCode;
    if (kase && office)
      await this.#mailer.send(
        office,
        (t) => ({
          text: t("staff:referral.withdrawnByReporter", {
            reference: kase.reference,
            codes: open.map((r) => r.code).join(", "),
          }),
        }),
        caseId,
      );
    return open.length;
  }

  /** Marks one pending referral past its deadline as expired; the referring office sees it as overdue. */
  async expire(referralId: string): Promise<boolean> {
    const row = await this.#deps.db.referral.findUnique({ where: { id: referralId } });
    if (!row) return false;
    const status = referralStatusOf(row.status);
    const to = nextReferralStatus({ status, dueAt: row.dueAt }, "expire", this.#now);
    if (!to) return false;
    const kase = await this.#deps.caseStore.loadById(row.caseId);
    for (const write of this.#deps.caseStore.moveReferral(
      row,
      to,
      { closedAt: this.#now },
      {
        type: "REFERRAL_EXPIRED",
        actor: "system",
        reason: `${row.code} to ${row.providerCode}: no answer before the deadline`,
        data: { referral: row.code, provider: row.providerCode, from: status, to },
      },
      this.#now,
    ))
      this.#writer.add(write);
    this.#audit("system", "referral.expired", row.caseId, row.code);
    const view = await this.#view(row, kase?.reference);
    // A closed case's office has nothing left to do about it: the referral just ends.
    if (kase?.status === "CLOSED") return true;
    await this.#mailer.send(
      kase?.officeCode ?? row.officeCode,
      (t) => ({
        text: t("staff:referral.expired", { code: view.code, provider: view.providerName, reference: view.reference }),
      }),
      row.caseId,
    );
    await this.#tellPartner(row.providerCode, (t) => ({
      text: t("staff:referral.expiredToPartner", { code: view.code }),
    }));
    return true;
  }

  /** The referrals of a case, for its responsible office (null when the staff member's office is not). */
  async ofCase(staff: StaffActor, reference: string): Promise<ReferralView[] | ReferralOutcome> {
    const row = await this.#ownCase(staff, reference, true);
    if ("kind" in row) return row;
    const rows = await this.#deps.db.referral.findMany({ where: { caseId: row.id }, orderBy: { createdAt: "asc" } });
    return Promise.all(rows.map((r) => this.#view(r, row.reference)));
  }

  /** An office's referrals that went unanswered past their deadline (every office's with null), of open cases. */
  async overdueOf(officeCode: string | null): Promise<ReferralView[]> {
    const rows = await this.#deps.db.referral.findMany({
      where: {
        // The office responsible for the case now: after a transfer, its overdue referrals move with it.
        case: { ...(officeCode === null ? {} : { officeCode }), status: { not: "CLOSED" } },
        OR: [{ status: "EXPIRED" }, { status: "PENDING", dueAt: { lte: this.#now } }],
      },
      orderBy: { dueAt: "asc" },
      include: { case: { select: { reference: true } } },
    });
    // An expired referral stops being the office's to-do once the case was referred again after it.
    const later = rows.length
      ? await this.#deps.db.referral.findMany({
          where: { caseId: { in: [...new Set(rows.map((r) => r.caseId))] } },
          select: { caseId: true, createdAt: true },
        })
      : [];
    const pending = rows.filter(
      (r) =>
        r.status !== "EXPIRED" ||
        !later.some((o) => o.caseId === r.caseId && o.createdAt.getTime() > r.createdAt.getTime()),
    );
    return Promise.all(pending.map((r) => this.#view(r, r.case.reference)));
  }

  /** The referrals sent to a partner's organisation, newest first (never another provider's). */
  async forPartner(partner: StaffActor): Promise<ReferralView[]> {
    if (partner.role !== "PARTNER" || !partner.active || !partner.providerCode) return [];
    const rows = await this.#deps.db.referral.findMany({
      where: { providerCode: partner.providerCode },
      orderBy: { createdAt: "desc" },
      take: 50,
      include: { case: { select: { reference: true } } },
    });
    return Promise.all(rows.map(async (r) => this.#forActor(partner, await this.#view(r, r.case.reference))));
  }
}

/**
 * Referral operations, each in its own transaction (the web inbox, the scheduler and tests use it;
 * chat steps use ReferralDesk inside their own). A step that lost a race with another writer is decided again.
 */
export class ReferralService {
  readonly #deps: ReferralDeskDeps;

  constructor(deps: ReferralDeskDeps) {
    this.#deps = deps;
  }

  /** Runs one operation on a fresh desk and commits what it wrote. */
  async run<T>(operation: (desk: ReferralDesk) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const writer = new StepWriter();
      const desk = new ReferralDesk(this.#deps, writer, this.#deps.clock.now());
      const result = await operation(desk);
      try {
        await writer.commit(this.#deps.db);
        return result;
      } catch (error) {
        if (!(isRecordNotFound(error) || isUniqueViolation(error)) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** Expires every pending referral past its deadline, one transaction each; returns how many. */
  async expireDue(limit = 100): Promise<number> {
    const now = this.#deps.clock.now();
    const due = await this.#deps.db.referral.findMany({
      where: { status: "PENDING", dueAt: { lte: now } },
      select: { id: true },
      orderBy: { dueAt: "asc" },
      take: limit,
    });
    let expired = 0;
    for (const { id } of due) {
      try {
        if (await this.run((desk) => desk.expire(id))) expired++;
      } catch (error) {
        // One referral that cannot be expired now must not hold back the others: the next tick tries again.
        this.#deps.logger.error({ event: "referrals.expire_failed", referralId: id, err: error });
      }
    }
    return expired;
  }
}
