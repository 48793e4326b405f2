import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One recorded Bot API call. */
export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
  /** What the fake answered: ok, or the injected error code. */
  status: number;
}

/** A message the bot sent, as the fake stored it. */
export interface SentMessage {
  chatId: number;
  messageId: number;
  text: string;
  buttons: Array<{ text: string; data: string }>;
  at: number;
}

type Update = Record<string, unknown> & { update_id: number };

/** Failures to inject into send-like methods. */
export interface FaultPlan {
  /** Share of sendMessage calls answered with 429 (0..1). */
  rate429: number;
  /** retry_after seconds in those 429s. */
  retryAfterSeconds: number;
  /** When set, each 429 names a whole number of seconds drawn from retryAfterSeconds to this. */
  retryAfterMaxSeconds?: number;
  /** Share of sendMessage calls answered with 500 or 502 (0..1). */
  rate5xx: number;
  /** Until when (ms since epoch) faults are injected. */
  until: number;
  /**
   * Faults go to the first this many send calls under the plan, however long they take: a test on a
   * busy machine then sees the same storm (a wall-clock window may close before the bot has sent).
   */
  sendCalls?: number;
}

/** The limits the real Bot API enforces (DESIGN §6). */
export const TELEGRAM_API_LIMITS = { perSecond: 30, perChatIntervalMs: 1000, perGroupPerMinute: 20 } as const;

const SEND_METHODS = new Set(["sendMessage", "sendPhoto", "sendDocument", "sendLocation"]);

/**
 * A fake Telegram Bot API on 127.0.0.1 for tests and benchmarks: long-polled getUpdates,
 * the send and edit methods, callbacks, deletions, files. It records every call, measures the
 * rate limits the real API enforces (30 msg/s overall, 1/s per chat, 20/min per group), and
 * can inject 429s with retry_after and 5xx errors.
 */
export class FakeTelegramServer {
  readonly calls: RecordedCall[] = [];
  readonly sent: SentMessage[] = [];
  readonly files = new Map<string, Buffer>();
  /** While set, file downloads wait for it (a slow network, a big file). */
  fileDownloadsHeld: Promise<void> | null = null;
  /** The cloud Bot API's getFile refuses files over 20 MB; a test may lower it. */
  getFileCapBytes = 20 * 1024 * 1024;
  /** Sends that broke a limit: overall, per chat or per group (beyond measurementToleranceMs). */
  violations = { overall: 0, perChat: 0, perGroup: 0, beforeRetryAfter: 0 };
  /**
   * How far apart this fake's arrival stamps may be from when the bot sent: both run on one
   * machine, and under load each side's event loop lags by up to tens of milliseconds, so a
   * window is counted as broken only when it is short by more than this. (The dispatcher's own
   * spacing is tested exactly, on a test clock; see tests/integration/dispatcher.test.ts.)
   */
  measurementToleranceMs = 100;
  faults: FaultPlan | null = null;
  readonly #sendsUnderPlan = new WeakMap<FaultPlan, number>();
  /** Chats whose person blocked the bot: sends to them get 403. */
  readonly blockedChats = new Set<number>();
  /** Limits the fake measures; the benchmark and drills may scale them up (see scaleLimits). */
  limits: { perSecond: number; perChatIntervalMs: number; perGroupPerMinute: number } = { ...TELEGRAM_API_LIMITS };
  /** The busiest the traffic got: sends in one second, to one group in a minute, and the shortest gap in a private chat. */
  readonly peaks = { perSecond: 0, perGroupPerMinute: 0, minChatIntervalMs: Number.POSITIVE_INFINITY };
  readonly #server: Server;
  readonly #updates: Update[] = [];
  readonly #waiters = new Set<() => void>();
  readonly #sendTimes: number[] = [];
  readonly #chatTimes = new Map<number, number[]>();
  readonly #retryAfterUntil = new Map<number, number>();
  readonly #sentByChat = new Map<number, SentMessage[]>();
  readonly #sentListeners = new Set<(message: SentMessage) => void>();
  readonly #chatWaiters = new Map<number, Set<(message: SentMessage) => void>>();
  /** Callback queries pushed (button presses), to check each was answered. */
  presses = 0;
  #nextUpdateId = 1000;
  #nextMessageId = new Map<number, number>();
  #confirmedOffset = 0;
  port = 0;
  readonly token: string;
  webhookUrl: string | null = null;

