import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { SQLITE_MIGRATIONS_DIR } from "../../src/db/migrate-sqlite.ts";
import { FieldCipher } from "../../src/security/field-cipher.ts";
import { runMaintenance } from "../../src/services/maintenance.ts";
import { textOf } from "../support/engine-chat.ts";
import { ON_POSTGRES, sqliteOnly } from "../support/postgres.ts";
import { REPORT_LINES, startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await startTestApp(env);
  open.push(t);
  return t;
}
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

const referenceIn = (text: string) => /(?:Nomor laporan|Reference): ([0-9A-Z-]{14})/.exec(text)?.[1] as string;
const pinIn = (text: string) => /PIN: (\d{6})/.exec(text)?.[1] as string;

describe("a report stored in SQLite", () => {
  it("keeps coded fields readable and personal data encrypted, with its first event", async () => {
    const t = await start();
    const done = textOf(await t.sendAll("siti", ...REPORT_LINES("Kakak saya ditahan di pabrik.", "0812 1111 2222")));
    const reference = referenceIn(done);
    const db = t.app.database.prisma;
    const row = await db.case.findUniqueOrThrow({ where: { reference }, include: { events: true } });
    expect(row).toMatchObject({
      status: "ROUTED",
      urgency: "NORMAL",
      category: "FORCED_LABOUR",
      reporterRole: "FAMILY",
      provinceCode: "35",
      victimAgeGroup: "ADULT",
      victimGender: "FEMALE",
      contactPreference: "OTHER_NUMBER",
      consentToShare: true,
      language: "id",
      officeCode: "UPTDPPA-35",
      cardOfficeCode: null,
    });
    expect(JSON.parse(row.indicators)).toEqual({
      documentsHeld: "YES",
      freeToLeave: "NO",
      debt: "YES",
      deceived: "YES",
    });
    const cipher = new FieldCipher(t.keys);
    expect(cipher.open(row.narrativeCipher as Uint8Array, "case.narrative", row.id)).toBe(
      "Kakak saya ditahan di pabrik.",
    );
    expect(cipher.open(row.contactCipher as Uint8Array, "case.contact", row.id)).toBe("+6281211112222");
    expect(row.pinHash).not.toContain(pinIn(done));
    expect(row.events.map((e) => [e.type, e.actor, e.toStatus])).toEqual([
      ["RECEIVED", "reporter", "RECEIVED"],
      ["ROUTED", "system", "ROUTED"],
      ["CARD_WAITING", "system", null],
    ]);
    expect(await t.app.cases.list()).toHaveLength(1);
    // The audit trail is append-only, enforced by the database itself.
    const eventId = row.events[0]?.id as number;
    await expect(db.caseEvent.update({ where: { id: eventId }, data: { reason: "rewritten" } })).rejects.toThrow();
    await expect(db.caseEvent.delete({ where: { id: eventId } })).rejects.toThrow();
  });
});

describe("inbound dedupe", () => {
  it("acts once on a message delivered twice, even the one that sends the report", async () => {
    const t = await start();
    const lines = REPORT_LINES("cerita", "081211112222");
    for (const line of lines.slice(0, -1)) await t.send("dup", line);
    const first = await t.send("dup", lines[lines.length - 1] as string, "msg-42");
    expect(textOf(first)).toContain("Nomor laporan");
    const outboxBefore = await t.app.database.prisma.outboxMessage.count();
    const again = await t.send("dup", lines[lines.length - 1] as string, "msg-42");
    expect(again).toEqual([]);
    expect(await t.app.database.prisma.case.count()).toBe(1);
    expect(await t.app.database.prisma.outboxMessage.count()).toBe(outboxBefore);
    expect(t.logs.some((l) => l.includes('"inbound.duplicate"'))).toBe(true);
  });

  it("moves the conversation one step for a step delivered twice", async () => {
    const t = await start();
    await t.sendAll("twice", "halo", "lapor");
    await t.send("twice", "tidak", "same-id");
    await t.send("twice", "tidak", "same-id");
    const next = await t.send("twice", "2");
    expect(textOf(next)).toContain("Apa yang sedang terjadi?");
  });
});

describe("a restart in the middle of a conversation", () => {
  it("resumes at the step it was at, with the answers so far", async () => {
    const t = await start();
    const lines = REPORT_LINES("Cerita sebelum restart.", "081233334444");
    await t.sendAll("resume", ...lines.slice(0, 14));
    await t.close();
    await t.open();
    const replies = await t.sendAll("resume", ...lines.slice(14));
    expect(textOf(replies)).toContain("Nomor laporan");
    const row = await t.app.database.prisma.case.findFirstOrThrow();
    expect(row.provinceCode).toBe("35");
    expect(new FieldCipher(t.keys).open(row.narrativeCipher as Uint8Array, "case.narrative", row.id)).toBe(
      "Cerita sebelum restart.",
    );
  });
});

