import type { App } from "../app.ts";
import type { ChannelAddress } from "../channels/types.ts";
import { isRecordNotFound, type Prisma } from "../db/database.ts";

const DAY_MS = 24 * 60 * 60_000;
/** Inbound dedupe rows, and delivered outbox rows, are kept this long (a platform may redeliver for days). */
export const DELIVERY_RECORD_DAYS = 30;
/** Status look-up attempts matter for a day (DESIGN §5); older ones would only say who tried what. */
export const LOOKUP_RECORD_DAYS = 2;
/** Files that never joined a case (a report abandoned before it was sent) are kept this long. */
export const UNATTACHED_FILE_DAYS = 7;
/** Used or expired staff invite codes are kept this long after they expire (for questions about an enrolment). */
export const INVITE_RECORD_DAYS = 30;

/** What the retention and erasure policy does to one table. */
export interface TableRule {
  /** What the table holds that matters for privacy. */
  holds: string;
  /** What happens with time (RETENTION_DAYS and the fixed periods above). */
  retention: string;
  /** What happens when a reporter asks to erase their contact details ("hapus", then yes). */
  erasure: string;
}

/**
 * Every table and what retention and erasure do to it (DESIGN §5). Keyed by the Prisma models,
 * so that a new table does not compile until someone decides what happens to its rows.
 */
