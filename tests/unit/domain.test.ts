import { describe, expect, it } from "vitest";
import { tppoElements } from "../../src/domain/case.ts";
import {
  CROCKFORD_ALPHABET,
  generatePin,
  generateReference,
  parsePin,
  parseReference,
} from "../../src/domain/reference.ts";
import { chatLockedUntil } from "../../src/domain/status-lookup.ts";
import { canTransition } from "../../src/domain/status-transitions.ts";
import { statusStageFor } from "../../src/domain/status-view.ts";

describe("references and PINs", () => {
  it("makes references of three groups of four Crockford characters, all different", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const reference = generateReference();
      expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      seen.add(reference);
    }
    expect(seen.size).toBe(2000);
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it("uses the whole alphabet in every position (60 random bits)", () => {
    const firstChars = new Set<string>();
    const lastChars = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const r = generateReference();
      firstChars.add(r[0] as string);
      lastChars.add(r[r.length - 1] as string);
    }
    expect(firstChars.size).toBe(32);
    expect(lastChars.size).toBe(32);
  });

  it("reads references the way people type them", () => {
    expect(parseReference("k7qm 4tzp 9xwr")).toBe("K7QM-4TZP-9XWR");
    expect(parseReference("K7QM4TZP9XWR")).toBe("K7QM-4TZP-9XWR");
    expect(parseReference("k7qm-4tzp-9xwr.")).toBe("K7QM-4TZP-9XWR");
    expect(parseReference("O1IL-0000-0000")).toBe("0111-0000-0000");
    expect(parseReference("K7QM-4TZP")).toBeNull();
    expect(parseReference("K7QM-4TZP-9XWU")).toBeNull();
  });

  it("makes six-digit PINs and reads typed ones", () => {
    for (let i = 0; i < 200; i++) expect(generatePin()).toMatch(/^\d{6}$/);
    expect(parsePin("123 456")).toBe("123456");
    expect(parsePin("12345")).toBeNull();
    expect(parsePin("12345a")).toBeNull();
  });
});

describe("status look-up rules", () => {
  const now = new Date("2026-11-28T10:00:00Z");
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

  it("locks a chat at the fifth failure within 15 minutes until the oldest leaves the window", () => {
    expect(chatLockedUntil([1, 2, 3, 4].map(minutesAgo), now)).toBeNull();
    const until = chatLockedUntil([1, 2, 3, 4, 10].map(minutesAgo), now);
    expect(until?.toISOString()).toBe(new Date(minutesAgo(10).getTime() + 15 * 60_000).toISOString());
    expect(chatLockedUntil([1, 2, 3, 4, 16].map(minutesAgo), now)).toBeNull();
  });
});

describe("what each viewer is told", () => {
  it("gives a tipster coarse stages and the victim the service stage", () => {
    expect(statusStageFor("TIPSTER", "ROUTED", null)).toBe("tipster.FORWARDED");
    expect(statusStageFor("TIPSTER", "ASSISTANCE", "RECOVERY")).toBe("tipster.IN_PROGRESS");
    expect(statusStageFor("TIPSTER", "CLOSED", null)).toBe("tipster.CLOSED");
    expect(statusStageFor("VICTIM", "ASSISTANCE", "RETURN")).toBe("victim.ASSISTANCE_RETURN");
    expect(statusStageFor("VICTIM", "MONITORING", null)).toBe("victim.MONITORING");
  });
});

describe("the status transition table", () => {
  it("moves forward one stage at a time and allows closing from anywhere but CLOSED", () => {
    expect(canTransition("RECEIVED", "ROUTED")).toBe(true);
    expect(canTransition("ROUTED", "ASSISTANCE")).toBe(false);
    expect(canTransition("ASSESSMENT", "CLOSED")).toBe(true);
    expect(canTransition("CLOSED", "ASSISTANCE")).toBe(false);
  });
});

describe("the elements of UU 21/2007", () => {
  it("derives act, means and purpose from the category and indicator answers", () => {
    expect(tppoElements("FORCED_LABOUR", { documentsHeld: "YES", freeToLeave: "NO" })).toEqual({
      act: true,
      means: true,
      purpose: true,
    });
    expect(tppoElements("UNSURE", {})).toEqual({ act: false, means: false, purpose: false });
    expect(tppoElements("MIGRANT_WORKER_ABROAD", { deceived: "YES" })).toEqual({
      act: true,
      means: true,
      purpose: false,
    });
  });
});