describe("status look-ups against the database", () => {
  it("answers with the PIN, locks a chat after 5 failures, flags a reference after 10 and spaces out its checks", async () => {
    const t = await start();
    const done = textOf(await t.sendAll("owner", ...REPORT_LINES("cerita", "081255556666")));
    const reference = referenceIn(done);
    const pin = pinIn(done);
    const wrong = pin === "999999" ? "888888" : "999999";

    expect(textOf(await t.send("friend", `status ${reference} ${pin}`))).toContain("Status: Diteruskan");

    for (let i = 0; i < 5; i++)
      expect(textOf(await t.send("guesser-1", `status ${reference} ${wrong}`))).toContain("tidak ditemukan");
    expect(textOf(await t.send("guesser-1", `status ${reference} ${pin}`))).toContain("Terlalu banyak percobaan");

    for (let i = 0; i < 5; i++) await t.send("guesser-2", `status ${reference} ${wrong}`);
    const flagged = await t.app.database.prisma.case.findUniqueOrThrow({
      where: { reference },
      include: { events: true },
    });
    expect(flagged.lookupFlagged).toBe(true);
    expect(flagged.events.map((e) => e.type)).toContain("LOOKUP_FLAGGED");

    // Another chat now waits, even with the right PIN; the chat that filed the case never does.
    const waits = textOf(await t.send("friend", `status ${reference} ${pin}`));
    expect(waits).toContain("sedang dibatasi");
    expect(textOf(await t.send("owner", `status ${reference} ${pin}`))).toContain("Status: Diteruskan");
    // An unknown reference waits the same way after its own 10 failures: the wait reveals nothing.
    for (let i = 0; i < 10; i++) await t.send(`prober-${i}`, "status ZZZZ-ZZZZ-ZZZZ 123456");
    expect(textOf(await t.send("prober-x", "status ZZZZ-ZZZZ-ZZZZ 123456"))).toBe(waits);
    // Nothing sleeps inside a chat's turn.
    expect(t.sleeps).toEqual([]);
  });

  it("lists this chat's references under my reports", async () => {
    const t = await start();
    const done = textOf(await t.sendAll("mine", ...REPORT_LINES("cerita", "081277778888")));
    const listing = await t.send("mine", "laporan saya");
    expect(listing.at(-1)?.choices?.map((c) => c.label)).toEqual([referenceIn(done)]);
    expect(textOf(await t.send("stranger", "laporan saya"))).toContain("Belum ada laporan");
  });
});

describe("limits and housekeeping", () => {
  it("refuses a sixth report in a day from one chat", async () => {
    const t = await start({ MAX_REPORTS_PER_DAY: "2" });
    for (let i = 0; i < 2; i++) await t.sendAll("busy", ...REPORT_LINES(`cerita ${i}`, "081211112222"));
    expect(textOf(await t.send("busy", "lapor"))).toContain("sudah ada 2 laporan");
    t.clock.advance(25 * 60 * 60_000);
    expect(textOf(await t.send("busy", "lapor"))).toContain("apakah ada orang yang dalam bahaya");
  });

  it("expires abandoned conversations in the background and greets the person gently", async () => {
    const t = await start({ CONVERSATION_TTL_MINUTES: "60" });
    await t.sendAll("gone", "halo", "lapor", "tidak", "2", "1");
    t.clock.advance(61 * 60_000);
    expect(await runMaintenance(t.app)).toMatchObject({ expired: 1 });
    const row = await t.app.database.prisma.conversation.findFirstOrThrow({ where: { active: false } });
    expect(row.expiresAt).toBeNull();
    const back = textOf(await t.send("gone", "1"));
    expect(back).toContain("Selamat datang kembali");
  });

  it("forgets the messages already delivered to a chat when the person types hapus", async () => {
    const t = await start();
    await t.sendAll("erase", "halo", "lapor", "tidak");
    const identity = await t.app.identities.resolve("term:erase", t.clock.now());
    expect(await t.app.database.prisma.outboxMessage.count({ where: { identityId: identity.id } })).toBeGreaterThan(0);
    const replies = await t.send("erase", "hapus");
    expect(textOf(replies)).toContain("sudah kami hapus");
    const left = await t.app.database.prisma.outboxMessage.findMany({ where: { identityId: identity.id } });
    expect(left).toHaveLength(1);
  });
});

// Reads the SQLite file; postgres-migrations.test.ts checks the PostgreSQL history.
describe.skipIf(ON_POSTGRES)(sqliteOnly("migrations"), () => {
  it("are applied once, recorded with Prisma's checksums", async () => {
    const t = await start();
    await t.close();
    await t.open();
    const db = new Database(path.join(t.dir, "bot.db"), { readonly: true });
    const rows = db.prepare("SELECT migration_name, checksum, finished_at FROM _prisma_migrations").all() as Array<{
      migration_name: string;
      checksum: string;
      finished_at: string;
    }>;
    db.close();
    const initial = rows.find((r) => r.migration_name.endsWith("_init"));
    expect(rows.filter((r) => r.migration_name === initial?.migration_name)).toHaveLength(1);
    const sql = readFileSync(path.join(SQLITE_MIGRATIONS_DIR, initial?.migration_name as string, "migration.sql"));
    expect(initial?.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
    expect(initial?.finished_at).toBeTruthy();
  });
});
