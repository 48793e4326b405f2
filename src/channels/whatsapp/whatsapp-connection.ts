import qrcode from "qrcode-terminal";
import type { Logger } from "../../logging/logger.ts";
import { DISCONNECT, decideReconnect, type ReconnectDecision } from "./reconnect-policy.ts";
import type { WhatsAppAuthStore } from "./whatsapp-auth-state.ts";
import { statusCodeOf } from "./whatsapp-sender.ts";
import type { WhatsAppEvents, WhatsAppSocket, WhatsAppSocketFactory } from "./whatsapp-socket.ts";

/** Where the operator reads what needs them (the QR code, the pairing code, pairing again): stderr by default. */
export interface OperatorOutput {
  write(text: string): void;
}

/** The terminal's stderr: stdout belongs to the CLI's own output. */
export const stderrOperator: OperatorOutput = { write: (text) => void process.stderr.write(text) };

/** Draws a QR code with block characters, as the terminal shows it. */
export function renderQr(data: string): string {
  let drawn = "";
  qrcode.generate(data, { small: true }, (text) => {
    drawn = text;
  });
  return drawn;
}

/** Timers for reconnection; injectable so tests decide when a backoff ends. */
export type Schedule = (ms: number, task: () => void) => () => void;

const realSchedule: Schedule = (ms, task) => {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
};

/** What the connection is built from. */
export interface WhatsAppConnectionDeps {
  factory: WhatsAppSocketFactory;
  auth: WhatsAppAuthStore;
  logger: Logger;
  operator: OperatorOutput;
  /** The bot's number to pair by code; null pairs by QR code. */
  pairingNumber: string | null;
  /** Print the groups the number is in once connected. */
  listGroups: boolean;
  /** Connect here instead of WhatsApp Web; null for WhatsApp. */
  webSocketUrl?: string | null;
  onMessages(upsert: WhatsAppEvents["messages.upsert"], socket: WhatsAppSocket): void;
  /** The connection opened: send what waited. */
  onOpen?(): void;
  /** WhatsApp logged the bot out: a person must pair the phone again. */
  onLoggedOut?(): void;
  now?: () => number;
  random?: () => number;
  schedule?: Schedule;
}

/** Where the connection stands. */
export type ConnectionStatus = "idle" | "connecting" | "open" | "waiting" | "stopped";

/**
 * One WhatsApp session over time: makes a socket on the stored auth state, shows the QR code
 * or requests a pairing code while unpaired, saves credentials as they change, and after each
 * close does what the reconnection policy decides. Events of a replaced socket are ignored.
 */
export class WhatsAppConnection {
  readonly #deps: WhatsAppConnectionDeps;
  #socket: WhatsAppSocket | null = null;
  #status: ConnectionStatus = "idle";
  #attempt = 0;
  #loggedOutStreak = 0;
  #loggedOut = false;
  #lastRestartRequiredAt: number | null = null;
  #cancelTimer: (() => void) | null = null;
  #credsWrites: Promise<void> = Promise.resolve();
  #stopping = false;
  /** Bumped when the session is cleared, so that a late credentials write of the old one is dropped. */
  #generation = 0;
  /** Every decision taken after a close, oldest first (for figures and tests). */
  readonly decisions: ReconnectDecision[] = [];

  constructor(deps: WhatsAppConnectionDeps) {
    this.#deps = deps;
  }

  /** Where the connection stands. */
  get status(): ConnectionStatus {
    return this.#status;
  }

  /** True from a log-out until the phone is paired again and the connection opens. */
  get loggedOut(): boolean {
    return this.#loggedOut;
  }

  /** The socket while the connection is open, else null (the sender waits then). */
  get socket(): WhatsAppSocket | null {
    return this.#status === "open" ? this.#socket : null;
  }

  /** Opens the first socket. */
  async start(): Promise<void> {
    await this.#connect();
  }