  constructor(token = "123456:TEST-TOKEN") {
    this.token = token;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /**
   * Measures Telegram's limits multiplied by a scale, as TELEGRAM_LIMITS_SCALE does for the bot:
   * more per second and per group, a shorter per-chat interval.
   */
  scaleLimits(scale: number): this {
    this.limits = {
      perSecond: TELEGRAM_API_LIMITS.perSecond * scale,
      perChatIntervalMs: TELEGRAM_API_LIMITS.perChatIntervalMs / scale,
      perGroupPerMinute: TELEGRAM_API_LIMITS.perGroupPerMinute * scale,
    };
    return this;
  }

  /** Calls a listener with every message accepted from now on; returns the function that removes it. */
  onSent(listener: (message: SentMessage) => void): () => void {
    this.#sentListeners.add(listener);
    return () => this.#sentListeners.delete(listener);
  }

  /** Starts listening on a free port of 127.0.0.1. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  /** The apiRoot to give grammY. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.#forward = null;
    for (const wake of this.#waiters) wake();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Queues an update for the bot's next getUpdates, or posts it to a webhook when forwarding. */
  pushUpdate(update: Omit<Update, "update_id">): number {
    const update_id = this.#nextUpdateId++;
    if (this.#forward) {
      void this.#post({ ...update, update_id });
      return update_id;
    }
    this.#updates.push({ ...update, update_id });
    for (const wake of this.#waiters) wake();
    return update_id;
  }

  #forward: { urls: string[]; secret: string; next: number } | null = null;
  /** Webhook posts answered with something other than 200 (then retried on the next URL), for figures. */
  webhookRetries = 0;

  /**
   * Delivers updates by POSTing them to webhooks in turn, as Telegram does to a load balancer in
   * front of several instances: a post that fails or is not answered 200 goes to the next one.
   */
  forwardTo(urls: readonly string[], secret: string): this {
    this.#forward = { urls: [...urls], secret, next: 0 };
    return this;
  }

  async #post(update: Update): Promise<void> {
    const forward = this.#forward;
    if (!forward) return;
    const body = JSON.stringify(update);
    for (let attempt = 0; this.#forward; attempt++) {
      const url = forward.urls[forward.next++ % forward.urls.length] as string;
      try {
        const response = await fetch(url, {
          method: "POST",
          body,
          headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": forward.secret },
          signal: AbortSignal.timeout(30_000),
        });
        await response.arrayBuffer();
        if (response.status === 200) return;
      } catch {
        // Down or restarting: Telegram tries again later; so does this.
      }
      this.webhookRetries++;
      await new Promise((r) => setTimeout(r, Math.min(2000, 50 * (attempt + 1))));
    }
  }

  /** Queues the same update again (a redelivery). */
  redeliver(updateId: number, update: Omit<Update, "update_id">): void {
    this.#updates.push({ ...update, update_id: updateId });
    for (const wake of this.#waiters) wake();
  }

  #chat(chatId: number) {
    return chatId < 0
      ? { id: chatId, type: "supergroup", title: "Staff group" }
      : { id: chatId, type: "private", first_name: "User" };
  }

  #newMessageId(chatId: number): number {
    const next = (this.#nextMessageId.get(chatId) ?? 0) + 1;
    this.#nextMessageId.set(chatId, next);
    return next;
  }

  /** A person writes text (in a private chat unless chatId is negative). */
  userText(userId: number, text: string, options: { chatId?: number; languageCode?: string } = {}): number {
    const chatId = options.chatId ?? userId;
    return this.pushUpdate({
      message: {
        message_id: this.#newMessageId(chatId),
        date: Math.floor(Date.now() / 1000),
        chat: this.#chat(chatId),
        from: { id: userId, is_bot: false, first_name: "User", language_code: options.languageCode ?? "id" },
        text,
        ...(text.startsWith("/")
          ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]?.length ?? 1 }] }
          : {}),
      },
    });
  }

  /** A person shares a location pin. */
  userLocation(userId: number, latitude: number, longitude: number): number {
    return this.pushUpdate({
      message: {
        message_id: this.#newMessageId(userId),
        date: Math.floor(Date.now() / 1000),
        chat: this.#chat(userId),
        from: { id: userId, is_bot: false, first_name: "User", language_code: "id" },
        location: { latitude, longitude },
      },
    });
  }

  /** A person sends a photo whose bytes the fake serves under /file/ (in a private chat unless chatId is negative). */
  userPhoto(userId: number, bytes: Buffer, caption?: string, options: { chatId?: number } = {}): number {
    const fileId = `photo-${this.files.size + 1}`;
    const chatId = options.chatId ?? userId;
    this.files.set(`photos/${fileId}.jpg`, bytes);
    return this.pushUpdate({
      message: {
        message_id: this.#newMessageId(chatId),
        date: Math.floor(Date.now() / 1000),
        chat: this.#chat(chatId),
        from: { id: userId, is_bot: false, first_name: "User", language_code: "id" },
        photo: [{ file_id: fileId, file_unique_id: `u-${fileId}`, width: 10, height: 10, file_size: bytes.length }],
        ...(caption ? { caption } : {}),
      },
    });
  }

  /** A person presses an inline button of a message the bot sent. */
  press(userId: number, message: SentMessage, label: string): number {
    const button = message.buttons.find((b) => b.text === label);
    if (!button)
      throw new Error(
        `no button "${label}" on message ${message.messageId}: ${message.buttons.map((b) => b.text).join(", ")}`,
      );
    this.presses++;
    return this.pushUpdate({
      callback_query: {
        id: `cb-${this.#nextUpdateId}`,
        from: { id: userId, is_bot: false, first_name: "User", language_code: "id" },
        chat_instance: "ci",
        data: button.data,
        message: {
          message_id: message.messageId,
          date: Math.floor(message.at / 1000),
          chat: this.#chat(message.chatId),
          from: { id: 1, is_bot: true, first_name: "Bot" },
          text: message.text,
        },
      },
    });
  }

  /** Messages the bot sent to a chat, oldest first. */
  messagesTo(chatId: number): SentMessage[] {
    return [...(this.#sentByChat.get(chatId) ?? [])];
  }

  /**
   * Waits, without polling, for a message to a chat after the first `after` ones that matches;
   * thousands of chats can wait at once.
   */
  nextMessage(
    chatId: number,
    matches: (message: SentMessage) => boolean,
    after: number,
    timeoutMs: number,
  ): Promise<SentMessage | null> {
    const found = (this.#sentByChat.get(chatId) ?? []).slice(after).find(matches);
    if (found) return Promise.resolve(found);
    const waiters = this.#chatWaiters.get(chatId) ?? new Set<(message: SentMessage) => void>();
    this.#chatWaiters.set(chatId, waiters);
    return new Promise((resolve) => {
      const waiter = (message: SentMessage) => {
        if (!matches(message)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(message);
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        resolve(null);
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  /** The id of the newest update queued so far. */
  get lastUpdateId(): number {
    return this.#nextUpdateId - 1;
  }

  /** True while an update is queued for getUpdates (not yet confirmed by the bot's offset). */
  isQueued(updateId: number): boolean {
    return this.#updates.some((u) => u.update_id === updateId);
  }

  /** Waits until a condition on the recorded traffic holds. */
  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 60_000, what = "condition"): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Waits for the next message to a chat after the ones already seen, containing some text. */
  waitForMessage(chatId: number, contains: string | RegExp, after = 0, timeoutMs = 60_000): Promise<SentMessage> {
    return this.waitFor(
      () =>
        this.messagesTo(chatId)
          .slice(after)
          .find((m) => (typeof contains === "string" ? m.text.includes(contains) : contains.test(m.text))),
      timeoutMs,
      `a message to ${chatId} containing ${String(contains)}`,
    );
  }

  /** How many getUpdates the bot confirmed (its offset). */
  get confirmedOffset(): number {
    return this.#confirmedOffset;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const filePrefix = `/file/bot${this.token}/`;
    if (req.method === "GET" && url.pathname.startsWith(filePrefix)) {
      const file = this.files.get(decodeURIComponent(url.pathname.slice(filePrefix.length)));
      // A slow download: the bytes come once the test lets them.
      if (this.fileDownloadsHeld) await this.fileDownloadsHeld;
      res.writeHead(file ? 200 : 404).end(file ?? "");
      return;
    }
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!match || match[1] !== this.token) {
      this.#reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    const method = match[2] as string;
    // Stamped on arrival, before the body is read: reading it waits on this process's event loop.
    const at = Date.now();
    const params = await this.#params(req, url);
    const injected = this.#fault(method, at, params);
    this.calls.push({ method, params, at, status: injected?.error_code ?? 200 });
    if (injected) {
      this.#reply(res, injected.error_code, injected);
      return;
    }
    if (method === "getUpdates") {
      await this.#getUpdates(res, params);
      return;
    }
    this.#reply(res, 200, { ok: true, result: this.#result(method, params, at) });
  }

  #fault(
    method: string,
    at: number,
    params: Record<string, unknown>,
  ): { ok: false; error_code: number; description: string; parameters?: { retry_after: number } } | null {
    const chatId = Number(params.chat_id);
    if (method === "getFile") return this.#getFileError(String(params.file_id));
    if (SEND_METHODS.has(method) && this.blockedChats.has(chatId)) {
      return { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" };
    }
    const plan = this.faults;
    if (!plan || !SEND_METHODS.has(method) || at > plan.until) return null;
    const sends = (this.#sendsUnderPlan.get(plan) ?? 0) + 1;
    this.#sendsUnderPlan.set(plan, sends);
    if (plan.sendCalls !== undefined && sends > plan.sendCalls) return null;
    const roll = Math.random();
    if (roll < plan.rate429) {
      const spread = Math.max(0, (plan.retryAfterMaxSeconds ?? plan.retryAfterSeconds) - plan.retryAfterSeconds);
      const retryAfter = plan.retryAfterSeconds + Math.floor(Math.random() * (spread + 1));
      // The message that got the 429 (and its chat) must wait; other chats' sends already in flight may land.
      this.#retryAfterUntil.set(chatId, Math.max(this.#retryAfterUntil.get(chatId) ?? 0, at + retryAfter * 1000));
      return {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      };
    }
    if (roll < plan.rate429 + plan.rate5xx)
      return {
        ok: false,
        error_code: roll < plan.rate429 + plan.rate5xx / 2 ? 500 : 502,
        description: "Internal Server Error",
      };
    return null;
  }

  /** What Telegram answers getFile for a file it does not have, or one over the download cap. */
  #getFileError(fileId: string): { ok: false; error_code: 400; description: string } | null {
    const bytes = [...this.files.entries()].find(([path]) => path.includes(fileId))?.[1];
    if (!bytes) return { ok: false, error_code: 400, description: "Bad Request: invalid file_id" };
    if (bytes.length > this.getFileCapBytes)
      return { ok: false, error_code: 400, description: "Bad Request: file is too big" };
    return null;
  }

  async #params(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const fromQuery = Object.fromEntries(url.searchParams.entries());
    if (!body) return fromQuery;
    if ((req.headers["content-type"] ?? "").includes("json"))
      return { ...fromQuery, ...(JSON.parse(body) as Record<string, unknown>) };
    return { ...fromQuery, ...Object.fromEntries(new URLSearchParams(body).entries()) };
  }

  async #getUpdates(res: ServerResponse, params: Record<string, unknown>): Promise<void> {
    const offset = Number(params.offset ?? 0);
    const timeoutS = Number(params.timeout ?? 0);
    const limit = Number(params.limit ?? 100);
    if (offset > 0) {
      this.#confirmedOffset = Math.max(this.#confirmedOffset, offset);
      // Telegram forgets updates below the offset the bot confirmed.
      for (let i = this.#updates.length - 1; i >= 0; i--)
        if ((this.#updates[i] as Update).update_id < offset) this.#updates.splice(i, 1);
    }
    const ready = () => this.#updates.filter((u) => u.update_id >= offset).slice(0, limit);
    let batch = ready();
    if (batch.length === 0 && timeoutS > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(timeoutS * 1000, 30_000));
        const waiters = this.#waiters;
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
      batch = ready();
    }
    if (!res.writableEnded && !res.destroyed) this.#reply(res, 200, { ok: true, result: batch });
  }

  /** The tolerance for one window: never more than a tenth of it (scaled limits have short windows). */
  #tolerance(windowMs: number): number {
    return Math.min(this.measurementToleranceMs, windowMs / 10);
  }

  #measureSend(chatId: number, at: number): void {
    if (at < (this.#retryAfterUntil.get(chatId) ?? 0)) this.violations.beforeRetryAfter++;
    const windowStart = at - (1000 - this.#tolerance(1000));
    while (this.#sendTimes.length > 0 && (this.#sendTimes[0] as number) <= windowStart) this.#sendTimes.shift();
    this.#sendTimes.push(at);
    if (this.#sendTimes.length > this.limits.perSecond) this.violations.overall++;
    this.peaks.perSecond = Math.max(this.peaks.perSecond, this.#sendTimes.length);
    const times = this.#chatTimes.get(chatId) ?? [];
    if (chatId < 0) {
      const recent = times.filter((t) => t > at - 60_000);
      const countable = recent.filter((t) => t > at - (60_000 - this.#tolerance(60_000)));
      if (countable.length >= this.limits.perGroupPerMinute) this.violations.perGroup++;
      recent.push(at);
      this.peaks.perGroupPerMinute = Math.max(this.peaks.perGroupPerMinute, recent.length);
      this.#chatTimes.set(chatId, recent);
    } else {
      const last = times[times.length - 1];
      const interval = this.limits.perChatIntervalMs;
      if (last !== undefined && at - last < interval - this.#tolerance(interval)) this.violations.perChat++;
      if (last !== undefined) this.peaks.minChatIntervalMs = Math.min(this.peaks.minChatIntervalMs, at - last);
      this.#chatTimes.set(chatId, [at]);
    }
  }

  #result(method: string, params: Record<string, unknown>, at: number): unknown {
    switch (method) {
      case "getMe":
        return { id: 1, is_bot: true, first_name: "TPPO Bot", username: "tppo_test_bot", can_join_groups: true };
      case "sendMessage": {
        const chatId = Number(params.chat_id);
        this.#measureSend(chatId, at);
        const markup = (
          typeof params.reply_markup === "string" ? JSON.parse(params.reply_markup) : params.reply_markup
        ) as { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> } | undefined;
        const message: SentMessage = {
          chatId,
          messageId: this.#newMessageId(chatId),
          text: String(params.text ?? ""),
          buttons: (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data })),
          at,
        };
        this.sent.push(message);
        const ofChat = this.#sentByChat.get(chatId);
        if (ofChat) ofChat.push(message);
        else this.#sentByChat.set(chatId, [message]);
        for (const listener of this.#sentListeners) listener(message);
        for (const waiter of this.#chatWaiters.get(chatId) ?? []) waiter(message);
        return {
          message_id: message.messageId,
          date: Math.floor(at / 1000),
          chat: this.#chat(chatId),
          text: message.text,
        };
      }
      case "editMessageText":
      case "editMessageReplyMarkup":
        return true;
      case "getFile": {
        const fileId = String(params.file_id);
        const path = [...this.files.keys()].find((p) => p.includes(fileId));
        return {
          file_id: fileId,
          file_unique_id: `u-${fileId}`,
          file_size: path ? this.files.get(path)?.length : 0,
          file_path: path,
        };
      }
      case "setWebhook":
        this.webhookUrl = String(params.url ?? "");
        return true;
      case "deleteWebhook":
        this.webhookUrl = null;
        return true;
      default:
        return true;
    }
  }

  #reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }
}
