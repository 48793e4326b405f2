import path from "node:path";
import { describe, expect, it } from "vitest";
import { scaleLimits, TELEGRAM_LIMITS } from "../../src/channels/telegram/telegram-sender.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";

describe("configuration", () => {
  it("runs with no settings at all on the embedded default", () => {
    const config = loadConfig({});
    expect(config.dataDir).toBe(path.resolve("data"));
    expect(config.databasePath).toBe(path.resolve("data/bot.db"));
    expect(config.keys).toEqual({ kind: "embedded", dataDir: path.resolve("data") });
    expect(config.defaultLanguage).toBe("id");
    expect(config.maxReportsPerDay).toBe(5);
  });

  it("takes DATABASE_URL as a relative or absolute file: URL", () => {
    expect(loadConfig({ DATABASE_URL: "file:./tmp/x.db" }).databasePath).toBe(path.resolve("tmp/x.db"));
    expect(loadConfig({ DATABASE_URL: "file:/var/lib/bot/bot.db" }).databasePath).toBe("/var/lib/bot/bot.db");
    expect(loadConfig({ DATABASE_URL: "file:///var/lib/bot/bot.db" }).databasePath).toBe("/var/lib/bot/bot.db");
  });

  it("names every bad variable and what it expects", () => {
    let message = "";
    try {
      loadConfig({ MAX_REPORTS_PER_DAY: "lots", DEFAULT_LANGUAGE: "fr", DATABASE_URL: "mysql://x" });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain("MAX_REPORTS_PER_DAY: expected a whole number from 1 to 1000");
    expect(message).toContain('DEFAULT_LANGUAGE: expected "id" or "en"');
    expect(message).toContain('DATABASE_URL: expected a "file:" URL');
  });

  it("treats empty variables as unset and wants both key variables together", () => {
    expect(loadConfig({ LOG_LEVEL: "", MAX_REPORTS_PER_DAY: " " }).maxReportsPerDay).toBe(5);
    expect(() => loadConfig({ DATA_KEYS: "k1:abc" })).toThrow(/DATA_KEYS and HMAC_KEY/);
    expect(loadConfig({ KEY_FILE: "/etc/bot/keys.json" }).keys).toEqual({
      kind: "key-file",
      path: "/etc/bot/keys.json",
    });
  });

  it("scales the Telegram limits only when TELEGRAM_LIMITS_SCALE asks, and refuses a scale that is not positive", () => {
    const token = "123456:TEST-TOKEN";
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token }).telegram?.limitsScale).toBe(1);
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_LIMITS_SCALE: " " }).telegram?.limitsScale).toBe(1);
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_LIMITS_SCALE: "2.5" }).telegram?.limitsScale).toBe(2.5);
    for (const bad of ["0", "-1", "fast", "5000"]) {
      expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_LIMITS_SCALE: bad })).toThrow(
        /TELEGRAM_LIMITS_SCALE: expected a positive number up to 1000/,
      );
    }
    expect(scaleLimits(TELEGRAM_LIMITS, 1)).toEqual(TELEGRAM_LIMITS);
    expect(scaleLimits(TELEGRAM_LIMITS, 10)).toEqual({
      perSecond: TELEGRAM_LIMITS.perSecond * 10,
      // Telegram's 1 s per chat scaled to 100 ms (the dispatcher adds its jitter margin whole).
      perChatIntervalMs: 100,
      perGroupPerMinute: TELEGRAM_LIMITS.perGroupPerMinute * 10,
    });
    expect(scaleLimits(TELEGRAM_LIMITS, 0.01).perGroupPerMinute).toBe(1);
  });
});
