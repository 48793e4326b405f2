/** Baileys' DisconnectReason codes this policy tells apart (the values of its DisconnectReason). */
export const DISCONNECT = {
  loggedOut: 401,
  forbidden: 403,
  timedOut: 408,
  multideviceMismatch: 411,
  connectionClosed: 428,
  connectionReplaced: 440,
  badSession: 500,
  unavailableService: 503,
  restartRequired: 515,
} as const;

/** A 401 this soon after a 515 can be spurious (seen right after pairing): reconnect before clearing anything. */
export const SPURIOUS_LOGOUT_WINDOW_MS = 30_000;
/** How many 401s in a row, inside that window, are given the benefit of the doubt. */
export const MAX_SPURIOUS_LOGOUTS = 2;
/** First backoff delay and its ceiling. */
export const BACKOFF_BASE_MS = 1000;
/** The longest wait between two reconnection attempts. */
export const BACKOFF_MAX_MS = 5 * 60_000;

/** What is known when the socket closed. */
export interface DisconnectFacts {
  /** The DisconnectReason (Boom status code) of the close, if any. */
  statusCode: number | undefined;
  /** Now, in milliseconds. */
  now: number;
  /** When the last 515 (restart required) closed the socket, or null. */
  lastRestartRequiredAt: number | null;
  /** 401s received since the connection was last open, this one excluded. */
  loggedOutStreak: number;
  /** Reconnection attempts since the connection was last open, this one excluded. */
  attempt: number;
  /** A number in [0, 1) for the jitter. */
  random: number;
}

/** What the connection does next, with the event and operator message to log. */
export type ReconnectDecision = { event: string; level: "info" | "warn" | "error"; message: string } & (
  | { action: "reconnect-now" }
  | { action: "backoff"; delayMs: number }
  | { action: "clear-and-repair" }
  | { action: "stop" }
);

/** Exponential backoff with ±20 % jitter, so that many bots restarting together do not reconnect in step. */
export function backoffDelay(attempt: number, random: number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 20));
  return Math.round(base * (0.8 + 0.4 * random));
}

/**
 * Decides what to do after the WhatsApp socket closed: 515 (normal right after pairing)
 * reconnects at once; 401 clears the session and asks for pairing again, unless it came within
 * 30 s of a 515 (it can be spurious then: reconnect first); 440 (another client took the
 * session) stops; anything else reconnects with exponential backoff and jitter.
 */
export function decideReconnect(facts: DisconnectFacts): ReconnectDecision {
  const { statusCode } = facts;
  if (statusCode === DISCONNECT.restartRequired) {
    return {
      action: "reconnect-now",
      event: "whatsapp.restart_required",
      level: "info",
      message: "WhatsApp asked for a restart (normal right after pairing); reconnecting now.",
    };
  }
  if (statusCode === DISCONNECT.loggedOut) {
    const sinceRestart =
      facts.lastRestartRequiredAt === null ? Number.POSITIVE_INFINITY : facts.now - facts.lastRestartRequiredAt;
    if (sinceRestart <= SPURIOUS_LOGOUT_WINDOW_MS && facts.loggedOutStreak < MAX_SPURIOUS_LOGOUTS) {
      return {
        action: "backoff",
        delayMs: backoffDelay(facts.attempt, facts.random),
        event: "whatsapp.logged_out_after_restart",
        level: "warn",
        message:
          "WhatsApp reported a logout right after a restart; this can be spurious, so the session is kept and the bot reconnects.",
      };
    }
    return {
      action: "clear-and-repair",
      event: "whatsapp.logged_out",
      level: "error",
      message:
        "The bot's WhatsApp number was logged out (the linked device was removed on the phone, or WhatsApp ended the session). The stored session was cleared. Pair again: scan the new QR code printed on stderr with WhatsApp > Linked devices > Link a device, or set WHATSAPP_PAIRING_NUMBER and type the pairing code shown.",
    };
  }
  if (statusCode === DISCONNECT.connectionReplaced) {
    return {
      action: "stop",
      event: "whatsapp.connection_replaced",
      level: "error",
      message:
        "Another client opened this WhatsApp session (a second instance of the bot, or WhatsApp Web with the same session), so this one stopped using WhatsApp. Keep exactly one instance connected, then restart this one.",
    };
  }
  const delayMs = backoffDelay(facts.attempt, facts.random);
  return {
    action: "backoff",
    delayMs,
    event: "whatsapp.disconnected",
    level: "warn",
    message: `The WhatsApp connection closed (reason ${statusCode ?? "unknown"}); reconnecting in ${Math.round(delayMs / 1000)} s.`,
  };
}
