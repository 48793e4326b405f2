import {
  ageText,
  caseDetailsMessage,
  localTime,
  placeLabel,
  resolutionLabel,
  statusLabel,
} from "../conversation/notices.ts";
import type { Translate } from "../conversation/ports.ts";
import { historyEntryText } from "../conversation/staff-replies.ts";
import { ASSISTANCE_STAGES, CATEGORIES, type CaseStatus, type Category, RESOLUTIONS } from "../domain/case.ts";
import { SERVICE_TYPES, stageOfService } from "../domain/case-services.ts";
import type { Language } from "../domain/language.ts";
import type { CaseDetails, CaseLine, CasePage, HistoryEntry, StaffActor } from "../domain/staff-actions.ts";
import { supervises } from "../domain/staff-scope.ts";
import { STATUS_TRANSITIONS } from "../domain/status-transitions.ts";
import { Html, html } from "./html.ts";
import type { CaseView } from "./web-desk.ts";

/** The inbox's tabs, in the order shown. */
export const INBOX_TABS = ["mine", "unassigned", "overdue", "all"] as const;
/** One of INBOX_TABS. */
export type InboxTab = (typeof INBOX_TABS)[number];

/** A deadline this close counts as due soon. */
const DUE_SOON_MS = 2 * 60 * 60_000;

/** What every page needs to know about who is looking and in which language. */
export interface PageContext {
  t: Translate;
  language: Language;
  now: Date;
  /** The signed-in staff member and their office's name; null on the login pages. */
  staff: (StaffActor & { officeName: string }) | null;
  /** The form token of the session (every POST carries it). */
  csrf: string | null;
  /** The path of this page, for the language switch. */
  path: string;
  /** The training mode's inbox: every page carries the "MODE LATIHAN" banner. */
  training?: boolean;
  /** Where the real inbox links to the training inbox; absent or null: no link. */
  trainingUrl?: string | null;
}

/** A whole page: header with the staff member and logout, the content, the language switch. */
export function layout(ctx: PageContext, title: string, content: Html): Html {
  const { t, staff, csrf } = ctx;
  const other: Language = ctx.language === "id" ? "en" : "id";
  const switchHref = `${ctx.path}${ctx.path.includes("?") ? "&" : "?"}lang=${other}`;
  return html`<!doctype html>
<html lang="${ctx.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}'>
<title>${ctx.training ? `${t("web:training.banner")} · ` : ""}${title} · ${t("web:appName")}</title>
<link rel="stylesheet" href="/static/inbox.css">
<script src="/static/htmx.min.js" defer></script>
</head>
<body>
<a class="skip" href="#content">${t("web:skip")}</a>
${ctx.training ? html`<div class="training-banner" role="region" aria-label="${t("web:training.banner")}"><p><strong>${t("web:training.banner")}</strong> ${t("web:training.explain")}</p></div>` : ""}
<header class="top">
<span><strong>${t("web:appName")}</strong></span>
<nav aria-label="${t("web:appName")}">
${staff?.role === "PARTNER" ? html`<a class="on-band" href="/rujukan">${t("web:nav.referrals")}</a><span class="who">${t("web:nav.signedInAs", { name: staff.name, office: staff.officeName })}</span>` : ""}
${staff && staff.role !== "PARTNER" ? html`<a class="on-band" href="/kotak">${t("web:nav.inbox")}</a><a class="on-band" href="/mitra">${t("web:nav.partners")}</a>${supervises(staff.role) ? html`<a class="on-band" href="/ringkasan">${t("web:nav.overview")}</a><a class="on-band" href="/audit">${t("web:nav.audit")}</a><a class="on-band" href="/statistik">${t("web:nav.stats")}</a><a class="on-band" href="/ekspor">${t("web:nav.export")}</a>` : ""}<span class="who">${t("web:nav.signedInAs", { name: staff.name, office: staff.officeName })}</span>` : ""}
${staff && ctx.trainingUrl && !ctx.training ? html`<a class="on-band" href="${ctx.trainingUrl}">${t("web:nav.training")}</a>` : ""}
<a class="on-band" href="${switchHref}" lang="${other}" hreflang="${other}">${t("web:otherLanguage")}</a>
${staff && csrf ? html`<form class="logout" method="post" action="/keluar"><input type="hidden" name="csrf" value="${csrf}"><button class="logout-button" type="submit">${t("web:nav.logout")}</button></form>` : ""}
</nav>
</header>
<main id="content" tabindex="-1">
${content}
</main>
</body>
</html>`;
}

