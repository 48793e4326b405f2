import { afterEach, describe, expect, it } from "vitest";
import type { ChannelAddress } from "../../src/channels/types.ts";
import { Prisma } from "../../src/db/database.ts";
import { DATA_POLICY } from "../../src/policy/retention.ts";
import { FieldCipher } from "../../src/security/field-cipher.ts";
import { runMaintenance } from "../../src/services/maintenance.ts";
import { textOf } from "../support/engine-chat.ts";
import { CHAT_REPORT_LINES } from "../support/report-lines.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

const DAY = 24 * 60 * 60_000;
const GROUP = "term:uptdppa-35-group" as ChannelAddress;
const ALERTS = "tg:-1001777" as ChannelAddress;

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await startTestApp({ RETENTION_DAYS: "30", ...env });
  t.clock.current = new Date("2026-12-01T03:00:00Z");
  open.push(t);
  return t;
}

/** A report from a chat about a woman in Jawa Timur (routed to UPTDPPA-35); its reference and PIN. */
async function report(t: TestApp, user: string, story: string) {
  const done = textOf(await t.sendAll(user, ...CHAT_REPORT_LINES(story)));
  const reference = /Nomor laporan: ([0-9A-Z-]{14})/.exec(done)?.[1] as string;
  const pin = /PIN: (\d{6})/.exec(done)?.[1] as string;
  expect(reference).toBeTruthy();
  return { reference, pin };
}

/** Every encryption context a column is sealed under, so that the search reads every ciphertext. */
const CONTEXTS = [
  "identity.address",
  "conversation.state",
  "case.place",
  "case.narrative",
  "case.contact",
  "case.message",
  "case.service",
  "outbox.payload",
  "outbox.choices",
  "attachment.blob",
  "whatsapp.auth.index",
  "whatsapp.auth",
];

/**
 * Every place a secret could rest: each column of each row of every table, ciphertexts
 * decrypted under whichever context and owner (an id the row holds) opens them. Returns
 * "table.column" for each find.
 */
async function findEverywhere(t: TestApp, secrets: readonly string[]): Promise<string[]> {
  const db = t.app.database.prisma;
  const cipher = new FieldCipher(t.keys);
  const tables =
    t.provider === "sqlite"
      ? await db.$queryRawUnsafe<Array<{ name: string }>>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
      : await db.$queryRawUnsafe<Array<{ name: string }>>(
          "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()",
        );
  const found: string[] = [];
  const readable = (value: unknown, row: Record<string, unknown>): string[] => {
    if (value instanceof Uint8Array) {
      const owners = [row.id, row.identityId, row.caseId, `office:${String(row.officeCode)}`, ""].map(String);
      const opened = CONTEXTS.flatMap((context) =>
        owners.flatMap((owner) => {
          try {
            return [cipher.open(value, context, owner)];
          } catch {
            return [];
          }
        }),
      );
      return [...opened, Buffer.from(value).toString("utf8")];
    }
    return value === null || value === undefined ? [] : [String(value)];
  };
  for (const { name } of tables) {
    const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(`SELECT * FROM "${name}"`);
    for (const row of rows)
      for (const [column, value] of Object.entries(row))
        for (const text of readable(value, row))
          for (const secret of secrets) if (text.includes(secret)) found.push(`${name}.${column}: ${secret}`);
  }
  return [...new Set(found)];
}

