import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { SlidingWindowLimiter } from "../outbox/rate-limiter.ts";

/** The names of the inbox's cookies. */
export interface CookieNames {
  /** The session cookie. */
  session: string;
  /** Binds a login form to the browser that opened the link (login CSRF). */
  preLogin: string;
  /** A one-request notice carried across a redirect (post, redirect, get). */
  notice: string;
  /** The language a visitor picked with the switch. */
  language: string;
}

/** The real inbox's cookies. */
export const LIVE_COOKIES: Readonly<CookieNames> = {
  session: "tppo_session",
  preLogin: "tppo_pre",
  notice: "tppo_notice",
  language: "tppo_lang",
};

/**
 * The training inbox's cookies. Browsers do not keep cookies apart by port, so a training inbox on
 * the same host as the real one needs names of its own: otherwise signing in to one would sign out
 * of the other, or carry a session across.
 */
export const TRAINING_COOKIES: Readonly<CookieNames> = {
  session: "tppo_latihan_session",
  preLogin: "tppo_latihan_pre",
  notice: "tppo_latihan_notice",
  language: "tppo_latihan_lang",
};

/**
 * Headers on every response: scripts and styles only from the inbox itself (no inline script),
 * never framed, no referrer leaving with a case URL, nothing stored by the browser or a proxy.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
};

/** The form token of a session: derived from the session's secret, so it needs no storage and dies with it. */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac("sha256", sessionToken).update("tppo-web-csrf").digest("base64url");
}

/** Compares two tokens in constant time; false when either is missing. */
export function sameToken(a: string | undefined | null, b: string | undefined | null): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A random value for the login form's cookie. */
export function newPreLoginToken(): string {
  return randomBytes(18).toString("base64url");
}

/** Reads the cookies of a request into a map (later duplicates lose). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(part.slice(at + 1).trim()));
    } catch {
      // A malformed value is treated as absent.
    }
  }
  return cookies;
}

/** A Set-Cookie value: HttpOnly and SameSite=Strict always, Secure when the inbox is served over https. */
export function cookie(name: string, value: string, options: { secure: boolean; maxAgeSeconds?: number }): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", "HttpOnly", "SameSite=Strict"];
  if (options.secure) parts.push("Secure");
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join("; ");
}

/**
 * Counts attempts per key (a client address) in a sliding minute: login links are unguessable,
 * but a client trying many is refused before it reaches the database. The window is the
 * dispatcher's limiter; a flood of addresses starts it afresh rather than grow without bound.
 */
export class RequestLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  #window: SlidingWindowLimiter;
  #keys = new Set<string>();

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#window = new SlidingWindowLimiter(limit, windowMs);
  }

  /** Counts an attempt of the key; false when the key is over its limit (the attempt is not counted then). */
  allow(key: string, now: number): boolean {
    if (this.#window.waitMs(key, now) > 0) return false;
    if (this.#keys.size >= 10_000 && !this.#keys.has(key)) {
      this.#window = new SlidingWindowLimiter(this.#limit, this.#windowMs);
      this.#keys = new Set();
    }
    this.#keys.add(key);
    this.#window.record(key, now);
    return true;
  }

  /** Takes back the key's latest attempt: it was a working link, not a guess. */
  forgive(key: string): void {
    this.#window.forget(key);
  }
}
