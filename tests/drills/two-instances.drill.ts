/**
 * Drill: two bot instances on one PostgreSQL database, behind one webhook "load balancer" (the
 * fake Bot API posting each update to them in turn), take 2,000 whole reports; nobody accepts
 * the cases, so every one gets its reminder and its escalation from the follow-up schedulers of
 * both instances. Midway one instance is stopped and started again (a rolling restart: the
 * sending lease changes hands). No crash here, so no message may be sent twice at all: what the
 * fake accepted must equal what the database marks sent, one for one.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { FakeTelegramServer } from "../support/fake-telegram-server.ts";
import { createTestDatabase, IN_CI, NO_POSTGRES_REASON, TEST_DATABASE_URL } from "../support/postgres.ts";
import { freshDataDir } from "../support/run-command.ts";
import {
  CRASH_SIGNS,
  freePort,
  type RunningBot,
  startDrillBot,
  stopNodeGracefully,
  troubleIn,
} from "./support/bot-process.ts";
import { printFigures, secondsSince, until } from "./support/figures.ts";
import { DRILL_PROVINCES, officeFor, sendCardsToGroups } from "./support/offices.ts";
import { driveManyReports } from "./support/report-driver.ts";
import { webhookEnv } from "./support/webhook.ts";

const CASES = Number(process.env.DRILL_CASES ?? 2000);
/** The bot and the fake both run at 40× Telegram's limits (1,160 msg/s, ~26 ms per chat, 760/min per group). */
const LIMITS_SCALE = 40;
const STAGGER_MS = 12;
const FIRST_CHAT = 720_000;
const FIRST_GROUP = -1_007_000_000_000;
const SECRET = "two-instances-drill-secret";

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** The same text to the same chat more than once. */
function repeatedTexts(fake: FakeTelegramServer): number {
  const seen = new Map<string, number>();
  for (const m of fake.sent) seen.set(`${m.chatId}\u0000${m.text}`, (seen.get(`${m.chatId}\u0000${m.text}`) ?? 0) + 1);
  let repeats = 0;
  for (const n of seen.values()) repeats += n - 1;
  return repeats;
}

