/**
 * `npm start`: config -> logger -> database -> services -> channels. Telegram when
 * TELEGRAM_BOT_TOKEN is set; with no channel configured, the terminal simulator on the
 * embedded SQLite database.
 */
import { createApp } from "./app.ts";
import { startTelegram } from "./channels/telegram/run-telegram.ts";
import { runSimulator } from "./channels/terminal/simulator.ts";
import { runCli } from "./cli/run-cli.ts";
import { parseSimulatorArgs } from "./cli/simulator-args.ts";
import { loadConfig } from "./config.ts";
import { createLogger } from "./logging/logger.ts";
import { startMaintenance } from "./services/maintenance.ts";
import { releaseWaitingCards, warnAboutMissingDestinations } from "./services/office-destinations.ts";

/** Shutdown must finish within this; after it the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

runCli(async () => {
  const config = loadConfig();
  const terminal = config.telegram === null;
  // A person typing at a terminal wants the conversation, not info logs, unless they ask for them.
  const logger = createLogger(terminal && process.stdin.isTTY && !process.env.LOG_LEVEL ? "warn" : config.logLevel);
  const args = parseSimulatorArgs(process.argv.slice(2), "local");
  const app = await createApp(config, logger);
  await warnAboutMissingDestinations(app);
  await releaseWaitingCards(app);
  const stopMaintenance = startMaintenance(app);

  if (config.telegram) {
    const telegram = await startTelegram(app, config.telegram);
    logger.info({ event: "start", channel: "telegram", mode: config.telegram.webhook ? "webhook" : "polling" });
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        logger.info({ event: "shutdown", signal });
        const deadline = setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS);
        deadline.unref();
        stopMaintenance();
        telegram
          .stop()
          .then(() => app.close())
          .catch((error: unknown) => logger.error({ event: "shutdown.failed", err: error }))
          .finally(resolve);
      };
      process.once("SIGTERM", () => shutdown("SIGTERM"));
      process.once("SIGINT", () => shutdown("SIGINT"));
    });
    return;
  }

  const shutdown = async (signal: string) => {
    logger.info({ event: "shutdown", signal });
    stopMaintenance();
    await app.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  logger.info({ event: "start", channel: "terminal", database: "sqlite" });
  if (process.stdin.isTTY) {
    process.stderr.write(
      `No channel is configured, so this is the terminal simulator, talking as term:${args.user}.\n` +
        "Type a message (for example: halo), answer choices by number, /loc <lat> <lon> shares a location. Ctrl+D quits.\n\n",
    );
  }
  try {
    await runSimulator(app, {
      user: args.user,
      ...(args.language ? { language: args.language } : {}),
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY),
      promptOutput: process.stderr,
    });
  } finally {
    stopMaintenance();
    await app.close();
  }
});
