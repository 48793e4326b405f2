/**
 * `npm run bench [-- --json] [-- --reports N]`: intake steps through the engine with SQLite,
 * one after another, against the same rows written by prepared better-sqlite3 statements in
 * one transaction per step, measured in the same run (absolute numbers drift on shared machines);
 * then a caseload of 100,000 cases (status checks, the staff case list, the admin listing), and
 * the race of the bot as shipped against a peer written with grammY's own toolkit.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { createApp } from "../app.ts";
import { benchCaseload } from "../bench/caseload-bench.ts";
import { benchOpenConversations } from "../bench/conversations-bench.ts";
import { INTAKE_SCRIPTS } from "../bench/intake-scripts.ts";
import { percentile } from "../bench/percentile.ts";
import { benchResolver } from "../bench/resolver-bench.ts";
import { benchTelegram } from "../bench/telegram-bench.ts";
import { raceTelegram } from "../bench/telegram-race.ts";
import { loadConfig } from "../config.ts";
import { migrateSqlite } from "../db/migrate-sqlite.ts";
import { createLogger } from "../logging/logger.ts";
import { PROJECT_ROOT } from "../project-paths.ts";
import { ephemeralKeyRing } from "../security/key-ring.ts";
import { runCli } from "./run-cli.ts";
import { UsageError } from "./simulator-args.ts";

/** One benchmark figure. */
interface Figure {
  value: number;
  unit: string;
}

/** What one intake step wrote, for the raw baseline to write again. */
interface StepShape {
  identity: number;
  firstOfIdentity: boolean;
  replies: number;
  submits: boolean;
}

const progress = (text: string) => process.stderr.write(`${text}\n`);

