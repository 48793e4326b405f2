import { localTime } from "../conversation/notices.ts";
import { dayOf } from "../domain/providers.ts";
import { DECLINE_REASONS, type ReferralStatus, type ReferralView } from "../domain/referrals.ts";
import { type Html, html } from "./html.ts";
import { layout, type PageContext } from "./web-pages.ts";
import { type CaseReferrals, CONSENT_CHOICES } from "./web-referrals.ts";

/** Referrals a staff member can still act on: withdrawing consent, or the partner's answer and work. */
const OPEN: ReadonlySet<ReferralStatus> = new Set(["PENDING", "ACCEPTED"]);

function statusText(ctx: PageContext, referral: ReferralView): Html {
  const { t } = ctx;
  const status = t(`staff:referral.status.${referral.status}`);
  return referral.overdue
    ? html`<strong class="late">${t("web:referrals.overdue")}</strong> · ${status}`
    : html`${status}`;
}

function servicesText(ctx: PageContext, referral: ReferralView): string {
  return referral.services.map((s) => ctx.t(`staff:serviceName.${s}`)).join(", ");
}

/** The case page's section: the case's referrals, withdrawal of consent, and the form to refer. */
export function caseReferralsSection(
  ctx: PageContext,
  reference: string,
  section: CaseReferrals,
  mayRefer: boolean,
): Html {
  const { t } = ctx;
  const rows = section.referrals.map(
    (
      r,
    ) => html`<tr><td>${r.code}</td><td>${r.providerName}</td><td>${servicesText(ctx, r)}</td><td>${statusText(ctx, r)}</td>
<td><time datetime="${r.dueAt.toISOString()}">${localTime(r.dueAt, null, ctx.language)}</time></td>
<td>${
      OPEN.has(r.status)
        ? html`<form method="post" action="/rujukan/${r.code}/cabut"><input type="hidden" name="csrf" value="${ctx.csrf ?? ""}"><input type="hidden" name="reference" value="${reference}"><button type="submit" class="secondary">${t("web:referrals.withdraw")}</button></form>`
        : ""
    }</td></tr>`,
  );
  const list =
    rows.length === 0
      ? html`<p>${t("web:referrals.none")}</p>`
      : html`<table class="counts"><thead><tr><th scope="col">${t("web:referrals.code")}</th><th scope="col">${t("web:referrals.provider")}</th><th scope="col">${t("web:referrals.services")}</th><th scope="col">${t("web:referrals.state")}</th><th scope="col">${t("web:referrals.answerBy")}</th><th scope="col"><span class="visually-hidden">${t("web:referrals.actions")}</span></th></tr></thead>
<tbody>${rows}</tbody></table>`;
  const consentChoices = CONSENT_CHOICES.filter((c) => section.mayOverride || !c.startsWith("OVERRIDE:"));
  const form = !mayRefer
    ? ""
    : section.options.length === 0
      ? html`<p>${t("web:referrals.noProvider")} <a href="/mitra">${t("web:nav.partners")}</a></p>`
      : html`<form method="post" action="/kasus/${reference}/rujuk" class="referral-form"><input type="hidden" name="csrf" value="${ctx.csrf ?? ""}">
<h3>${t("web:referrals.refer")}</h3>
<label for="referral-provider">${t("web:referrals.provider")}</label>
<select id="referral-provider" name="provider" required>${section.options.map(
          (o) =>
            html`<option value="${o.provider.code}">${o.provider.name} (${o.provider.services.map((s) => t(`staff:serviceName.${s}`)).join(", ")})${o.reviewOverdue ? ` · ${t("web:referrals.reviewDue")}` : ""}</option>`,
        )}</select>
<fieldset><legend>${t("web:referrals.servicesNeeded")}</legend>
${[...new Set(section.options.flatMap((o) => o.provider.services))].map(
  (s) =>
    html`<label class="check"><input type="checkbox" name="service_${s}" value="1"> ${t(`staff:serviceName.${s}`)}</label>`,
)}
</fieldset>
<fieldset><legend>${t("web:referrals.consent")}</legend>
<p class="muted">${t("web:referrals.consentHelp")}</p>
${consentChoices.map(
  (c, i) =>
    html`<label class="check"><input type="radio" name="consent" value="${c}"${i === 0 ? html` checked` : ""}> ${t(`web:referrals.consentChoice.${c.replace(":", "_")}`)}</label>`,
)}
</fieldset>
${
  section.mayOverride
    ? html`<label for="referral-reason">${t("web:referrals.overrideReason")}</label>
<textarea id="referral-reason" name="reason" maxlength="1000"></textarea>`
    : ""
}
<label class="check"><input type="checkbox" name="named" value="1"> ${t("web:referrals.named")}</label>
<p><button type="submit">${t("web:referrals.referButton")}</button></p></form>`;
  return html`<section aria-labelledby="referrals-title">
<h2 id="referrals-title">${t("web:referrals.title")}</h2>
${list}
${form}
</section>`;
}

