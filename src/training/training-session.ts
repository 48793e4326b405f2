import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { App } from "../app.ts";
import { lineToInbound } from "../channels/terminal/simulator.ts";
import { type AppConfig, ConfigError } from "../config.ts";
import type { Language } from "../domain/language.ts";
import type { ProviderRecord } from "../domain/providers.ts";
import { parseProviderCsv } from "../partners/provider-csv.ts";
import { projectPath } from "../project-paths.ts";
import { Coded } from "../services/staff-views.ts";
import { duressPinFor, TRAINING_SCENARIOS, type TrainingScenario } from "./training-scenarios.ts";
import { SCORE_ITEMS, type ScoreCard, scoreScenario } from "./training-score.ts";

/** The chat the synthetic reporter of every scenario writes from (each scenario has its own database). */
export const TRAINING_REPORTER = "term:pelapor-latihan" as const;

/** What the banner on every training message and page says. */
export const TRAINING_BANNER = "MODE LATIHAN";

/** A trainee's name: what `--trainee` takes, and their chat in the simulator. */
export const TraineeName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: "1 to 64 letters, digits, dots, dashes or underscores" })
  // The synthetic reporter's chat is not a trainee's.
  .refine((name) => `term:${name}` !== TRAINING_REPORTER, { error: "that name is the synthetic reporter's" });

/**
 * Refuses a configuration with a real channel: the training mode must never send to Telegram or
 * WhatsApp, and a token in its environment is a sign that it was started with the real bot's.
 */
export function refuseRealChannels(config: AppConfig): void {
  const named = [
    ...(config.telegram ? ["TELEGRAM_BOT_TOKEN"] : []),
    ...(config.whatsapp ? ["WHATSAPP_ENABLED=true"] : []),
  ];
  if (named.length > 0) {
    throw new ConfigError(
      `Training mode refuses to start: ${named.join(" and ")} ${named.length > 1 ? "are" : "is"} set. ` +
        "Training never talks to Telegram or WhatsApp and never opens the real database; start it without the real bot's channel settings.",
    );
  }
}

/**
 * Refuses a training directory that is the real data directory or holds the real database: the
 * training keys, databases and resets must never meet the real ones.
 */
export function refuseSharedPlace(config: AppConfig): void {
  const dir = path.resolve(config.training.dataDir);
  const shared = [
    path.resolve(config.dataDir),
    ...(config.postgresUrl ? [] : [path.dirname(path.resolve(config.databasePath))]),
  ];
  if (shared.includes(dir)) {
    throw new ConfigError(
      "Training mode refuses to start: TRAINING_DATA_DIR is the real data directory (or the real database's folder). Give the training mode a directory of its own.",
    );
  }
  const web = config.web;
  if (web && web.port !== 0 && web.port === config.training.webPort) {
    throw new ConfigError("Training mode refuses to start: TRAINING_WEB_PORT is the real inbox's WEB_PORT.");
  }
}

/** The file of one trainee's database for one scenario. */
export function trainingDatabasePath(config: AppConfig, trainee: string, scenario: TrainingScenario): string {
  return path.join(config.training.dataDir, `${trainee}--${scenario.id}.db`);
}

/**
 * The configuration the training process runs on: the real one's timings and limits, with its own
 * SQLite database and keys in the training directory, no channel, no alerts and no health port.
 * The real database (SQLite or PostgreSQL) is never opened.
 */
export function trainingAppConfig(config: AppConfig, trainee: string, scenario: TrainingScenario): AppConfig {
  refuseRealChannels(config);
  refuseSharedPlace(config);
  // refuseSharedPlace keeps the training directory away from the real database's folder, so this file is never the real one.
  const databasePath = trainingDatabasePath(config, trainee, scenario);
  return {
    ...config,
    dataDir: config.training.dataDir,
    databasePath,
    postgresUrl: null,
    keys: { kind: "embedded", dataDir: config.training.dataDir },
    telegram: null,
    whatsapp: null,
    instanceId: `training:${trainee}`,
    healthPort: null,
    alerts: { ...config.alerts, adminChat: null },
    web: {
      host: config.web?.host ?? "127.0.0.1",
      port: config.training.webPort,
      baseUrl: config.training.baseUrl,
      required: false,
      training: true,
    },
  };
}

