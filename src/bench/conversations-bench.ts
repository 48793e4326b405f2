/**
 * What open conversations cost in memory: many chats each start a report and stop there (the
 * conversation stays open, waiting for its next answer), and the memory the process keeps after
 * a full collection is compared with before. Conversations live in the database; what a process
 * keeps per chat (flood counters, staff checks) is capped, so this should stay flat.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { createApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../logging/logger.ts";
import { ephemeralKeyRing } from "../security/key-ring.ts";
import { collectGarbage } from "./resolver-bench.ts";

/** One benchmark figure. */
interface Figure {
  value: number;
  unit: string;
}

/**
 * Memory the process keeps (JavaScript heap in use and memory outside it), after a full
 * collection, in MB. Not the resident size: in the bench's process that mostly tells how much
 * garbage earlier parts left, and when V8 returned it.
 */
function retainedMb(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.external) / 1024 / 1024;
}

/** Opens `count` conversations through the engine and measures what the process keeps for them. */
export async function benchOpenConversations(
  dir: string,
  options: { count: number; progress: (text: string) => void },
): Promise<Record<string, Figure>> {
  const { count, progress } = options;
  const config = { ...loadConfig({ DATA_DIR: dir }), databasePath: path.join(dir, "conversations.db") };
  const app = await createApp(config, createLogger("silent"), { keys: ephemeralKeyRing(), sleep: async () => {} });
  const open = async (name: string) => {
    const outcome = await app.conversation.handle({
      address: `term:${name}`,
      messageId: randomUUID(),
      receivedAt: new Date(),
      text: "lapor",
      languageHint: "id",
    });
    if (outcome.replies === 0) throw new Error("a chat starting a report got no reply");
  };
  // Caches and compiled code first, so that only the conversations are counted.
  for (let i = 0; i < 200; i++) await open(`warm-${i}`);
  const before = retainedMb();
  for (let i = 0; i < count; i++) {
    await open(`open-${i}`);
    if ((i + 1) % 2000 === 0) progress(`conversations: ${i + 1}/${count} open`);
  }
  const after = retainedMb();
  const active = await app.database.prisma.conversation.count({ where: { active: true } });
  await app.close();
  if (active < count) throw new Error(`expected ${count} open conversations, found ${active}`);
  return {
    open_conversations: { value: count, unit: "conversations" },
    open_conversations_kept_mb: {
      value: Number((after - before).toFixed(1)),
      unit: "MB kept after a full collection (target < 50 for 10,000)",
    },
  };
}