async function sentRowCount(url: string): Promise<number> {
  const rows = await query<{ n: string }>(
    url,
    "SELECT count(*) AS n FROM outbox_messages WHERE channel = 'tg' AND status = 'SENT'",
  );
  return Number(rows[0]?.n ?? 0);
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const runs = Boolean(TEST_DATABASE_URL) || IN_CI;

describe.skipIf(!runs)(`two instances on one PostgreSQL${runs ? "" : ` [${NO_POSTGRES_REASON}]`}`, () => {
  it(`take ${CASES} reports with follow-ups and send every message exactly once`, {
    timeout: 20 * 60_000,
  }, async () => {
    if (!TEST_DATABASE_URL) throw new Error(`CI=true needs PostgreSQL: ${NO_POSTGRES_REASON}`);
    const started = Date.now();
    const fake = await new FakeTelegramServer().scaleLimits(LIMITS_SCALE).start();
    cleanups.push(() => fake.stop());
    const databaseUrl = await createTestDatabase();
    const key = () => randomBytes(32).toString("base64");
    const shared = {
      DATABASE_URL: databaseUrl,
      DATA_KEYS: `k1:${key()}`,
      HMAC_KEY: key(),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_LIMITS_SCALE: String(LIMITS_SCALE),
      ACK_DEADLINE_NORMAL_MINUTES: "1",
      FOLLOW_UP_INTERVAL_SECONDS: "5",
      // Short enough for quick hand-overs, long enough that renewals on a database this busy answer in time.
      LEASE_SECONDS: "6",
      MAX_REPORTS_PER_DAY: "5",
    };
    const ports = [await freePort(), await freePort()];
    const envs = ports.map((port) => ({
      ...freshDataDir().env,
      ...shared,
      ...webhookEnv({ port, path: "/telegram", secret: SECRET }),
    }));

    // Ten offices with their own staff group, and the desks escalations go to.
    const groups = new Map<string, number>();
    for (const province of DRILL_PROVINCES) {
      for (const victim of ["girl", "man"] as const)
        groups.set(officeFor(province.code, victim), FIRST_GROUP - groups.size);
    }
    for (const desk of ["NATIONAL", "SAPA129"]) groups.set(desk, FIRST_GROUP - groups.size);
    await sendCardsToGroups(envs[0] as Record<string, string>, groups);

    const bots: RunningBot[] = [];
    for (const env of envs) {
      const bot = await startDrillBot(env);
      bots.push(bot);
      cleanups.push(() => bot.stop());
    }
    const everyRun = [...bots];
    fake.forwardTo(
      ports.map((port) => `http://127.0.0.1:${port}/telegram`),
      SECRET,
    );

    const deadline = Date.now() + 15 * 60_000;
    const crowd = driveManyReports(
      CASES,
      { firstChat: FIRST_CHAT, staggerMs: STAGGER_MS, story: (i) => `Latihan ${i}: kerabat kami dipaksa bekerja.` },
      { fake, patienceMs: 60_000, deadline },
    );

    // A rolling restart halfway: the first instance stops (its leases go to the other) and comes back.
    await until(() => crowd.confirmed() >= CASES / 2, 12 * 60_000, `${CASES / 2} confirmations`, 20);
    const restartSecond = secondsSince(started);
    const exitOnRestart = await stopNodeGracefully(bots[0] as RunningBot);
    await new Promise((r) => setTimeout(r, 2000));
    bots[0] = await startDrillBot(envs[0] as Record<string, string>);
    const restarted = bots[0];
    everyRun.push(restarted);
    cleanups.push(() => restarted.stop());

    const reports = await crowd.reports;
    const reportsDoneSecond = secondsSince(started);
    const ackFollowUps = () =>
      query<{ kind: string; status: string; n: string }>(
        databaseUrl,
        `SELECT kind, status, count(*) AS n FROM follow_ups WHERE kind IN ('ACK_REMINDER','ACK_ESCALATION') GROUP BY kind, status`,
      );
    const done = async (kind: string) =>
      (await ackFollowUps())
        .filter((r) => r.kind === kind && r.status === "DONE")
        .reduce((sum, r) => sum + Number(r.n), 0);
    await until(async () => (await done("ACK_ESCALATION")) >= CASES, 8 * 60_000, "every escalation", 1000);
    const escalationsDoneSecond = secondsSince(started);
    // Unaccepted cases escalate again every minute at this deadline, so the outbox never rests:
    // both instances stop here (no crash: nothing may have gone out twice so far)...
    const exitCodes = [];
    for (const bot of bots) exitCodes.push(await stopNodeGracefully(bot));
    const sentAtStop = await sentRowCount(databaseUrl);
    const acceptedAtStop = fake.sent.length;
    // ...and one comes back with the default day-long deadline to send what is left, creating no new chain.
    const drainer = await startDrillBot({
      ...(envs[1] as Record<string, string>),
      ACK_DEADLINE_NORMAL_MINUTES: "1440",
    });
    everyRun.push(drainer);
    cleanups.push(() => drainer.stop());
    const pending = async () =>
      Number(
        (
          await query<{ n: string }>(databaseUrl, "SELECT count(*) AS n FROM outbox_messages WHERE status = 'PENDING'")
        )[0]?.n,
      );
    await until(async () => (await pending()) === 0, 5 * 60_000, "an empty outbox", 500);
    // Follow-ups already planned may still fall due: empty for a follow-up interval and more.
    await new Promise((r) => setTimeout(r, 7000));
    await until(async () => (await pending()) === 0, 5 * 60_000, "an empty outbox after the last follow-ups", 500);
    exitCodes.push(await stopNodeGracefully(drainer));

    const outbox = await query<{ status: string; n: string }>(
      databaseUrl,
      "SELECT status, count(*) AS n FROM outbox_messages WHERE channel = 'tg' GROUP BY status",
    );
    const sentRows = Number(outbox.find((r) => r.status === "SENT")?.n ?? 0);
    const pendingRows = Number(outbox.find((r) => r.status === "PENDING")?.n ?? 0);
    const cases = Number((await query<{ n: string }>(databaseUrl, "SELECT count(*) AS n FROM cases"))[0]?.n);
    const followUps = await ackFollowUps();
    const crashLines = everyRun.flatMap((b) => b.stderr().split("\n")).filter((line) => CRASH_SIGNS.test(line));
    const cardsDelivered = fake.sent.filter((m) => m.chatId < 0 && m.text.includes("Laporan baru masuk")).length;
    const leaseMoves = everyRun.flatMap(
      (b) => b.stderr().match(/"event":"lease.taken","lease":"dispatch:telegram"/g) ?? [],
    );
    const figures = {
      cases,
      reportsConfirmed: reports.length,
      distinctReferences: new Set(reports.map((r) => r.reference)).size,
      messagesAccepted: fake.sent.length,
      outboxRowsSent: sentRows,
      outboxRowsPending: pendingRows,
      sentTwice: fake.sent.length - sentRows,
      sameTextToSameChatTwice: repeatedTexts(fake),
      cardsDelivered,
      followUps: Object.fromEntries(followUps.map((r) => [`${r.kind}:${r.status}`, Number(r.n)])),
      sendingLeaseTaken: leaseMoves.length,
      webhookRetries: fake.webhookRetries,
      violations: fake.violations,
      restartAtSecond: restartSecond,
      reportsDoneSecond,
      escalationsDoneSecond,
      acceptedAtStop,
      outboxRowsSentAtStop: sentAtStop,
      exitCodes: [exitOnRestart, ...exitCodes],
      crashLines: crashLines.length,
      shutdownMs: everyRun.flatMap((b) =>
        [...b.stderr().matchAll(/"event":"shutdown.done","ms":(\d+)/g)].map((m) => Number(m[1])),
      ),
      errorEvents: everyRun.map((b) => troubleIn(b.stderr()).errorEvents),
      // Logs carry event names and ids only, so a sample is safe to print; operator alerts are expected under this load.
      errorSamples: everyRun
        .flatMap((b) => b.stderr().split("\n"))
        .filter((line) => /"level":(5|6)0/.test(line) && !line.includes('"event":"operator.alert"'))
        .slice(0, 3)
        .map((line) => line.slice(0, 400)),
      seconds: secondsSince(started),
    };
    printFigures("two-instances-postgres", figures);

    expect(cases).toBe(CASES);
    expect(figures.distinctReferences).toBe(CASES);
    expect(cardsDelivered).toBe(CASES);
    expect(await done("ACK_REMINDER")).toBeGreaterThanOrEqual(CASES);
    expect(await done("ACK_ESCALATION")).toBeGreaterThanOrEqual(CASES);
    expect(pendingRows).toBe(0);
    // Every message sent once: one accepted send per row marked sent, none more (with both running, and in all).
    expect(acceptedAtStop).toBe(sentAtStop);
    expect(fake.sent.length).toBe(sentRows);
    expect(figures.violations).toEqual({ overall: 0, perChat: 0, perGroup: 0, beforeRetryAfter: 0 });
    expect(crashLines).toEqual([]);
    expect(figures.errorSamples).toEqual([]);
    // The sending lease was taken at start and again by the other instance at the rolling restart.
    expect(figures.sendingLeaseTaken).toBeGreaterThanOrEqual(2);
    expect(figures.exitCodes).toEqual([0, 0, 0, 0]);
    expect(figures.shutdownMs, "every run shut down cleanly").toHaveLength(everyRun.length);
    for (const ms of figures.shutdownMs) expect(ms, "shutdown within 10 s of SIGTERM").toBeLessThan(10_000);
  });
});
