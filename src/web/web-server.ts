import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import multipart from "@fastify/multipart";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { z } from "zod";
import type { Translate } from "../conversation/ports.ts";
import { referralOutcomeText } from "../conversation/referral-replies.ts";
import { outcomeText } from "../conversation/staff-replies.ts";
import type { OfficeRepository } from "../directory/office-repository.ts";
import { ASSISTANCE_STAGES, CASE_STATUSES, CATEGORIES, RESOLUTIONS } from "../domain/case.ts";
import { SERVICE_TYPES } from "../domain/case-services.ts";
import { LANGUAGES, type Language } from "../domain/language.ts";
import { parseReference } from "../domain/reference.ts";
import type { CaseFilter, StaffAction, StaffOutcome } from "../domain/staff-actions.ts";
import type { Logger } from "../logging/logger.ts";
import { csvProblemText } from "../partners/provider-csv.ts";
import { projectPath } from "../project-paths.ts";
import type { Clock } from "../services/clock.ts";
import { dateFormat } from "../text/date-format.ts";
import type { Html } from "./html.ts";
import { LOGIN_LINK_TTL_MS, type WebAuthStore, type WebSessionView } from "./web-auth.ts";
import { EXPORT_FRESH_MS, type WebCaseExport } from "./web-case-export.ts";
import { caseExportPage } from "./web-case-export-page.ts";
import type { InboxNarrowing, WebDesk } from "./web-desk.ts";
import { auditHref, auditScreen, overviewPage } from "./web-oversight-pages.ts";
import {
  type CasePageExtras,
  casePage,
  INBOX_TABS,
  type InboxQuery,
  inboxList,
  inboxPage,
  loginPage,
  messagePage,
  type PageContext,
} from "./web-pages.ts";
import { PARTNER_ACTIONS, type WebPartners } from "./web-partners.ts";
import { partnersPage } from "./web-partners-page.ts";
import { PartnerActionForm, ReferralForm, type WebReferrals } from "./web-referrals.ts";
import { caseReferralsSection, overdueReferralsSection, partnerReferralsPage } from "./web-referrals-page.ts";
import {
  cookie,
  csrfTokenOf,
  LIVE_COOKIES,
  newPreLoginToken,
  parseCookies,
  RequestLimiter,
  SECURITY_HEADERS,
  sameToken,
  TRAINING_COOKIES,
} from "./web-security.ts";
import type { WebStatistics } from "./web-statistics.ts";
import { statisticsPage } from "./web-statistics-page.ts";

/** What the web inbox is built from. */
export interface WebServerDeps {
  auth: WebAuthStore;
  desk: WebDesk;
  offices: OfficeRepository;
  /** The partner directory staff refer cases to. */
  partners: WebPartners;
  /** Monthly figures for supervisors and national staff. */
  statistics: WebStatistics;
  /** The office case export (HTCDS) for supervisors and national staff. */
  caseExport: WebCaseExport;
  /** Referrals to partner services: the case page's section and the partners' own page. */
  referrals: WebReferrals;
  translate: (language: Language) => Translate;
  clock: Clock;
  logger: Logger;
  defaultLanguage: Language;
  /** Staff reach the inbox over https (a proxy in front): cookies are marked Secure. */
  secure: boolean;
  /** The real inbox, or the training mode's (its banner and cookies). */
  mode: WebMode;
}

/** Whether an inbox is the real one or the training mode's, and how they find each other. */
export interface WebMode {
  /** The training mode's inbox: "MODE LATIHAN" on every page. */
  training: boolean;
  /** Where the real inbox links to the training inbox; null: no link. */
  trainingUrl: string | null;
}

/** The largest partner directory file the web import takes (a few thousand partners). */
const IMPORT_MAX_BYTES = 512 * 1024;

/** Refused login links (unknown, used, expired) one client address may try in a minute before it must wait. */
const LINK_REQUESTS_PER_MINUTE = 20;

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  // A real day: 2026-02-31 is not read as 3 March.
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
  })
  .catch("")
  .default("");
/** The inbox's query: a value that is not valid is dropped (the list shows unfiltered on it), never an error page. */
const InboxQuerySchema = z.object({
  tab: z.enum(INBOX_TABS).catch("mine"),
  status: z.enum(CASE_STATUSES).nullable().catch(null).default(null),
  urgency: z.enum(["URGENT", "NORMAL"]).nullable().catch(null).default(null),
  category: z.enum(CATEGORIES).nullable().catch(null).default(null),
  office: z
    .string()
    .regex(/^[A-Z0-9-]{2,40}$/)
    .catch("")
    .default(""),
  place: z.string().trim().max(100).catch("").default(""),
  assignee: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,100}$/)
    .catch("")
    .default(""),
  from: Day,
  to: Day,
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
  lang: z.enum(LANGUAGES).optional().catch(undefined),
});

/** The start of a day (YYYY-MM-DD) in Indonesia's western zone, or of a later one. */
function dayStart(day: string, plusDays = 0): Date {
  return new Date(Date.parse(`${day}T00:00:00+07:00`) + plusDays * 86_400_000);
}