/** A partner's page: the referrals sent to its organisation, each with what can be done now. */
export function partnerReferralsPage(
  ctx: PageContext,
  referrals: readonly ReferralView[],
  story: { code: string; text: string } | null,
  notice: { text: string; error: boolean } | null,
): Html {
  const { t } = ctx;
  const today = dayOf(ctx.now);
  const hidden = html`<input type="hidden" name="csrf" value="${ctx.csrf ?? ""}">`;
  const entry = (r: ReferralView) => {
    const action = `/rujukan/${r.code}/aksi`;
    let actions: Html | string = "";
    if (r.status === "PENDING" && !r.overdue)
      actions = html`<form method="post" action="${action}">${hidden}<input type="hidden" name="kind" value="accept"><button type="submit">${t("web:referrals.accept")}</button></form>
<form method="post" action="${action}">${hidden}<input type="hidden" name="kind" value="decline">
<label for="decline-${r.code}">${t("web:referrals.declineReason")}</label>
<select id="decline-${r.code}" name="reason">${DECLINE_REASONS.map((reason) => html`<option value="${reason}">${t(`staff:referral.declineReason.${reason}`)}</option>`)}</select>
<button type="submit" class="secondary">${t("web:referrals.decline")}</button></form>`;
    if (r.status === "ACCEPTED")
      actions = html`<form method="post" action="${action}">${hidden}<input type="hidden" name="kind" value="story"><button type="submit" class="secondary">${t("web:referrals.showStory")}</button></form>
<form method="post" action="${action}">${hidden}<input type="hidden" name="kind" value="service">
<label for="service-${r.code}">${t("web:case.serviceType")}</label>
<select id="service-${r.code}" name="service">${r.services.map((s) => html`<option value="${s}">${t(`staff:serviceName.${s}`)}</option>`)}</select>
<label for="given-${r.code}">${t("web:case.serviceDate")}</label>
<input id="given-${r.code}" name="givenOn" type="date" value="${today}" max="${today}" required>
<button type="submit">${t("web:case.serviceButton")}</button></form>
<form method="post" action="${action}">${hidden}<input type="hidden" name="kind" value="done"><button type="submit" class="secondary">${t("web:referrals.done")}</button></form>`;
    return html`<article class="partner" aria-labelledby="ref-${r.code}">
<h2 id="ref-${r.code}">${t(r.urgent ? "web:referrals.headingUrgent" : "web:referrals.heading", { code: r.code })}</h2>
<dl class="facts">
<dt>${t("web:referrals.services")}</dt><dd>${servicesText(ctx, r)}</dd>
<dt>${t("web:referrals.state")}</dt><dd>${statusText(ctx, r)}</dd>
${r.status === "PENDING" ? html`<dt>${t("web:referrals.answerBy")}</dt><dd><time datetime="${r.dueAt.toISOString()}">${localTime(r.dueAt, null, ctx.language)}</time></dd>` : ""}
</dl>
${story && story.code === r.code ? html`<div class="story" aria-label="${t("web:referrals.storyLabel")}">${story.text}</div>` : ""}
${actions}
</article>`;
  };
  return layout(
    ctx,
    t("web:referrals.partnerTitle"),
    html`<h1>${t("web:referrals.partnerTitle")}</h1>
${notice ? html`<p class="notice${notice.error ? " error" : ""}" role="${notice.error ? "alert" : "status"}">${notice.text}</p>` : ""}
<p>${t("web:referrals.partnerIntro")}</p>
${referrals.length === 0 ? html`<p>${t("web:referrals.partnerNone")}</p>` : referrals.map(entry)}`,
  );
}

/** The overview's section: referrals of the reader's cases that no partner answered in time. */
export function overdueReferralsSection(ctx: PageContext, referrals: readonly ReferralView[]): Html {
  const { t } = ctx;
  return html`<section aria-labelledby="overdue-referrals">
<h2 id="overdue-referrals">${t("web:referrals.overdueTitle")}</h2>
${
  referrals.length === 0
    ? html`<p>${t("web:referrals.noOverdue")}</p>`
    : html`<table class="counts"><thead><tr><th scope="col">${t("web:referrals.case")}</th><th scope="col">${t("web:referrals.code")}</th><th scope="col">${t("web:referrals.provider")}</th><th scope="col">${t("web:referrals.services")}</th><th scope="col">${t("web:referrals.answerBy")}</th></tr></thead>
<tbody>${referrals.map(
        (r) =>
          html`<tr><th scope="row"><a href="/kasus/${r.reference}">${r.reference}</a></th><td>${r.code}</td><td>${r.providerName}</td><td>${servicesText(ctx, r)}</td><td><time datetime="${r.dueAt.toISOString()}">${localTime(r.dueAt, null, ctx.language)}</time></td></tr>`,
      )}</tbody></table>`
}
</section>`;
}
