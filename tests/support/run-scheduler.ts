/**
 * One scheduler instance in its own process, for the multi-instance test: plans and runs the
 * follow-ups due at a fixed time, several passes, then prints what it did as JSON.
 * usage: node --import tsx tests/support/run-scheduler.ts <iso time> <instance id> <passes>
 * (DATABASE_URL, DATA_KEYS and HMAC_KEY come from the environment).
 */
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logging/logger.ts";

const [iso = "", instanceId = "x", passes = "3"] = process.argv.slice(2);
const now = new Date(iso);
const config = loadConfig();
const app = await createApp(config, createLogger(config.logLevel), { clock: { now: () => now }, instanceId });
let done = 0;
for (let i = 0; i < Number(passes); i++) done += await app.scheduler.tick();
await app.close();
process.stdout.write(`${JSON.stringify({ instanceId, done })}\n`);
process.exit(0);