/** The filters as the desk takes them: days are whole days in Indonesia's western zone. */
function narrowingOf(query: InboxQuery): InboxNarrowing {
  return {
    ...(query.status ? { status: query.status } : {}),
    ...(query.urgency ? { urgency: query.urgency } : {}),
    ...(query.category ? { category: query.category } : {}),
    ...(query.office ? { officeCode: query.office } : {}),
    ...(query.place ? { place: query.place } : {}),
    ...(query.assignee ? { assignedStaffId: query.assignee === "none" ? null : query.assignee } : {}),
    ...(query.from ? { createdFrom: dayStart(query.from) } : {}),
    ...(query.to ? { createdBefore: dayStart(query.to, 1) } : {}),
  };
}

const FormBase = z.object({ csrf: z.string().max(200), version: z.coerce.number().int().min(0) });
const Text = (max: number) => z.string().trim().min(1).max(max);
/** A text field that may be left empty (then absent). */
const Optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);
const OfficeCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{2,40}$/);
const ActionForm = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("accept") }),
  z.object({ kind: z.literal("details") }),
  z.object({ kind: z.literal("note"), text: Text(4000) }),
  z.object({ kind: z.literal("reply"), text: Text(4000) }),
  z.object({
    kind: z.literal("setStatus"),
    status: z.union([
      z.enum(CASE_STATUSES),
      z.templateLiteral([z.literal("ASSISTANCE"), z.literal(":"), z.enum(ASSISTANCE_STAGES)]),
    ]),
  }),
  z.object({
    kind: z.literal("close"),
    resolution: z.enum(RESOLUTIONS),
    confirmed: z.coerce.number().int().min(0).optional(),
  }),
  z.object({ kind: z.literal("reopen"), reason: Text(1000) }),
  z.object({
    kind: z.literal("transfer"),
    officeCode: OfficeCode,
    confirmed: z.coerce.number().int().min(0).optional(),
  }),
  z.object({ kind: z.literal("copy"), officeCode: OfficeCode }),
  z.object({ kind: z.literal("assign"), staffId: z.string().min(1).max(100) }),
  z.object({
    kind: z.literal("service"),
    service: z.enum(SERVICE_TYPES),
    givenOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    provider: Optional(200),
    note: Optional(1000),
  }),
  z.object({ kind: z.literal("access") }),
  z.object({ kind: z.literal("reissuePin") }),
]);
type ActionFormValue = z.infer<typeof ActionForm>;

/** The staff action a web form asks for, as the chat's command would. */
function actionOf(reference: string, form: ActionFormValue): StaffAction {
  switch (form.kind) {
    case "accept":
    case "details":
      return { kind: form.kind, reference };
    case "note":
    case "reply":
      return { kind: form.kind, reference, text: form.text };
    case "setStatus": {
      const [status, stage] = form.status.split(":");
      const to = CASE_STATUSES.find((s) => s === status);
      const known = ASSISTANCE_STAGES.find((s) => s === stage);
      return { kind: "setStatus", reference, ...(to ? { status: to } : {}), ...(known ? { stage: known } : {}) };
    }
    case "close":
      return {
        kind: "close",
        reference,
        resolution: form.resolution,
        ...(form.confirmed !== undefined ? { confirmed: form.confirmed } : {}),
      };
    case "reopen":
      return { kind: "reopen", reference, reason: form.reason };
    case "transfer":
      return {
        kind: "transfer",
        reference,
        officeCode: form.officeCode,
        ...(form.confirmed !== undefined ? { confirmed: form.confirmed } : {}),
      };
    case "copy":
      return { kind: "copy", reference, officeCode: form.officeCode };
    case "assign":
      return { kind: "assign", reference, staffId: form.staffId };
    case "service":
      return {
        kind: "service",
        reference,
        service: form.service,
        givenOn: form.givenOn,
        ...(form.provider ? { provider: form.provider } : {}),
        ...(form.note ? { note: form.note } : {}),
      };
    case "access":
    case "reissuePin":
      return { kind: form.kind, reference };
  }
}

/** Today in Indonesia's western zone (YYYY-MM-DD): a service given later than that is a typo. */
function todayIn(now: Date): string {
  return dateFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(now);
}

function filterOf(query: InboxQuery): CaseFilter {
  switch (query.tab) {
    case "mine":
      return { kind: "mine" };
    case "unassigned":
      return { kind: "new" };
    case "overdue":
      return { kind: "overdue" };
    case "all":
      return { kind: "all" };
  }
}

/** The static files the pages load: read once, served from memory. */
function staticFiles(): Map<string, { body: Buffer; type: string }> {
  const require = createRequire(import.meta.url);
  return new Map([
    [
      "/static/htmx.min.js",
      { body: readFileSync(require.resolve("htmx.org/dist/htmx.min.js")), type: "text/javascript; charset=utf-8" },
    ],
    [
      "/static/inbox.css",
      { body: readFileSync(projectPath("src", "web", "static", "inbox.css")), type: "text/css; charset=utf-8" },
    ],
  ]);
}

