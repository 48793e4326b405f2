import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { ChannelAddress } from "./channels/types.ts";
import type { AttachmentLimits } from "./db/attachment-store.ts";
import { DEFAULT_FOLLOW_UP_POLICY, type FollowUpPolicy } from "./domain/follow-up.ts";

/** Thrown when the environment is invalid; the message names each variable and what it expects. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const blankAsUnset = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(blankAsUnset, z.string().optional());
const wholeNumber = (min: number, max: number, fallback: number) =>
  z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: `a whole number from ${min} to ${max}` })
      .int({ error: `a whole number from ${min} to ${max}` })
      .min(min, { error: `a whole number from ${min} to ${max}` })
      .max(max, { error: `a whole number from ${min} to ${max}` })
      .default(fallback),
  );

/** A port to listen on; 0 picks a free one. */
const listenPort = z.coerce
  .number({ error: "a port number from 1 to 65535 (0 picks a free one)" })
  .int({ error: "a port number from 1 to 65535 (0 picks a free one)" })
  .min(0, { error: "a port number from 1 to 65535 (0 picks a free one)" })
  .max(65_535, { error: "a port number from 1 to 65535 (0 picks a free one)" });

const flag = z.preprocess(
  (value) => (typeof value === "string" ? blankAsUnset(value.trim().toLowerCase()) : value),
  z
    .enum(["true", "false"], { error: '"true" or "false"' })
    .default("false")
    .transform((v) => v === "true"),
);

