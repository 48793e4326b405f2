import type { App } from "../app.ts";
import { releaseWaitingCards } from "./office-destinations.ts";
import { purgeExpired } from "./retention.ts";

const DEDUPE_RETENTION_MS = 30 * 24 * 60 * 60_000;

/**
 * Periodic housekeeping inside the service: unfinished conversations past their expiry lose
 * their answers (the person is greeted gently when they return), cards waiting for a destination
 * are released, closed cases past retention are purged, and old dedupe rows go.
 */
export async function runMaintenance(app: App): Promise<{ expired: number; prunedInbound: number }> {
  const now = app.clock.now();
  const expired = await app.conversations.expireAbandoned(now, app.config.defaultLanguage);
  await releaseWaitingCards(app);
  await purgeExpired(app, now);
  const pruned = await app.database.prisma.inboundMessage.deleteMany({
    where: { receivedAt: { lt: new Date(now.getTime() - DEDUPE_RETENTION_MS) } },
  });
  await app.reportQuota.prune(now);
  await app.lookupBudgets.prune(now);
  // Look-up attempts matter for a day (DESIGN §5); older ones only say who tried what.
  await app.database.prisma.statusLookup.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - 2 * 24 * 60 * 60_000) } },
  });
  if (expired > 0 || pruned.count > 0) {
    app.logger.info({ event: "maintenance.done", expiredConversations: expired, prunedInbound: pruned.count });
  }
  return { expired, prunedInbound: pruned.count };
}

/** Runs maintenance now and then every interval; the returned stop waits for a run in progress. */
export function startMaintenance(app: App, intervalMs = 5 * 60_000): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    // A slow run is not doubled by the next interval.
    if (running) return;
    running = runMaintenance(app)
      .catch((error: unknown) => app.logger.error({ event: "maintenance.failed", err: error }))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
