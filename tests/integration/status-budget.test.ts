import { afterEach, describe, expect, it } from "vitest";
import type { ChannelAddress } from "../../src/channels/types.ts";
import { generateReference } from "../../src/domain/reference.ts";
import { runMaintenance } from "../../src/services/maintenance.ts";
import { textOf } from "../support/engine-chat.ts";
import { REPORT_LINES, startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
async function start(): Promise<TestApp> {
  const t = await startTestApp();
  open.push(t);
  return t;
}
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

const WAIT = "sedang dibatasi";
const NOT_FOUND = "tidak ditemukan";
const SHOWN = "Berikut kabar terbaru laporan Anda";

async function fileReport(t: TestApp, user: string): Promise<{ reference: string; pin: string }> {
  const done = textOf(await t.sendAll(user, ...REPORT_LINES("cerita", "081255556666")));
  const reference = /Nomor laporan: ([0-9A-Z-]{14})/.exec(done)?.[1];
  const pin = /PIN: (\d{6})/.exec(done)?.[1];
  if (!reference || !pin) throw new Error("no reference and PIN");
  return { reference, pin };
}

const wrongPin = (pin: string) => (pin === "999999" ? "888888" : "999999");

/** Ten failures from ten chats: the reference now waits. */
async function spendFreeChecks(t: TestApp, reference: string, pin: string): Promise<void> {
  for (let i = 0; i < 10; i++)
    expect(textOf(await t.send(`guesser-${i}`, `status ${reference} ${wrongPin(pin)}`))).toContain(NOT_FOUND);
}

/** Four more failures, each as soon as the reference opens: it then waits 16 minutes. */
async function lengthenWait(t: TestApp, reference: string, pin: string): Promise<void> {
  for (const [i, waitMs] of [60_000, 120_000, 240_000, 480_000].entries()) {
    t.clock.advance(waitMs);
    expect(textOf(await t.send(`late-${i}`, `status ${reference} ${wrongPin(pin)}`))).toContain(NOT_FOUND);
  }
}

describe("the status look-up budget of a reference, across all chats", () => {
  it("lets one of many chats asking at the same moment be checked once the wait is over", async () => {
    const t = await start();
    const { reference, pin } = await fileReport(t, "owner");
    await spendFreeChecks(t, reference, pin);
    t.clock.advance(60 * 60_000);

    // Fifty chats ask at once: one is checked, the others wait, and the budget moves on by one.
    const now = t.clock.now();
    const chats = Array.from({ length: 50 }, (_, i) => `crowd-${i}`);
    await Promise.all(
      chats.map((user) =>
        t.app.conversation.handle({
          address: `term:${user}` as ChannelAddress,
          messageId: `${user}-1`,
          receivedAt: now,
          text: `status ${reference} ${wrongPin(pin)}`,
        }),
      ),
    );
    const answers = await Promise.all(chats.map(async (user) => textOf(await t.deliver(user))));
    expect(answers.filter((a) => a.includes(NOT_FOUND))).toHaveLength(1);
    expect(answers.filter((a) => a.includes(WAIT))).toHaveLength(49);
    const budget = await t.app.database.prisma.statusLookupBudget.findFirstOrThrow();
    expect(budget.failures).toBe(11);
    // A wait is not a failure of the chat: none of them is locked.
    const failedFromCrowd = await t.app.database.prisma.statusLookup.count({ where: { success: false } });
    expect(failedFromCrowd).toBe(11);
    expect(t.sleeps).toEqual([]);
  });

  it("checks the right PIN from another chat once its turn comes, and gives the try back", async () => {
    const t = await start();
    const { reference, pin } = await fileReport(t, "owner");
    await spendFreeChecks(t, reference, pin);
    expect(textOf(await t.send("friend", `status ${reference} ${pin}`))).toContain(WAIT);
    t.clock.advance(61_000);
    expect(textOf(await t.send("friend", `status ${reference} ${pin}`))).toContain(SHOWN);
    const budget = await t.app.database.prisma.statusLookupBudget.findFirstOrThrow();
    expect(budget.failures).toBe(10);
  });

  it("checks a victim access code issued by staff in the last day while the reference waits", async () => {
    const t = await start();
    const { reference, pin } = await fileReport(t, "owner");
    const member = await t.app.staff.add(
      { name: "Ani", officeCode: "UPTDPPA-35", role: "AGENT", language: "id" },
      t.clock.now(),
    );
    const invite = await t.app.staff.createInvite(member.id, t.clock.now());
    await t.app.offices.setDestination("UPTDPPA-35", "STAFF_CHATS", null, t.clock.now());
    await t.send("ani", `/staff ${invite.code}`);
    const issued = textOf(await t.send("ani", `/akses ${reference}`));
    const victimPin = /PIN korban: (\d{6})/.exec(issued)?.[1] as string;
    expect(victimPin).toMatch(/^\d{6}$/);

    await spendFreeChecks(t, reference, pin);
    await lengthenWait(t, reference, pin);
    // Guessers try the fresh code from many chats: 3 wrong tries each, then they wait unchecked.
    for (let chat = 0; chat < 20; chat++) {
      for (let i = 0; i < 4; i++) {
        const tried = 100_000 + chat * 10 + i;
        const guess = String(tried === Number(victimPin) ? tried + 500_000 : tried);
        expect(textOf(await t.send(`code-guesser-${chat}`, `status ${reference} ${guess}`))).toContain(WAIT);
      }
    }
    const tries = await t.app.database.prisma.statusLookup.count({ where: { freshVictimPinTry: true } });
    expect(tries).toBe(60);
    // None of them is locked for it: the lock would tell them that the reference exists.
    expect(textOf(await t.send("code-guesser-0", `status ${generateReference()} 123456`))).toContain(NOT_FOUND);

    // The victim's own tries are untouched: the reporter's PIN from another chat waits, the fresh code is looked at.
    expect(textOf(await t.send("victim", `status ${reference} ${pin}`))).toContain(WAIT);
    expect(textOf(await t.send("victim", `status ${reference} ${wrongPin(victimPin)}`))).toContain(WAIT);
    expect(textOf(await t.send("victim", `status ${reference} ${victimPin}`))).toContain(SHOWN);

    // A day after it was issued the code waits like any other PIN, while the attack goes on.
    t.clock.advance(12 * 60 * 60_000);
    await t.send("late-guesser-0", `status ${reference} ${wrongPin(pin)}`);
    t.clock.advance(12 * 60 * 60_000);
    await t.send("late-guesser-1", `status ${reference} ${wrongPin(pin)}`);
    expect(textOf(await t.send("victim", `status ${reference} ${victimPin}`))).toContain(WAIT);
  });

  it("forgets a reference's budget after a day without failures", async () => {
    const t = await start();
    const { reference, pin } = await fileReport(t, "owner");
    await spendFreeChecks(t, reference, pin);
    expect(await t.app.database.prisma.statusLookupBudget.count()).toBe(1);
    t.clock.advance(23 * 60 * 60_000);
    await runMaintenance(t.app);
    expect(await t.app.database.prisma.statusLookupBudget.count()).toBe(1);
    t.clock.advance(2 * 60 * 60_000);
    await runMaintenance(t.app);
    expect(await t.app.database.prisma.statusLookupBudget.count()).toBe(0);
    expect(textOf(await t.send("friend", `status ${reference} ${pin}`))).toContain(SHOWN);
  });
});