/** Deletes a trainee's training databases (one scenario's, or all of them); returns how many. */
export function resetTrainee(config: AppConfig, trainee: string, scenario: TrainingScenario | null): number {
  refuseSharedPlace(config);
  let removed = 0;
  // Exact names only: a prefix would also match other trainees ("ani" and "ani-").
  for (const s of scenario ? [scenario] : TRAINING_SCENARIOS) {
    const file = trainingDatabasePath(config, trainee, s);
    for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
    if (existsSync(file)) {
      rmSync(file, { force: true });
      removed++;
    }
  }
  return removed;
}

/** A scenario's case in a trainee's database, and the trainee's staff record. */
export interface TrainingCase {
  reference: string;
  caseId: string;
  staffId: string;
  /** False when it was already there (the trainee goes on where they stopped). */
  fresh: boolean;
}

/**
 * Sets a scenario up in a trainee's database, or finds it there: the synthetic reporter files the
 * report through the real conversation; the trainee becomes an agent of the office it reached, and
 * is enrolled from their own chat (so the welcome and the card wait for the simulator to print).
 */
export async function prepareScenario(
  app: App,
  scenario: TrainingScenario,
  trainee: string,
  language: Language,
): Promise<TrainingCase> {
  const db = app.database.prisma;
  const existing = await db.case.findFirst({ orderBy: { createdAt: "asc" } });
  const member = await db.staff.findFirst({ where: { name: trainee } });
  if (existing && member) {
    return { reference: existing.reference, caseId: existing.id, staffId: member.id, fresh: false };
  }
  if (existing || (await db.staff.count()) > 0) {
    throw new ConfigError(
      `This training database was left half set up (another trainee's, or an interrupted start). Start again with --reset.`,
    );
  }
  const reporter = await app.identities.resolve(TRAINING_REPORTER, app.clock.now());
  const said = async (): Promise<string> => {
    const pending = await app.outbox.pending({ identityId: reporter.id });
    await app.outbox.markSent(
      pending.map((p) => p.id),
      app.clock.now(),
    );
    return pending.map((p) => p.message.text).join("\n");
  };
  const values: Record<string, string> = {};
  for (const template of scenario.reporterLines) {
    const line = template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "");
    await app.conversation.handle(lineToInbound(line, TRAINING_REPORTER, "id", app.clock.now()));
    // The confirmation carries the PIN: the case is looked up then, not after every line.
    const text = await said();
    const pin = values.reference ? undefined : /PIN: (\d{6})/.exec(text)?.[1];
    if (pin) {
      const filed = await db.case.findFirst({ orderBy: { createdAt: "asc" } });
      if (filed) {
        values.reference = filed.reference;
        values.pin = pin;
        values.duressPin = duressPinFor(pin);
      }
    }
  }
  const filed = await db.case.findFirst({ orderBy: { createdAt: "asc" } });
  if (!filed?.officeCode) {
    throw new Error(`training scenario ${scenario.id}: the reporter's lines did not file a routed report`);
  }
  const now = app.clock.now();
  await app.providers.importAll(trainingProviders(), now);
  const staff = await app.staff.add({ name: trainee, officeCode: filed.officeCode, role: "AGENT", language }, now);
  const invite = await app.staff.createInvite(staff.id, now);
  await app.offices.setDestination(filed.officeCode, "STAFF_CHATS", null, now);
  await app.conversation.handle(lineToInbound(`/staff ${invite.code}`, `term:${trainee}`, language, app.clock.now()));
  return { reference: filed.reference, caseId: filed.id, staffId: staff.id, fresh: true };
}

/**
 * The partner directory of the training database: invented organisations, marked as such in their
 * names, with example.org contacts only, so that a trainee can practise referring.
 */
export function trainingProviders(): ProviderRecord[] {
  const read = parseProviderCsv(readFileSync(projectPath("src/training/data/training-providers.csv"), "utf8"));
  if (!read.ok) throw new Error(`training providers: ${JSON.stringify(read.problems)}`);
  return read.providers;
}