/** Every environment variable the bot reads, with its check and default; exported so a test keeps .env.example whole. */
export const EnvSchema = z.object({
  LOG_LEVEL: z.preprocess(
    blankAsUnset,
    z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "one of fatal, error, warn, info, debug, trace, silent",
      })
      .default("info"),
  ),
  DATA_DIR: z.preprocess(blankAsUnset, z.string().default("./data")),
  DATABASE_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^(file:.+|postgres(ql)?:\/\/.+)/, {
        error:
          'a "file:" URL such as file:./data/bot.db (SQLite), or a "postgresql://" (or "postgres://") URL such as postgresql://bot:secret@db.example:5432/bot (PostgreSQL)',
      })
      .optional(),
  ),
  DATA_KEYS: optionalString,
  HMAC_KEY: optionalString,
  HMAC_KEYS: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[^:,]+:[^,]+(,[^:,]+:[^,]+)*$/, {
        error: '"keyId:base64key" entries separated by commas, the current first (such as h2:...,h1:...)',
      })
      .optional(),
  ),
  KEY_FILE: optionalString,
  DEFAULT_LANGUAGE: z.preprocess(blankAsUnset, z.enum(["id", "en"], { error: '"id" or "en"' }).default("id")),
  MAX_REPORTS_PER_DAY: wholeNumber(1, 1000, 5),
  MAX_RELAYS_PER_DAY: wholeNumber(1, 10_000, 20),
  MAX_MESSAGES_PER_MINUTE: wholeNumber(5, 1000, 20),
  CONVERSATION_TTL_MINUTES: wholeNumber(5, 60 * 24 * 30, 24 * 60),
  TELEGRAM_BOT_TOKEN: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, { error: "a bot token from @BotFather, such as 123456789:AAE..." })
      .optional(),
  ),
  TELEGRAM_API_ROOT: z.preprocess(
    blankAsUnset,
    z
      .url({ protocol: /^https?$/, error: "an http(s) URL such as https://api.telegram.org" })
      .default("https://api.telegram.org"),
  ),
  TELEGRAM_WEBHOOK_URL: z.preprocess(
    blankAsUnset,
    z.url({ protocol: /^https?$/, error: "the public https URL Telegram posts updates to" }).optional(),
  ),
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, { error: "16 to 256 letters, digits, _ or -" })
      .optional(),
  ),
  TELEGRAM_LIMITS_SCALE: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ error: "a positive number up to 1000" })
      .positive({ error: "a positive number up to 1000" })
      .max(1000, { error: "a positive number up to 1000" })
      .default(1),
  ),
  HOST: z.preprocess(blankAsUnset, z.string().default("0.0.0.0")),
  PORT: wholeNumber(1, 65_535, 8080),
  ATTACHMENT_MAX_BYTES: wholeNumber(1024, 50 * 1024 * 1024, 10 * 1024 * 1024),
  ATTACHMENTS_PER_DAY: wholeNumber(1, 1000, 20),
  ATTACHMENT_BYTES_PER_DAY: wholeNumber(1024, 10 * 1024 * 1024 * 1024, 100 * 1024 * 1024),
  ATTACHMENT_STORAGE_MAX_BYTES: wholeNumber(1024 * 1024, 10 * 1024 ** 4, 5 * 1024 ** 3),
  WHATSAPP_ENABLED: flag,
  WHATSAPP_PAIRING_NUMBER: z.preprocess(
    (value) => (typeof value === "string" ? blankAsUnset(value.replace(/[\s-]/g, "").replace(/^\+/, "")) : value),
    z
      .string()
      .regex(/^[1-9]\d{7,14}$/, {
        error: "the bot's phone number in digits with the country code, such as 6281234567890 (no leading 0)",
      })
      .optional(),
  ),
  WHATSAPP_MAX_PER_MINUTE: wholeNumber(1, 600, 20),
  WHATSAPP_CHAT_INTERVAL_MS: wholeNumber(0, 600_000, 3000),
  WHATSAPP_GROUP_PER_MINUTE: wholeNumber(1, 60, 10),
  WHATSAPP_TYPING_MS: wholeNumber(0, 10_000, 1000),
  WHATSAPP_LIST_GROUPS: flag,
  WHATSAPP_WEB_SOCKET_URL: z.preprocess(
    blankAsUnset,
    z.url({ protocol: /^wss?$/, error: "a ws(s) URL such as wss://web.whatsapp.com/ws/chat" }).optional(),
  ),
  ACK_DEADLINE_URGENT_MINUTES: wholeNumber(1, 24 * 60, 30),
  ACK_DEADLINE_NORMAL_MINUTES: wholeNumber(1, 14 * 24 * 60, 24 * 60),
  QUIET_HOURS: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^([01]?\d|2[0-3])(:00)?-([01]?\d|2[0-3])(:00)?$/, { error: 'two whole hours such as "21:00-07:00"' })
      .default("21:00-07:00"),
  ),
  RETENTION_DAYS: wholeNumber(30, 36_500, 365),
  FOLLOW_UP_INTERVAL_SECONDS: wholeNumber(5, 3600, 60),
  LEASE_SECONDS: wholeNumber(2, 600, 15),
  INSTANCE_ID: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,100}$/, { error: "1 to 100 letters, digits, '.', '_', ':' or '-'" })
      .optional(),
  ),
  HEALTH_PORT: z.preprocess(blankAsUnset, listenPort.optional()),
  ADMIN_ALERT_CHAT: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^(tg|wa):\S+$/, { error: "a chat address such as tg:-1001234567890 or wa:1203...@g.us" })
      .optional(),
  ),
  ALERT_BACKLOG: wholeNumber(1, 10_000_000, 1000),
  ALERT_OLDEST_UNSENT_MINUTES: wholeNumber(1, 7 * 24 * 60, 15),
  ALERT_DISPATCH_FAILURES: wholeNumber(1, 100_000, 20),
  ALERT_REPEAT_MINUTES: wholeNumber(1, 7 * 24 * 60, 60),
  HEALTH_CHECK_SECONDS: wholeNumber(1, 3600, 30),
  WEB_ENABLED: z.preprocess(
    (value) => (typeof value === "string" ? blankAsUnset(value.trim().toLowerCase()) : value),
    z.enum(["true", "false"], { error: '"true" or "false"' }).optional(),
  ),
  WEB_HOST: z.preprocess(blankAsUnset, z.string().default("127.0.0.1")),
  WEB_PORT: z.preprocess(blankAsUnset, listenPort.default(8081)),
  WEB_BASE_URL: z.preprocess(
    blankAsUnset,
    z
      .url({ protocol: /^https?$/, error: "the inbox's address as staff open it, such as https://inbox.example.org" })
      .optional(),
  ),
  TRAINING_DATA_DIR: optionalString,
  TRAINING_WEB_PORT: z.preprocess(blankAsUnset, listenPort.default(8082)),
  TRAINING_BASE_URL: z.preprocess(
    blankAsUnset,
    z
      .url({
        protocol: /^https?$/,
        error: "the training inbox's address as staff open it, such as https://latihan.example.org",
      })
      .optional(),
  ),
  SQLITE_SYNCHRONOUS: z.preprocess(
    blankAsUnset,
    z.enum(["NORMAL", "FULL"], { error: '"NORMAL" or "FULL"' }).default("NORMAL"),
  ),
});

