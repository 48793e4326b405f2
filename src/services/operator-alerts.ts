import { type ChannelAddress, channelOf } from "../channels/types.ts";
import type { Translate } from "../conversation/ports.ts";
import type { Db } from "../db/database.ts";
import type { IdentityStore } from "../db/identity-store.ts";
import type { LeaseStore } from "../db/lease-store.ts";
import type { OutboxStore } from "../db/outbox-store.ts";
import type { Language } from "../domain/language.ts";
import type { Logger } from "../logging/logger.ts";
import type { Clock } from "./clock.ts";

/** The situations that need a person. */
export const ALERT_KINDS = [
  "whatsapp_logged_out",
  "outbox_backlog",
  "outbox_stale",
  "dispatcher_failing",
  "attachment_storage",
  "invite_guessing",
] as const;

/** One situation that needs a person. */
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What the alerts are built from. */
export interface OperatorAlertsDeps {
  db: Db;
  leases: LeaseStore;
  identities: IdentityStore;
  outbox: OutboxStore;
  translate: (language: Language) => Translate;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  /** The admin chat alerts go to; null only logs them. */
  adminChat: ChannelAddress | null;
  language: Language;
  /** An alert of one kind repeats at most this often, across all instances. */
  repeatMs: number;
  /** Called after an alert is queued, so the dispatcher sends it now. */
  onQueued?: () => void;
}

/**
 * Tells operators when something needs a person (DESIGN §6): a log line always, and a message to
 * the configured admin chat at most once per kind per repeat window across every instance (the
 * window is a lease named after the kind, so two instances seeing the same backlog send one).
 */
export class OperatorAlerts {
  readonly #deps: OperatorAlertsDeps;

  constructor(deps: OperatorAlertsDeps) {
    this.#deps = deps;
  }

  /** The identity of the admin chat, once it is known (the dispatcher sends its messages first). */
  async adminIdentityId(): Promise<string | null> {
    const { adminChat, identities, clock } = this.#deps;
    if (!adminChat) return null;
    return (await identities.resolve(adminChat, clock.now())).id;
  }

  /**
   * Raises an alert: logged every time, sent to the admin chat unless one of this kind was sent
   * within the repeat window. Returns whether a message was queued.
   */
  async raise(kind: AlertKind, details: Record<string, string | number>): Promise<boolean> {
    const { leases, clock, logger, instanceId, repeatMs, adminChat, outbox, db, translate, language } = this.#deps;
    logger.error({ event: "operator.alert", kind, ...details });
    if (!adminChat) return false;
    const now = clock.now();
    const name = `alert:${kind}`;
    // A live window (whoever opened it) means this kind was sent recently; the take itself is atomic.
    if (await leases.holderOf(name, now)) return false;
    if (!(await leases.acquire(name, instanceId, now, repeatMs))) return false;
    try {
      const identityId = await this.adminIdentityId();
      if (!identityId) throw new Error("no identity for the admin chat");
      const text = translate(language)(`operator:alerts.${kind}`, details);
      await outbox.enqueueWrite(identityId, channelOf(adminChat), [{ text }], now)(db);
    } catch (error) {
      // Not queued: reopen the window, so that the next check (here or on another instance) tries again.
      await leases.release(name, instanceId).catch(() => {});
      throw error;
    }
    logger.warn({ event: "operator.alert_queued", kind });
    this.#deps.onQueued?.();
    return true;
  }
}
