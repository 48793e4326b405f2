import type { App } from "../app.ts";
import type { AppConfig, WebConfig } from "../config.ts";
import type { Logger } from "../logging/logger.ts";
import { WebCaseExport } from "./web-case-export.ts";
import { WebPartners } from "./web-partners.ts";
import { WebReferrals } from "./web-referrals.ts";
import type { RunningWebServer } from "./web-server.ts";
import { WebStatistics } from "./web-statistics.ts";

/**
 * Where the real inbox links to the training inbox: its configured address, or, for an inbox
 * opened on this machine (no public address), the training port on the same host; otherwise none.
 */
export function trainingUrlOf(config: Pick<AppConfig, "training">, web: WebConfig): string | null {
  if (config.training.baseUrl) return config.training.baseUrl;
  if (web.baseUrl || config.training.webPort === 0) return null;
  return localBaseUrl(web.host, config.training.webPort);
}

/** The address a browser on this machine uses for a listener: a wildcard host is reached as localhost. */
export function localBaseUrl(host: string, port: number): string {
  const reachable = host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}

/** The address login links carry before the server listens: the configured one, or host and port (unknown for port 0). */
export function configuredBaseUrl(web: WebConfig | null): string | null {
  if (!web) return null;
  return web.baseUrl ?? (web.port === 0 ? null : localBaseUrl(web.host, web.port));
}

/**
 * Starts the staff web inbox in this process and says where it is on stderr. When it was not
 * asked for explicitly (the simulator's default) and its port is taken, as by a second terminal
 * of the simulator, it warns and goes on: the other process serves the same database's inbox.
 */
/** The statistics page's figures, from the app's services and its acceptance deadlines. */
export function webStatisticsOf(app: App): WebStatistics {
  return new WebStatistics({
    db: app.database.prisma,
    offices: app.offices,
    clock: app.clock,
    ackDeadlineMs: app.config.followUps.ackDeadlineMs,
  });
}

/** The office case export as the inbox serves it, from the app's services. */
export function webCaseExportOf(app: App): WebCaseExport {
  return new WebCaseExport({ db: app.database.prisma, offices: app.offices, audit: app.audit, clock: app.clock });
}

/** Referrals as the inbox serves them, from the app's services. */
export function webReferralsOf(app: App): WebReferrals {
  return new WebReferrals({ referrals: app.referrals, providers: app.providers });
}

/** The partner directory as the inbox serves it, from the app's services. */
export function webPartnersOf(app: App): WebPartners {
  return new WebPartners({ providers: app.providers, audit: app.audit, db: app.database.prisma, clock: app.clock });
}

export async function startWebInbox(app: App, web: WebConfig, logger: Logger): Promise<RunningWebServer | null> {
  // Fastify is loaded only where the inbox runs.
  const { startWebServer } = await import("./web-server.ts");
  try {
    const server = await startWebServer(
      {
        auth: app.webAuth,
        desk: app.webDesk,
        offices: app.offices,
        partners: webPartnersOf(app),
        statistics: webStatisticsOf(app),
        caseExport: webCaseExportOf(app),
        referrals: webReferralsOf(app),
        translate: app.translate,
        clock: app.clock,
        logger,
        defaultLanguage: app.config.defaultLanguage,
        secure: (web.baseUrl ?? "").startsWith("https:"),
        mode: web.training
          ? { training: true, trainingUrl: null }
          : { training: false, trainingUrl: trainingUrlOf(app.config, web) },
      },
      web.host,
      web.port,
    );
    const url = web.baseUrl ?? localBaseUrl(web.host, server.port);
    app.webAddress.baseUrl = url;
    logger.info({ event: "web.started", port: server.port });
    process.stderr.write(
      web.training
        ? `Training web inbox (MODE LATIHAN): ${url} (the trainee gets a login link with /masuk in the training chat)\n`
        : `Staff web inbox: ${url} (staff get a login link with /masuk in their private chat)\n`,
    );
    return server;
  } catch (error) {
    if (web.required) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    logger.warn({ event: "web.not_started", code: typeof code === "string" ? code : "unknown" });
    process.stderr.write(
      `Staff web inbox not started here (${typeof code === "string" ? code : "error"} on ${web.host}:${web.port}); another process may be serving it.\n`,
    );
    return null;
  }
}
