import type { App } from "../app.ts";
import { isRecordNotFound } from "../db/database.ts";

const DAY_MS = 24 * 60 * 60_000;

/** What a purge removed. */
export interface PurgeResult {
  cases: number;
  identities: number;
}

/**
 * Retention (DESIGN §5): cases closed longer than RETENTION_DAYS lose their narrative, place
 * details, contact data, reporter link, messages and attachments; the coded record and its
 * events stay for statistics. Chat identities nothing refers to any more, idle that long, go too.
 */
export async function purgeExpired(
  app: Pick<App, "database" | "config" | "clock" | "logger" | "caseStore">,
  now: Date = app.clock.now(),
): Promise<PurgeResult> {
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
  // Identities: no case refers to them, they are not staff, and nothing happened in their chat for the period.
  const idle = await db.contactIdentity.findMany({
    where: {
      createdAt: { lt: cutoff },
      staff: null,
      OR: [{ conversation: null }, { conversation: { updatedAt: { lt: cutoff } } }],
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
  if (orphans.length > 0) {
    await db.$transaction([
      db.statusLookup.deleteMany({ where: { identityId: { in: orphans } } }),
      db.inboundMessage.deleteMany({ where: { identityId: { in: orphans } } }),
      db.attachment.deleteMany({ where: { identityId: { in: orphans }, caseId: null } }),
      db.contactIdentity.deleteMany({ where: { id: { in: orphans } } }),
    ]);
  }
  if (purged > 0 || orphans.length > 0) {
    app.logger.info({ event: "retention.purged", cases: purged, identities: orphans.length });
  }
  return { cases: purged, identities: orphans.length };
}
