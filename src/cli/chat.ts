/**
 * The terminal simulator: `npm run --silent chat -- --user <name> [--lang id|en]` talks to the
 * bot as `term:<name>` on the same database as `npm start`.
 */
import { createApp } from "../app.ts";
import { runSimulator } from "../channels/terminal/simulator.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../logging/logger.ts";
import { startWebInbox } from "../web/web-inbox.ts";
import { runCli } from "./run-cli.ts";
import { parseSimulatorArgs } from "./simulator-args.ts";

runCli(async () => {
  const args = parseSimulatorArgs(process.argv.slice(2), "local");
  const config = loadConfig();
  // A person typing at a terminal wants the conversation, not info logs, unless they ask for them.
  const logger = createLogger(process.stdin.isTTY && !process.env.LOG_LEVEL ? "warn" : config.logLevel);
  const app = await createApp(config, logger);
  // The simulator's staff can open the web inbox too; a second terminal finds the port taken and goes on.
  const web = config.web ? await startWebInbox(app, config.web, logger) : null;
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
    await web?.close();
    await app.close();
  }
});