async function benchIntake(dir: string, reports: number) {
  const config = { ...loadConfig({ DATA_DIR: dir }), databasePath: path.join(dir, "intake.db") };
  const app = await createApp(config, createLogger("silent"), { keys: ephemeralKeyRing(), sleep: async () => {} });
  const shapes: StepShape[] = [];
  const latencies: number[] = [];
  const warmup = Math.min(20, Math.ceil(reports / 10));
  let elapsedMs = 0;
  for (let r = 0; r < warmup + reports; r++) {
    const script = INTAKE_SCRIPTS[r % INTAKE_SCRIPTS.length] as (typeof INTAKE_SCRIPTS)[number];
    const address = `term:bench-${r}` as const;
    const measured = r >= warmup;
    for (const [i, line] of script.lines.entries()) {
      const started = performance.now();
      const outcome = await app.conversation.handle({
        address,
        messageId: randomUUID(),
        receivedAt: new Date(),
        text: line,
        languageHint: script.language,
      });
      const took = performance.now() - started;
      if (!measured) continue;
      latencies.push(took);
      elapsedMs += took;
      shapes.push({
        identity: r,
        firstOfIdentity: i === 0,
        replies: outcome.replies,
        submits: i === script.lines.length - 1,
      });
    }
    if (measured && (r - warmup + 1) % 100 === 0) progress(`intake: ${r - warmup + 1}/${reports} reports`);
  }
  const cases = await app.database.prisma.case.count();
  if (cases !== warmup + reports) throw new Error(`expected ${warmup + reports} reports, found ${cases}`);
  const sizes = await app.database.prisma.$queryRawUnsafe<Array<{ payload: number; state: number }>>(
    `SELECT (SELECT avg(length(payloadCipher)) FROM outbox_messages) AS payload, (SELECT avg(length(stateCipher)) FROM conversations) AS state`,
  );
  await app.close();
  latencies.sort((a, b) => a - b);
  const steps = latencies.length;
  return {
    steps,
    stepsPerSecond: steps / (elapsedMs / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    shapes,
    payloadBytes: Math.round(Number(sizes[0]?.payload ?? 200)),
    stateBytes: Math.round(Number(sizes[0]?.state ?? 300)),
  };
}

/** The physical baseline: the same rows per step with prepared statements, one transaction each. */
function benchRaw(dir: string, shapes: readonly StepShape[], payloadBytes: number, stateBytes: number) {
  const file = path.join(dir, "raw.db");
  migrateSqlite(file, { applied: () => {}, changed: () => {} });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("secure_delete = ON");
  db.pragma("foreign_keys = ON");
  const insertIdentity = db.prepare(
    `INSERT INTO contact_identities (id, channel, lookupHash, addressCipher, keyId, createdAt) VALUES (?, 'term', ?, ?, 'k1', ?)`,
  );
  const insertInbound = db.prepare(
    `INSERT INTO inbound_messages (channel, messageId, receivedAt) VALUES ('term', ?, ?)`,
  );
  const insertConversation = db.prepare(
    `INSERT INTO conversations (identityId, rowVersion, schemaVersion, active, language, stateCipher, keyId, updatedAt, expiresAt) VALUES (?, 1, 1, 1, 'id', ?, 'k1', ?, ?)`,
  );
  const updateConversation = db.prepare(
    `UPDATE conversations SET rowVersion = rowVersion + 1, active = 1, stateCipher = ?, updatedAt = ?, expiresAt = ? WHERE identityId = ?`,
  );
  const insertOutbox = db.prepare(
    `INSERT INTO outbox_messages (identityId, channel, status, payloadCipher, keyId, attempts, createdAt) VALUES (?, 'term', 'PENDING', ?, 'k1', 0, ?)`,
  );
  const insertCase = db.prepare(
    `INSERT INTO cases (id, reference, pinHash, status, urgency, category, indicators, reporterRole, provinceCode, victimAgeGroup, victimGender, victimCount, narrativeCipher, contactPreference, reporterIdentityId, consentToShare, consentAt, language, lookupFlagged, keyId, createdAt, updatedAt)
     VALUES (?, ?, ?, 'RECEIVED', 'NORMAL', 'FORCED_LABOUR', '{}', 'FAMILY', '35', 'ADULT', 'FEMALE', 'ONE', ?, 'CHAT', ?, 1, ?, 'id', 0, 'k1', ?, ?)`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO case_events (caseId, type, actor, toStatus, reason, createdAt) VALUES (?, 'RECEIVED', 'reporter', 'RECEIVED', 'reported', ?)`,
  );
  const identities = new Map<string, string>();
  const step = db.transaction((shape: StepShape, run: string) => {
    const now = new Date().toISOString();
    const key = `${run}:${shape.identity}`;
    let identityId = identities.get(key);
    if (!identityId) {
      identityId = randomUUID();
      identities.set(key, identityId);
      insertIdentity.run(identityId, randomUUID(), randomBytes(40), now);
    }
    insertInbound.run(randomUUID(), now);
    if (shape.firstOfIdentity) insertConversation.run(identityId, randomBytes(stateBytes), now, now);
    else updateConversation.run(randomBytes(stateBytes), now, now, identityId);
    if (shape.submits) {
      const caseId = randomUUID();
      insertCase.run(caseId, randomUUID().slice(0, 14), randomUUID(), randomBytes(120), identityId, now, now, now);
      insertEvent.run(caseId, now);
    }
    for (let i = 0; i < shape.replies; i++) insertOutbox.run(identityId, randomBytes(payloadBytes), now);
  });
  for (const shape of shapes.slice(0, 200)) step(shape, "warmup");
  const started = performance.now();
  for (const shape of shapes) step(shape, "measured");
  const elapsed = performance.now() - started;
  db.close();
  return { stepsPerSecond: shapes.length / (elapsed / 1000) };
}

runCli(async () => {
  let values: {
    json?: boolean | undefined;
    reports?: string | undefined;
    users?: string | undefined;
    messages?: string | undefined;
    "race-users"?: string | undefined;
    "race-rounds"?: string | undefined;
    race?: boolean | undefined;
    cases?: string | undefined;
    caseload?: boolean | undefined;
    conversations?: string | undefined;
  };
  const usage =
    "usage: npm run bench -- [--json] [--reports N] [--users N] [--messages N] [--race-users N] [--race-rounds N] [--no-race] [--cases N] [--no-caseload] [--conversations N]";
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        json: { type: "boolean" },
        reports: { type: "string" },
        users: { type: "string" },
        messages: { type: "string" },
        "race-users": { type: "string" },
        "race-rounds": { type: "string" },
        race: { type: "boolean", default: true },
        cases: { type: "string" },
        caseload: { type: "boolean", default: true },
        conversations: { type: "string" },
      },
      allowNegative: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
  type CountOption = "reports" | "users" | "messages" | "race-users" | "race-rounds" | "cases" | "conversations";
  const count = (name: CountOption, fallback: number) => {
    const raw = values[name];
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name}: expected a whole number above 0\n${usage}`);
    return n;
  };
  const reports = count("reports", 400);
  const users = count("users", 60);
  const messages = count("messages", 300);
  const raceUsers = count("race-users", 50);
  const raceRounds = count("race-rounds", 3);
  const caseload = count("cases", 100_000);
  const conversations = count("conversations", 10_000);
  const dir = mkdtempSync(path.join(tmpdir(), "bench-"));
  try {
    progress(`intake: ${reports} reports through the engine with SQLite`);
    const intake = await benchIntake(dir, reports);
    progress(`raw: the same ${intake.steps} steps with prepared better-sqlite3 statements`);
    const raw = benchRaw(dir, intake.shapes, intake.payloadBytes, intake.stateBytes);
    const figures: Record<string, Figure> = {
      intake_steps_per_s: { value: Math.round(intake.stepsPerSecond), unit: "steps/s" },
      intake_p50_ms: { value: Number(intake.p50.toFixed(3)), unit: "ms" },
      intake_p99_ms: { value: Number(intake.p99.toFixed(3)), unit: "ms" },
      raw_sqlite_steps_per_s: { value: Math.round(raw.stepsPerSecond), unit: "steps/s" },
      intake_to_raw_ratio: { value: Number((intake.stepsPerSecond / raw.stepsPerSecond).toFixed(4)), unit: "ratio" },
      intake_steps: { value: intake.steps, unit: "steps" },
    };
    progress(`conversations: ${conversations} chats each start a report and wait`);
    Object.assign(figures, await benchOpenConversations(dir, { count: conversations, progress }));
    if (values.caseload !== false) Object.assign(figures, await benchCaseload(dir, { cases: caseload, progress }));
    progress("resolver: typed places and GPS points from tests/fixtures/regions");
    Object.assign(figures, benchResolver());
    progress(
      `telegram: ${users} chats through the real bot and an echo bot, ${messages} messages through the dispatcher`,
    );
    Object.assign(figures, await benchTelegram(dir, { users, messages }));
    if (values.race !== false) {
      const report = INTAKE_SCRIPTS[0] as (typeof INTAKE_SCRIPTS)[number];
      progress(
        `race: the bot as \`npm start\` runs it against the grammY peer (bench/peer), ${raceUsers} users, ${report.lines.length}-line report`,
      );
      Object.assign(
        figures,
        await raceTelegram(PROJECT_ROOT, {
          lines: report.lines,
          users: raceUsers,
          rounds: raceRounds,
          warmupUsers: 5,
          progress,
        }),
      );
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
    } else {
      const width = Math.max(...Object.keys(figures).map((k) => k.length));
      for (const [name, figure] of Object.entries(figures)) {
        process.stdout.write(`${name.padEnd(width)}  ${String(figure.value).padStart(10)} ${figure.unit}\n`);
      }
      process.stdout.write(
        `\nratio 1/${(raw.stepsPerSecond / intake.stepsPerSecond).toFixed(1)} (target: at least 1/25)\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
