/**
 * Telegram figures from one run against the fake Bot API on 127.0.0.1: updates per second
 * through the real bot (grammY runner -> conversation service -> SQLite, replies queued)
 * against a bare grammY echo bot on the same fake server, and the outbox dispatcher's
 * sustained send rate to many chats against the 30 messages/s limit.
 */
import path from "node:path";
import { run } from "@grammyjs/runner";
import { Api, Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { FakeTelegramServer } from "../../tests/support/fake-telegram-server.ts";
import { createApp } from "../app.ts";
import { createTelegramBot } from "../channels/telegram/telegram-bot.ts";
import { TelegramSender } from "../channels/telegram/telegram-sender.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../logging/logger.ts";
import { OutboxDispatcher } from "../outbox/dispatcher.ts";
import { ephemeralKeyRing } from "../security/key-ring.ts";
import { systemClock } from "../services/clock.ts";

/** One benchmark figure. */
export interface TelegramFigure {
  value: number;
  unit: string;
}

const BOT_INFO = {
  id: 1,
  is_bot: true,
  first_name: "Bot",
  username: "tppo_bench_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

const LINES = ["halo", "lapor", "tidak", "2", "1"];

function pushUpdates(fake: FakeTelegramServer, users: number): number {
  let count = 0;
  for (const line of LINES) {
    for (let u = 0; u < users; u++) {
      fake.userText(900_000 + u, line);
      count++;
    }
  }
  return count;
}

async function until(probe: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) throw new Error("telegram benchmark timed out");
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Updates per second through the real bot: each one handled and committed with its replies in the outbox. */
async function realBotUpdatesPerSecond(dir: string, users: number): Promise<number> {
  const fake = await new FakeTelegramServer().start();
  const config = { ...loadConfig({ DATA_DIR: dir }), databasePath: path.join(dir, "telegram.db") };
  const app = await createApp(config, createLogger("silent"), { keys: ephemeralKeyRing() });
  let handled = 0;
  const bot = createTelegramBot({
    token: fake.token,
    apiRoot: fake.apiRoot,
    conversation: app.conversation,
    attachments: app.attachments,
    identities: app.identities,
    clock: systemClock,
    logger: app.logger,
    maxAttachmentBytes: config.maxAttachmentBytes,
    botInfo: BOT_INFO,
    onHandled: () => {
      handled++;
    },
  });
  const runner = run(bot, { runner: { fetch: { timeout: 1 } } });
  try {
    const total = pushUpdates(fake, users);
    const started = performance.now();
    await until(() => handled >= total, 120_000);
    return total / ((performance.now() - started) / 1000);
  } finally {
    await runner.stop();
    await app.close();
    await fake.stop();
  }
}

/** Updates per second through a bare grammY echo bot on the same fake server. */
async function echoBotUpdatesPerSecond(users: number): Promise<number> {
  const fake = await new FakeTelegramServer().start();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot }, botInfo: BOT_INFO });
  let handled = 0;
  bot.on("message:text", async (ctx) => {
    await ctx.reply(ctx.message.text);
    handled++;
  });
  const runner = run(bot, { runner: { fetch: { timeout: 1 } } });
  try {
    const total = pushUpdates(fake, users);
    const started = performance.now();
    await until(() => handled >= total, 120_000);
    return total / ((performance.now() - started) / 1000);
  } finally {
    await runner.stop();
    await fake.stop();
  }
}

/** The dispatcher's sustained send rate to many chats, and the limit violations the fake measured. */
async function dispatchRate(dir: string, messages: number): Promise<{ perSecond: number; violations: number }> {
  const fake = await new FakeTelegramServer().start();
  const config = { ...loadConfig({ DATA_DIR: dir }), databasePath: path.join(dir, "dispatch.db") };
  const app = await createApp(config, createLogger("silent"), { keys: ephemeralKeyRing() });
  const prisma = app.database.prisma;
  const writes = [];
  for (let i = 0; i < messages; i++) {
    const identity = await app.identities.resolve(`tg:${800_000 + i}`, new Date());
    writes.push(app.outbox.enqueueWrite(identity.id, "tg", [{ text: `Pesan ${i}` }], new Date())(prisma));
  }
  await prisma.$transaction(writes);
  const dispatcher = new OutboxDispatcher({
    outbox: app.outbox,
    identities: app.identities,
    sender: new TelegramSender(new Api(fake.token, { apiRoot: fake.apiRoot })),
    clock: systemClock,
    logger: app.logger,
    idleMs: 20,
  });
  try {
    const started = performance.now();
    dispatcher.start();
    await until(() => fake.sent.length >= messages, 120_000);
    const elapsed = (performance.now() - started) / 1000;
    // The first second is a burst up to the limit; the rate is measured over the whole run.
    const v = fake.violations;
    return { perSecond: messages / elapsed, violations: v.overall + v.perChat + v.perGroup + v.beforeRetryAfter };
  } finally {
    await dispatcher.stop();
    await app.close();
    await fake.stop();
  }
}

/** Runs the Telegram figures; `users` chats send a few messages each, `messages` go out through the dispatcher. */
export async function benchTelegram(
  dir: string,
  options: { users?: number; messages?: number } = {},
): Promise<Record<string, TelegramFigure>> {
  const users = options.users ?? 60;
  const bot = await realBotUpdatesPerSecond(dir, users);
  const echo = await echoBotUpdatesPerSecond(users);
  const dispatch = await dispatchRate(dir, options.messages ?? 300);
  return {
    telegram_updates_per_s: { value: Math.round(bot), unit: "updates/s" },
    telegram_echo_updates_per_s: { value: Math.round(echo), unit: "updates/s" },
    telegram_ratio: { value: Number((bot / echo).toFixed(4)), unit: "ratio" },
    dispatch_msgs_per_s: { value: Number(dispatch.perSecond.toFixed(2)), unit: "msgs/s (limit 30)" },
    dispatch_limit_violations: { value: dispatch.violations, unit: "violations" },
  };
}
