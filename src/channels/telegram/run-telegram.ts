import { createServer, type Server } from "node:http";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { Api, type Bot, webhookCallback } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { App } from "../../app.ts";
import type { TelegramConfig } from "../../config.ts";
import { LANGUAGES } from "../../domain/language.ts";
import { createTranslator, loadLocales } from "../../i18n/i18n.ts";
import { OutboxDispatcher } from "../../outbox/dispatcher.ts";
import { createTelegramBot } from "./telegram-bot.ts";
import { TelegramSender } from "./telegram-sender.ts";

/** A running Telegram channel. */
export interface TelegramRuntime {
  bot: Bot;
  dispatcher: OutboxDispatcher;
  /** The webhook server's port, when in webhook mode. */
  port: number | null;
  stop(): Promise<void>;
}

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

/** The bot's commands in each language, for the menu Telegram shows next to the input field. */
function commandsFor(language: (typeof LANGUAGES)[number]): Array<{ command: string; description: string }> {
  const t = createTranslator(loadLocales())(language);
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
  options: { botInfo?: UserFromGetMe } = {},
): Promise<TelegramRuntime> {
  const { logger } = app;
  const sender = new TelegramSender(new Api(config.token, { apiRoot: config.apiRoot }));
  const dispatcher = new OutboxDispatcher({
    outbox: app.outbox,
    identities: app.identities,
    sender,
    clock: app.clock,
    logger,
  });
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
    onHandled: () => dispatcher.wake(),
  });
  await bot.init();
  await bot.api.setMyCommands(commandsFor("id"));
  for (const language of LANGUAGES) await bot.api.setMyCommands(commandsFor(language), { language_code: language });
  dispatcher.start();

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
    runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: 30 } } });
    logger.info({ event: "telegram.polling_started" });
  }

  return {
    bot,
    dispatcher,
    port,
    async stop() {
      if (runner?.isRunning()) await runner.stop();
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server?.close(() => resolve()));
      }
      await dispatcher.stop();
      logger.info({ event: "telegram.stopped" });
    },
  };
}
