import {
  type AuthenticationCreds,
  type AuthenticationState,
  Browsers,
  type ConnectionState,
  downloadMediaMessage,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type SocketConfig,
  type WAMessage,
} from "@whiskeysockets/baileys";
import type { Logger } from "../../logging/logger.ts";

/** The logger interface Baileys expects (not exported under its own name). */
type ILogger = SocketConfig["logger"];

/** The Baileys events the adapter listens to, with their payloads. */
export interface WhatsAppEvents {
  "connection.update": Partial<ConnectionState>;
  "creds.update": Partial<AuthenticationCreds>;
  "messages.upsert": { messages: WAMessage[]; type: "append" | "notify" };
}

/** What the adapter sends: a text, or the revocation of one of its own messages ("delete for everyone"). */
export type WhatsAppOutgoing = { text: string } | { delete: { remoteJid: string; fromMe: true; id: string } };

/** A group the bot's number is in, for the operator to set as an office destination. */
export interface WhatsAppGroup {
  id: string;
  subject: string;
}

/**
 * The part of a Baileys socket the adapter uses: the real one wraps makeWASocket, tests inject
 * a fake that emits the same events and records what is sent.
 */
export interface WhatsAppSocket {
  ev: {
    on<K extends keyof WhatsAppEvents>(event: K, listener: (payload: WhatsAppEvents[K]) => void): unknown;
  };
  /** The bot's own account once connected. */
  readonly user: { id: string; lid?: string | undefined } | undefined;
  sendMessage(jid: string, content: WhatsAppOutgoing): Promise<{ key?: { id?: string | null } } | undefined>;
  sendPresenceUpdate(type: "available" | "unavailable" | "composing" | "paused", jid?: string): Promise<void>;
  /** Asks WhatsApp for an 8-character code to type on the phone instead of scanning a QR code. */
  requestPairingCode(phoneNumber: string): Promise<string>;
  /** Closes the connection without logging out (the session stays valid). */
  end(error: Error | undefined): unknown;
  /** Unlinks the device: the session becomes invalid. */
  logout(): Promise<void>;
  /** The phone-number JID behind a LID, from the mapping Baileys keeps in the auth state. */
  phoneForLid(lid: string): Promise<string | null>;
  /** Downloads (and decrypts) the media of a message as a stream, while its link is still valid. */
  downloadMedia(message: WAMessage): Promise<AsyncIterable<Uint8Array>>;
  /** The groups the bot's number is in. */
  listGroups(): Promise<WhatsAppGroup[]>;
}

/** What a socket is made from. */
export interface WhatsAppSocketOptions {
  auth: AuthenticationState;
  logger: Logger;
  /** Connect here instead of WhatsApp Web (a proxy, or a local server in tests). */
  webSocketUrl?: string;
}

/** Makes a socket: the seam between the adapter and Baileys. */
export type WhatsAppSocketFactory = (options: WhatsAppSocketOptions) => WhatsAppSocket;

/** Text that may quote a phone number or JID: keep it short and drop long digit runs and JIDs. */
function scrub(text: string): string {
  return text
    .replace(/\S+@(s\.whatsapp\.net|c\.us|g\.us|lid|broadcast|newsletter)\b/g, "<jid>")
    .replace(/\d{5,}/g, "…")
    .slice(0, 200);
}

/**
 * Baileys' logger, fed into ours: only warnings and errors, with their text scrubbed (Baileys
 * puts JIDs and phone numbers in its messages and objects, and our logs carry none).
 */
export function baileysLogger(logger: Logger): ILogger {
  const forward = (level: "warn" | "error") => (obj: unknown, msg?: string) => {
    const text = typeof obj === "string" ? obj : (msg ?? "");
    const err =
      obj && typeof obj === "object"
        ? ((obj as { err?: unknown; error?: unknown }).err ?? (obj as { error?: unknown }).error)
        : undefined;
    logger[level]({
      event: `whatsapp.library_${level}`,
      detail: scrub(text),
      // Under "error", not "err": pino would copy an err's raw message into the log line.
      ...(err instanceof Error ? { error: err } : {}),
    });
  };
  const quiet = () => {};
  const self: ILogger = {
    level: "warn",
    child: () => self,
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: forward("warn"),
    error: forward("error"),
  };
  return self;
}

/** The real factory: a Baileys socket on the stored auth state, quiet about presence and history. */
export const createBaileysSocket: WhatsAppSocketFactory = ({ auth, logger, webSocketUrl }) => {
  const log = baileysLogger(logger);
  const socket = makeWASocket({
    auth: { creds: auth.creds, keys: makeCacheableSignalKeyStore(auth.keys, log) },
    logger: log,
    browser: Browsers.ubuntu("Chrome"),
    // The phone keeps notifying its owner, and the bot skips the full chat history it never needs (the
    // recent sync stays on: Baileys learns LID mappings from it).
    markOnlineOnConnect: false,
    syncFullHistory: false,
    // Status updates, broadcast lists and channels are never for the bot: not even decrypted.
    shouldIgnoreJid: (jid) => jid.endsWith("@broadcast") || jid.endsWith("@newsletter"),
    generateHighQualityLinkPreview: false,
    ...(webSocketUrl ? { waWebSocketUrl: webSocketUrl } : {}),
  });
  return {
    ev: socket.ev,
    get user() {
      return socket.user ? { id: socket.user.id, lid: socket.user.lid } : undefined;
    },
    sendMessage: (jid, content) => socket.sendMessage(jid, content),
    sendPresenceUpdate: (type, jid) => socket.sendPresenceUpdate(type, jid),
    requestPairingCode: (phoneNumber) => socket.requestPairingCode(phoneNumber),
    end: (error) => socket.end(error),
    logout: () => socket.logout(),
    phoneForLid: (lid) => socket.signalRepository.lidMapping.getPNForLID(lid),
    downloadMedia: (message) =>
      downloadMediaMessage(message, "stream", {}, { reuploadRequest: socket.updateMediaMessage, logger: log }),
    listGroups: async () =>
      Object.values(await socket.groupFetchAllParticipating()).map((g) => ({ id: g.id, subject: g.subject })),
  };
};
