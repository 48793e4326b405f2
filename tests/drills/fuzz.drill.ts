/**
 * Drill: 12,000 fuzzed webhook requests to a running `npm start` (random shapes, text over
 * 4,096 characters, unknown update types, bad callback data, missing fields, huge numbers,
 * wrong types, bodies that are not JSON). The bot must not crash, no rejection or exception
 * may reach the top of the process, its memory must stay flat (RSS at the end, and at every
 * thousand requests after the warm-up, within 20 % of RSS after a warm-up of 4,000; the heap is
 * capped at 192 MB so that the collector's lag does not pass for a leak), and at the end it
 * still answers a normal message.
 */
import { afterAll, describe, expect, it } from "vitest";
import { FakeTelegramServer } from "../support/fake-telegram-server.ts";
import { freshDataDir } from "../support/run-command.ts";
import {
  botNodePid,
  CRASH_SIGNS,
  freePort,
  isAlive,
  type RunningBot,
  rssKb,
  startDrillBot,
  stopNodeGracefully,
  troubleIn,
} from "./support/bot-process.ts";
import { keepLog, printFigures, secondsSince } from "./support/figures.ts";
import { UpdateFuzzer } from "./support/fuzz-updates.ts";
import {
  drillSeed,
  postToWebhook,
  seededRandom,
  textUpdate,
  type WebhookTarget,
  webhookEnv,
} from "./support/webhook.ts";

/** At least the 10,000 the issue asks for, measured after the warm-up. */
const REQUESTS = 12_000;
/**
 * The bot's heap settles into its working size once, with a step of about 40 MB somewhere
 * between 2,000 and 4,000 requests (seen in every run); a leak is growth after that.
 */
const WARM_UP = 4000;
const CONNECTIONS = 16;
/** Replies to the fuzzed chats go out 20× faster than on Telegram, so the final message is not stuck behind them. */
const LIMITS_SCALE = 20;
const RSS_GROWTH_ALLOWED = 0.2;
/**
 * The bot's JavaScript heap is capped (it needs about half): with no cap V8 grows the heap
 * lazily and RSS swings by 40 % whether or not anything leaks; with one the collector keeps
 * pace, and a leak shows as growth and ends in a heap-out-of-memory crash.
 */
const HEAP_CAP_MB = 192;

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

describe("12,000 fuzzed updates", () => {
  it("crash nothing, leak nothing, and leave the bot answering", { timeout: 15 * 60_000 }, async () => {
    const started = Date.now();
    const seed = drillSeed();
    const fake = await new FakeTelegramServer().scaleLimits(LIMITS_SCALE).start();
    cleanups.push(() => fake.stop());
    const { env: dataEnv } = freshDataDir();
    const target: WebhookTarget = { port: await freePort(), path: "/telegram", secret: "drill-fuzz-secret-0123456" };
    const bot: RunningBot = await startDrillBot({
      ...dataEnv,
      ...webhookEnv(target),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_LIMITS_SCALE: String(LIMITS_SCALE),
      NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB}`,
    });
    cleanups.push(() => bot.stop());
    const pid = botNodePid(bot);
    const rssAtStart = rssKb(pid);

    const fuzzer = new UpdateFuzzer(seededRandom(seed), (chatId) => fake.messagesTo(chatId).at(-1));
    const statuses: Record<string, Record<string, number>> = {};
    const rssUnderLoad: number[] = [];
    let posted = 0;
    const fuzz = async (upTo: number) => {
      const worker = async () => {
        // A dead bot ends the fuzz; the checks below then say why.
        while (posted < upTo && isAlive(pid)) {
          const request = fuzzer.next();
          posted++;
          if (posted % 1000 === 0) rssUnderLoad.push(rssKb(pid));
          const status = await postToWebhook(target, request.body, { contentType: request.contentType });
          const byKind = statuses[request.kind] ?? {};
          byKind[String(status)] = (byKind[String(status)] ?? 0) + 1;
          statuses[request.kind] = byKind;
        }
      };
      await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    };
    await fuzz(WARM_UP);
    const rssAfterWarmUp = rssKb(pid);
    await fuzz(REQUESTS);
    const fuzzSeconds = secondsSince(started);

    // A person writes normally: the bot must still greet them (behind whatever replies are queued).
    const normalChat = 990_000_001;
    const normalStatus = await postToWebhook(target, JSON.stringify(textUpdate(9_000_000, normalChat, "halo")));
    const greeting = await fake.nextMessage(
      normalChat,
      (m) => m.text.includes("Halo, terima kasih sudah menghubungi kami"),
      0,
      4 * 60_000,
    );
    const rssAtEnd = isAlive(pid) ? rssKb(pid) : 0;
    const rssPeak = Math.max(rssAtEnd, ...rssUnderLoad.slice(WARM_UP / 1000));
    const aliveAtEnd = isAlive(pid);
    const exitCode = aliveAtEnd ? await stopNodeGracefully(bot) : bot.child.exitCode;
    const stderr = bot.stderr();
    const crashLines = stderr.split("\n").filter((line) => CRASH_SIGNS.test(line));
    const trouble = troubleIn(stderr);

    keepLog("fuzz", stderr);
    printFigures("fuzz", {
      seed,
      requests: posted,
      responsesByKind: statuses,
      rssKbAtStart: rssAtStart,
      rssKbAfterWarmUp: rssAfterWarmUp,
      rssKbAtEnd: rssAtEnd,
      rssGrowth: Math.round((rssAtEnd / rssAfterWarmUp - 1) * 1000) / 1000,
      rssKbEvery1000: rssUnderLoad,
      rssPeakAfterWarmUpKb: rssPeak,
      heapCapMb: HEAP_CAP_MB,
      repliesSent: fake.sent.length,
      aliveAtEnd,
      normalMessageAnswered: greeting !== null,
      crashLines: crashLines.length,
      errorLogsByEvent: trouble.errorEvents,
      nonJsonStderrLines: trouble.otherLines.length,
      exitCode,
      fuzzSeconds,
      seconds: secondsSince(started),
    });

    expect(crashLines, "no crash").toEqual([]);
    expect(aliveAtEnd).toBe(true);
    expect(posted).toBe(REQUESTS);
    expect(normalStatus).toBe(200);
    expect(greeting, "the bot still answers a normal message").not.toBeNull();
    expect(trouble.otherLines.filter((line) => CRASH_SIGNS.test(line) || /^\s+at /.test(line))).toEqual([]);
    expect(rssAfterWarmUp).toBeGreaterThan(0);
    expect(rssAtEnd).toBeLessThanOrEqual(rssAfterWarmUp * (1 + RSS_GROWTH_ALLOWED));
    expect(rssPeak, "flat all along, not only at the end").toBeLessThanOrEqual(
      rssAfterWarmUp * (1 + RSS_GROWTH_ALLOWED),
    );
    expect(exitCode, "a clean shutdown after the fuzz").toBe(0);
  });
});
