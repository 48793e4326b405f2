import type { Cell, MonthlyFigures } from "../domain/monthly-stats.ts";
import { type Html, html } from "./html.ts";
import { layout, type PageContext } from "./web-pages.ts";
import type { StatisticsView } from "./web-statistics.ts";

type Breakdown = Exclude<
  keyof MonthlyFigures,
  "month" | "newReports" | "urgentPercent" | "hoursToAcceptance" | "overdueAcceptances"
>;

/** How each breakdown's keys read: a locale key prefix, or the code itself (provinces, countries). */
const LABELS: Record<Breakdown, string | null> = {
  byCategory: "intake:category",
  byAgeGroup: "web:stats.ageGroup",
  byGender: "web:stats.gender",
  byProvince: null,
  byDestinationCountry: null,
  statusAtMonthEnd: "staff:statusName",
  servicesByType: "staff:serviceName",
  servicesByStage: "staff:stageName",
  closedByResolution: "staff:resolutionName",
  referrals: "web:stats.referralName",
};
const BREAKDOWNS = Object.keys(LABELS) as Breakdown[];

const BAR_HEIGHT = 22;
const LABEL_WIDTH = 230;
const CHART_WIDTH = 640;

/** The month's figures: a summary, a bar chart of new reports by category, and every count as a table. */
export function statisticsPage(ctx: PageContext, view: StatisticsView): Html {
  const { t } = ctx;
  const { figures } = view;
  const cell = (value: Cell) => (value === "hidden" ? t("web:stats.hidden") : String(value));
  const labelOf = (breakdown: Breakdown, key: string) => {
    const prefix = LABELS[breakdown];
    return prefix ? t(`${prefix}.${key}`, { defaultValue: key }) : key;
  };
  const scopeLabel = (value: string, label: string) => (value === "national" ? t("web:stats.national") : label);
  const summary = html`<dl class="facts">
<dt>${t("web:stats.newReports")}</dt><dd>${cell(figures.newReports)}</dd>
<dt>${t("web:stats.urgentShare")}</dt><dd>${figures.urgentPercent === null ? t("web:stats.notShown") : `${figures.urgentPercent}%`}</dd>
<dt>${t("web:stats.accepted")}</dt><dd>${cell(figures.hoursToAcceptance.accepted)}</dd>
<dt>${t("web:stats.hoursToAcceptance")}</dt><dd>${
    figures.hoursToAcceptance.median === null
      ? t("web:stats.notShown")
      : t("web:stats.medianP90", { median: figures.hoursToAcceptance.median, p90: figures.hoursToAcceptance.p90 })
  }</dd>
<dt>${t("web:stats.overdue")}</dt><dd>${cell(figures.overdueAcceptances)}</dd>
</dl>`;
  const tables = BREAKDOWNS.map((breakdown) => {
    const entries = Object.entries(figures[breakdown]).sort((a, b) => a[0].localeCompare(b[0]));
    const id = `t-${breakdown}`;
    return html`<section aria-labelledby="${id}"><h2 id="${id}">${t(`web:stats.breakdowns.${breakdown}`)}</h2>
${
  entries.length === 0
    ? html`<p>${t("web:stats.none")}</p>`
    : html`<table class="counts"><thead><tr><th scope="col">${t("web:stats.what")}</th><th scope="col">${t("web:stats.count")}</th></tr></thead>
<tbody>${entries.map(([key, value]) => html`<tr><th scope="row">${labelOf(breakdown, key)}</th><td>${cell(value)}</td></tr>`)}</tbody></table>`
}</section>`;
  });
  return layout(
    ctx,
    t("web:stats.title"),
    html`<h1>${t("web:stats.title")}</h1>
<form method="get" action="/statistik" class="filters">
<div><label for="f-month">${t("web:stats.month")}</label><input id="f-month" name="month" type="month" value="${view.month}"></div>
<div><label for="f-scope">${t("web:stats.scope")}</label><select id="f-scope" name="scope">${view.choices.map(
      (c) =>
        html`<option value="${c.value}"${c.value === view.scope ? html` selected` : ""}>${scopeLabel(c.value, c.label)}</option>`,
    )}</select></div>
<div><button type="submit" class="secondary">${t("web:stats.show")}</button></div>
</form>
<p>${t("web:stats.about", { month: view.month })}</p>
${view.suppressed ? html`<p class="notice" role="status">${t("web:stats.suppressed")}</p>` : ""}
${summary}
${chart(ctx, figures, (key) => labelOf("byCategory", key))}
${tables}`,
  );
}

/** New reports by category as horizontal bars; hidden counts get no bar, and the table below has every number. */
function chart(ctx: PageContext, figures: MonthlyFigures, labelOf: (key: string) => string): Html | string {
  const { t } = ctx;
  const bars = Object.entries(figures.byCategory)
    .filter((entry): entry is [string, number] => typeof entry[1] === "number")
    .sort((a, b) => b[1] - a[1]);
  if (bars.length === 0) return "";
  const most = Math.max(...bars.map(([, n]) => n));
  const scale = (CHART_WIDTH - LABEL_WIDTH - 60) / most;
  const height = bars.length * (BAR_HEIGHT + 8) + 8;
  return html`<figure class="chart">
<svg role="img" aria-labelledby="chart-title" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">
<title id="chart-title">${t("web:stats.chartTitle")}</title>
${bars.map(([key, n], i) => {
  const y = 8 + i * (BAR_HEIGHT + 8);
  const width = Math.max(2, Math.round(n * scale));
  return html`<g><text x="${LABEL_WIDTH - 8}" y="${y + 16}" text-anchor="end" class="chart-label">${labelOf(key)}</text><rect x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR_HEIGHT}" class="chart-bar"></rect><text x="${LABEL_WIDTH + width + 6}" y="${y + 16}" class="chart-label">${n}</text></g>`;
})}
</svg>
<figcaption>${t("web:stats.chartCaption")}</figcaption>
</figure>`;
}