/** Where the encryption and HMAC keys come from. */
export type KeySource =
  | {
      kind: "environment";
      dataKeys: string;
      /** HMAC_KEYS ("h2:base64,h1:base64", the first current) or HMAC_KEY (one bare key, the key "h1"). */
      hmacKeys: string;
    }
  | { kind: "key-file"; path: string }
  | { kind: "embedded"; dataDir: string };

/** Telegram settings: long polling unless a webhook URL is configured. */
export interface TelegramConfig {
  token: string;
  apiRoot: string;
  webhook: { url: string; secret: string; host: string; port: number } | null;
  /** Multiplies the send limits (drills against a fake Bot API only); absent or 1 in production. */
  limitsScale?: number;
}

/** WhatsApp settings (Baileys): how to pair, and how fast to send. */
export interface WhatsAppConfig {
  /** The bot's number (digits with country code) to pair by code; null pairs by QR code. */
  pairingNumber: string | null;
  /** Messages a minute across all chats. */
  maxPerMinute: number;
  /** Minimum milliseconds between two messages to one private chat. */
  chatIntervalMs: number;
  /** Messages a minute to one group. */
  groupPerMinute: number;
  /** How long "typing…" shows before each message. */
  typingMs: number;
  /** Print the groups the number is in (their addresses, for office destinations) once connected. */
  listGroups: boolean;
  /** Where the socket connects instead of WhatsApp Web (a proxy, or a local server in tests); null: WhatsApp. */
  webSocketUrl: string | null;
}

/** The bot's settings, parsed once from the environment at start. */
export interface AppConfig {
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  dataDir: string;
  /** Absolute path of the SQLite database file; unused when postgresUrl is set. */
  databasePath: string;
  /** The PostgreSQL URL when DATABASE_URL names one; null: the embedded SQLite file. */
  postgresUrl: string | null;
  keys: KeySource;
  defaultLanguage: "id" | "en";
  maxReportsPerDay: number;
  maxRelaysPerDay: number;
  /** Messages one private chat may send in a minute outside a report before the rest are set aside. */
  maxMessagesPerMinute: number;
  conversationTtlMs: number;
  sqliteSynchronous: "NORMAL" | "FULL";
  telegram: TelegramConfig | null;
  /** Null unless WHATSAPP_ENABLED=true. */
  whatsapp: WhatsAppConfig | null;
  maxAttachmentBytes: number;
  /** Files one chat may send in 24 hours, their total size, and the cap on all stored files together. */
  attachmentLimits: AttachmentLimits;
  /** Reminder, escalation and check-in timings (DESIGN §2 Follow-up). */
  followUps: FollowUpPolicy;
  followUpIntervalMs: number;
  /** Closed cases lose narratives, identities and attachments after this many days. */
  retentionDays: number;
  /** How long a lease (a channel's sending, the WhatsApp socket) lasts unrenewed: a dead holder's standby takes over after this. */
  leaseMs: number;
  /**
   * Names this process in leases and claims. A process that restarts under the same name takes
   * its own leases back at once. Default: the host name on SQLite (one machine serves it), a
   * random one per process on PostgreSQL (several may share a host).
   */
  instanceId: string | null;
  /** A port for a server with only GET /healthz; null: only the webhook server serves it. */
  healthPort: number | null;
  /** When and where operators are told that something needs a person. */
  alerts: AlertConfig;
  /** The staff web inbox; null when it is off. */
  web: WebConfig | null;
  /** Where `npm run training` keeps its databases and serves its inbox. */
  training: TrainingSettings;
}

