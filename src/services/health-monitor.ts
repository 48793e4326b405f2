import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AttachmentStore } from "../db/attachment-store.ts";
import type { OutboxStore } from "../db/outbox-store.ts";
import type { Logger } from "../logging/logger.ts";
import type { Clock } from "./clock.ts";
import type { AlertKind, OperatorAlerts } from "./operator-alerts.ts";

/** How one part of the bot stands, as the health endpoint shows it. */
export interface ProbeResult {
  ok: boolean;
  detail: Record<string, string | number | boolean | null>;
  /** When not ok and a person must act: the alert to raise. */
  alert?: { kind: AlertKind; details: Record<string, string | number> };
}

/** One part of the bot that can say how it stands (a channel, its dispatcher). */
export interface HealthProbe {
  name: string;
  check(): ProbeResult;
}

/** When the outbox and the dispatchers count as unhealthy. */
export interface HealthThresholds {
  /** Pending messages above this raise an alert. */
  backlog: number;
  /** The oldest unsent message older than this raises an alert. */
  oldestUnsentMs: number;
  /** This many failed sends in a row raise an alert. */
  dispatcherFailures: number;
}

/** What GET /healthz answers: no personal data, only counts and states. */
export interface HealthReport {
  status: "ok" | "degraded" | "down";
  checkedAt: string;
  database: { ok: boolean };
  outbox: { ok: boolean; pending: number | null; oldestUnsentSeconds: number | null };
  components: Record<string, Omit<ProbeResult, "alert">>;
}

/** What the monitor is built from. */
export interface HealthMonitorDeps {
  outbox: OutboxStore;
  clock: Clock;
  logger: Logger;
  thresholds: HealthThresholds;
  /** Null when no alerting is wanted (the simulator, the admin CLI). */
  alerts: OperatorAlerts | null;
  /** Stored files, watched against their storage cap. */
  attachments?: Pick<AttachmentStore, "storedBytes" | "limits">;
}

/** Share of the attachment storage cap at which operators are alerted, before files are refused. */
const STORAGE_ALERT_SHARE = 0.9;

/**
 * Watches what needs a person (DESIGN §6): the database answering, the outbox backlog and the
 * age of the oldest unsent message, and each registered component (dispatchers, the WhatsApp
 * session). `report()` feeds the health endpoint; the periodic `check()` also raises alerts.
 */
export class HealthMonitor {
  readonly #deps: HealthMonitorDeps;
  readonly #probes: HealthProbe[] = [];
  #timer: NodeJS.Timeout | null = null;
  #checking: Promise<unknown> = Promise.resolve();

  constructor(deps: HealthMonitorDeps) {
    this.#deps = deps;
  }

  /** Adds a component to watch. */
  addProbe(probe: HealthProbe): void {
    this.#probes.push(probe);
  }