export const DATA_POLICY: Record<Prisma.ModelName, TableRule> = {
  ContactIdentity: {
    holds: "a chat's address, encrypted, and its keyed hash",
    retention:
      "deleted once idle for RETENTION_DAYS, unless it is staff, an office's destination, the operator alert chat, a case's reporter, or has messages waiting to be sent",
    erasure: "kept (the person is still talking to the bot); unlinked from their cases",
  },
  Conversation: {
    holds: "the dialogue state, encrypted (unfinished answers)",
    retention: "answers of an unfinished conversation dropped when it expires; deleted with its identity",
    erasure: "reset to the menu by 'hapus'",
  },
  WebLoginLink: {
    holds: "a staff member's one-time web login link: the hash of its token, its expiry and its use",
    retention: "deleted a day after it expired (maintenance)",
    erasure: "not concerned (staff data)",
  },
  WebSession: {
    holds: "a signed-in browser of the web inbox: the hash of its cookie, its staff member, its last use",
    retention: "deleted a day after it ended or went idle (maintenance)",
    erasure: "not concerned (staff data)",
  },
  EmergencyContactEdit: {
    holds: "public emergency numbers of a country with their sources, and the admin who confirmed them",
    retention: "kept (public data, replaced by the next edit)",
    erasure: "not concerned (no reporter data)",
  },
  Case: {
    holds: "the coded report, and encrypted narrative, place and contact; keyed hashes of PINs",
    retention:
      "RETENTION_DAYS after closing: narrative, place, contact, reporter link and PIN hashes removed; the coded record stays for statistics",
    erasure: "contact and reporter link removed from every case of the chat",
  },
  CaseEvent: {
    holds: "what happened to a case, coded (append-only)",
    retention: "kept (no personal data)",
    erasure: "kept; the erasure itself is recorded",
  },
  CaseCopy: { holds: "which office got a copy", retention: "kept (coded)", erasure: "kept" },
  CaseMessage: {
    holds: "staff replies, reporter messages and notes, encrypted",
    retention: "deleted with the case's narrative",
    erasure: "kept until retention (the office's record of the case)",
  },
  CaseService: {
    holds: "services given to a victim (coded type and stage; provider and note encrypted)",
    retention: "provider and note removed with the case's narrative; the coded service stays for statistics",
    erasure: "kept until retention (the office's record of help given)",
  },
  Referral: {
    holds:
      "a case referred to a partner provider: coded services, consent (who, how, when), answers and dates; no free text",
    retention: "kept with the case's coded record, for statistics of referrals made, accepted, declined and expired",
    erasure: "kept until retention (the office's record of help arranged; it names no reporter)",
  },
  Attachment: {
    holds: "photos, voice notes and documents, encrypted",
    retention: `deleted with the case's narrative; files that never joined a case after ${UNATTACHED_FILE_DAYS} days`,
    erasure: "kept until retention (evidence of the case)",
  },
  FollowUp: {
    holds: "reminders and check-ins of a case, coded answers",
    retention: "kept with the coded case",
    erasure: "kept",
  },
  InboundMessage: {
    holds: "dedupe keys of received messages (no text)",
    retention: `deleted after ${DELIVERY_RECORD_DAYS} days, and with their identity`,
    erasure: "kept (no text); 'hapus' asks the platform to delete the messages themselves",
  },
  OutboxMessage: {
    holds: "messages to send, encrypted until delivered",
    retention: `what was said is removed at delivery (or when given up); delivered rows deleted after ${DELIVERY_RECORD_DAYS} days, and with their identity; a chat's pending or held messages keep its identity; a message held for a reporter who asked for none (a reissued PIN) is deleted after ${DELIVERY_RECORD_DAYS} days unsent`,
    erasure: "the chat's delivered rows deleted by 'hapus'",
  },
  ReportQuotaMark: {
    holds: "one keyed hash of a chat per report it opened (for the daily report limit), and when",
    retention: "deleted after 24 hours",
    erasure: "kept for its 24 hours: erasing contact data must not reset the daily limit",
  },
  StatusLookupBudget: {
    holds: "per keyed hash of a reference: failed status look-ups and when the next check may be",
    retention: "deleted a day after the last failure",
    erasure: "kept (the per-reference watch must survive it)",
  },
  StatusLookup: {
    holds: "status look-up attempts: keyed hash of the reference, success",
    retention: `deleted after ${LOOKUP_RECORD_DAYS} days`,
    erasure: "kept (the per-reference watch must survive it)",
  },
  Office: { holds: "offices and their chat destination", retention: "kept", erasure: "not personal" },
  Provider: {
    holds: "partner organisations: name, kind, hours, public contact channels",
    retention: "kept; deactivated rather than deleted",
    erasure: "not personal",
  },
  ProviderService: { holds: "the services each partner offers", retention: "kept", erasure: "not personal" },
  ProviderArea: { holds: "the areas each partner serves", retention: "kept", erasure: "not personal" },
  Staff: {
    holds: "staff names and their chat link",
    retention: "kept while the office needs the record",
    erasure: "not a reporter's data",
  },
  StaffInvite: {
    holds: "keyed hashes of invite codes",
    retention: `deleted ${INVITE_RECORD_DAYS} days after expiry`,
    erasure: "not a reporter's data",
  },
  AuditLog: {
    holds: "who viewed or did what, coded (append-only)",
    retention: "kept",
    erasure: "kept; the erasure itself is recorded on the case",
  },
  WhatsAppAuth: {
    holds: "the bot's own WhatsApp session, encrypted",
    retention: "kept while linked",
    erasure: "not a reporter's data",
  },
  Lease: { holds: "which instance does what (no personal data)", retention: "kept", erasure: "not personal" },
};

/** What one retention run removed. */
export interface RetentionResult {
  cases: number;
  identities: number;
  clearedPayloads: number;
  deliveredRows: number;
}

/**
 * Applies DATA_POLICY's retention column: closed cases past RETENTION_DAYS lose their personal
 * data, idle identities nothing needs go, delivered messages lose their text and later their rows.
 */