/** The training mode's own place: a directory of its own databases, and its inbox's port and address. */
export interface TrainingSettings {
  /** Absolute; never the real database's file. */
  dataDir: string;
  /** 0 picks a free port (tests). */
  webPort: number;
  /** The training inbox's address as staff open it; null: http://host:port as bound. */
  baseUrl: string | null;
}

/** Where the staff web inbox listens, and the address its login links carry. */
export interface WebConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The address staff open, without a trailing slash; null: http://host:port as bound. */
  baseUrl: string | null;
  /** WEB_ENABLED=true was set: a port that cannot be taken stops the start (otherwise a warning). */
  required: boolean;
  /** The training mode's inbox (`npm run training`): its banner on every page, its own cookies. */
  training?: boolean;
}

/** Operator alert settings (DESIGN §6). */
export interface AlertConfig {
  /** The admin chat alerts go to (tg:... or wa:...); null: alerts are only logged. */
  adminChat: ChannelAddress | null;
  /** Pending outbox messages above this raise an alert. */
  backlog: number;
  /** The oldest unsent message older than this raises an alert. */
  oldestUnsentMs: number;
  /** Failed sends in a row on one channel that raise an alert. */
  dispatcherFailures: number;
  /** One alert of a kind at most this often. */
  repeatMs: number;
  /** How often the health checks run. */
  checkIntervalMs: number;
}

