import { localTime } from "../conversation/notices.ts";
import { CASE_STATUSES } from "../domain/case.ts";
import { type Html, html } from "./html.ts";
import type { AuditLine, OfficeCounts, Overview } from "./web-oversight.ts";
import { inboxList, layout, type PageContext, unfiltered } from "./web-pages.ts";

const OPEN = CASE_STATUSES.filter((status) => status !== "CLOSED");

/** The supervisor overview: open cases by office and status, overdue cases, and staff workload. */
export function overviewPage(ctx: PageContext, overview: Overview, referrals: Html | string = ""): Html {
  const { t } = ctx;
  const row = (counts: OfficeCounts, total = false) => {
    const cell = (value: number | string) =>
      total ? html`<td><strong>${value}</strong></td>` : html`<td>${value}</td>`;
    return html`<tr>${total ? html`<th scope="row">${t("web:overview.total")}</th>` : html`<th scope="row">${counts.officeName} <span class="muted">(${counts.officeCode})</span></th>`}
${OPEN.map((status) => cell(counts.byStatus[status] ?? 0))}${cell(counts.open)}${cell(counts.unassigned)}</tr>`;
  };
  return layout(
    ctx,
    t("web:overview.title"),
    html`<h1>${t("web:overview.title")}</h1>
<section aria-labelledby="by-office">
<h2 id="by-office">${t("web:overview.byOffice")}</h2>
<div class="scroll">
<table class="counts">
<thead><tr><th scope="col">${t("web:overview.office")}</th>${OPEN.map((status) => html`<th scope="col">${t(`staff:statusName.${status}`)}</th>`)}<th scope="col">${t("web:overview.open")}</th><th scope="col">${t("web:overview.unassigned")}</th></tr></thead>
<tbody>${overview.offices.map((counts) => row(counts))}</tbody>
${overview.offices.length > 1 ? html`<tfoot>${row(overview.totals, true)}</tfoot>` : ""}
</table>
</div>
</section>
<section aria-labelledby="overdue">
<h2 id="overdue">${t("web:overview.overdue")}</h2>
${overview.overdue.total === 0 ? html`<p>${t("web:overview.noOverdue")}</p>` : inboxList(ctx, unfiltered("overdue"), overview.overdue, false)}
</section>
${referrals}
<section aria-labelledby="workload">
<h2 id="workload">${t("web:overview.workload")}</h2>
${
  overview.workload.length === 0
    ? html`<p>${t("web:overview.noStaff")}</p>`
    : html`<table class="counts"><thead><tr><th scope="col">${t("web:overview.staff")}</th><th scope="col">${t("web:overview.office")}</th><th scope="col">${t("web:overview.held")}</th></tr></thead>
<tbody>${overview.workload.map((w) => html`<tr><th scope="row">${w.name}</th><td>${w.officeCode}</td><td>${w.open}</td></tr>`)}</tbody></table>`
}
</section>`,
  );
}

/** The audit screen's filters as they stand in the URL (empty: not filtered). */
export interface AuditFilters {
  staff: string;
  reference: string;
  action: string;
  from: string;
  to: string;
  page: number;
}

/** The audit screen's URL for a set of filters and a page. */
export function auditHref(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const field of ["staff", "reference", "action", "from", "to"] as const)
    if (filters[field]) params.set(field, filters[field]);
  if (filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `/audit?${query}` : "/audit";
}

/** The audit log: filters by staff, case, action and days, 50 rows a page, newest first. */
export function auditScreen(
  ctx: PageContext,
  filters: AuditFilters,
  page: { lines: AuditLine[]; total: number; offset: number },
  staff: Array<{ id: string; name: string }>,
  notice: string | null,
): Html {
  const { t } = ctx;
  const input = (id: keyof AuditFilters, label: string, type = "text") =>
    html`<div><label for="a-${id}">${label}</label><input id="a-${id}" name="${id}" type="${type}" value="${String(filters[id])}" maxlength="100" autocomplete="off"></div>`;
  const to = page.offset + page.lines.length;
  const prev =
    filters.page > 1
      ? html`<a href="${auditHref({ ...filters, page: filters.page - 1 })}">${t("web:inbox.prev")}</a>`
      : "";
  const next =
    to < page.total
      ? html`<a href="${auditHref({ ...filters, page: filters.page + 1 })}">${t("web:inbox.next")}</a>`
      : "";
  return layout(
    ctx,
    t("web:audit.title"),
    html`<h1>${t("web:audit.title")}</h1>
${notice ? html`<p class="notice error" role="alert">${notice}</p>` : ""}
<form method="get" action="/audit" class="filters" aria-label="${t("web:audit.filtersLabel")}">
<div><label for="a-staff">${t("web:audit.staff")}</label><select id="a-staff" name="staff"><option value="">${t("web:audit.anyStaff")}</option>${staff.map(
      (member) =>
        html`<option value="${member.id}"${filters.staff === member.id ? html` selected` : ""}>${member.name}</option>`,
    )}</select></div>
${input("reference", t("web:audit.reference"))}
${input("action", t("web:audit.action"))}
${input("from", t("web:audit.from"), "date")}
${input("to", t("web:audit.to"), "date")}
<div><button type="submit" class="secondary">${t("web:audit.filter")}</button></div>
</form>
${
  page.lines.length === 0
    ? html`<p>${t("web:audit.empty")}</p>`
    : html`<p>${t("web:audit.count", { from: page.offset + 1, to, total: page.total })}</p>
<div class="scroll"><table class="counts">
<thead><tr><th scope="col">${t("web:audit.when")}</th><th scope="col">${t("web:audit.who")}</th><th scope="col">${t("web:audit.what")}</th><th scope="col">${t("web:audit.case")}</th><th scope="col">${t("web:audit.detail")}</th></tr></thead>
<tbody>${page.lines.map(
        (line) =>
          html`<tr><td><time datetime="${line.at.toISOString()}">${localTime(line.at, null, ctx.language)}</time></td><td>${line.who}</td><td>${line.action}</td><td>${line.reference ? html`<a href="/kasus/${line.reference}">${line.reference}</a>` : "—"}</td><td>${line.detail ?? ""}</td></tr>`,
      )}</tbody></table></div>
${prev || next ? html`<nav class="pager" aria-label="${t("web:inbox.pages")}">${prev}${next}</nav>` : ""}`
}`,
  );
}