  /** How everything stands now. */
  async report(): Promise<HealthReport> {
    return (await this.#evaluate()).report;
  }

  /** Evaluates and raises an alert for each problem a person must act on; returns the report. */
  async check(): Promise<HealthReport> {
    const { report, alerts } = await this.#evaluate();
    for (const alert of alerts) {
      await this.#deps.alerts
        ?.raise(alert.kind, alert.details)
        .catch((error: unknown) =>
          this.#deps.logger.error({ event: "operator.alert_failed", kind: alert.kind, err: error }),
        );
    }
    return report;
  }

  /** Checks every interval until stopped. */
  start(intervalMs: number): void {
    let busy = false;
    this.#timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.#checking = this.check()
        .catch((error: unknown) => this.#deps.logger.error({ event: "health.check_failed", err: error }))
        .finally(() => {
          busy = false;
        });
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops checking and waits for a check in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#checking;
  }

  async #evaluate(): Promise<{ report: HealthReport; alerts: NonNullable<ProbeResult["alert"]>[] }> {
    const { outbox, clock, thresholds } = this.#deps;
    const alerts: NonNullable<ProbeResult["alert"]>[] = [];
    const now = clock.now();
    let database = { ok: true };
    let outboxHealth: HealthReport["outbox"] = { ok: false, pending: null, oldestUnsentSeconds: null };
    try {
      const backlog = await outbox.backlog(now);
      const backlogOk = backlog.pending <= thresholds.backlog;
      const ageOk = backlog.oldestAgeMs <= thresholds.oldestUnsentMs;
      outboxHealth = {
        ok: backlogOk && ageOk,
        pending: backlog.pending,
        oldestUnsentSeconds: Math.round(backlog.oldestAgeMs / 1000),
      };
      if (!backlogOk) {
        alerts.push({ kind: "outbox_backlog", details: { pending: backlog.pending, threshold: thresholds.backlog } });
      }
      if (!ageOk) {
        alerts.push({
          kind: "outbox_stale",
          details: {
            minutes: Math.floor(backlog.oldestAgeMs / 60_000),
            threshold: Math.round(thresholds.oldestUnsentMs / 60_000),
          },
        });
      }
    } catch (error) {
      database = { ok: false };
      this.#deps.logger.error({ event: "health.database_failed", err: error });
    }
    const components: HealthReport["components"] = {};
    const { attachments } = this.#deps;
    if (attachments && database.ok) {
      const used = await attachments.storedBytes(now);
      const cap = attachments.limits.storageBytes;
      const ok = used < cap * STORAGE_ALERT_SHARE;
      components.attachments = { ok, detail: { usedBytes: used, capBytes: cap } };
      if (!ok) {
        const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));
        alerts.push({
          kind: "attachment_storage",
          details: { percent: Math.round((used / cap) * 100), usedMb: mb(used), capMb: mb(cap) },
        });
      }
    }
    for (const probe of this.#probes) {
      const { alert, ...shown } = probe.check();
      components[probe.name] = shown;
      if (alert) alerts.push(alert);
    }
    const allOk = outboxHealth.ok && Object.values(components).every((c) => c.ok);
    const report: HealthReport = {
      status: !database.ok ? "down" : allOk ? "ok" : "degraded",
      checkedAt: now.toISOString(),
      database,
      outbox: outboxHealth,
      components,
    };
    return { report, alerts };
  }
}

/**
 * Answers GET /healthz from the monitor; returns false for other requests. Only "down" (this
 * instance cannot reach the database) is a 503: "degraded" describes the shared outbox and the
 * channels, which every instance sees alike, and a load balancer that pulled every instance for
 * it would stop all intake. Operators hear of "degraded" through the alerts.
 */
export function serveHealth(monitor: HealthMonitor, req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method !== "GET" || url.pathname !== "/healthz") return false;
  monitor.report().then(
    (report) => {
      res
        .writeHead(report.status === "down" ? 503 : 200, { "content-type": "application/json" })
        .end(JSON.stringify(report));
    },
    () => {
      res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ status: "down" }));
    },
  );
  return true;
}

/** Starts a small server with only the health endpoint, for instances without a webhook server. */
export async function startHealthServer(
  monitor: HealthMonitor,
  host: string,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (!serveHealth(monitor, req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** How operators know the channels. */
const CHANNEL_NAMES: Record<string, string> = { telegram: "Telegram", whatsapp: "WhatsApp" };

/** What a dispatcher shows the monitor. */
export interface DispatcherState {
  consecutiveFailures: number;
  lastSuccessAt: Date | null;
}

/**
 * A channel's sending side: healthy unless sends keep failing. `active` says whether this
 * instance sends at all (another instance may hold the channel's lease).
 */
export function dispatcherProbe(
  channel: string,
  dispatcher: () => DispatcherState | null,
  failureThreshold: number,
): HealthProbe {
  return {
    name: `dispatch:${channel}`,
    check(): ProbeResult {
      const state = dispatcher();
      if (!state) return { ok: true, detail: { active: false } };
      const failing = state.consecutiveFailures >= failureThreshold;
      return {
        ok: !failing,
        detail: {
          active: true,
          consecutiveFailures: state.consecutiveFailures,
          lastSuccessAt: state.lastSuccessAt?.toISOString() ?? null,
        },
        ...(failing
          ? {
              alert: {
                kind: "dispatcher_failing" as const,
                details: { channel: CHANNEL_NAMES[channel] ?? channel, failures: state.consecutiveFailures },
              },
            }
          : {}),
      };
    },
  };
}
