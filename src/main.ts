/**
 * `npm start`: config -> logger -> database -> services -> channels. Telegram when
 * TELEGRAM_BOT_TOKEN is set, WhatsApp when WHATSAPP_ENABLED=true (both may run at once); with
 * no channel configured, the terminal simulator on the embedded SQLite database.
 */
import { realpathSync } from "node:fs";
import type { DestinationStream } from "pino";
import { type App, createApp } from "./app.ts";
import type { OperatorOutput } from "./channels/whatsapp/whatsapp-connection.ts";
import type { WhatsAppSocketFactory } from "./channels/whatsapp/whatsapp-socket.ts";
import { runCli } from "./cli/run-cli.ts";
import { parseSimulatorArgs } from "./cli/simulator-args.ts";
import { type AppConfig, loadConfig } from "./config.ts";
import { createTranslator, loadLocales } from "./i18n/i18n.ts";
import { createLogger, type Logger } from "./logging/logger.ts";
import { HealthMonitor, startHealthServer } from "./services/health-monitor.ts";
import { startMaintenance } from "./services/maintenance.ts";
import { releaseWaitingCards, warnAboutMissingDestinations } from "./services/office-destinations.ts";
import { OperatorAlerts } from "./services/operator-alerts.ts";
import { startWebInbox } from "./web/web-inbox.ts";

/** Shutdown must finish within this; after it the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/** The seams of `npm start`: the real ones by default, fakes in tests. */
export interface StartSeams {
  /** Makes WhatsApp sockets: Baileys' makeWASocket (`baileysSocketFactory`) unless a test injects a fake. */
  whatsappSocketFactory?: WhatsAppSocketFactory;
  /** Where WhatsApp shows the QR code and pairing instructions: stderr unless given. */
  operator?: OperatorOutput;
  /** Where logs go: stderr unless given. */
  logDestination?: DestinationStream;
}

/** What `npm start` uses: the real Baileys socket factory, loaded only when WhatsApp is enabled. */
export const DEFAULT_SEAMS: StartSeams = {};

/**
 * Baileys' socket factory. Channels are loaded only when configured: Baileys alone costs about
 * a second and 60 MB at start, which a Telegram-only bot or the simulator should not pay.
 */
export async function baileysSocketFactory(): Promise<WhatsAppSocketFactory> {
  return (await import("./channels/whatsapp/whatsapp-socket.ts")).createBaileysSocket;
}

/** The bot with its configured channels running. */
export interface RunningBot {
  app: App;
  /** The channels that started ("telegram", "whatsapp"); empty when none is configured. */
  channels: string[];
  /** What GET /healthz reports; checks run periodically and raise operator alerts. */
  health: HealthMonitor;
  /** The port of the health-only server, when HEALTH_PORT is set. */
  healthPort: number | null;
  /** The port of the staff web inbox, when it runs in this process. */
  webPort: number | null;
  /** Stops the channels (all at once), maintenance, then closes the database. */
  stop(): Promise<void>;
}

/** True when the configuration names no chat channel: the terminal simulator runs instead. */
export function isTerminalOnly(config: AppConfig): boolean {
  return config.telegram === null && config.whatsapp === null;
}

/**
 * Builds the core and starts every configured channel: the composition path of `npm start`,
 * which tests call with fakes at the same seams.
 */