/**
 * The staff web inbox (issue 15): login by one-time links from the chat, the inbox, the case page
 * and its actions through the chat's own desk. Built without listening, so tests inject requests.
 */
export function buildWebApp(deps: WebServerDeps): FastifyInstance {
  const { auth, desk, translate, clock, logger } = deps;
  const app = Fastify({ logger: false, trustProxy: "127.0.0.1", bodyLimit: 64 * 1024 });
  const files = staticFiles();
  const linkLimiter = new RequestLimiter(LINK_REQUESTS_PER_MINUTE, 60_000);

  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  // Only the directory import takes a file: one CSV of at most 512 KB, and the form token.
  app.register(multipart, { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 2, parts: 3 } });
  app.addHook("onSend", async (request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (!request.url.startsWith("/static/")) reply.header("cache-control", "no-store");
  });

  const cookiesOf = (request: FastifyRequest) => parseCookies(request.headers.cookie);
  const secure = deps.secure;
  const cookies = deps.mode.training ? TRAINING_COOKIES : LIVE_COOKIES;
  // A file downloaded from the training inbox must never pass for a real one (or be imported as one).
  const downloadPrefix = deps.mode.training ? "LATIHAN-" : "";

  /** The language of a page: the switch's pick, else the staff member's, else the browser's, else the default. */
  const languageOf = (request: FastifyRequest, reply: FastifyReply, session: WebSessionView | null): Language => {
    const asked = InboxQuerySchema.shape.lang.parse((request.query as Record<string, unknown> | null)?.lang);
    if (asked) {
      reply.header("set-cookie", cookie(cookies.language, asked, { secure, maxAgeSeconds: 365 * 86_400 }));
      return asked;
    }
    const picked = cookiesOf(request).get(cookies.language);
    if (picked === "id" || picked === "en") return picked;
    if (session) return session.staff.language;
    const accept = request.headers["accept-language"] ?? "";
    return /^\s*en\b/i.test(accept) ? "en" : /^\s*id\b/i.test(accept) ? "id" : deps.defaultLanguage;
  };

  const pageContext = async (
    request: FastifyRequest,
    reply: FastifyReply,
    session: WebSessionView | null,
    sessionToken: string | null,
  ): Promise<PageContext> => {
    const language = languageOf(request, reply, session);
    // The switch links to this page only: its own path and query, never a URL a request smuggled in ("//elsewhere").
    const url = new URL(request.url, "http://inbox.invalid");
    url.searchParams.delete("lang");
    const path = url.pathname.startsWith("//") ? "/" : `${url.pathname}${url.search}`;
    return {
      t: translate(language),
      language,
      now: clock.now(),
      staff: session
        ? {
            ...session.staff,
            officeName: session.staff.providerCode
              ? await deps.referrals.organisationName(session.staff.providerCode)
              : ((await deps.offices.get(session.staff.officeCode))?.name ?? session.staff.officeCode),
          }
        : null,
      csrf: sessionToken ? csrfTokenOf(sessionToken) : null,
      path,
      training: deps.mode.training,
      trainingUrl: deps.mode.trainingUrl,
    };
  };

  const send = (reply: FastifyReply, status: number, page: Html) =>
    reply.code(status).type("text/html; charset=utf-8").send(page.value);

  /** The session behind the request's cookie; without one, a page saying how to log in (or htmx is sent there). */
  const requireSession = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ session: WebSessionView; token: string } | null> => {
    const token = cookiesOf(request).get(cookies.session) ?? "";
    const session = token ? await auth.sessionOf(token, clock.now()) : null;
    if (session) return { session, token };
    if (request.headers["hx-request"]) {
      reply.header("hx-redirect", "/").code(401).send("");
      return null;
    }
    const ctx = await pageContext(request, reply, null, null);
    if (token) reply.header("set-cookie", cookie(cookies.session, "", { secure, maxAgeSeconds: 0 }));
    send(reply, 401, messagePage(ctx, ctx.t("web:login.title"), ctx.t("web:login.sessionEnded")));
    return null;
  };

  /** A POST must carry the session's form token: a page elsewhere cannot act in the staff member's name. */
  const formTokenValid = (token: string, body: unknown) =>
    sameToken(csrfTokenOf(token), z.object({ csrf: z.string() }).safeParse(body).data?.csrf);

  const refuseForm = async (request: FastifyRequest, reply: FastifyReply, session: WebSessionView | null) => {
    const ctx = await pageContext(request, reply, session, null);
    logger.warn({ event: "web.csrf_refused", staffId: session?.staff.id });
    return send(reply, 403, messagePage(ctx, ctx.t("web:errors.title"), ctx.t("web:errors.csrf"), "error"));
  };

  /** The notice a redirect carried, read once. */
  const takeNotice = (request: FastifyRequest, reply: FastifyReply): { text: string; error: boolean } | null => {
    const raw = cookiesOf(request).get(cookies.notice);
    if (!raw) return null;
    reply.header("set-cookie", cookie(cookies.notice, "", { secure, maxAgeSeconds: 0 }));
    const parsed = z
      .object({ text: z.string().max(2000), error: z.boolean() })
      .safeParse(safeJson(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  };
  const redirectWithNotice = (reply: FastifyReply, to: string, notice: { text: string; error: boolean }) =>
    reply
      .header(
        "set-cookie",
        cookie(cookies.notice, Buffer.from(JSON.stringify(notice)).toString("base64url"), {
          secure,
          maxAgeSeconds: 60,
        }),
      )
      .redirect(to, 303);

  app.get("/static/*", async (request, reply) => {
    const file = files.get(request.url.split("?")[0] ?? "");
    if (!file) return reply.code(404).type("text/plain").send("not found");
    return reply.header("cache-control", "public, max-age=3600").type(file.type).send(file.body);
  });

  app.get("/", async (request, reply) => {
    const token = cookiesOf(request).get(cookies.session);
    if (token && (await auth.sessionOf(token, clock.now()))) return reply.redirect("/kotak", 303);
    const ctx = await pageContext(request, reply, null, null);
    return send(reply, 200, messagePage(ctx, ctx.t("web:login.title"), ctx.t("web:login.howTo")));
  });

  const linkRefused = async (request: FastifyRequest, reply: FastifyReply, why: string) => {
    const ctx = await pageContext(request, reply, null, null);
    const status = why === "unknown" ? 404 : why === "inactive" ? 403 : 410;
    logger.info({ event: "web.link_refused", why });
    return send(reply, status, messagePage(ctx, ctx.t("web:login.title"), ctx.t(`web:login.${why}`), "error"));
  };
  const limited = async (request: FastifyRequest, reply: FastifyReply) => {
    // Every attempt counts the moment it arrives (guesses sent at once are each counted); a link that
    // works is taken back, so a whole office behind one address signing in at once is not a guesser.
    if (linkLimiter.allow(request.ip, clock.now().getTime())) return false;
    const ctx = await pageContext(request, reply, null, null);
    logger.warn({ event: "web.link_limited" });
    send(reply, 429, messagePage(ctx, ctx.t("web:login.title"), ctx.t("web:login.limited"), "error"));
    return true;
  };

  app.get<{ Params: { token: string } }>("/masuk/:token", async (request, reply) => {
    if (await limited(request, reply)) return reply;
    const refusal = await auth.checkLink(request.params.token, clock.now());
    if (refusal) return linkRefused(request, reply, refusal);
    linkLimiter.forgive(request.ip);
    const pre = newPreLoginToken();
    const ctx = await pageContext(request, reply, null, null);
    reply.header(
      "set-cookie",
      cookie(cookies.preLogin, pre, { secure, maxAgeSeconds: Math.ceil(LOGIN_LINK_TTL_MS / 1000) }),
    );
    return send(reply, 200, loginPage(ctx, request.params.token, pre));
  });

  app.post<{ Params: { token: string } }>("/masuk/:token", async (request, reply) => {
    if (await limited(request, reply)) return reply;
    // A used or expired link says so, whatever else is wrong with the request.
    const refusal = await auth.checkLink(request.params.token, clock.now());
    if (refusal) return linkRefused(request, reply, refusal);
    const pre = z.object({ pre: z.string().max(100) }).safeParse(request.body).data?.pre;
    if (!sameToken(pre, cookiesOf(request).get(cookies.preLogin))) return refuseForm(request, reply, null);
    const redeemed = await auth.redeemLink(request.params.token, clock.now());
    if (!redeemed.ok) return linkRefused(request, reply, redeemed.why);
    linkLimiter.forgive(request.ip);
    logger.info({ event: "web.logged_in", staffId: redeemed.session.staff.id });
    await desk
      .announceLogin(redeemed.session)
      .catch((error: unknown) => logger.error({ event: "web.login_notice_failed", err: error }));
    reply.header("set-cookie", [
      // A browser-session cookie: the server ends the session after 8 idle hours or 24 in all.
      cookie(cookies.session, redeemed.sessionToken, { secure }),
      cookie(cookies.preLogin, "", { secure, maxAgeSeconds: 0 }),
    ]);
    return reply.redirect("/kotak", 303);
  });

  app.post("/keluar", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    if (!formTokenValid(signed.token, request.body)) return refuseForm(request, reply, signed.session);
    await auth.endSession(signed.token, clock.now());
    logger.info({ event: "web.logged_out", staffId: signed.session.staff.id });
    reply.header("set-cookie", cookie(cookies.session, "", { secure, maxAgeSeconds: 0 }));
    const ctx = await pageContext(request, reply, null, null);
    return send(reply, 200, messagePage(ctx, ctx.t("web:nav.logout"), ctx.t("web:login.loggedOut")));
  });

  const inboxQuery = (request: FastifyRequest): InboxQuery => {
    const { lang: _language, ...query } = InboxQuerySchema.parse(request.query ?? {});
    return query;
  };

  app.get("/kotak", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    // Partner staff reach no office's cases: their page is the referrals to their organisation.
    if (signed.session.staff.role === "PARTNER") return reply.redirect("/rujukan", 303);
    const query = inboxQuery(request);
    const notice = takeNotice(request, reply);
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    const page = await desk.listCases(signed.session.staff, filterOf(query), query.page, narrowingOf(query));
    const choices = await desk.filterChoices(signed.session.staff);
    return send(reply, 200, inboxPage(ctx, query, page, notice?.text ?? null, choices));
  });

  app.get("/kotak/daftar", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    const query = inboxQuery(request);
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    const page = await desk.listCases(signed.session.staff, filterOf(query), query.page, narrowingOf(query));
    return send(reply, 200, inboxList(ctx, query, page));
  });

  app.get("/cari", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    const typed = z.object({ reference: z.string().max(100) }).safeParse(request.query).data?.reference ?? "";
    const reference = parseReference(typed.replace(/\s+/g, ""));
    if (reference) return reply.redirect(`/kasus/${reference}`, 303);
    const t = translate(languageOf(request, reply, signed.session));
    return redirectWithNotice(reply, "/kotak", {
      text: t("web:inbox.notFoundReference", { reference: typed.slice(0, 40) }),
      error: true,
    });
  });

  const renderCase = async (
    request: FastifyRequest,
    reply: FastifyReply,
    signed: { session: WebSessionView; token: string },
    reference: string,
    extras: CasePageExtras,
    status = 200,
  ) => {
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    const view = await desk.caseView(signed.session.staff, reference);
    if (!view)
      return send(reply, 404, messagePage(ctx, ctx.t("web:case.notFound"), ctx.t("web:case.notFoundHelp"), "error"));
    // A closed case keeps its referral list (consent can still be withdrawn); only an open one can be referred.
    const referrals = await deps.referrals.ofCase(signed.session.staff, reference);
    const referralSection = referrals
      ? caseReferralsSection(ctx, view.facts.reference, referrals, view.state.status !== "CLOSED")
      : null;
    return send(reply, status, casePage(ctx, view, { today: todayIn(ctx.now), referralSection, ...extras }));
  };

  app.get<{ Params: { reference: string } }>("/kasus/:reference", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    const reference = parseReference(request.params.reference) ?? request.params.reference.slice(0, 40);
    return renderCase(request, reply, signed, reference, { notice: takeNotice(request, reply) });
  });

  app.post<{ Params: { reference: string } }>("/kasus/:reference/aksi", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    if (!formTokenValid(signed.token, request.body)) return refuseForm(request, reply, signed.session);
    const reference = parseReference(request.params.reference);
    const t = translate(languageOf(request, reply, signed.session));
    if (!reference) {
      const ctx = await pageContext(request, reply, signed.session, signed.token);
      return send(reply, 404, messagePage(ctx, ctx.t("web:case.notFound"), ctx.t("web:case.notFoundHelp"), "error"));
    }
    const base = FormBase.safeParse(request.body);
    const form = ActionForm.safeParse(request.body);
    if (!base.success || !form.success) {
      const problem = (base.error ?? form.error)?.issues.map((i) => i.path.join(".") || i.message).join(", ") ?? "";
      return renderCase(
        request,
        reply,
        signed,
        reference,
        { notice: { text: t("web:case.badInput", { problem }), error: true } },
        422,
      );
    }
    const { staff } = signed.session;
    const today = todayIn(clock.now());
    if (form.data.kind === "service" && form.data.givenOn > today)
      return renderCase(
        request,
        reply,
        signed,
        reference,
        { notice: { text: t("web:case.badInput", { problem: t("web:case.futureDate") }), error: true } },
        422,
      );
    const outcome = await desk.act(staff, actionOf(reference, form.data), base.data.version);
    logger.info({ event: "web.action", staffId: staff.id, action: form.data.kind, outcome: outcome.kind });
    const language = languageOf(request, reply, signed.session);
    if (outcome.kind === "details") return renderCase(request, reply, signed, reference, { details: outcome.details });
    if (outcome.kind === "confirm") {
      const { change } = outcome;
      return renderCase(request, reply, signed, reference, {
        confirm: {
          text: outcomeText(t, outcome, staff.name, language),
          version: outcome.version,
          fields:
            change.kind === "close"
              ? { kind: "close", resolution: change.resolution }
              : { kind: "transfer", officeCode: change.officeCode },
          yes: t(change.kind === "close" ? "web:case.confirmYes" : "web:case.confirmTransferYes"),
        },
      });
    }
    // A PIN is shown on this page only: never carried in a cookie across a redirect.
    if (outcome.kind === "access_issued" || outcome.kind === "pin_shown")
      return renderCase(request, reply, signed, reference, {
        notice: { text: outcomeText(t, outcome, staff.name, language), error: false },
      });
    return redirectWithNotice(reply, `/kasus/${reference}`, {
      text: outcomeText(t, outcome, staff.name, language),
      error: isRefusal(outcome),
    });
  });

  const forbidden = async (
    request: FastifyRequest,
    reply: FastifyReply,
    signed: { session: WebSessionView; token: string },
  ) => {
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    return send(reply, 403, messagePage(ctx, ctx.t("web:overview.title"), ctx.t("web:overview.forbidden"), "error"));
  };

  app.get("/ringkasan", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    const overview = await desk.overview(signed.session.staff);
    if (!overview) return forbidden(request, reply, signed);
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    const referrals = overdueReferralsSection(ctx, await deps.referrals.overdueFor(signed.session.staff));
    return send(reply, 200, overviewPage(ctx, overview, referrals));
  });

  const AuditFiltersSchema = z.object({
    staff: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,100}$/)
      .catch("")
      .default(""),
    reference: z.string().trim().max(40).catch("").default(""),
    action: z
      .string()
      .trim()
      .regex(/^[a-z_.]{0,60}$/)
      .catch("")
      .default(""),
    from: InboxQuerySchema.shape.from,
    to: InboxQuerySchema.shape.to,
    page: InboxQuerySchema.shape.page,
  });

  app.get("/audit", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    const filters = AuditFiltersSchema.parse(request.query ?? {});
    const found = await desk.auditPage(
      signed.session.staff,
      {
        ...(filters.staff ? { staffId: filters.staff } : {}),
        ...(filters.action ? { action: filters.action } : {}),
        ...(filters.from ? { from: dayStart(filters.from) } : {}),
        ...(filters.to ? { before: dayStart(filters.to, 1) } : {}),
        page: filters.page,
      },
      filters.reference,
      auditHref(filters),
    );
    if (!found) return forbidden(request, reply, signed);
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    const notice = found.unknownReference
      ? ctx.t("web:audit.unknownReference", { reference: filters.reference })
      : null;
    return send(reply, 200, auditScreen(ctx, filters, found.page, found.staff, notice));
  });

  const PartnerFiltersSchema = z.object({
    place: z.string().trim().max(100).catch("").default(""),
    service: z.enum(SERVICE_TYPES).nullable().catch(null).default(null),
    all: z
      .literal("1")
      .optional()
      .catch(undefined)
      .transform((value) => value === "1"),
  });

  app.get("/mitra", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    const filters = PartnerFiltersSchema.parse(request.query ?? {});
    const listing = await deps.partners.list(signed.session.staff, filters);
    const notice = takeNotice(request, reply);
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    return send(reply, 200, partnersPage(ctx, filters, listing, notice));
  });

  app.get("/mitra/csv", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    const csv = await deps.partners.exportCsv(signed.session.staff);
    if (csv === null) {
      const ctx = await pageContext(request, reply, signed.session, signed.token);
      return send(reply, 403, messagePage(ctx, ctx.t("web:partners.title"), ctx.t("web:partners.forbidden"), "error"));
    }
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${downloadPrefix}mitra-layanan.csv"`)
      .send(csv);
  });

  app.post("/mitra/impor", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    const t = translate(languageOf(request, reply, signed.session));
    // Only national staff import: others are refused before their upload is read.
    if (signed.session.staff.role !== "NATIONAL") {
      const ctx = await pageContext(request, reply, signed.session, signed.token);
      return send(reply, 403, messagePage(ctx, ctx.t("web:partners.title"), ctx.t("web:partners.forbidden"), "error"));
    }
    const partnersPageWith = async (
      status: number,
      problems: string[],
      notice: { text: string; error: boolean } | null,
    ) => {
      const ctx = await pageContext(request, reply, signed.session, signed.token);
      const listing = await deps.partners.list(signed.session.staff, { place: "", service: null, all: true });
      return send(reply, status, partnersPage(ctx, { place: "", service: null, all: true }, listing, notice, problems));
    };
    let upload: { csrf: string | undefined; text: string | null };
    try {
      const file = request.isMultipart() ? await request.file() : undefined;
      const csrfField = file?.fields.csrf;
      const csrf =
        csrfField && !Array.isArray(csrfField) && csrfField.type === "field" ? String(csrfField.value) : undefined;
      upload = { csrf, text: file ? (await file.toBuffer()).toString("utf8") : null };
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === "FST_REQ_FILE_TOO_LARGE")
        return partnersPageWith(413, [], { text: t("web:partners.importTooLarge"), error: true });
      // A malformed upload (no boundary, too many fields, cut short) is the client's: nothing is read or written.
      const status = (error as { statusCode?: unknown } | null)?.statusCode;
      if (typeof status === "number" && status >= 400 && status < 500)
        return partnersPageWith(400, [], { text: t("web:partners.importNoFile"), error: true });
      throw error;
    }
    // The form's token field comes before the file; a request whose token did not arrive first imports nothing.
    if (!formTokenValid(signed.token, { csrf: upload.csrf })) return refuseForm(request, reply, signed.session);
    if (upload.text === null || upload.text.trim() === "")
      return partnersPageWith(422, [], { text: t("web:partners.importNoFile"), error: true });
    const imported = await deps.partners.importCsv(signed.session.staff, upload.text);
    if (!imported) {
      const ctx = await pageContext(request, reply, signed.session, signed.token);
      return send(reply, 403, messagePage(ctx, ctx.t("web:partners.title"), ctx.t("web:partners.forbidden"), "error"));
    }
    logger.info({ event: "web.providers_imported", staffId: signed.session.staff.id, ok: imported.ok });
    if (!imported.ok) {
      const lines = imported.problems.map((p) => {
        const where =
          p.line > 0 ? t("operator:providerCsv.line", { line: String(p.line) }) : t("operator:providerCsv.file");
        const problem = csvProblemText(t, p);
        return p.column
          ? t("web:partners.problemAt", { where, column: p.column, problem })
          : t("web:partners.problemFile", { where, problem });
      });
      return partnersPageWith(422, lines, null);
    }
    return redirectWithNotice(reply, "/mitra", {
      text: t("web:partners.imported", { added: imported.added, updated: imported.updated }),
      error: false,
    });
  });

  app.post<{ Params: { code: string } }>("/mitra/:code/aksi", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    if (!formTokenValid(signed.token, request.body)) return refuseForm(request, reply, signed.session);
    const action = z.object({ action: z.enum(PARTNER_ACTIONS) }).safeParse(request.body).data?.action;
    const done = action ? await deps.partners.act(signed.session.staff, request.params.code, action) : null;
    if (!action || !done) {
      const ctx = await pageContext(request, reply, signed.session, signed.token);
      const national = signed.session.staff.role === "NATIONAL";
      const text = ctx.t(national ? "web:errors.notFound" : "web:partners.forbidden");
      return send(reply, national ? 404 : 403, messagePage(ctx, ctx.t("web:partners.title"), text, "error"));
    }
    const t = translate(languageOf(request, reply, signed.session));
    return redirectWithNotice(reply, "/mitra", {
      text: t(`web:partners.done.${action}`, { name: done.name }),
      error: false,
    });
  });

  const StatisticsQuerySchema = z.object({
    month: z
      .string()
      .regex(/^\d{4}-\d{2}$/)
      .catch("")
      .default(""),
    scope: z
      .string()
      .regex(/^(national|province:\d{2}|office:[A-Z0-9-]{2,40})$/)
      .catch("")
      .default(""),
  });

  app.get("/statistik", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    const query = StatisticsQuerySchema.parse(request.query ?? {});
    const view = await deps.statistics.view(signed.session.staff, query.month, query.scope);
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    if (!view)
      return send(reply, 403, messagePage(ctx, ctx.t("web:stats.title"), ctx.t("web:stats.forbidden"), "error"));
    return send(reply, 200, statisticsPage(ctx, view));
  });

  const exportRefusal = async (
    request: FastifyRequest,
    reply: FastifyReply,
    signed: { session: WebSessionView; token: string },
  ) => {
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    return send(reply, 403, messagePage(ctx, ctx.t("web:export.title"), ctx.t("web:export.forbidden"), "error"));
  };

  app.get("/ekspor", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    const view = await deps.caseExport.view(signed.session.staff, signed.session.signedInAt);
    if (!view) return exportRefusal(request, reply, signed);
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    return send(reply, 200, caseExportPage(ctx, view, null));
  });

  app.post("/ekspor", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    if (!formTokenValid(signed.token, request.body)) return refuseForm(request, reply, signed.session);
    const download = await deps.caseExport.download(signed.session.staff, signed.session.signedInAt);
    if (download.ok) {
      logger.info({ event: "web.case_export", staffId: signed.session.staff.id, rows: download.rows });
      return reply
        .type("text/csv; charset=utf-8")
        .header(
          "content-disposition",
          `attachment; filename="${downloadPrefix}kasus-${signed.session.staff.officeCode}.csv"`,
        )
        .header("cache-control", "no-store")
        .send(download.csv);
    }
    const view = await deps.caseExport.view(signed.session.staff, signed.session.signedInAt);
    if (download.why === "forbidden" || !view) return exportRefusal(request, reply, signed);
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    const notice = ctx.t("web:export.stale", { minutes: EXPORT_FRESH_MS / 60_000 });
    return send(reply, 403, caseExportPage(ctx, view, notice));
  });

  app.post<{ Params: { reference: string } }>("/kasus/:reference/rujuk", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    if (!formTokenValid(signed.token, request.body)) return refuseForm(request, reply, signed.session);
    const reference = parseReference(request.params.reference);
    const language = languageOf(request, reply, signed.session);
    const t = translate(language);
    if (!reference) {
      const ctx = await pageContext(request, reply, signed.session, signed.token);
      return send(reply, 404, messagePage(ctx, ctx.t("web:case.notFound"), ctx.t("web:case.notFoundHelp"), "error"));
    }
    const form = ReferralForm.safeParse(request.body);
    if (!form.success) {
      const problem = form.error.issues.map((i) => i.path.join(".") || i.message).join(", ");
      return renderCase(
        request,
        reply,
        signed,
        reference,
        {
          notice: { text: t("staff:referral.outcome.badInput", { problem }), error: true },
        },
        422,
      );
    }
    const outcome = await deps.referrals.refer(signed.session.staff, reference, form.data);
    logger.info({ event: "web.referral", staffId: signed.session.staff.id, outcome: outcome.kind });
    const notice = referralOutcomeText({ t, language }, outcome);
    // A refused referral keeps the page as it was, with what to change: nothing typed is sent anywhere.
    if (notice.error) return renderCase(request, reply, signed, reference, { notice }, 422);
    return redirectWithNotice(reply, `/kasus/${reference}`, notice);
  });

  app.post<{ Params: { code: string } }>("/rujukan/:code/cabut", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    if (!formTokenValid(signed.token, request.body)) return refuseForm(request, reply, signed.session);
    const language = languageOf(request, reply, signed.session);
    const reference = parseReference(
      z.object({ reference: z.string().max(40) }).safeParse(request.body).data?.reference ?? "",
    );
    const outcome = await deps.referrals.withdraw(signed.session.staff, request.params.code.slice(0, 20));
    logger.info({ event: "web.referral_withdrawn", staffId: signed.session.staff.id, outcome: outcome.kind });
    return redirectWithNotice(
      reply,
      reference ? `/kasus/${reference}` : "/kotak",
      referralOutcomeText({ t: translate(language), language }, outcome),
    );
  });

  const renderPartnerPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    signed: { session: WebSessionView; token: string },
    story: { code: string; text: string } | null,
    notice: { text: string; error: boolean } | null,
  ) => {
    const ctx = await pageContext(request, reply, signed.session, signed.token);
    if (signed.session.staff.role !== "PARTNER")
      return send(
        reply,
        403,
        messagePage(ctx, ctx.t("web:referrals.partnerTitle"), ctx.t("web:errors.notFound"), "error"),
      );
    const referrals = await deps.referrals.forPartner(signed.session.staff);
    return send(reply, 200, partnerReferralsPage(ctx, referrals, story, notice));
  };

  app.get("/rujukan", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    return renderPartnerPage(request, reply, signed, null, takeNotice(request, reply));
  });

  app.post<{ Params: { code: string } }>("/rujukan/:code/aksi", async (request, reply) => {
    const signed = await requireSession(request, reply);
    if (!signed) return reply;
    if (!formTokenValid(signed.token, request.body)) return refuseForm(request, reply, signed.session);
    const language = languageOf(request, reply, signed.session);
    const t = translate(language);
    const code = request.params.code.slice(0, 20);
    const form = PartnerActionForm.safeParse(request.body);
    if (!form.success || (form.data.kind === "service" && form.data.givenOn > todayIn(clock.now()))) {
      const problem = form.success
        ? t("web:case.futureDate")
        : form.error.issues.map((i) => i.path.join(".")).join(", ");
      return renderPartnerPage(request, reply, signed, null, {
        text: t("staff:referral.outcome.badInput", { problem }),
        error: true,
      });
    }
    const { outcome, story } = await deps.referrals.partnerAct(signed.session.staff, code, form.data, null);
    logger.info({
      event: "web.partner_action",
      staffId: signed.session.staff.id,
      action: form.data.kind,
      outcome: outcome?.kind ?? "story",
    });
    // The story is shown on this page only, never carried across a redirect.
    if (form.data.kind === "story" || (outcome?.kind === "answered" && story)) {
      const notice = outcome
        ? referralOutcomeText({ t, language }, outcome)
        : story
          ? null
          : { text: t("staff:referral.outcome.noStory"), error: false };
      return renderPartnerPage(request, reply, signed, story ? { code, text: story } : null, notice);
    }
    return redirectWithNotice(
      reply,
      "/rujukan",
      outcome
        ? referralOutcomeText({ t, language }, outcome)
        : { text: t("staff:referral.outcome.notFound", { code }), error: true },
    );
  });

  app.setNotFoundHandler(async (request, reply) => {
    const ctx = await pageContext(request, reply, null, null);
    return send(reply, 404, messagePage(ctx, ctx.t("web:errors.title"), ctx.t("web:errors.notFound"), "error"));
  });
  app.setErrorHandler(async (error, request, reply) => {
    logger.error({ event: "web.failed", method: request.method, route: request.routeOptions.url, err: error });
    const ctx = await pageContext(request, reply, null, null).catch(() => null);
    if (!ctx) return reply.code(500).type("text/plain").send("error");
    return send(reply, 500, messagePage(ctx, ctx.t("web:errors.title"), ctx.t("web:errors.server"), "error"));
  });
  return app;
}

/** Outcomes that did nothing because the staff member may not, or the case did not allow it. */
function isRefusal(outcome: StaffOutcome): boolean {
  return [
    "not_found",
    "not_allowed",
    "copy_only",
    "supervisors_only",
    "closed_already",
    "changed_meanwhile",
    "moved_away",
    "invalid_transition",
    "cannot_reply",
    "reopen_needs_reason",
    "not_closed",
    "purged",
    "consent_withdrawn",
    "already_accepted",
    "unknown_office",
    "same_office",
    "unknown_staff",
  ].includes(outcome.kind);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A listening web inbox. */
export interface RunningWebServer {
  /** The port it listens on (the one picked when 0 was asked). */
  port: number;
  close(): Promise<void>;
}

/** Starts the web inbox on its own listener (never the public webhook's). */
export async function startWebServer(deps: WebServerDeps, host: string, port: number): Promise<RunningWebServer> {
  const app = buildWebApp(deps);
  await app.listen({ host, port });
  const address = app.server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return { port: bound, close: () => app.close() };
}
