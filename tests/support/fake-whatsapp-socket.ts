import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { WAMessage } from "@whiskeysockets/baileys";
import type {
  WhatsAppEvents,
  WhatsAppGroup,
  WhatsAppOutgoing,
  WhatsAppSocket,
  WhatsAppSocketFactory,
  WhatsAppSocketOptions,
} from "../../src/channels/whatsapp/whatsapp-socket.ts";
import { REPO_ROOT } from "./run-command.ts";

/** The Baileys-shaped message fixtures, by name. */
export const FIXTURES = JSON.parse(
  readFileSync(path.join(REPO_ROOT, "tests/fixtures/whatsapp/messages.json"), "utf8"),
) as Record<string, WAMessage>;

let counter = 0;

/** A fixture, deep-copied, with its key changed (a fresh id unless one is given). */
export function fixture(name: string, key: Partial<WAMessage["key"]> = {}, message?: WAMessage["message"]): WAMessage {
  const base = FIXTURES[name];
  if (!base) throw new Error(`no WhatsApp fixture "${name}"`);
  const copy = structuredClone(base);
  copy.key = { ...copy.key, id: `3EB0${(++counter).toString(16).toUpperCase().padStart(16, "0")}`, ...key };
  if (message !== undefined) copy.message = message;
  return copy;
}

/** A Baileys-like failure (a Boom) with a status code. */
export function boom(statusCode: number, message = "boom"): Error {
  return Object.assign(new Error(message), { isBoom: true, output: { statusCode, payload: {} } });
}

/** One thing the bot sent through a fake socket. */
export interface SentRecord {
  jid: string;
  content: WhatsAppOutgoing;
  /** The key id the fake socket gave the message. */
  id: string;
  /** Which socket (1 = the first one made) sent it. */
  socket: number;
  /** When, by the network's clock. */
  at: number;
}

/**
 * A fake Baileys socket: an event emitter with the Baileys event names the adapter uses, that
 * records sendMessage, presence, pairing-code and end/logout calls. Tests emit events on it.
 */
export class FakeWhatsAppSocket implements WhatsAppSocket {
  readonly ev = new EventEmitter();
  readonly options: WhatsAppSocketOptions;
  readonly number: number;
  readonly network: FakeWhatsApp;
  user: { id: string; lid?: string } | undefined;
  ended = false;
  loggedOut = false;

  constructor(network: FakeWhatsApp, options: WhatsAppSocketOptions, number: number) {
    this.network = network;
    this.options = options;
    this.number = number;
  }

  /** Emits a Baileys event as the library would. */
  emit<K extends keyof WhatsAppEvents>(event: K, payload: WhatsAppEvents[K]): void {
    this.ev.emit(event, payload);
  }

  /** The connection opens on a paired session. */
  open(): void {
    this.user = { id: `${this.network.botNumber}:7@s.whatsapp.net`, lid: "11223344556677:7@lid" };
    this.emit("connection.update", { connection: "open" });
  }

  /** The connection closes with a DisconnectReason code. */
  close(statusCode: number | undefined): void {
    this.emit("connection.update", {
      connection: "close",
      lastDisconnect: { error: statusCode === undefined ? undefined : boom(statusCode, "closed"), date: new Date() },
    });
  }

  /** Delivers messages as new ("notify") or history ("append"). */
  deliver(messages: WAMessage[], type: "notify" | "append" = "notify"): void {
    this.emit("messages.upsert", { messages, type });
  }

  async sendMessage(jid: string, content: WhatsAppOutgoing): Promise<{ key: { id: string } }> {
    const failure = this.network.failures.shift();
    if (failure) throw failure;
    const id = `BAE5${(++counter).toString(16).toUpperCase().padStart(12, "0")}`;
    this.network.sent.push({ jid, content, id, socket: this.number, at: this.network.now() });
    this.network.log.push(`send ${jid}`);
    return { key: { id } };
  }