export async function startBot(
  config: AppConfig,
  logger: Logger,
  seams: StartSeams = DEFAULT_SEAMS,
): Promise<RunningBot> {
  const app = await createApp(config, logger);
  const stoppers: Array<{ name: string; stop: () => Promise<void> }> = [];
  const wakers: Array<() => void> = [];
  const alerts = new OperatorAlerts({
    db: app.database.prisma,
    leases: app.leases,
    identities: app.identities,
    outbox: app.outbox,
    translate: createTranslator(loadLocales()),
    clock: app.clock,
    logger,
    instanceId: app.instanceId,
    adminChat: config.alerts.adminChat,
    language: config.defaultLanguage,
    repeatMs: config.alerts.repeatMs,
    onQueued: () => {
      for (const wake of wakers) wake();
    },
  });
  app.onOperatorAlert((kind, details) => {
    void alerts
      .raise(kind, details)
      .catch((error: unknown) => logger.error({ event: "operator.alert_failed", kind, err: error }));
  });
  const health = new HealthMonitor({
    outbox: app.outbox,
    clock: app.clock,
    logger,
    thresholds: {
      backlog: config.alerts.backlog,
      oldestUnsentMs: config.alerts.oldestUnsentMs,
      dispatcherFailures: config.alerts.dispatcherFailures,
    },
    alerts,
    attachments: app.attachments,
  });
  let stopMaintenance: () => Promise<void> = async () => {};
  let healthServer: { port: number; close(): Promise<void> } | null = null;
  let webServer: { port: number; close(): Promise<void> } | null = null;
  const stopAll = async () => {
    // The scheduler stops taking follow-ups at once and finishes the step in progress first, so
    // that the messages that step commits reach the dispatchers while they still send (what a
    // chat's pace holds back waits in the outbox for the next start or another instance); then
    // the channels take no new updates, finish those in progress and record their sends in flight.
    const schedulerStopped = app.scheduler.stop();
    const maintenanceStopped = stopMaintenance();
    await schedulerStopped.catch(() => {});
    const results = await Promise.allSettled(stoppers.map((s) => s.stop()));
    for (const [i, result] of results.entries()) {
      if (result.status === "rejected") {
        logger.error({ event: "shutdown.channel_failed", channel: stoppers[i]?.name, error: result.reason });
      }
    }
    await schedulerStopped;
    await maintenanceStopped;
    await health.stop();
    await healthServer?.close();
    await webServer?.close();
    await app.close();
  };
  try {
    const priorityIdentityId = await alerts.adminIdentityId();
    if (config.telegram) {
      const { startTelegram } = await import("./channels/telegram/run-telegram.ts");
      const telegram = await startTelegram(app, config.telegram, { health, priorityIdentityId });
      stoppers.push({ name: "telegram", stop: () => telegram.stop() });
      wakers.push(() => telegram.dispatcher.wake());
      logger.info({ event: "start", channel: "telegram", mode: config.telegram.webhook ? "webhook" : "polling" });
    }
    // The start's chores come after Telegram takes updates: none is needed to answer one, and
    // their first queries (Prisma compiles each on first use) held up the first poll by 50 ms.
    await warnAboutMissingDestinations(app);
    await releaseWaitingCards(app);
    stopMaintenance = startMaintenance(app);
    app.scheduler.start(config.followUpIntervalMs);
    if (config.whatsapp) {
      const { startLeasedWhatsApp } = await import("./channels/whatsapp/run-whatsapp.ts");
      const whatsapp = await startLeasedWhatsApp(app, config.whatsapp, {
        socketFactory: seams.whatsappSocketFactory ?? (await baileysSocketFactory()),
        ...(seams.operator ? { operator: seams.operator } : {}),
        health,
        priorityIdentityId,
        onLoggedOut: () =>
          void alerts
            .raise("whatsapp_logged_out", {})
            .catch((error: unknown) => logger.error({ event: "operator.alert_failed", err: error })),
      });
      stoppers.push({ name: "whatsapp", stop: () => whatsapp.stop() });
      wakers.push(() => whatsapp.current()?.dispatcher.wake());
      logger.info({
        event: "start",
        channel: "whatsapp",
        pairing: config.whatsapp.pairingNumber ? "code" : "qr",
        holding: whatsapp.keeper.holding,
      });
    }
    if (config.web) webServer = await startWebInbox(app, config.web, logger);
    if (config.healthPort !== null)
      healthServer = await startHealthServer(health, config.telegram?.webhook?.host ?? "0.0.0.0", config.healthPort);
    health.start(config.alerts.checkIntervalMs);
  } catch (error) {
    await stopAll().catch(() => {});
    throw error;
  }
  let stopping: Promise<void> | null = null;
  // A signal and the end of the simulator can both ask; the channels and the database stop once.
  return {
    app,
    channels: stoppers.map((s) => s.name),
    health,
    healthPort: healthServer?.port ?? null,
    webPort: webServer?.port ?? null,
    stop: () => (stopping ??= stopAll()),
  };
}

/** `npm start` itself: channels until SIGTERM or SIGINT, or the simulator when none is configured. */
export async function main(seams: StartSeams = DEFAULT_SEAMS): Promise<void> {
  const config = loadConfig();
  const terminal = isTerminalOnly(config);
  // A person typing at a terminal wants the conversation, not info logs, unless they ask for them.
  const logger = createLogger(
    terminal && process.stdin.isTTY && !process.env.LOG_LEVEL ? "warn" : config.logLevel,
    seams.logDestination,
  );
  const args = parseSimulatorArgs(process.argv.slice(2), "local");
  const bot = await startBot(config, logger, seams);
  const { app } = bot;

  // A service manager may signal every process of the group (npm and node each pass it on):
  // the first signal starts the shutdown, later ones must not cut it short.
  let shuttingDown = false;
  const onSignal = (handler: (signal: string) => void) => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.on(signal, () => {
        if (shuttingDown) return;
        shuttingDown = true;
        handler(signal);
      });
    }
  };

  if (!terminal) {
    await new Promise<void>((resolve) => {
      onSignal((signal) => {
        logger.info({ event: "shutdown", signal });
        const startedAt = Date.now();
        const deadline = setTimeout(() => {
          logger.error({ event: "shutdown.deadline", ms: SHUTDOWN_DEADLINE_MS });
          process.exit(1);
        }, SHUTDOWN_DEADLINE_MS);
        deadline.unref();
        bot
          .stop()
          .then(() => logger.info({ event: "shutdown.done", ms: Date.now() - startedAt }))
          .catch((error: unknown) => logger.error({ event: "shutdown.failed", error }))
          .finally(resolve);
      });
    });
    return;
  }

  onSignal((signal) => {
    logger.info({ event: "shutdown", signal });
    void bot.stop().finally(() => process.exit(0));
  });
  logger.info({ event: "start", channel: "terminal", database: "sqlite" });
  if (process.stdin.isTTY) {
    process.stderr.write(
      `No channel is configured, so this is the terminal simulator, talking as term:${args.user}.\n` +
        "Type a message (for example: halo), answer choices by number, /loc <lat> <lon> shares a location. Ctrl+D quits.\n\n",
    );
  }
  try {
    const { runSimulator } = await import("./channels/terminal/simulator.ts");
    await runSimulator(app, {
      user: args.user,
      ...(args.language ? { language: args.language } : {}),
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY),
      promptOutput: process.stderr,
    });
  } finally {
    await bot.stop();
  }
}

/** True when this module is what the process runs, as opposed to a test importing it. */
function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === import.meta.filename;
  } catch {
    return false;
  }
}

// Run only as the entry point (`node dist/src/main.js`), not when a test imports the composition path.
if (isEntryPoint()) runCli(() => main());
