import { DisconnectReason } from "@whiskeysockets/baileys";
import { describe, expect, it } from "vitest";
import {
  BACKOFF_MAX_MS,
  backoffDelay,
  DISCONNECT,
  type DisconnectFacts,
  decideReconnect,
} from "../../src/channels/whatsapp/reconnect-policy.ts";

const NOW = 1_800_000_000_000;
const facts = (over: Partial<DisconnectFacts>): DisconnectFacts => ({
  statusCode: undefined,
  now: NOW,
  lastRestartRequiredAt: null,
  loggedOutStreak: 0,
  attempt: 0,
  random: 0.5,
  ...over,
});

describe("the WhatsApp reconnection policy", () => {
  it("uses Baileys' own DisconnectReason values", () => {
    expect(DISCONNECT).toEqual({
      loggedOut: DisconnectReason.loggedOut,
      forbidden: DisconnectReason.forbidden,
      timedOut: DisconnectReason.timedOut,
      multideviceMismatch: DisconnectReason.multideviceMismatch,
      connectionClosed: DisconnectReason.connectionClosed,
      connectionReplaced: DisconnectReason.connectionReplaced,
      badSession: DisconnectReason.badSession,
      unavailableService: DisconnectReason.unavailableService,
      restartRequired: DisconnectReason.restartRequired,
    });
  });

  const table: Array<{ name: string; facts: Partial<DisconnectFacts>; action: string; event: string }> = [
    {
      name: "515 restart required",
      facts: { statusCode: 515 },
      action: "reconnect-now",
      event: "whatsapp.restart_required",
    },
    {
      name: "401 logged out, no recent restart",
      facts: { statusCode: 401 },
      action: "clear-and-repair",
      event: "whatsapp.logged_out",
    },
    {
      name: "401 within 30 s of a 515",
      facts: { statusCode: 401, lastRestartRequiredAt: NOW - 5_000 },
      action: "backoff",
      event: "whatsapp.logged_out_after_restart",
    },
    {
      name: "401 exactly 30 s after a 515",
      facts: { statusCode: 401, lastRestartRequiredAt: NOW - 30_000 },
      action: "backoff",
      event: "whatsapp.logged_out_after_restart",
    },
    {
      name: "401 a second time within 30 s of a 515",
      facts: { statusCode: 401, lastRestartRequiredAt: NOW - 12_000, loggedOutStreak: 1 },
      action: "backoff",
      event: "whatsapp.logged_out_after_restart",
    },
    {
      name: "401 a third time within 30 s of a 515 (really logged out)",
      facts: { statusCode: 401, lastRestartRequiredAt: NOW - 20_000, loggedOutStreak: 2 },
      action: "clear-and-repair",
      event: "whatsapp.logged_out",
    },
    {
      name: "401 more than 30 s after a 515",
      facts: { statusCode: 401, lastRestartRequiredAt: NOW - 30_001 },
      action: "clear-and-repair",
      event: "whatsapp.logged_out",
    },
    {
      name: "440 connection replaced",
      facts: { statusCode: 440 },
      action: "stop",
      event: "whatsapp.connection_replaced",
    },
    { name: "428 connection closed", facts: { statusCode: 428 }, action: "backoff", event: "whatsapp.disconnected" },
    {
      name: "408 timed out (also: QR codes ran out)",
      facts: { statusCode: 408 },
      action: "backoff",
      event: "whatsapp.disconnected",
    },
    { name: "500 bad session", facts: { statusCode: 500 }, action: "backoff", event: "whatsapp.disconnected" },
    { name: "503 unavailable", facts: { statusCode: 503 }, action: "backoff", event: "whatsapp.disconnected" },
    { name: "403 forbidden", facts: { statusCode: 403 }, action: "backoff", event: "whatsapp.disconnected" },
    {
      name: "411 multi-device mismatch",
      facts: { statusCode: 411 },
      action: "backoff",
      event: "whatsapp.disconnected",
    },
    { name: "no status code", facts: { statusCode: undefined }, action: "backoff", event: "whatsapp.disconnected" },
  ];

  for (const row of table) {
    it(`decides ${row.action} on ${row.name}`, () => {
      const decision = decideReconnect(facts(row.facts));
      expect(decision.action).toBe(row.action);
      expect(decision.event).toBe(row.event);
      // The operator message names what happened and never carries a number or JID.
      expect(decision.message.length).toBeGreaterThan(20);
      expect(decision.message).not.toMatch(/\d{6,}|@s\.whatsapp\.net/);
    });
  }

  it("tells the operator how to pair again when it clears the session, and how to recover when replaced", () => {
    const cleared = decideReconnect(facts({ statusCode: 401 }));
    expect(cleared.level).toBe("error");
    expect(cleared.message).toContain("Linked devices");
    expect(cleared.message).toContain("WHATSAPP_PAIRING_NUMBER");
    const replaced = decideReconnect(facts({ statusCode: 440 }));
    expect(replaced.level).toBe("error");
    expect(replaced.message).toContain("one instance");
  });

  it("backs off exponentially with jitter, up to a ceiling", () => {
    const delays = [0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 0.5));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(backoffDelay(0, 0)).toBe(800);
    expect(backoffDelay(0, 0.999_999)).toBe(1200);
    expect(backoffDelay(30, 0.5)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(30, 0.999_999)).toBeLessThanOrEqual(BACKOFF_MAX_MS * 1.2);
    const decision = decideReconnect(facts({ statusCode: 428, attempt: 3, random: 0 }));
    expect(decision).toMatchObject({ action: "backoff", delayMs: 6400 });
  });
});
