import {
  createConcurrentSink,
  createRunner,
  createSource,
  createUpdateFetcher,
  type RunnerHandle,
  type RunnerOptions,
} from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { Update } from "grammy/types";

/** How often to ask again while only updates still being handled come back. */
const BUSY_POLL_MS = 250;
/**
 * How long `stop()` waits for updates in hand. Shutdown has 10 s in all; an update not finished
 * by then is not confirmed, so Telegram delivers it again to the next instance.
 */
const STOP_DRAIN_MS = 5000;

/**
 * Long polling through grammY's runner that never confirms an update before it is handled.
 * Telegram takes the offset of each getUpdates as "everything below is done"; grammY's own `run`
 * moves it past updates still being handled, so a kill -9 loses them. Here the offset stays at
 * the oldest update still in hand: Telegram sends that one (and those after it) again, which are
 * skipped while in hand or already handled, and new updates are taken as they come, so one slow
 * update (a download, a slowed status check) holds up no other chat. A crash can only make
 * Telegram deliver again what was in hand, and the inbound dedupe handles each once.
 *
 * `stop()` stops asking and waits (up to 5 s) for the updates in hand.
 */
export function runWithoutLoss(bot: Bot, options: RunnerOptions = {}): RunnerHandle {
  /** Updates taken and not yet handled: null until the sink starts on it. */
  const inHand = new Map<number, Promise<void> | null>();
  /** Handled updates above the oldest one in hand: Telegram sends them again until the offset passes them. */
  const handledAhead = new Set<number>();
  /** Every update below this is handled: the offset to confirm. */
  let confirmable = 0;

  const advance = () => {
    const oldest = inHand.size > 0 ? Math.min(...inHand.keys()) : Number.POSITIVE_INFINITY;
    for (const id of handledAhead) {
      if (id >= oldest) continue;
      confirmable = Math.max(confirmable, id + 1);
      handledAhead.delete(id);
    }
  };
  // grammY's fetcher keeps its retry and back-off on errors; only the offset it asks with is ours.
  const getUpdates: Bot["api"]["getUpdates"] = (args, signal) => {
    const oldest = inHand.size > 0 ? Math.min(...inHand.keys()) : confirmable;
    // With updates in hand Telegram answers at once anyway (they are still pending at this offset).
    return bot.api.getUpdates({ ...args, offset: oldest, ...(inHand.size > 0 ? { timeout: 0 } : {}) }, signal);
  };
  const fetchUpdates = createUpdateFetcher({ api: { getUpdates } } as unknown as Bot, options);

  let initialized = false;
  const source = createSource<Update>({
    supply: async (batchSize, signal) => {
      if (!initialized) {
        await bot.init();
        initialized = true;
      }
      for (;;) {
        const updates = await fetchUpdates(batchSize, signal);
        // A fetch asked before an update finished may bring it back: below `confirmable` all are handled.
        const fresh = updates.filter(
          (u) => u.update_id >= confirmable && !inHand.has(u.update_id) && !handledAhead.has(u.update_id),
        );
        for (const update of fresh) inHand.set(update.update_id, null);
        if (fresh.length > 0 || inHand.size === 0 || signal.aborted) return fresh;
        // Only updates still in hand came back: wait for one of them, or a moment, and ask again.
        const handling = [...inHand.values()].filter((p): p is Promise<void> => p !== null);
        await Promise.race([...handling, new Promise((r) => setTimeout(r, BUSY_POLL_MS))]);
      }
    },
  });
  const sink = createConcurrentSink<Update>(
    {
      consume: (update) => {
        const id = update.update_id;
        const handled = bot.handleUpdate(update);
        const settled = handled.then(
          () => {},
          () => {},
        );
        inHand.set(id, settled);
        void settled.then(() => {
          inHand.delete(id);
          handledAhead.add(id);
          advance();
        });
        return handled;
      },
    },
    async (error) => {
      await bot.errorHandler(error as Parameters<typeof bot.errorHandler>[0]);
    },
  );
  const runner = createRunner(source, sink);
  runner.start();
  return {
    ...runner,
    stop: async () => {
      await runner.stop();
      const handling = [...inHand.values()].filter((p): p is Promise<void> => p !== null);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(handling),
        new Promise((r) => {
          timer = setTimeout(r, STOP_DRAIN_MS);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
