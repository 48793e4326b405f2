import { createServer, type Server } from "node:http";
import type { RunnerHandle } from "@grammyjs/runner";
import { Api, type Bot, webhookCallback } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { App } from "../../app.ts";
import type { TelegramConfig } from "../../config.ts";
import { LANGUAGES } from "../../domain/language.ts";
import { loadLocales } from "../../i18n/i18n.ts";
import { channelDispatcher, type OutboxDispatcher } from "../../outbox/dispatcher.ts";
import { dispatcherProbe, type HealthMonitor, serveHealth } from "../../services/health-monitor.ts";
import { LeaseKeeper } from "../../services/lease-keeper.ts";
import { runWithoutLoss } from "./polling-runner.ts";
import { createTelegramBot } from "./telegram-bot.ts";
import { TelegramSender } from "./telegram-sender.ts";

/** A running Telegram channel. */
export interface TelegramRuntime {
  bot: Bot;
  dispatcher: OutboxDispatcher;
  /** Holds the channel's sending lease: only its holder among the instances runs the dispatcher. */
  sending: LeaseKeeper;
  /** The webhook server's port, when in webhook mode. */
  port: number | null;
  stop(): Promise<void>;
}

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

/**
 * A send that hangs is abandoned (and retried) well before its outbox claim (60 s) runs out, so
 * another instance never sends a row this one may still be sending. grammY's default is 500 s.
 */
const SEND_TIMEOUT_SECONDS = 20;

/** How long shutdown waits for webhook requests in progress; Telegram resends any cut off. */
const WEBHOOK_DRAIN_MS = 6000;

/** What `startTelegram` takes besides the app and config. */
export interface StartTelegramOptions {
  botInfo?: UserFromGetMe;
  /** Serves GET /healthz on the webhook server and watches the dispatcher. */
  health?: HealthMonitor;
  /** The operator alert chat, whose messages go ahead of any backlog. */
  priorityIdentityId?: string | null;
}

/** Stops accepting connections, lets requests in progress finish, and cuts what is left after `drainMs`. */
async function closeGracefully(server: Server, drainMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), drainMs);
  await closed;
  clearTimeout(timer);
}

/** The bot's commands in each language, for the menu Telegram shows next to the input field. */
function commandsFor(
  translate: App["translate"],
  language: (typeof LANGUAGES)[number],
): Array<{ command: string; description: string }> {
  const t = translate(language);
  return Object.keys(loadLocales()[language].common?.botCommands ?? {}).map((key) => {
    const [command = "", description = ""] = t(`common:botCommands.${key}`).split("|");
    return { command, description };
  });
}

/**
 * Starts Telegram: the outbox dispatcher, then long polling through grammY's runner, or a
 * webhook server (secret token checked, GET /healthz for health checks) when configured.
 */
export async function startTelegram(
  app: App,
  config: TelegramConfig,
  options: StartTelegramOptions = {},
): Promise<TelegramRuntime> {
  const { logger } = app;
  const sender = new TelegramSender(
    new Api(config.token, { apiRoot: config.apiRoot, timeoutSeconds: SEND_TIMEOUT_SECONDS }),
    {
      limitsScale: config.limitsScale ?? 1,
    },
  );
  const dispatcher = channelDispatcher(app, sender, options.priorityIdentityId);
  // Telegram's limits are per bot, not per process: one instance at a time sends.
  const sending = new LeaseKeeper({
    leases: app.leases,
    clock: app.clock,
    logger,
    name: "dispatch:telegram",
    holder: app.instanceId,
    ttlMs: app.config.leaseMs,
    work: { start: () => dispatcher.start(), stop: () => dispatcher.stop() },
  });
  options.health?.addProbe(
    dispatcherProbe("telegram", () => (sending.holding ? dispatcher : null), app.config.alerts.dispatcherFailures),
  );
  const bot = createTelegramBot({
    token: config.token,
    apiRoot: config.apiRoot,
    conversation: app.conversation,
    attachments: app.attachments,
    identities: app.identities,
    clock: app.clock,
    logger,
    maxAttachmentBytes: app.config.maxAttachmentBytes,
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  await bot.init();
  // The command menu is a convenience: set it beside the start, not before the first update is
  // taken (each call is a round trip to Telegram, a second or more on a slow link).
  void Promise.all([
    bot.api.setMyCommands(commandsFor(app.translate, "id")),
    ...LANGUAGES.map((language) =>
      bot.api.setMyCommands(commandsFor(app.translate, language), { language_code: language }),
    ),
  ]).catch((error: unknown) => logger.warn({ event: "telegram.commands_failed", err: error }));
  await sending.start();

  let runner: RunnerHandle | null = null;
  let server: Server | null = null;
  let port: number | null = null;
  if (config.webhook) {
    const { webhook } = config;
    const path = new URL(webhook.url).pathname || "/";
    const handleUpdate = webhookCallback(bot, "http", {
      secretToken: webhook.secret,
      onTimeout: "return",
      timeoutMilliseconds: 9000,
    });
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (options.health && serveHealth(options.health, req, res)) return;
      if (req.method === "GET" && url.pathname === "/healthz") {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ status: "ok", channel: "telegram" }));
        return;
      }
      if (req.method === "POST" && url.pathname === path) {
        handleUpdate(req, res).catch((error: unknown) => {
          logger.error({ event: "telegram.webhook_failed", err: error });
          if (!res.headersSent) res.writeHead(500).end();
        });
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => {
      server?.once("error", reject);
      server?.listen(webhook.port, webhook.host, () => resolve());
    });
    const address = server.address();
    port = typeof address === "object" && address ? address.port : webhook.port;
    await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
    logger.info({ event: "telegram.webhook_started", port });
  } else {
    await bot.api.deleteWebhook();
    runner = runWithoutLoss(bot, { fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: 30 } });
    logger.info({ event: "telegram.polling_started" });
  }

  return {
    bot,
    dispatcher,
    sending,
    port,
    async stop() {
      // No new updates; the ones being handled finish (their replies are in the outbox by then).
      if (runner?.isRunning()) await runner.stop();
      if (server) await closeGracefully(server, WEBHOOK_DRAIN_MS);
      await sending.stop();
      logger.info({ event: "telegram.stopped" });
    },
  };
}
