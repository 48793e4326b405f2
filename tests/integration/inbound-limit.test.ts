import { afterEach, describe, expect, it } from "vitest";
import { textOf } from "../support/engine-chat.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

const SLOW_DOWN = "Pesan Anda datang sangat cepat";

describe("the inbound limit per chat", () => {
  it("answers a flooding chat's first 20 messages of a minute, then says once to slow down, then sets the rest aside", async () => {
    const t = await startTestApp();
    open.push(t);
    const answers: string[] = [];
    // t.send moves the clock one second per message: 30 messages in 30 seconds.
    for (let i = 0; i < 30; i++) answers.push(textOf(await t.send("flood", `halo ${i}`)));
    expect(answers.slice(0, 20).every((a) => a.length > 0 && !a.includes(SLOW_DOWN))).toBe(true);
    expect(answers[20]).toContain(SLOW_DOWN);
    expect(answers[20]).toContain("112");
    expect(answers.slice(21)).toEqual(Array(9).fill(""));
    // After a quiet minute the chat is answered again.
    t.clock.advance(61_000);
    expect(textOf(await t.send("flood", "halo"))).toContain("Halo");
    // Another chat was never affected.
    expect(textOf(await t.send("neighbour", "halo"))).toContain("Halo");
  });

  it("never sets aside a story typed over many messages inside a report", async () => {
    const t = await startTestApp();
    open.push(t);
    await t.sendAll("writer", "lapor", "tidak", "2", "1", "1", "2", "1", "1", "jatim", "ya", "2", "1", "1");
    const answers: string[] = [];
    for (let i = 0; i < 30; i++) answers.push(textOf(await t.send("writer", `bagian cerita ${i}`)));
    expect(answers.every((a) => a.length > 0 && !a.includes(SLOW_DOWN))).toBe(true);
  });
});
