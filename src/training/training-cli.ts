/**
 * `npm run training`: the training mode. A separate process with its own SQLite database per
 * trainee and scenario, its own keys, its own web inbox port and cookies, and no channel: every
 * message goes to this terminal with "MODE LATIHAN" above it. It refuses to start with a real
 * channel configured, and never opens the real database.
 *
 *   npm run --silent training -- --trainee NAME --scenario ID [--lang id|en] [--reset]
 *   npm run --silent training -- scenarios
 *   npm run --silent training -- scores [--json]
 *   npm run --silent training -- reset --trainee NAME [--scenario ID]
 */
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { type App, createApp } from "../app.ts";
import { runSimulator } from "../channels/terminal/simulator.ts";
import { runCli } from "../cli/run-cli.ts";
import { UsageError } from "../cli/simulator-args.ts";
import { type AppConfig, loadConfig, type WebConfig } from "../config.ts";
import { isLanguage, type Language } from "../domain/language.ts";
import { createTranslator, loadLocales } from "../i18n/i18n.ts";
import { createLogger, type Logger } from "../logging/logger.ts";
import { startWebInbox } from "../web/web-inbox.ts";
import { findScenario, TRAINING_SCENARIOS, type TrainingScenario } from "./training-scenarios.ts";
import { scoreText } from "./training-score.ts";
import {
  prepareScenario,
  readScores,
  recordScore,
  refuseRealChannels,
  refuseSharedPlace,
  resetTrainee,
  scoreNow,
  summariseScores,
  TRAINING_BANNER,
  TraineeName,
  trainingAppConfig,
} from "./training-session.ts";

const USAGE = `usage:
  npm run --silent training -- --trainee NAME --scenario ID [--lang id|en] [--reset]
  npm run --silent training -- scenarios
  npm run --silent training -- scores [--json]
  npm run --silent training -- reset --trainee NAME [--scenario ID]`;

/** The score commands a trainee may type at any time (both languages). */
const SCORE_COMMANDS = new Set(["/skor", "/score", "/nilai"]);

interface TrainingArgs {
  command: "play" | "scenarios" | "scores" | "reset";
  trainee: string | null;
  scenario: TrainingScenario | null;
  language: Language;
  reset: boolean;
  json: boolean;
}

const OPTIONS = {
  trainee: { type: "string", short: "t" },
  scenario: { type: "string", short: "s" },
  lang: { type: "string", short: "l" },
  reset: { type: "boolean" },
  json: { type: "boolean" },
} as const;

/** The command line as node reads it, or a usage error. */
function readArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

function parseTrainingArgs(argv: string[]): TrainingArgs {
  const { values, positionals } = readArgs(argv);
  const command = positionals[0] ?? "play";
  if (positionals.length > 1 || !["play", "scenarios", "scores", "reset"].includes(command)) {
    throw new UsageError(`unknown command "${positionals.join(" ")}"\n${USAGE}`);
  }
  if (values.lang !== undefined && !isLanguage(values.lang)) throw new UsageError('--lang: expected "id" or "en"');
  const trainee = values.trainee === undefined ? null : TraineeName.safeParse(values.trainee);
  if (trainee && !trainee.success) {
    throw new UsageError("--trainee: expected 1 to 64 letters, digits, dots, dashes or underscores");
  }
  const scenario = values.scenario === undefined ? null : findScenario(values.scenario);
  if (values.scenario !== undefined && !scenario) {
    throw new UsageError(
      `--scenario: expected one of ${TRAINING_SCENARIOS.map((s) => s.id).join(", ")} (npm run training -- scenarios lists them)`,
    );
  }
  return {
    command: command as TrainingArgs["command"],
    trainee: trainee?.data ?? null,
    scenario,
    language: (values.lang as Language | undefined) ?? "id",
    reset: values.reset === true,
    json: values.json === true,
  };
}

/** Lists the scenarios with their titles, in the trainee's language. */
function listScenarios(language: Language): void {
  const t = createTranslator(loadLocales())(language);
  for (const s of TRAINING_SCENARIOS) {
    process.stdout.write(`${s.id}\t${t(`training:scenario.${s.key}.title`)}\n`);
  }
}

