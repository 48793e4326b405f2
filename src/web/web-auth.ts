import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/database.ts";
import type { DeferredWrite } from "../db/step-writer.ts";
import { endWebAccessWrites } from "../db/web-access.ts";
import { toStaff } from "../directory/staff-repository.ts";
import type { StaffActor } from "../domain/staff-actions.ts";
import { toActor } from "../services/staff-enrolment.ts";

/** A login link works this long after it was sent. */
export const LOGIN_LINK_TTL_MS = 10 * 60_000;
/** A session unused this long is over: the browser must log in again. */
export const SESSION_IDLE_MS = 8 * 60 * 60_000;
/** However busy, a session lasts at most this long: a stolen cookie in use does not live for ever. */
export const SESSION_MAX_MS = 24 * 60 * 60_000;
/** A session's last use is written at most this often (not on every page). */
const TOUCH_EVERY_MS = 60_000;

/** Why a login link did not open a session. */
export type LinkRefusal = "unknown" | "used" | "expired" | "inactive";

/** A signed-in staff member, as the web sees them on each request. */
export interface WebSessionView {
  staff: StaffActor;
  /** The chat the staff member enrolled from: login announcements go there. */
  identityId: string | null;
  /** When the login link that opened this session was used: some downloads need a recent one. */
  signedInAt: Date;
}

/** Where the web inbox is reached, known once its server listens; null while the inbox is off. */
export interface WebAddress {
  baseUrl: string | null;
}

/** Tokens are stored only as their hash: a copy of the database opens no session. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A fresh unguessable token (256 bits), safe in a URL and a cookie. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** A token as it may appear in a URL or cookie: anything else is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * One-time login links and the sessions they open (issue 15). A link is asked for in a staff
 * member's private chat, lives ten minutes and opens one session; a session ends after eight idle
 * hours (24 in all), on `/keluar` from the chat, when the chat is linked again, or at once when the
 * staff member is deactivated (and a reactivation does not revive it).
 */
export class WebAuthStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The write that stores a new login link (in the step that sends it) and the token for the message. */
  newLink(staffId: string, now: Date): { token: string; expiresAt: Date; write: DeferredWrite } {
    const token = newToken();
    const expiresAt = new Date(now.getTime() + LOGIN_LINK_TTL_MS);
    const row = { tokenHash: tokenHash(token), staffId, expiresAt, createdAt: now };
    return { token, expiresAt, write: (db) => db.webLoginLink.create({ data: row, select: { tokenHash: true } }) };
  }

  /** What opening a link would do, without using it up (a preview fetcher only looks). */
  async checkLink(token: string, now: Date): Promise<LinkRefusal | null> {
    if (!TOKEN_SHAPE.test(token)) return "unknown";
    const link = await this.#db.webLoginLink.findUnique({
      where: { tokenHash: tokenHash(token) },
      select: { usedAt: true, expiresAt: true, staff: { select: { active: true } } },
    });
    if (!link) return "unknown";
    if (link.usedAt) return "used";
    if (link.expiresAt <= now) return "expired";
    return link.staff.active ? null : "inactive";
  }

  /**
   * Uses a link and opens a session. The link is taken by one conditional update, so of two
   * presses of "Masuk" (or a replayed request) only one opens a session.
   */
  async redeemLink(
    token: string,
    now: Date,
  ): Promise<{ ok: true; sessionToken: string; session: WebSessionView } | { ok: false; why: LinkRefusal }> {
    const refusal = await this.checkLink(token, now);
    if (refusal) return { ok: false, why: refusal };
    const hash = tokenHash(token);
    const taken = await this.#db.webLoginLink.updateMany({
      where: { tokenHash: hash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (taken.count !== 1) return { ok: false, why: "used" };
    const link = await this.#db.webLoginLink.findUniqueOrThrow({
      where: { tokenHash: hash },
      select: { staffId: true },
    });
    const sessionToken = newToken();
    await this.#db.webSession.create({
      data: { tokenHash: tokenHash(sessionToken), staffId: link.staffId, createdAt: now, lastSeenAt: now },
    });
    const session = await this.sessionOf(sessionToken, now);
    return session ? { ok: true, sessionToken, session } : { ok: false, why: "inactive" };
  }

  /** The staff member behind a session cookie, or null: unknown, ended, idle too long, or deactivated. */
  async sessionOf(sessionToken: string, now: Date): Promise<WebSessionView | null> {
    if (!TOKEN_SHAPE.test(sessionToken)) return null;
    const hash = tokenHash(sessionToken);
    const row = await this.#db.webSession.findUnique({
      where: { tokenHash: hash },
      select: {
        endedAt: true,
        createdAt: true,
        lastSeenAt: true,
        staff: {
          select: {
            id: true,
            name: true,
            officeCode: true,
            role: true,
            providerCode: true,
            active: true,
            language: true,
            identityId: true,
            createdAt: true,
          },
        },
      },
    });
    if (!row || row.endedAt || !row.staff.active) return null;
    if (now.getTime() - row.lastSeenAt.getTime() >= SESSION_IDLE_MS) return null;
    if (now.getTime() - row.createdAt.getTime() >= SESSION_MAX_MS) return null;
    if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS)
      await this.#db.webSession.updateMany({ where: { tokenHash: hash, endedAt: null }, data: { lastSeenAt: now } });
    return { staff: toActor(toStaff(row.staff)), identityId: row.staff.identityId, signedInAt: row.createdAt };
  }

  /** Ends one session (the browser's "Keluar"). */
  async endSession(sessionToken: string, now: Date): Promise<void> {
    if (!TOKEN_SHAPE.test(sessionToken)) return;
    await this.#db.webSession.updateMany({
      where: { tokenHash: tokenHash(sessionToken), endedAt: null },
      data: { endedAt: now },
    });
  }

  /** The writes that end every session of a staff member and void their unused links (`/keluar`). */
  endAllWrite(staffId: string, now: Date): DeferredWrite[] {
    return endWebAccessWrites(staffId, now);
  }

  /** How many sessions of a staff member are open now. */
  countOpen(staffId: string, now: Date): Promise<number> {
    return this.#db.webSession.count({
      where: { staffId, endedAt: null, lastSeenAt: { gt: new Date(now.getTime() - SESSION_IDLE_MS) } },
    });
  }

  /** Deletes links and sessions past any use (maintenance): nothing about them is needed after a day. */
  async purge(now: Date): Promise<number> {
    const dayAgo = new Date(now.getTime() - 24 * 60 * 60_000);
    const links = await this.#db.webLoginLink.deleteMany({ where: { expiresAt: { lt: dayAgo } } });
    const sessions = await this.#db.webSession.deleteMany({
      where: {
        OR: [
          { endedAt: { lt: dayAgo } },
          { lastSeenAt: { lt: new Date(dayAgo.getTime() - SESSION_IDLE_MS) } },
          { createdAt: { lt: new Date(dayAgo.getTime() - SESSION_MAX_MS) } },
        ],
      },
    });
    return links.count + sessions.count;
  }
}
