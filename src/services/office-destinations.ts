import type { App } from "../app.ts";

/**
 * Hands cards that waited for a destination to the chats that can now take them: an office's
 * own destination, else the fallback desk's. Run after a destination is set, after staff enrol,
 * at start and in maintenance. Returns how many waiting messages were released.
 */
export async function releaseWaitingCards(
  app: Pick<App, "offices" | "outbox" | "matrix" | "clock" | "logger">,
): Promise<number> {
  const waiting = await app.outbox.waitingByOffice();
  let released = 0;
  for (const officeCode of waiting.keys()) {
    let recipients = await app.offices.recipientsOf(officeCode);
    if (recipients.length === 0 && officeCode !== app.matrix.fallback)
      recipients = await app.offices.recipientsOf(app.matrix.fallback);
    released += await app.outbox.releaseWaiting(officeCode, recipients, app.clock.now());
  }
  if (released > 0) app.logger.info({ event: "outbox.waiting_released", count: released });
  return released;
}

/** Warns (on stderr, via the log) when offices cannot receive cards, and says where their cards go. */
export async function warnAboutMissingDestinations(app: Pick<App, "offices" | "matrix" | "logger">): Promise<string[]> {
  const missing = await app.offices.withoutDestination();
  if (missing.length > 0) {
    const fallbackMissing = missing.includes(app.matrix.fallback);
    app.logger.warn({
      event: "offices.without_destination",
      count: missing.length,
      fallback: app.matrix.fallback,
      fallbackHasDestination: !fallbackMissing,
      msg: fallbackMissing
        ? `${missing.length} offices have no chat destination, the national desk included: their cards wait in the outbox. Set one with: npm run admin -- offices set-destination <code> ...`
        : `${missing.length} offices have no chat destination: their cards go to the national desk (${app.matrix.fallback}) until one is set.`,
    });
  }
  return missing;
}
