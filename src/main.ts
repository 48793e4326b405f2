/**
 * `npm start`: config -> logger -> database -> services -> channels. With no channel
 * configured it runs the terminal simulator on the embedded SQLite database.
 */
import { createApp } from "./app.ts";
import { runSimulator } from "./channels/terminal/simulator.ts";
import { runCli } from "./cli/run-cli.ts";
import { parseSimulatorArgs } from "./cli/simulator-args.ts";
import { loadConfig } from "./config.ts";
import { createLogger } from "./logging/logger.ts";
import { startMaintenance } from "./services/maintenance.ts";
import { warnAboutMissingDestinations } from "./services/office-destinations.ts";

runCli(async () => {
  const config = loadConfig();
  // A person typing at a terminal wants the conversation, not info logs, unless they ask for them.
  const logger = createLogger(process.stdin.isTTY && !process.env.LOG_LEVEL ? "warn" : config.logLevel);
  const args = parseSimulatorArgs(process.argv.slice(2), "local");
  const app = await createApp(config, logger);
  await warnAboutMissingDestinations(app);
  const stopMaintenance = startMaintenance(app);
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