/** A page that only says something (a refused link, a logout, an error). */
export function messagePage(ctx: PageContext, title: string, text: string, kind: "info" | "error" = "info"): Html {
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1><p class="notice${kind === "error" ? " error" : ""}" role="${kind === "error" ? "alert" : "status"}">${text}</p>`,
  );
}

/** The page a login link opens: one button, whose POST alone uses the link (a preview fetcher only GETs). */
export function loginPage(ctx: PageContext, token: string, pre: string): Html {
  const { t } = ctx;
  return layout(
    ctx,
    t("web:login.title"),
    html`<h1>${t("web:login.title")}</h1>
<p>${t("web:login.intro")}</p>
<form method="post" action="/masuk/${token}">
<input type="hidden" name="pre" value="${pre}">
<button type="submit">${t("web:login.button")}</button>
</form>`,
  );
}

/** The filters of the inbox as they stand in the URL (empty text: not filtered). */
export interface InboxQuery {
  tab: InboxTab;
  status: CaseStatus | null;
  urgency: "URGENT" | "NORMAL" | null;
  category: Category | null;
  office: string;
  /** A place name as typed. */
  place: string;
  /** A staff id, "none" for nobody, or empty for anyone. */
  assignee: string;
  /** Days YYYY-MM-DD, or empty. */
  from: string;
  to: string;
  page: number;
}

/** The filter fields of InboxQuery, in the order of the URL. */
const FILTER_FIELDS = ["status", "urgency", "category", "office", "place", "assignee", "from", "to"] as const;

/** The inbox's URL for a tab, filters and page: filters live in the URL, so a link or reload keeps them. */
export function inboxHref(query: InboxQuery, path = "/kotak"): string {
  const params = new URLSearchParams({ tab: query.tab });
  for (const field of FILTER_FIELDS) {
    const value = query[field];
    if (value) params.set(field, value);
  }
  if (query.page > 1) params.set("page", String(query.page));
  return `${path}?${params.toString()}`;
}

/** A query with no filter, on a tab. */
export function unfiltered(tab: InboxTab): InboxQuery {
  return {
    tab,
    status: null,
    urgency: null,
    category: null,
    office: "",
    place: "",
    assignee: "",
    from: "",
    to: "",
    page: 1,
  };
}

const LISTED_STATUSES: readonly CaseStatus[] = ["ROUTED", "ACKNOWLEDGED", "ASSESSMENT", "ASSISTANCE", "MONITORING"];

/** What the filters offer besides the coded values. */
export interface InboxFilterChoices {
  offices: Array<{ code: string; name: string }> | null;
  colleagues: Array<{ id: string; name: string }>;
}

type Option = { value: string; label: string };

/** The inbox: tabs, the filters, the reference search, and the list (refreshed every 30 s and on focus). */
export function inboxPage(
  ctx: PageContext,
  query: InboxQuery,
  page: CasePage,
  notice: string | null,
  choices: InboxFilterChoices,
): Html {
  const { t } = ctx;
  const tabs = INBOX_TABS.map(
    (tab) =>
      html`<li><a href="${inboxHref({ ...query, tab, page: 1 })}"${tab === query.tab ? html` aria-current="page"` : ""}>${t(`web:inbox.tabs.${tab}`)}</a></li>`,
  );
  const select = (id: string, label: string, values: readonly Option[], selected: string | null, any: string) =>
    html`<div><label for="f-${id}">${label}</label><select id="f-${id}" name="${id}"><option value="">${any}</option>${values.map(
      (o) => html`<option value="${o.value}"${selected === o.value ? html` selected` : ""}>${o.label}</option>`,
    )}</select></div>`;
  const input = (id: string, label: string, value: string, type = "text") =>
    html`<div><label for="f-${id}">${label}</label><input id="f-${id}" name="${id}" type="${type}" value="${value}" maxlength="100" autocomplete="off"></div>`;
  const statuses = LISTED_STATUSES.map((s) => ({ value: s, label: t(`staff:statusName.${s}`) }));
  const urgencies = [
    { value: "URGENT", label: t("web:inbox.urgent") },
    { value: "NORMAL", label: t("web:inbox.normal") },
  ];
  const categories = CATEGORIES.map((c) => ({ value: c, label: t(`intake:category.${c}`) }));
  const assignees = [
    { value: "none", label: t("web:inbox.nobody") },
    ...choices.colleagues.map((c) => ({ value: c.id, label: c.name })),
  ];
  const filtered = FILTER_FIELDS.some((f) => query[f]);
  return layout(
    ctx,
    t("web:inbox.title"),
    html`<h1>${t("web:inbox.title")}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
<nav aria-label="${t("web:inbox.tabsLabel")}"><ul class="tabs">${tabs}</ul></nav>
<form method="get" action="/kotak" class="filters" aria-label="${t("web:inbox.filtersLabel")}">
<input type="hidden" name="tab" value="${query.tab}">
${select("status", t("web:inbox.status"), statuses, query.status, t("web:inbox.anyStatus"))}
${select("urgency", t("web:inbox.urgency"), urgencies, query.urgency, t("web:inbox.anyUrgency"))}
${select("category", t("web:inbox.category"), categories, query.category, t("web:inbox.anyCategory"))}
${
  choices.offices
    ? select(
        "office",
        t("web:inbox.office"),
        choices.offices.map((o) => ({ value: o.code, label: `${o.name} (${o.code})` })),
        query.office,
        t("web:inbox.anyOffice"),
      )
    : ""
}
${input("place", t("web:inbox.place"), query.place)}
${select("assignee", t("web:inbox.assignee"), assignees, query.assignee, t("web:inbox.anyAssignee"))}
${input("from", t("web:inbox.from"), query.from, "date")}
${input("to", t("web:inbox.to"), query.to, "date")}
<div><button type="submit" class="secondary">${t("web:inbox.filter")}</button>${filtered ? html` <a href="${inboxHref(unfiltered(query.tab))}">${t("web:inbox.clear")}</a>` : ""}</div>
</form>
<form method="get" action="/cari" class="filters">
<div><label for="reference">${t("web:inbox.search")}</label>
<input id="reference" name="reference" autocomplete="off" size="16" placeholder="K7QM-4TZP-9XWR"></div>
<div><button type="submit" class="secondary">${t("web:inbox.searchButton")}</button></div>
</form>
${inboxList(ctx, query, page)}`,
  );
}

/** The list and its pager: the part htmx refreshes (unless `live` is false). */
export function inboxList(ctx: PageContext, query: InboxQuery, page: CasePage, live = true): Html {
  const { t } = ctx;
  const refresh = live
    ? html` hx-get="${inboxHref(query, "/kotak/daftar")}" hx-trigger="every 30s, focus from:window" hx-swap="outerHTML"`
    : "";
  if (page.unknownPlace)
    return html`<div id="case-list"${refresh}><p class="notice error" role="alert">${t("web:inbox.unknownPlace", { place: query.place })}</p></div>`;
  if (page.lines.length === 0) return html`<div id="case-list"${refresh}><p>${t("web:inbox.empty")}</p></div>`;
  const to = page.offset + page.lines.length;
  const prev =
    query.page > 1 ? html`<a href="${inboxHref({ ...query, page: query.page - 1 })}">${t("web:inbox.prev")}</a>` : "";
  const next =
    to < page.total ? html`<a href="${inboxHref({ ...query, page: query.page + 1 })}">${t("web:inbox.next")}</a>` : "";
  const columns = ["reference", "urgency", "status", "category", "place", "age", "assignee", "deadline"] as const;
  return html`<div id="case-list"${refresh}>
<p aria-live="polite">${t("web:inbox.count", { from: page.offset + 1, to, total: page.total })}</p>
<table class="cases">
<thead><tr>${columns.map((c) => html`<th scope="col">${t(`web:inbox.columns.${c}`)}</th>`)}</tr></thead>
<tbody>${page.lines.map((line) => caseRow(ctx, line))}</tbody>
</table>
${prev || next ? html`<nav class="pager" aria-label="${t("web:inbox.pages")}">${prev}${next}</nav>` : ""}
</div>`;
}

function caseRow(ctx: PageContext, line: CaseLine): Html {
  const { t, now } = ctx;
  const label = (key: string) => t(`web:inbox.columns.${key}`);
  const deadline = deadlineState(line, now);
  const place = placeLabel(t, { ...line, homeProvinceCode: null });
  return html`<tr>
<td data-label="${label("reference")}"><a href="/kasus/${line.reference}">${line.reference}</a>${line.copy ? html` <span class="muted">(${t("web:inbox.copy")})</span>` : ""}</td>
<td data-label="${label("urgency")}">${line.urgency === "URGENT" ? html`<span class="urgent">${t("web:inbox.urgent")}</span>` : t("web:inbox.normal")}</td>
<td data-label="${label("status")}">${t(`staff:statusName.${line.status}`)}</td>
<td data-label="${label("category")}">${t(`intake:category.${line.category}`)}</td>
<td data-label="${label("place")}">${place}</td>
<td data-label="${label("age")}">${ageText(t, line.createdAt, now)}</td>
<td data-label="${label("assignee")}">${line.assigneeName ?? html`<span class="muted">${t("web:inbox.nobody")}</span>`}</td>
<td data-label="${label("deadline")}">${
    line.deadline
      ? html`<time datetime="${line.deadline.at.toISOString()}">${localTime(line.deadline.at, line.provinceCode, ctx.language)}</time> · <span class="${deadline}">${t(`web:inbox.deadline.${deadline === "ontime" ? "onTime" : deadline === "soon" ? "dueSoon" : "late"}`)}</span>`
      : t("web:inbox.deadline.none")
  }</td>
</tr>`;
}

/** On time, due within two hours, or past its deadline. */
function deadlineState(line: CaseLine, now: Date): "ontime" | "soon" | "late" {
  if (!line.deadline) return "ontime";
  const left = line.deadline.at.getTime() - now.getTime();
  return left < 0 ? "late" : left <= DUE_SOON_MS ? "soon" : "ontime";
}

/** What the case page shows besides the case: a notice, the report once shown, a confirmation asked. */
export interface CasePageExtras {
  notice?: { text: string; error: boolean } | null;
  details?: CaseDetails | null;
  /** A close or transfer waiting for the staff member's yes, at the version they saw: the form's fields and its button. */
  confirm?: { text: string; version: number; fields: Record<string, string>; yes: string } | null;
  /** Today in the office's calendar (YYYY-MM-DD): the latest day a service can be recorded for. */
  today?: string;
  /** The case's referrals and the form to refer it, for its responsible office. */
  referralSection?: Html | null;
}

/** A case: its summary, the report behind a "show" button, the timeline, and every action as a form. */
export function casePage(ctx: PageContext, view: CaseView, extras: CasePageExtras = {}): Html {
  const { t } = ctx;
  const { facts, state } = view;
  const reference = facts.reference;
  const field = (key: string, value: Html | string) => html`<dt>${t(`web:case.fields.${key}`)}</dt><dd>${value}</dd>`;
  const notice = extras.notice
    ? html`<p class="notice${extras.notice.error ? " error" : ""}" role="${extras.notice.error ? "alert" : "status"}">${extras.notice.text}</p>`
    : "";
  const status =
    state.status === "CLOSED" && state.resolution
      ? `${t("staff:statusName.CLOSED")} (${resolutionLabel(t, state.resolution)})`
      : statusLabel(t, state.status, state.stage);
  return layout(
    ctx,
    reference,
    html`<p><a href="/kotak">${t("web:case.back")}</a></p>
<h1>${reference}</h1>
${notice}
${extras.confirm ? confirmForm(ctx, reference, extras.confirm) : ""}
<section aria-labelledby="facts-title">
<h2 id="facts-title">${t("web:case.facts")}</h2>
${view.access === "COPY" ? html`<p class="notice">${t("web:case.copyOnly")}</p>` : ""}
<dl class="facts">
${field("status", status)}
${field("urgency", facts.urgency === "URGENT" ? html`<span class="urgent">${t("web:inbox.urgent")}</span>` : t("web:inbox.normal"))}
${field("category", t(`intake:category.${facts.category}`))}
${field("place", placeLabel(t, facts))}
${field("office", state.officeName ?? "—")}
${field("assignee", state.assigneeName ?? t("web:inbox.nobody"))}
${field("lastChange", html`<time datetime="${state.changedAt.toISOString()}">${localTime(state.changedAt, state.provinceCode, ctx.language)}</time>${state.changedBy ? ` · ${state.changedBy}` : ""}`)}
</dl>
</section>
<section aria-labelledby="details-title">
<h2 id="details-title">${t("web:case.details")}</h2>
${
  extras.details
    ? html`<div class="story">${caseDetailsMessage(t, extras.details, (d) => localTime(d, extras.details?.provinceCode ?? null, ctx.language)).text}</div>`
    : html`<p class="muted">${t("web:case.detailsHidden")}</p>
<form method="post" action="/kasus/${reference}/aksi">
${hidden(ctx, view)}<input type="hidden" name="kind" value="details">
<button type="submit" class="secondary">${t("web:case.show")}</button>
</form>`
}
</section>
${state.status === "CLOSED" ? reopenForm(ctx, view) : actionForms(ctx, view, extras.today ?? ctx.now.toISOString().slice(0, 10))}
${extras.referralSection ?? ""}
<section aria-labelledby="timeline-title">
<h2 id="timeline-title">${t("web:case.timeline")}</h2>
${
  view.timeline.length === 0
    ? html`<p>${t("web:case.noTimeline")}</p>`
    : html`<ol class="timeline">${view.timeline.map((entry) => timelineItem(ctx, entry, state.provinceCode))}</ol>`
}
</section>`,
  );
}

function hidden(ctx: PageContext, view: CaseView): Html {
  return html`<input type="hidden" name="csrf" value="${ctx.csrf ?? ""}"><input type="hidden" name="version" value="${view.version}">`;
}

function actionForms(ctx: PageContext, view: CaseView, today: string): Html {
  const { t } = ctx;
  const reference = view.facts.reference;
  const action = `/kasus/${reference}/aksi`;
  const full = view.access === "FULL";
  const current = view.state.status;
  const targets: Array<{ value: string; label: string }> = [];
  for (const status of STATUS_TRANSITIONS[current]) {
    if (status === "CLOSED") continue;
    if (status === "ASSISTANCE")
      for (const stage of ASSISTANCE_STAGES)
        targets.push({ value: `ASSISTANCE:${stage}`, label: statusLabel(t, "ASSISTANCE", stage) });
    else targets.push({ value: status, label: t(`staff:statusName.${status}`) });
  }
  if (current === "ASSISTANCE")
    for (const stage of ASSISTANCE_STAGES)
      if (stage !== view.state.stage)
        targets.push({ value: `ASSISTANCE:${stage}`, label: statusLabel(t, "ASSISTANCE", stage) });
  const accept =
    full && !view.state.assigneeName
      ? html`<form method="post" action="${action}">${hidden(ctx, view)}<input type="hidden" name="kind" value="accept">
<h3>${t("web:case.accept")}</h3><button type="submit">${t("web:case.accept")}</button></form>`
      : "";
  const status =
    full && targets.length > 0
      ? html`<form method="post" action="${action}">${hidden(ctx, view)}<input type="hidden" name="kind" value="setStatus">
<h3>${t("web:case.setStatus")}</h3>
<label for="status-to">${t("web:case.newStatus")}</label>
<select id="status-to" name="status">${targets.map((o) => html`<option value="${o.value}">${o.label}</option>`)}</select>
<p><button type="submit">${t("web:case.statusButton")}</button></p></form>`
      : "";
  const close = full
    ? html`<form method="post" action="${action}">${hidden(ctx, view)}<input type="hidden" name="kind" value="close">
<h3>${t("web:case.close")}</h3>
<label for="resolution">${t("web:case.resolution")}</label>
<select id="resolution" name="resolution">${RESOLUTIONS.map((r) => html`<option value="${r}">${resolutionLabel(t, r)}</option>`)}</select>
<p><button type="submit" class="secondary">${t("web:case.closeButton")}</button></p></form>`
    : "";
  const reply = full
    ? html`<form method="post" action="${action}">${hidden(ctx, view)}<input type="hidden" name="kind" value="reply">
<h3><label for="reply-text">${t("web:case.reply")}</label></h3>
<textarea id="reply-text" name="text" required maxlength="4000"></textarea>
<p><button type="submit">${t("web:case.replyButton")}</button></p></form>`
    : "";
  const officeOptions = view.offices.map((o) => html`<option value="${o.code}">${o.name} (${o.code})</option>`);
  const officeForm = (kind: "transfer" | "copy") =>
    html`<form method="post" action="${action}">${hidden(ctx, view)}<input type="hidden" name="kind" value="${kind}">
<h3>${t(`web:case.${kind}`)}</h3>
<label for="${kind}-office">${t(kind === "transfer" ? "web:case.transferTo" : "web:case.copyTo")}</label>
<select id="${kind}-office" name="officeCode">${officeOptions}</select>
<p><button type="submit" class="secondary">${t(kind === "transfer" ? "web:case.transferButton" : "web:case.copyButton")}</button></p></form>`;
  const assign = full
    ? html`<form method="post" action="${action}">${hidden(ctx, view)}<input type="hidden" name="kind" value="assign">
<h3>${t("web:case.assign")}</h3>
${
  view.colleagues.length > 0
    ? html`<label for="assign-to">${t("web:case.assignTo")}</label>
<select id="assign-to" name="staffId">${view.colleagues.map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select>
<p><button type="submit" class="secondary">${t("web:case.assignButton")}</button></p>`
    : html`<p class="muted">${t("web:case.noColleagues")}</p>`
}</form>`
    : "";
  const service = html`<form method="post" action="${action}">${hidden(ctx, view)}<input type="hidden" name="kind" value="service">
<h3>${t("web:case.service")}</h3>
<label for="service-type">${t("web:case.serviceType")}</label>
<select id="service-type" name="service">${SERVICE_TYPES.map((type) => html`<option value="${type}">${t(`staff:serviceName.${type}`)} (${t(`staff:stageName.${stageOfService(type, view.state.stage)}`)})</option>`)}</select>
<label for="service-date">${t("web:case.serviceDate")}</label>
<input id="service-date" name="givenOn" type="date" value="${today}" max="${today}" required>
<label for="service-provider">${t("web:case.serviceProvider")}</label>
<input id="service-provider" name="provider" maxlength="200" autocomplete="off">
<label for="service-note">${t("web:case.serviceNote")}</label>
<textarea id="service-note" name="note" maxlength="1000"></textarea>
<p><button type="submit">${t("web:case.serviceButton")}</button></p></form>`;
  const simple = (kind: "access" | "reissuePin", key: "access" | "newPin") =>
    html`<form method="post" action="${action}">${hidden(ctx, view)}<input type="hidden" name="kind" value="${kind}">
<h3>${t(`web:case.${key}`)}</h3><p class="muted">${t(`web:case.${key}Help`)}</p>
<p><button type="submit" class="secondary">${t(`web:case.${key}Button`)}</button></p></form>`;
  return html`<section aria-labelledby="actions-title">
<h2 id="actions-title">${t("web:case.actions")}</h2>
<div class="actions">
${accept}
<form method="post" action="${action}">${hidden(ctx, view)}<input type="hidden" name="kind" value="note">
<h3><label for="note-text">${t("web:case.note")}</label></h3>
<textarea id="note-text" name="text" required maxlength="4000"></textarea>
<p><button type="submit">${t("web:case.noteButton")}</button></p></form>
${reply}
${status}
${service}
${assign}
${full ? officeForm("transfer") : ""}
${full ? officeForm("copy") : ""}
${simple("access", "access")}
${full ? simple("reissuePin", "newPin") : ""}
${close}
</div>
</section>`;
}

function reopenForm(ctx: PageContext, view: CaseView): Html {
  const { t } = ctx;
  return html`<section aria-labelledby="actions-title">
<h2 id="actions-title">${t("web:case.actions")}</h2>
<form method="post" action="/kasus/${view.facts.reference}/aksi">${hidden(ctx, view)}<input type="hidden" name="kind" value="reopen">
<h3>${t("web:case.reopen")}</h3>
<label for="reopen-reason">${t("web:case.reopenReason")}</label>
<textarea id="reopen-reason" name="reason" required maxlength="1000"></textarea>
<p><button type="submit">${t("web:case.reopenButton")}</button></p></form>
</section>`;
}

function confirmForm(ctx: PageContext, reference: string, confirm: NonNullable<CasePageExtras["confirm"]>): Html {
  const { t } = ctx;
  return html`<section class="notice" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
<h2 id="confirm-title">${t("web:case.confirmTitle")}</h2>
<p id="confirm-text">${confirm.text}</p>
<form method="post" action="/kasus/${reference}/aksi">
<input type="hidden" name="csrf" value="${ctx.csrf ?? ""}"><input type="hidden" name="version" value="${confirm.version}">
${Object.entries(confirm.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<input type="hidden" name="confirmed" value="${confirm.version}">
<button type="submit" autofocus>${confirm.yes}</button>
<a class="button secondary" href="/kasus/${reference}">${t("web:case.confirmNo")}</a>
</form>
</section>`;
}

function timelineItem(ctx: PageContext, entry: HistoryEntry, provinceCode: string | null): Html {
  const when = localTime(entry.at, provinceCode, ctx.language);
  return html`<li><time datetime="${entry.at.toISOString()}">${when}${entry.who ? ` · ${entry.who}` : ""}</time>${historyEntryText(ctx.t, entry)}</li>`;
}

/** Markup as a string, for a response body. */
export function pageText(page: Html): string {
  return page instanceof Html ? page.value : String(page);
}
