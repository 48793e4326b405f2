import { SERVICE_TYPES } from "../domain/case-services.ts";
import { dayOf as day, EVERY_PROVINCE, type ProviderRecord, reviewOverdue } from "../domain/providers.ts";
import { labelForCode, labelForCodes } from "../regions/area-names.ts";
import { type Html, html } from "./html.ts";
import { layout, type PageContext } from "./web-pages.ts";
import type { PartnerFilters, PartnerListing } from "./web-partners.ts";

/** The partner directory: filters by place and service, one entry per provider, national staff's buttons. */
export function partnersPage(
  ctx: PageContext,
  filters: PartnerFilters,
  listing: PartnerListing,
  notice: { text: string; error: boolean } | null,
  /** What was wrong with a file national staff tried to import, line by line in the reader's language. */
  problems: readonly string[] = [],
): Html {
  const { t } = ctx;
  const services = SERVICE_TYPES.map(
    (s) =>
      html`<option value="${s}"${filters.service === s ? html` selected` : ""}>${t(`staff:serviceName.${s}`)}</option>`,
  );
  const filtered = filters.place !== "" || filters.service !== null || filters.all;
  let body: Html | string;
  if (listing.place?.kind === "unknown")
    body = html`<p class="notice error" role="alert">${t("web:partners.placeUnknown", { place: filters.place })}</p>`;
  else if (listing.place?.kind === "ambiguous")
    body = html`<p class="notice error" role="alert">${t("web:partners.placeAmbiguous", {
      place: filters.place,
      options: listing.place.codes.map(labelForCode).join("; "),
    })}</p>`;
  else if (listing.empty) body = html`<p>${t("web:partners.empty")}</p>`;
  else if (listing.providers.length === 0) body = html`<p>${t("web:partners.noMatch")}</p>`;
  else
    body = html`<p aria-live="polite">${t("web:partners.count", { count: listing.providers.length })}</p>
${listing.providers.map((p) => entry(ctx, p, listing.manages))}`;
  return layout(
    ctx,
    t("web:partners.title"),
    html`<h1>${t("web:partners.title")}</h1>
<p>${t("web:partners.intro")}</p>
${notice ? html`<p class="notice${notice.error ? " error" : ""}" role="${notice.error ? "alert" : "status"}">${notice.text}</p>` : ""}
<form method="get" action="/mitra" class="filters">
<div><label for="f-place">${t("web:partners.place")}</label><input id="f-place" name="place" type="text" value="${filters.place}" maxlength="100" autocomplete="off"></div>
<div><label for="f-service">${t("web:partners.service")}</label><select id="f-service" name="service"><option value="">${t("web:partners.anyService")}</option>${services}</select></div>
${listing.manages ? html`<div><label><input type="checkbox" name="all" value="1"${filters.all ? html` checked` : ""}> ${t("web:partners.includeInactive")}</label></div>` : ""}
<div><button type="submit" class="secondary">${t("web:partners.filter")}</button>${filtered ? html` <a href="/mitra">${t("web:partners.clear")}</a>` : ""}</div>
</form>
${listing.manages && !listing.empty ? html`<p><a href="/mitra/csv" download="mitra-layanan.csv">${t("web:partners.download")}</a> <span class="muted">${t("web:partners.downloadNote")}</span></p>` : ""}
${
  listing.manages
    ? html`<form method="post" action="/mitra/impor" enctype="multipart/form-data" class="import"><input type="hidden" name="csrf" value="${ctx.csrf ?? ""}">
<label for="import-file">${t("web:partners.importLabel")}</label>
<p class="muted" id="import-help">${t("web:partners.importHelp")}</p>
<input id="import-file" name="file" type="file" accept=".csv,text/csv" required aria-describedby="import-help">
<button type="submit" class="secondary">${t("web:partners.importButton")}</button></form>`
    : ""
}
${problems.length > 0 ? html`<section class="notice error" role="alert" aria-labelledby="import-problems"><h2 id="import-problems">${t("web:partners.importRefused", { count: problems.length })}</h2><ul>${problems.slice(0, 30).map((line) => html`<li>${line}</li>`)}</ul></section>` : ""}
${body}`,
  );
}

function entry(ctx: PageContext, p: ProviderRecord, manages: boolean): Html {
  const { t, now } = ctx;
  const areas = p.areas
    .map((a) =>
      a.provinceCode === EVERY_PROVINCE
        ? t("web:partners.everyProvince")
        : labelForCodes({ provinceCode: a.provinceCode, regencyCode: a.regencyCode }),
    )
    .join("; ");
  const stated = (value: string | null) => value ?? t("web:partners.notStated");
  const review =
    p.verifiedAt === null
      ? t("web:partners.neverVerified")
      : reviewOverdue(p, now)
        ? t("web:partners.reviewOverdue", { date: p.reviewDueAt ? day(p.reviewDueAt) : "" })
        : t("web:partners.verified", { date: day(p.verifiedAt), due: p.reviewDueAt ? day(p.reviewDueAt) : "-" });
  const flagged = p.verifiedAt === null || reviewOverdue(p, now);
  const id = `p-${p.code.toLowerCase()}`;
  const button = (action: string, label: string) =>
    html`<form method="post" action="/mitra/${p.code}/aksi"><input type="hidden" name="csrf" value="${ctx.csrf ?? ""}"><input type="hidden" name="action" value="${action}"><button type="submit" class="secondary">${label}</button></form>`;
  return html`<section class="partner" aria-labelledby="${id}">
<h2 id="${id}">${p.name}${p.active ? "" : html` <span class="muted">(${t("web:partners.inactive")})</span>`}</h2>
<dl class="facts">
<dt>${t("web:partners.kind")}</dt><dd>${t(`web:partners.kinds.${p.kind}`)} <span class="muted">(${p.code})</span></dd>
<dt>${t("web:partners.services")}</dt><dd>${p.services.map((s) => t(`staff:serviceName.${s}`)).join(", ")}</dd>
<dt>${t("web:partners.areas")}</dt><dd>${areas}</dd>
<dt>${t("web:partners.serves")}</dt><dd>${p.populations.length > 0 ? p.populations.map((g) => t(`web:partners.populations.${g}`)).join(", ") : t("web:partners.notStated")}</dd>
<dt>${t("web:partners.languages")}</dt><dd>${p.languages.length > 0 ? p.languages.join(", ") : t("web:partners.notStated")}</dd>
<dt>${t("web:partners.hours")}</dt><dd>${stated(p.hours)}</dd>
<dt>${t("web:partners.contacts")}</dt><dd>${stated(p.contacts)}</dd>
<dt>${t("web:partners.chatReferrals")}</dt><dd>${p.acceptsChatReferrals ? t("web:partners.yes") : t("web:partners.no")}</dd>
<dt>${t("web:partners.review")}</dt><dd${flagged ? html` class="late"` : ""}>${review}</dd>
</dl>
${
  manages
    ? html`<div class="actions">${button("verify", t("web:partners.verify"))}${p.active ? button("deactivate", t("web:partners.deactivate")) : button("reactivate", t("web:partners.reactivate"))}</div>`
    : ""
}
</section>`;
}