/** What the trainee did with the scenario's case, as the score reads it. */
export async function trainingFacts(app: App, training: TrainingCase) {
  const db = app.database.prisma;
  const row = await db.case.findUniqueOrThrow({ where: { id: training.caseId } });
  const audit = await db.auditLog.findMany({
    where: { caseId: training.caseId, action: { in: ["case.accept", "case.details_viewed"] } },
    orderBy: { id: "asc" },
  });
  const services = await db.caseService.findMany({ where: { caseId: training.caseId }, orderBy: { id: "asc" } });
  const replies = await db.caseMessage.count({ where: { caseId: training.caseId, direction: "TO_REPORTER" } });
  // The trainee took over when they were enrolled: what the reporter's chat got before was the setup's.
  const takenOver = (await db.staff.findUniqueOrThrow({ where: { id: training.staffId } })).createdAt;
  const reporter = await app.identities.resolve(TRAINING_REPORTER, takenOver);
  const toReporterChat = await db.outboxMessage.count({
    where: { identityId: reporter.id, createdAt: { gt: takenOver } },
  });
  const routedAt = row.routedAt ?? row.createdAt;
  const urgency = row.urgency === "URGENT" ? "URGENT" : "NORMAL";
  return {
    acceptedAt: audit.find((a) => a.action === "case.accept")?.createdAt ?? null,
    acceptDeadline: new Date(routedAt.getTime() + app.config.followUps.ackDeadlineMs[urgency]),
    services: services.map((s) => Coded.service.parse(s.type)),
    repliesToReporter: replies,
    messagesToReporterChat: toReporterChat,
    detailViews: audit.filter((a) => a.action === "case.details_viewed").map((a) => a.createdAt),
  };
}

/** Scores the scenario as it stands. */
export async function scoreNow(app: App, scenario: TrainingScenario, training: TrainingCase): Promise<ScoreCard> {
  return scoreScenario(scenario, await trainingFacts(app, training));
}

/** One line of the trainer's score log: no case content, only the trainee, scenario and points. */
const ScoreRecord = z.object({
  trainee: TraineeName,
  scenario: z.string(),
  points: z.number().int().min(0),
  total: z.number().int().min(1),
  missed: z.array(z.enum(SCORE_ITEMS)),
  /** True when this session set the scenario up (a new attempt), false when it went on with one. */
  began: z.boolean().default(true),
  at: z.iso.datetime(),
});
/** A scored attempt as the log keeps it. */
export type ScoreRecord = z.infer<typeof ScoreRecord>;

const SCORE_LOG = "scores.jsonl";

/** Appends a finished attempt to the training directory's score log. */
export function recordScore(
  config: AppConfig,
  trainee: string,
  card: ScoreCard,
  at: Date,
  began: boolean,
): ScoreRecord {
  const record: ScoreRecord = {
    trainee,
    scenario: card.scenarioId,
    points: card.points,
    total: card.total,
    missed: card.items.filter((i) => !i.passed).map((i) => i.item),
    began,
    at: at.toISOString(),
  };
  mkdirSync(config.training.dataDir, { recursive: true, mode: 0o700 });
  appendFileSync(path.join(config.training.dataDir, SCORE_LOG), `${JSON.stringify(record)}\n`, { mode: 0o600 });
  return record;
}

/** Every attempt in the score log, oldest first; a damaged line is skipped (and counted). */
export function readScores(config: AppConfig): { records: ScoreRecord[]; skipped: number } {
  const file = path.join(config.training.dataDir, SCORE_LOG);
  if (!existsSync(file)) return { records: [], skipped: 0 };
  const records: ScoreRecord[] = [];
  let skipped = 0;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      records.push(ScoreRecord.parse(JSON.parse(line)));
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}

/** The trainer's summary: per trainee and scenario, the attempts, the best and the latest score. */
export interface ScoreSummaryRow {
  trainee: string;
  scenario: string;
  /** Attempts begun (a session that goes on with one is not another). */
  attempts: number;
  best: number;
  latest: number;
  total: number;
  /** What the latest attempt missed. */
  latestMissed: string[];
  latestAt: string;
}

/** Summarises the score log for the trainer, by trainee then scenario. */
export function summariseScores(records: readonly ScoreRecord[]): ScoreSummaryRow[] {
  const rows = new Map<string, ScoreSummaryRow>();
  for (const r of records) {
    const key = `${r.trainee}\u0000${r.scenario}`;
    const row = rows.get(key) ?? {
      trainee: r.trainee,
      scenario: r.scenario,
      attempts: 0,
      best: 0,
      latest: 0,
      total: r.total,
      latestMissed: [],
      latestAt: r.at,
    };
    rows.set(key, row);
    if (r.began) row.attempts++;
    row.best = Math.max(row.best, r.points);
    row.latest = r.points;
    row.total = r.total;
    row.latestMissed = [...r.missed];
    row.latestAt = r.at;
  }
  return [...rows.values()].sort((a, b) => a.trainee.localeCompare(b.trainee) || a.scenario.localeCompare(b.scenario));
}
