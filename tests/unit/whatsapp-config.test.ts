import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { isTerminalOnly } from "../../src/main.ts";

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("WhatsApp configuration", () => {
  it("is off unless WHATSAPP_ENABLED=true, and then paces conservatively by default", () => {
    expect(loadConfig({}).whatsapp).toBeNull();
    expect(loadConfig({ WHATSAPP_ENABLED: "false", WHATSAPP_PAIRING_NUMBER: "6281234567890" }).whatsapp).toBeNull();
    expect(loadConfig({ WHATSAPP_ENABLED: "true" }).whatsapp).toEqual({
      pairingNumber: null,
      maxPerMinute: 20,
      chatIntervalMs: 3000,
      groupPerMinute: 10,
      typingMs: 1000,
      listGroups: false,
      webSocketUrl: null,
    });
    expect(loadConfig({ WHATSAPP_ENABLED: " TRUE " }).whatsapp).not.toBeNull();
  });

  it("takes the pairing number with or without + and separators, and the pacing variables", () => {
    const config = loadConfig({
      WHATSAPP_ENABLED: "true",
      WHATSAPP_PAIRING_NUMBER: "+62 812-3456-7890",
      WHATSAPP_MAX_PER_MINUTE: "12",
      WHATSAPP_CHAT_INTERVAL_MS: "5000",
      WHATSAPP_GROUP_PER_MINUTE: "6",
      WHATSAPP_TYPING_MS: "0",
      WHATSAPP_LIST_GROUPS: "true",
      WHATSAPP_WEB_SOCKET_URL: "ws://127.0.0.1:9000/ws/chat",
    });
    expect(config.whatsapp).toEqual({
      pairingNumber: "6281234567890",
      maxPerMinute: 12,
      chatIntervalMs: 5000,
      groupPerMinute: 6,
      typingMs: 0,
      listGroups: true,
      webSocketUrl: "ws://127.0.0.1:9000/ws/chat",
    });
  });

  it("names every bad WhatsApp variable and what it expects", () => {
    const message = errorOf({
      WHATSAPP_ENABLED: "yes",
      WHATSAPP_PAIRING_NUMBER: "0812345678",
      WHATSAPP_MAX_PER_MINUTE: "0",
      WHATSAPP_TYPING_MS: "fast",
      WHATSAPP_WEB_SOCKET_URL: "https://web.whatsapp.com",
    });
    expect(message).toContain('WHATSAPP_ENABLED: expected "true" or "false"');
    expect(message).toContain(
      "WHATSAPP_PAIRING_NUMBER: expected the bot's phone number in digits with the country code",
    );
    expect(message).toContain("WHATSAPP_MAX_PER_MINUTE: expected a whole number from 1 to 600");
    expect(message).toContain("WHATSAPP_TYPING_MS: expected a whole number from 0 to 10000");
    expect(message).toContain("WHATSAPP_WEB_SOCKET_URL: expected a ws(s) URL");
  });

  it("runs the terminal simulator only when no chat channel is configured", () => {
    expect(isTerminalOnly(loadConfig({}))).toBe(true);
    expect(isTerminalOnly(loadConfig({ WHATSAPP_ENABLED: "true" }))).toBe(false);
    expect(isTerminalOnly(loadConfig({ TELEGRAM_BOT_TOKEN: "123:abc" }))).toBe(false);
  });
});
