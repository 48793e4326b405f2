import type { OutboxDispatcher } from "../../src/outbox/dispatcher.ts";
import type { ManualClock } from "./test-app.ts";

/** Waits (in real time) until the dispatcher has done all it can at this instant: it sleeps, nothing in flight. */
export async function settled(clock: ManualClock, d: OutboxDispatcher): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(clock.pendingTimers > 0 && d.sendsInFlight === 0)) {
    if (Date.now() > deadline) throw new Error("the dispatcher never settled");
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Fires the dispatcher's timers one by one, each once it has settled, until done. */
export async function runOnClock(clock: ManualClock, d: OutboxDispatcher, done: () => boolean): Promise<void> {
  for (let fired = 0; ; fired++) {
    await settled(clock, d);
    if (done()) return;
    if (fired > 20_000) throw new Error("not done after 20,000 timers");
    clock.fireNext();
  }
}
