import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createBaileysSocket } from "../../src/channels/whatsapp/whatsapp-socket.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { baileysSocketFactory, DEFAULT_SEAMS, startBot } from "../../src/main.ts";
import { FakeTelegramServer } from "../support/fake-telegram-server.ts";
import { FakeWhatsApp } from "../support/fake-whatsapp-socket.ts";
import { freshDataDir } from "../support/run-command.ts";
import { startBot as spawnBot } from "../support/spawn-bot.ts";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

const REPORTER = "6281234567001@s.whatsapp.net";

/**
 * A loopback stand-in for WhatsApp Web's WebSocket endpoint: it accepts the upgrade, records
 * who connected and the first bytes (the noise handshake), then drops the connection.
 */
class LoopbackWebSocketServer {
  readonly connections: Array<{ path: string; origin: string | undefined; firstBytes: number }> = [];
  #server: Server | null = null;
  #sockets = new Set<Duplex>();
  url = "";

  async start(): Promise<this> {
    const server = createServer((_req, res) => res.writeHead(404).end());
    server.on("upgrade", (req, socket) => {
      this.#sockets.add(socket);
      const accept = createHash("sha1")
        .update(`${req.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
        .digest("base64");
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      const record = { path: req.url ?? "", origin: req.headers.origin, firstBytes: 0 };
      this.connections.push(record);
      socket.once("data", (data: Buffer) => {
        record.firstBytes = data.length;
        setTimeout(() => socket.destroy(), 20);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    this.url = `ws://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/ws/chat`;
    this.#server = server;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

describe("npm start with WHATSAPP_ENABLED=true", () => {
  it("uses the real Baileys socket factory unless a test injects another at the same seam", () => {
    expect(DEFAULT_SEAMS.whatsappSocketFactory).toBeUndefined();
    return expect(baileysSocketFactory()).resolves.toBe(createBaileysSocket);
  });

  it("runs WhatsApp and Telegram at once through the composition path, and stops both gracefully", async () => {
    const telegram = await new FakeTelegramServer().start();
    cleanups.push(() => telegram.stop());
    const wa = new FakeWhatsApp();
    const { env } = freshDataDir();
    const config = loadConfig({
      ...env,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      WHATSAPP_ENABLED: "true",
      WHATSAPP_MAX_PER_MINUTE: "600",
      WHATSAPP_CHAT_INTERVAL_MS: "0",
      WHATSAPP_TYPING_MS: "1",
    });
    const logs: string[] = [];
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        logs.push(String(chunk));
        done();
      },
    });
    const operator: string[] = [];
    const bot = await startBot(config, createLogger("info", sink), {
      whatsappSocketFactory: wa.factory,
      operator: { write: (s) => void operator.push(s) },
    });
    let stopped = false;
    cleanups.push(() => (stopped ? Promise.resolve() : bot.stop()));
    expect(bot.channels).toEqual(["telegram", "whatsapp"]);
    expect(wa.sockets).toHaveLength(1);
    await wa.waitFor(() => logs.join("").includes('"event":"whatsapp.connected"'), 60_000, "the connection");

    wa.userText(REPORTER, "halo");
    expect(await wa.waitForText(REPORTER, "Halo, terima kasih sudah menghubungi kami")).toContain("1) Buat laporan");
    telegram.userText(4242, "halo");
    await telegram.waitForMessage(4242, "Halo, terima kasih");

    await bot.stop();
    stopped = true;
    expect(wa.current.ended).toBe(true);
    expect(wa.current.loggedOut).toBe(false);
    const events = logs.join("");
    expect(events).toContain('"event":"start","channel":"whatsapp","pairing":"qr"');
    expect(events).toContain('"event":"whatsapp.channel_stopped"');
    expect(events).toContain('"event":"telegram.stopped"');
    // The fake session opened at once: nothing asked the operator to pair.
    expect(operator.join("")).toBe("");
  });

  it("starts the real Baileys socket from npm start, against a loopback stand-in for WhatsApp Web, and shuts down cleanly", async () => {
    const server = await new LoopbackWebSocketServer().start();
    cleanups.push(() => server.stop());
    const { env } = freshDataDir();
    const bot = await spawnBot({ ...env, WHATSAPP_ENABLED: "true", WHATSAPP_WEB_SOCKET_URL: server.url });
    let exited = false;
    cleanups.push(() => (exited ? Promise.resolve() : bot.stop()));
    const waitFor = async (probe: () => boolean, what: string) => {
      const started = Date.now();
      while (!probe()) {
        if (Date.now() - started > 60_000) throw new Error(`timed out waiting for ${what}:\n${bot.stderr()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // Baileys itself connected, as WhatsApp Web, and began its handshake.
    await waitFor(() => server.connections.some((c) => c.firstBytes > 0), "a WebSocket handshake");
    expect(server.connections[0]).toMatchObject({ path: "/ws/chat", origin: "https://web.whatsapp.com" });
    // The dropped connection is handled by the reconnection policy (backoff), and tried again.
    await waitFor(() => bot.stderr().includes('"event":"whatsapp.disconnected"'), "the disconnection");
    expect(bot.stderr()).toMatch(/"event":"whatsapp.disconnected","statusCode":428,"action":"backoff"/);
    await waitFor(() => server.connections.length >= 2, "a reconnection");
    expect(bot.stderr()).toContain('"event":"whatsapp.not_paired"');
    const stopping = Date.now();
    // npm exits at once on SIGTERM; the bot's own process (holding stderr) finishes its shutdown after.
    const allExited = new Promise<void>((resolve) => bot.child.stderr?.once("close", () => resolve()));
    await bot.stop();
    exited = true;
    await allExited;
    // SIGTERM: channels stop, then the database closes, before the bot's own 10 s deadline (which
    // would log shutdown.failed); the wall time here also holds a busy machine's process exit.
    expect(Date.now() - stopping).toBeLessThan(30_000);
    expect(bot.stderr()).toContain('"event":"shutdown","signal":"SIGTERM"');
    expect(bot.stderr()).toContain('"event":"whatsapp.channel_stopped"');
    expect(bot.stderr()).not.toContain("shutdown.failed");
    expect(bot.stdout()).toBe("");
  });
});
