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

/**
 * Long polling through grammY's runner, handling each batch of updates concurrently, but asking
 * for the next batch only once every update of the last one is handled. Asking for the next
 * batch is what confirms the last one to Telegram (its offset): grammY's own `run` asks while
 * updates are still being handled, so a kill -9 then loses them; here a crash can only make
 * Telegram deliver them again, and the inbound dedupe handles each once.
 */
export function runWithoutLoss(bot: Bot, options: RunnerOptions = {}): RunnerHandle {
  const fetchUpdates = createUpdateFetcher(bot, options);
  const handling = new Set<Promise<void>>();
  let initialized = false;
  const source = createSource<Update>({
    supply: async (batchSize, signal) => {
      if (!initialized) {
        await bot.init();
        initialized = true;
      }
      await Promise.allSettled([...handling]);
      return fetchUpdates(batchSize, signal);
    },
  });
  const sink = createConcurrentSink<Update>(
    {
      consume: (update) => {
        const handled = bot.handleUpdate(update);
        handling.add(handled);
        void handled.finally(() => handling.delete(handled)).catch(() => {});
        return handled;
      },
    },
    async (error) => {
      await bot.errorHandler(error as Parameters<typeof bot.errorHandler>[0]);
    },
  );
  const runner = createRunner(source, sink);
  runner.start();
  return runner;
}
