/** Where the bot's webhook server listens, and the secret Telegram sends with each update. */
export interface WebhookTarget {
  port: number;
  path: string;
  secret: string;
}

/** The environment that puts `npm start` in webhook mode on 127.0.0.1. */
export function webhookEnv(target: WebhookTarget): Record<string, string> {
  return {
    TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${target.port}${target.path}`,
    TELEGRAM_WEBHOOK_SECRET: target.secret,
    HOST: "127.0.0.1",
    PORT: String(target.port),
  };
}

/** POSTs one body to the webhook as Telegram does; the HTTP status, or "network" when the bot could not be reached. */
export async function postToWebhook(
  target: WebhookTarget,
  body: string | Uint8Array,
  options: { contentType?: string; timeoutMs?: number } = {},
): Promise<number | "network"> {
  try {
    const response = await fetch(`http://127.0.0.1:${target.port}${target.path}`, {
      method: "POST",
      body,
      headers: {
        "content-type": options.contentType ?? "application/json",
        "X-Telegram-Bot-Api-Secret-Token": target.secret,
      },
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return "network";
  }
}

/** A private text message from a person, as the Bot API posts it. */
export function textUpdate(updateId: number, chatId: number, text: string, messageId = 1): Record<string, unknown> {
  return {
    update_id: updateId,
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "Drill" },
      from: { id: chatId, is_bot: false, first_name: "Drill", language_code: "id" },
      text,
    },
  };
}

/** A seeded pseudo-random generator (mulberry32), so a drill's shuffle or fuzz can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Fisher–Yates shuffle in place with the given generator. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** The seed a drill uses: DRILL_SEED when set (to replay a run), else a fresh one it prints with its figures. */
export function drillSeed(): number {
  const fromEnv = Number(process.env.DRILL_SEED);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.floor(Math.random() * 2 ** 31) + 1;
}