  async sendPresenceUpdate(type: "available" | "unavailable" | "composing" | "paused", jid?: string): Promise<void> {
    this.network.presences.push({ type, ...(jid ? { jid } : {}) });
    this.network.log.push(`${type} ${jid ?? ""}`);
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.network.pairingRequests.push(phoneNumber);
    return "K7QM4TZP";
  }

  end(): void {
    this.ended = true;
  }

  async logout(): Promise<void> {
    this.loggedOut = true;
  }

  async phoneForLid(lid: string): Promise<string | null> {
    return this.network.lidToPhone.get(lid) ?? null;
  }

  async downloadMedia(message: WAMessage): Promise<AsyncIterable<Uint8Array>> {
    const id = message.key.id ?? "";
    this.network.downloads.push(id);
    const bytes = this.network.media.get(id);
    if (!bytes) throw boom(410, "media expired");
    return (async function* chunks() {
      for (let i = 0; i < bytes.length; i += 1024) yield bytes.subarray(i, i + 1024);
    })();
  }

  async listGroups(): Promise<WhatsAppGroup[]> {
    return this.network.groups;
  }
}

/**
 * The WhatsApp side of the tests: a socket factory (each call makes a new fake socket, as each
 * reconnection makes a new Baileys socket) and what all sockets sent, with waiting helpers.
 */
export class FakeWhatsApp {
  readonly sockets: FakeWhatsAppSocket[] = [];
  readonly sent: SentRecord[] = [];
  readonly presences: Array<{ type: string; jid?: string }> = [];
  /** Presence and send calls in order, as "composing <jid>" / "send <jid>" lines. */
  readonly log: string[] = [];
  readonly pairingRequests: string[] = [];
  readonly downloads: string[] = [];
  /** Errors the next sendMessage calls throw, in order. */
  readonly failures: Error[] = [];
  readonly lidToPhone = new Map<string, string>();
  readonly media = new Map<string, Buffer>();
  groups: WhatsAppGroup[] = [];
  readonly botNumber = "6281100000000";
  /** Open each new socket at once, as a paired session does. */
  autoOpen = true;
  /** The clock that stamps sent messages (a test's virtual clock when it checks pacing). */
  now: () => number = () => Date.now();

  /** The factory to inject where the real one calls makeWASocket. */
  readonly factory: WhatsAppSocketFactory = (options) => {
    const socket = new FakeWhatsAppSocket(this, options, this.sockets.length + 1);
    this.sockets.push(socket);
    if (this.autoOpen) setImmediate(() => socket.open());
    return socket;
  };

  /** The latest socket. */
  get current(): FakeWhatsAppSocket {
    const socket = this.sockets.at(-1);
    if (!socket) throw new Error("no socket was made");
    return socket;
  }

  /** Texts sent to a chat, in order. */
  textsTo(jid: string): string[] {
    return this.sent.flatMap((s) => (s.jid === jid && "text" in s.content ? [s.content.text] : []));
  }

  /** Revocations ("delete for everyone") sent to a chat: the key ids. */
  deletionsIn(jid: string): string[] {
    return this.sent.flatMap((s) => (s.jid === jid && "delete" in s.content ? [s.content.delete.id] : []));
  }

  /** A person writes text in a private chat (or, with a group, in that group). */
  userText(jid: string, text: string, key: Partial<WAMessage["key"]> = {}): WAMessage {
    const message = fixture("text", { remoteJid: jid, remoteJidAlt: undefined, ...key }, { conversation: text });
    this.current.deliver([message]);
    return message;
  }

  /** Waits until a condition holds. */
  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 60_000, what = "a condition"): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Waits for a text to a chat that contains a string or matches, after the first `after` texts. */
  waitForText(jid: string, expected: string | RegExp, after = 0, timeoutMs = 60_000): Promise<string> {
    return this.waitFor(
      () =>
        this.textsTo(jid)
          .slice(after)
          .find((t) => (typeof expected === "string" ? t.includes(expected) : expected.test(t))),
      timeoutMs,
      `a message to ${jid} with ${String(expected)}; got:\n${this.textsTo(jid).slice(after).join("\n---\n")}`,
    );
  }
}
