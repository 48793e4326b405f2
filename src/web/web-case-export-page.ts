import { HTCDS_EXPORT_COLUMNS } from "../domain/htcds-export.ts";
import { type Html, html } from "./html.ts";
import type { CaseExportView } from "./web-case-export.ts";
import { EXPORT_FRESH_MS } from "./web-case-export.ts";
import { layout, type PageContext } from "./web-pages.ts";

/** The case export: what it holds and leaves out, the warning about retention, and the download button when allowed. */
export function caseExportPage(ctx: PageContext, view: CaseExportView, notice: string | null): Html {
  const { t } = ctx;
  const minutes = EXPORT_FRESH_MS / 60_000;
  const action = view.fresh
    ? html`<form method="post" action="/ekspor"><input type="hidden" name="csrf" value="${ctx.csrf ?? ""}"><button type="submit">${t("web:export.download", { count: view.cases })}</button></form>
<p>${t("web:export.freshFor", { minutes })}</p>`
    : html`<p class="notice" role="status">${t("web:export.needFreshLink", { minutes })}</p>`;
  return layout(
    ctx,
    t("web:export.title"),
    html`<h1>${t("web:export.title")}</h1>
${notice ? html`<p class="notice error" role="alert">${notice}</p>` : ""}
<p>${t("web:export.intro", { office: view.officeName, count: view.cases })}</p>
<p>${t("web:export.leftOut")}</p>
<p class="notice error"><strong>${t("web:export.warningTitle")}</strong> ${t("web:export.warning")}</p>
${action}
<details><summary>${t("web:export.columns", { count: HTCDS_EXPORT_COLUMNS.length })}</summary>
<p><code>${HTCDS_EXPORT_COLUMNS.join(", ")}</code></p>
<p>${t("web:export.columnsHelp")}</p></details>`,
  );
}