export async function applyRetention(
  app: Pick<
    App,
    "database" | "config" | "clock" | "logger" | "identities" | "outbox" | "caseStore" | "reportQuota" | "lookupBudgets"
  >,
  now: Date = app.clock.now(),
): Promise<RetentionResult> {
  const db = app.database.prisma;
  const cases = await purgeClosedCases(app, now);
  const identities = await purgeIdleIdentities(app, now);
  let clearedPayloads = 0;
  for (let cleared = -1; cleared !== 0; clearedPayloads += cleared) cleared = await app.outbox.clearDeliveredPayloads();
  const recordsBefore = new Date(now.getTime() - DELIVERY_RECORD_DAYS * DAY_MS);
  const delivered = await db.outboxMessage.deleteMany({
    where: {
      status: { in: ["SENT", "FAILED"] },
      OR: [{ sentAt: { lt: recordsBefore } }, { createdAt: { lt: recordsBefore } }],
    },
  });
  // A PIN held for a reporter who never wrote again does not wait for ever.
  await db.outboxMessage.deleteMany({ where: { status: "HELD", createdAt: { lt: recordsBefore } } });
  await db.inboundMessage.deleteMany({ where: { receivedAt: { lt: recordsBefore } } });
  await db.statusLookup.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - LOOKUP_RECORD_DAYS * DAY_MS) } },
  });
  await db.attachment.deleteMany({
    where: { caseId: null, createdAt: { lt: new Date(now.getTime() - UNATTACHED_FILE_DAYS * DAY_MS) } },
  });
  await db.staffInvite.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - INVITE_RECORD_DAYS * DAY_MS) } },
  });
  await app.reportQuota.prune(now);
  await app.lookupBudgets.prune(now);
  const result = { cases, identities, clearedPayloads, deliveredRows: delivered.count };
  if (cases > 0 || identities > 0 || clearedPayloads > 0 || delivered.count > 0) {
    app.logger.info({ event: "retention.applied", ...result });
  }
  return result;
}

async function purgeClosedCases(app: Pick<App, "database" | "config" | "caseStore">, now: Date): Promise<number> {
  const db = app.database.prisma;
  const cutoff = new Date(now.getTime() - app.config.retentionDays * DAY_MS);
  const expired = await db.case.findMany({
    where: { status: "CLOSED", closedAt: { lt: cutoff }, purgedAt: null },
    select: { id: true },
    take: 500,
  });
  let purged = 0;
  for (const { id } of expired) {
    const record = await app.caseStore.loadById(id);
    if (record?.status !== "CLOSED" || record.purgedAt) continue;
    try {
      await db.$transaction(app.caseStore.purge(record, app.config.retentionDays, now));
      purged++;
    } catch (error) {
      // Reopened (or otherwise changed) since it was read: it keeps everything.
      if (!isRecordNotFound(error)) throw error;
    }
  }
  return purged;
}

/**
 * Identities idle for the period that nothing needs: not staff, not an office's destination (the
 * relation restricts it too), not the operator alert chat, no case names it as reporter, and
 * nothing waits to be sent to it.
 */
async function purgeIdleIdentities(app: Pick<App, "database" | "config" | "identities">, now: Date): Promise<number> {
  const db = app.database.prisma;
  const cutoff = new Date(now.getTime() - app.config.retentionDays * DAY_MS);
  const alertChat = app.config.alerts.adminChat
    ? await app.identities.find(app.config.alerts.adminChat as ChannelAddress)
    : null;
  const idle = await db.contactIdentity.findMany({
    where: {
      createdAt: { lt: cutoff },
      staff: null,
      destinationOf: { none: {} },
      outbox: { none: { status: { in: ["PENDING", "HELD"] } } },
      OR: [{ conversation: null }, { conversation: { updatedAt: { lt: cutoff } } }],
      ...(alertChat ? { id: { not: alertChat.id } } : {}),
    },
    select: { id: true },
    take: 1000,
  });
  const referenced = new Set(
    (
      await db.case.findMany({
        where: { reporterIdentityId: { in: idle.map((i) => i.id) } },
        select: { reporterIdentityId: true },
      })
    ).map((c) => c.reporterIdentityId),
  );
  const orphans = idle.map((i) => i.id).filter((id) => !referenced.has(id));
  if (orphans.length === 0) return 0;
  await db.$transaction([
    db.statusLookup.deleteMany({ where: { identityId: { in: orphans } } }),
    db.inboundMessage.deleteMany({ where: { identityId: { in: orphans } } }),
    db.attachment.deleteMany({ where: { identityId: { in: orphans }, caseId: null } }),
    db.contactIdentity.deleteMany({ where: { id: { in: orphans } } }),
  ]);
  app.identities.forget(orphans);
  return orphans.length;
}