describe("the retention and erasure policy", () => {
  it("names every table", () => {
    expect(Object.keys(DATA_POLICY).sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });

  it("keeps an office's group, the operator alert chat, staff and chats with messages waiting, and deletes the idle rest", async () => {
    const t = await start({ ADMIN_ALERT_CHAT: ALERTS });
    const now = t.clock.now();
    const group = await t.app.identities.resolve(GROUP, now);
    await t.app.offices.setDestination("UPTDPPA-35", "GROUP", group.id, now);
    const alerts = await t.app.identities.resolve(ALERTS, now);
    const member = await t.app.staff.add({ name: "Ani", officeCode: "UPTDPPA-35", role: "AGENT", language: "id" }, now);
    const invite = await t.app.staff.createInvite(member.id, now);
    expect(textOf(await t.send("ani", `/staff ${invite.code}`))).toContain("Selamat datang");
    const waiting = await t.app.identities.resolve("term:waiting" as ChannelAddress, now);
    await t.app.outbox.enqueueWrite(waiting.id, "term", [{ text: "still to send" }], now)(t.app.database.prisma);
    const idle = await t.app.identities.resolve("term:just-said-hello" as ChannelAddress, now);

    t.clock.advance(31 * DAY);
    await runMaintenance(t.app);

    const left = new Set(
      (await t.app.database.prisma.contactIdentity.findMany({ select: { id: true } })).map((r) => r.id),
    );
    expect(left.has(group.id)).toBe(true);
    expect(left.has(alerts.id)).toBe(true);
    expect(left.has(waiting.id)).toBe(true);
    expect(left.has(idle.id)).toBe(false);
    expect(await t.app.database.prisma.staff.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      identityId: expect.any(String),
    });
    // The database refuses too: a group that is a destination cannot be deleted by anything.
    await expect(t.app.database.prisma.contactIdentity.delete({ where: { id: group.id } })).rejects.toThrow();

    // The next report from Jawa Timur still reaches the office's group, not the national desk.
    const { reference } = await report(t, "reporter-after-a-month", "Kakak saya ditahan.");
    const kase = await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } });
    expect(kase).toMatchObject({ officeCode: "UPTDPPA-35", cardOfficeCode: "UPTDPPA-35" });
    const card = await t.app.outbox.pending({ identityId: group.id });
    expect(textOf(card.map((p) => p.message))).toContain(reference);

    // A person who returns after their identity was deleted is simply new: nothing breaks.
    expect(textOf(await t.send("just-said-hello", "halo"))).toContain("Halo");
  });

  it("leaves no PIN anywhere once messages are delivered, and neither the story nor a PIN after retention", async () => {
    const t = await start();
    const now = t.clock.now();
    const member = await t.app.staff.add({ name: "Ani", officeCode: "UPTDPPA-35", role: "AGENT", language: "id" }, now);
    const invite = await t.app.staff.createInvite(member.id, now);
    await t.app.offices.setDestination("UPTDPPA-35", "STAFF_CHATS", null, now);
    await t.send("ani", `/staff ${invite.code}`);
    const story = "Kakak saya Sulastri-Planted-7719 ditahan di rumah majikan di Surabaya.";
    const { reference, pin } = await report(t, "r1", story);
    await t.deliver("ani");
    await t.sendAll(
      "ani",
      `/terima ${reference}`,
      `/detail ${reference}`,
      `/balas ${reference} Kami segera menelepon.`,
    );
    const access = /PIN[^0-9]*(\d{6})/.exec(textOf(await t.send("ani", `/akses ${reference}`)))?.[1] as string;
    await t.send("r1", "pin hilang");
    await t.send("ani", `/pinbaru ${reference}`);
    const reissued = /PIN: (\d{6})/.exec(textOf(await t.deliver("r1")))?.[1] as string;
    await t.send("r1", "Terima kasih, kami menunggu.");
    expect([pin, access, reissued].every((p) => /^\d{6}$/.test(p))).toBe(true);
    await t.deliver("ani");
    await t.deliver("r1");

    // Delivered: the PINs were shown once and rest nowhere (only keyed hashes), the story only in its case.
    const pins = [pin, access, reissued].map((p) => `PIN: ${p}`).concat([access, reissued].map((p) => ` ${p}`));
    expect(await findEverywhere(t, pins)).toEqual([]);
    expect(await findEverywhere(t, ["Sulastri-Planted-7719"])).toEqual([
      "cases.narrativeCipher: Sulastri-Planted-7719",
    ]);

    await t.sendAll("ani", `/ubahstatus ${reference} ASSESSMENT`, `/tutup ${reference} ASSISTED`, "ya");
    expect((await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } })).status).toBe("CLOSED");
    await t.deliver("r1");
    t.clock.advance(31 * DAY);
    await runMaintenance(t.app);
    expect(
      await findEverywhere(t, ["Sulastri-Planted-7719", "Kami segera menelepon", "kami menunggu", ...pins]),
    ).toEqual([]);
    // The search itself works: it finds what must stay, the coded record.
    expect((await findEverywhere(t, [reference])).some((f) => f.startsWith("cases.reference"))).toBe(true);
  });
});
