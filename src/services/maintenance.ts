import type { App } from "../app.ts";
import { applyRetention, type RetentionResult } from "../policy/retention.ts";
import { releaseWaitingCards } from "./office-destinations.ts";

/** What one maintenance run did. */
export interface MaintenanceResult extends RetentionResult {
  /** Unfinished conversations whose answers were dropped. */
  expired: number;
  /** Web login links and sessions deleted a day after their last use. */
  webPurged: number;
}

/**
 * Periodic housekeeping inside the service: unfinished conversations past their expiry lose
 * their answers (the person is greeted gently when they return), cards waiting for a destination
 * are released, the retention policy (src/policy/retention.ts) is applied, and web login links and
 * sessions past any use are deleted.
 */
export async function runMaintenance(app: App): Promise<MaintenanceResult> {
  const now = app.clock.now();
  const expired = await app.conversations.expireAbandoned(now, app.config.defaultLanguage);
  await releaseWaitingCards(app);
  const retention = await applyRetention(app, now);
  const webPurged = await app.webAuth.purge(now);
  if (expired > 0 || webPurged > 0)
    app.logger.info({ event: "maintenance.done", expiredConversations: expired, webPurged });
  return { expired, webPurged, ...retention };
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