/** The trainer's summary of the score log, as a table or JSON. */
function printScores(config: AppConfig, json: boolean): void {
  const { records, skipped } = readScores(config);
  const rows = summariseScores(records);
  if (skipped > 0) process.stderr.write(`warning: ${skipped} damaged line(s) of the score log were skipped\n`);
  if (json) {
    process.stdout.write(`${JSON.stringify({ rows }, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write("No training attempts have been scored yet.\n");
    return;
  }
  process.stdout.write("trainee\tscenario\tattempts\tbest\tlatest\tlatest missed\tlatest at\n");
  for (const r of rows) {
    process.stdout.write(
      `${r.trainee}\t${r.scenario}\t${r.attempts}\t${r.best}/${r.total}\t${r.latest}/${r.total}\t${r.latestMissed.join(",") || "-"}\t${r.latestAt}\n`,
    );
  }
}

/**
 * The trainee's own inbox: on the training port, or, when another trainee's process holds it, on
 * a free one (each trainee has their own database, so their links must reach their own server).
 */
async function startTrainingInbox(app: App, web: WebConfig, logger: Logger) {
  try {
    return await startWebInbox(app, { ...web, required: true }, logger);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || web.port === 0) throw error;
    process.stderr.write(`The training inbox's port ${web.port} is taken (another trainee?); using a free one.\n`);
    return startWebInbox(app, { ...web, port: 0, baseUrl: null, required: true }, logger);
  }
}

/** Plays one scenario for one trainee: set up (or resume), the simulator as the trainee, the score at the end. */
async function play(config: AppConfig, args: TrainingArgs): Promise<void> {
  if (!args.trainee || !args.scenario) throw new UsageError(`--trainee and --scenario are needed\n${USAGE}`);
  const { trainee, scenario, language } = args;
  const appConfig = trainingAppConfig(config, trainee, scenario);
  if (args.reset) resetTrainee(config, trainee, scenario);
  mkdirSync(config.training.dataDir, { recursive: true, mode: 0o700 });
  const interactive = Boolean(process.stdin.isTTY);
  const logger = createLogger(interactive && !process.env.LOG_LEVEL ? "warn" : config.logLevel);
  const app = await createApp(appConfig, logger);
  const t = app.translate(language);
  const banner = `[${TRAINING_BANNER}]`;
  try {
    const training = await prepareScenario(app, scenario, trainee, language);
    logger.info({ event: "training.started", scenario: scenario.id, fresh: training.fresh });
    process.stdout.write(
      `${banner}\n${t(training.fresh ? "training:intro" : "training:resumed", {
        title: t(`training:scenario.${scenario.key}.title`),
        brief: t(`training:scenario.${scenario.key}.brief`),
      })}\n\n`,
    );
    const web = appConfig.web ? await startTrainingInbox(app, appConfig.web, logger) : null;
    app.scheduler.start(appConfig.followUpIntervalMs);
    try {
      await runSimulator(app, {
        user: trainee,
        language,
        input: process.stdin,
        output: process.stdout,
        interactive,
        promptOutput: process.stderr,
        banner,
        intercept: async (line) =>
          SCORE_COMMANDS.has(line.trim().toLowerCase())
            ? scoreText(t, scenario, await scoreNow(app, scenario, training))
            : null,
      });
    } finally {
      await app.scheduler.stop();
      await web?.close();
    }
    const card = await scoreNow(app, scenario, training);
    recordScore(config, trainee, card, app.clock.now(), training.fresh);
    logger.info({ event: "training.scored", scenario: scenario.id, points: card.points, total: card.total });
    process.stdout.write(
      `${banner}\n${scoreText(t, scenario, card)}\n${t("training:again", { scenario: scenario.id, trainee })}\n`,
    );
  } finally {
    await app.close();
  }
}

runCli(async () => {
  const args = parseTrainingArgs(process.argv.slice(2));
  const config = loadConfig();
  // Even listing and scores refuse: the trainer should never have the real bot's tokens here.
  refuseRealChannels(config);
  refuseSharedPlace(config);
  if (args.command === "scenarios") return listScenarios(args.language);
  if (args.command === "scores") return printScores(config, args.json);
  if (args.command === "reset") {
    if (!args.trainee) throw new UsageError(`reset needs --trainee\n${USAGE}`);
    const removed = resetTrainee(config, args.trainee, args.scenario);
    process.stderr.write(`Removed ${removed} training database(s) of ${args.trainee}.\n`);
    return;
  }
  return play(config, args);
});