/** Turns a file: URL (relative or absolute) into an absolute path. */
export function databasePathFromUrl(url: string): string {
  const withoutQuery = url.replace(/\?.*$/, "");
  if (withoutQuery.startsWith("file://")) return fileURLToPath(withoutQuery);
  return path.resolve(withoutQuery.slice("file:".length));
}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: expected ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  let keys: KeySource;
  if (e.DATA_KEYS || e.HMAC_KEY || e.HMAC_KEYS) {
    if (e.HMAC_KEY && e.HMAC_KEYS) {
      throw new ConfigError(
        'Invalid configuration:\n  HMAC_KEY and HMAC_KEYS: expected one of them (HMAC_KEY is the single key "h1"; list it in HMAC_KEYS as h1:...)',
      );
    }
    const hmacKeys = e.HMAC_KEYS ?? e.HMAC_KEY;
    if (!e.DATA_KEYS || !hmacKeys) {
      throw new ConfigError(
        "Invalid configuration:\n  DATA_KEYS and HMAC_KEY (or HMAC_KEYS): expected both to be set, or neither",
      );
    }
    keys = { kind: "environment", dataKeys: e.DATA_KEYS, hmacKeys };
  } else if (e.KEY_FILE) {
    keys = { kind: "key-file", path: path.resolve(e.KEY_FILE) };
  } else {
    keys = { kind: "embedded", dataDir };
  }
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError(
      "Invalid configuration:\n  TELEGRAM_WEBHOOK_SECRET: expected a secret (16 to 256 letters, digits, _ or -) whenever TELEGRAM_WEBHOOK_URL is set",
    );
  }
  const telegram: TelegramConfig | null = e.TELEGRAM_BOT_TOKEN
    ? {
        token: e.TELEGRAM_BOT_TOKEN,
        apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
        webhook:
          e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET
            ? { url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET, host: e.HOST, port: e.PORT }
            : null,
        limitsScale: e.TELEGRAM_LIMITS_SCALE,
      }
    : null;
  return {
    logLevel: e.LOG_LEVEL,
    dataDir,
    databasePath:
      e.DATABASE_URL?.startsWith("file:") === true ? databasePathFromUrl(e.DATABASE_URL) : path.join(dataDir, "bot.db"),
    postgresUrl: e.DATABASE_URL && !e.DATABASE_URL.startsWith("file:") ? e.DATABASE_URL : null,
    keys,
    defaultLanguage: e.DEFAULT_LANGUAGE,
    maxReportsPerDay: e.MAX_REPORTS_PER_DAY,
    maxRelaysPerDay: e.MAX_RELAYS_PER_DAY,
    maxMessagesPerMinute: e.MAX_MESSAGES_PER_MINUTE,
    conversationTtlMs: e.CONVERSATION_TTL_MINUTES * 60_000,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    telegram,
    whatsapp: e.WHATSAPP_ENABLED
      ? {
          pairingNumber: e.WHATSAPP_PAIRING_NUMBER ?? null,
          maxPerMinute: e.WHATSAPP_MAX_PER_MINUTE,
          chatIntervalMs: e.WHATSAPP_CHAT_INTERVAL_MS,
          groupPerMinute: e.WHATSAPP_GROUP_PER_MINUTE,
          typingMs: e.WHATSAPP_TYPING_MS,
          listGroups: e.WHATSAPP_LIST_GROUPS,
          webSocketUrl: e.WHATSAPP_WEB_SOCKET_URL ?? null,
        }
      : null,
    maxAttachmentBytes: e.ATTACHMENT_MAX_BYTES,
    attachmentLimits: {
      perChatPerDay: e.ATTACHMENTS_PER_DAY,
      bytesPerChatPerDay: e.ATTACHMENT_BYTES_PER_DAY,
      storageBytes: e.ATTACHMENT_STORAGE_MAX_BYTES,
    },
    followUps: {
      ...DEFAULT_FOLLOW_UP_POLICY,
      ackDeadlineMs: { URGENT: e.ACK_DEADLINE_URGENT_MINUTES * 60_000, NORMAL: e.ACK_DEADLINE_NORMAL_MINUTES * 60_000 },
      quietHours: parseQuietHours(e.QUIET_HOURS),
    },
    followUpIntervalMs: e.FOLLOW_UP_INTERVAL_SECONDS * 1000,
    retentionDays: e.RETENTION_DAYS,
    leaseMs: e.LEASE_SECONDS * 1000,
    instanceId: e.INSTANCE_ID ?? null,
    healthPort: e.HEALTH_PORT ?? null,
    // On by default where a newcomer runs the simulator (no channel), off otherwise unless asked for.
    web:
      e.WEB_ENABLED === "true" || (e.WEB_ENABLED === undefined && !telegram && !e.WHATSAPP_ENABLED)
        ? {
            host: e.WEB_HOST,
            port: e.WEB_PORT,
            baseUrl: e.WEB_BASE_URL?.replace(/\/+$/, "") ?? null,
            required: e.WEB_ENABLED === "true",
          }
        : null,
    training: {
      dataDir: e.TRAINING_DATA_DIR ? path.resolve(e.TRAINING_DATA_DIR) : path.join(dataDir, "training"),
      webPort: e.TRAINING_WEB_PORT,
      baseUrl: e.TRAINING_BASE_URL?.replace(/\/+$/, "") ?? null,
    },
    alerts: {
      adminChat: (e.ADMIN_ALERT_CHAT as ChannelAddress | undefined) ?? null,
      backlog: e.ALERT_BACKLOG,
      oldestUnsentMs: e.ALERT_OLDEST_UNSENT_MINUTES * 60_000,
      dispatcherFailures: e.ALERT_DISPATCH_FAILURES,
      repeatMs: e.ALERT_REPEAT_MINUTES * 60_000,
      checkIntervalMs: e.HEALTH_CHECK_SECONDS * 1000,
    },
  };
}

/** Reads "21:00-07:00" (or "21-7") as the quiet hours' start and end. */
function parseQuietHours(value: string): { start: number; end: number } {
  const [start = "21", end = "7"] = value.split("-").map((part) => part.replace(":00", ""));
  return { start: Number(start), end: Number(end) };
}