  /** Closes the socket without logging out (the session stays for the next start) and stops reconnecting. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    this.#status = "stopped";
    if (socket) await Promise.resolve(socket.end(undefined)).catch(() => {});
    await this.#credsWrites;
    this.#deps.logger.info({ event: "whatsapp.stopped" });
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }

  async #connect(): Promise<void> {
    if (this.#stopping) return;
    const { logger, factory, auth } = this.#deps;
    this.#status = "connecting";
    // Right after pairing Baileys saves the new credentials and then closes (515): load only after that write.
    await this.#credsWrites;
    const { state, saveCreds } = await auth.load();
    if (this.#stopping) return;
    const { webSocketUrl } = this.#deps;
    const socket = factory({ auth: state, logger, ...(webSocketUrl ? { webSocketUrl } : {}) });
    this.#socket = socket;
    let pairingRequested = false;
    const generation = this.#generation;
    socket.ev.on("creds.update", () => {
      // Writes in order: each saves the whole, latest credentials.
      this.#credsWrites = this.#credsWrites
        .then(() => (generation === this.#generation ? saveCreds() : undefined))
        .catch((error: unknown) => logger.error({ event: "whatsapp.creds_save_failed", error }));
    });
    socket.ev.on("messages.upsert", (upsert) => {
      if (socket === this.#socket) this.#deps.onMessages(upsert, socket);
    });
    socket.ev.on("connection.update", (update) => {
      if (socket !== this.#socket) return;
      if (update.qr) {
        const first = !pairingRequested;
        pairingRequested = true;
        void this.#showPairing(socket, update.qr, first);
      }
      if (update.connection === "open") this.#opened(socket);
      if (update.connection === "close") {
        void this.#closed(statusCodeOf(update.lastDisconnect?.error)).catch((error: unknown) =>
          logger.error({ event: "whatsapp.reconnect_failed", error }),
        );
      }
    });
    logger.info({ event: "whatsapp.connecting", attempt: this.#attempt, paired: Boolean(state.creds.me) });
  }

  async #showPairing(socket: WhatsAppSocket, qr: string, first: boolean): Promise<void> {
    const { operator, logger, pairingNumber } = this.#deps;
    if (pairingNumber) {
      // One code per socket: every request makes the phone show a notification.
      if (!first) return;
      try {
        const code = await socket.requestPairingCode(pairingNumber);
        const shown = code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
        operator.write(
          `\nWhatsApp pairing code: ${shown}\n` +
            "On the bot's phone: WhatsApp > Linked devices > Link a device > Link with phone number instead, then type this code.\n\n",
        );
        logger.info({ event: "whatsapp.pairing_code_requested" });
        return;
      } catch (error) {
        logger.error({ event: "whatsapp.pairing_code_failed", error });
      }
    }
    operator.write(
      `\nScan this QR code with the bot's phone: WhatsApp > Linked devices > Link a device.\n${renderQr(qr)}\n`,
    );
    logger.info({ event: "whatsapp.qr_shown" });
  }

  #opened(socket: WhatsAppSocket): void {
    const { logger, operator } = this.#deps;
    this.#status = "open";
    this.#attempt = 0;
    this.#loggedOutStreak = 0;
    this.#loggedOut = false;
    logger.info({ event: "whatsapp.connected" });
    this.#deps.onOpen?.();
    if (!this.#deps.listGroups) return;
    socket
      .listGroups()
      .then((groups) => {
        const lines = groups.map((g) => `  wa:${g.id}  ${g.subject.replace(/\s+/g, " ").slice(0, 80)}`);
        operator.write(
          `\nWhatsApp groups of the bot's number (set one as an office destination with: npm run admin -- offices set-destination <code> --group <address>):\n${lines.join("\n") || "  (none)"}\n\n`,
        );
      })
      .catch((error: unknown) => logger.warn({ event: "whatsapp.list_groups_failed", error }));
  }

  async #closed(statusCode: number | undefined): Promise<void> {
    const { logger, operator, auth } = this.#deps;
    this.#socket = null;
    if (this.#stopping) return;
    const now = this.#now();
    const decision = decideReconnect({
      statusCode,
      now,
      lastRestartRequiredAt: this.#lastRestartRequiredAt,
      loggedOutStreak: this.#loggedOutStreak,
      attempt: this.#attempt,
      random: this.#deps.random?.() ?? Math.random(),
    });
    this.decisions.push(decision);
    if (statusCode === DISCONNECT.restartRequired) this.#lastRestartRequiredAt = now;
    if (statusCode === DISCONNECT.loggedOut) {
      this.#loggedOutStreak++;
      this.#loggedOut = true;
      this.#deps.onLoggedOut?.();
    }
    logger[decision.level]({
      event: decision.event,
      statusCode,
      action: decision.action,
      ...(decision.action === "backoff" ? { delayMs: decision.delayMs } : {}),
      msg: decision.message,
    });
    switch (decision.action) {
      case "reconnect-now":
        await this.#connect();
        return;
      case "backoff":
        this.#attempt++;
        this.#status = "waiting";
        this.#cancelTimer = (this.#deps.schedule ?? realSchedule)(decision.delayMs, () => {
          this.#cancelTimer = null;
          void this.#connect().catch((error: unknown) => logger.error({ event: "whatsapp.reconnect_failed", error }));
        });
        return;
      case "clear-and-repair":
        this.#generation++;
        await this.#credsWrites;
        await auth.clear();
        this.#loggedOutStreak = 0;
        this.#lastRestartRequiredAt = null;
        this.#attempt = 0;
        operator.write(`\n${decision.message}\n`);
        await this.#connect();
        return;
      case "stop":
        this.#status = "stopped";
        operator.write(`\n${decision.message}\n`);
        return;
    }
  }
}
