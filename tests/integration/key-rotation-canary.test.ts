import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { KeyRing } from "../../src/security/key-ring.ts";
import { backupSqlite } from "../../src/services/backup.ts";
import { rotateKeys } from "../../src/services/key-rotation.ts";
import { caseDetailsOf } from "../../src/services/staff-desk.ts";
import { CANARY, CANARY_SECRETS, expectNoPlainText } from "../support/canary-traces.ts";
import { textOf } from "../support/engine-chat.ts";
import { REPORT_LINES, startTestApp, TestApp } from "../support/test-app.ts";

const { name: NAME, phone: PHONE, user: USER } = CANARY;

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

/** A new current data key and a new current HMAC key, the old ones kept for reading. */
function rotated(old: KeyRing): KeyRing {
  const hmacKey = randomBytes(32);
  return {
    currentKeyId: "k2",
    dataKeys: new Map([["k2", randomBytes(32)], ...old.dataKeys]),
    currentHmacKeyId: "h2",
    hmacKeys: new Map([["h2", hmacKey], ...old.hmacKeys]),
    hmacKey,
    source: "environment",
  };
}

describe("the canary after rotate-keys with a new data key and a new HMAC key", () => {
  it("keeps old and new rows readable, old contacts, staff and PINs working, and no plain text anywhere", async () => {
    const t = await startTestApp({}, "sqlite");
    open.push(t);
    const now = t.clock.now();
    const ani = await t.app.staff.add({ name: "Ani", officeCode: "UPTDPPA-35", role: "AGENT", language: "id" }, now);
    const invite = await t.app.staff.createInvite(ani.id, now);
    await t.app.offices.setDestination("UPTDPPA-35", "STAFF_CHATS", null, now);
    expect(textOf(await t.send("ani", `/staff ${invite.code}`))).toContain("Selamat datang, Ani");
    // An invite handed out before the rotation, used only after it.
    const budi = await t.app.staff.add({ name: "Budi", officeCode: "UPTDPPA-35", role: "AGENT", language: "id" }, now);
    const earlyInvite = await t.app.staff.createInvite(budi.id, now);

    const story = `Saya ${NAME}, nomor saya ${PHONE}. Majikan menahan paspor saya.`;
    const done = textOf(await t.sendAll(USER, ...REPORT_LINES(story, PHONE)));
    const reference = /Nomor laporan: (\S+)/.exec(done)?.[1] as string;
    const pin = /PIN: (\d{6})/.exec(done)?.[1] as string;
    expect(textOf(await t.deliver("ani"))).toContain(`Nomor: ${reference}`);
    const victimPin = /PIN korban: (\d{6})/.exec(textOf(await t.send("ani", `/akses ${reference}`)))?.[1] as string;
    expect(victimPin).toMatch(/^\d{6}$/);
    const duress = pin === "246810" ? "135791" : "246810";
    await t.sendAll(USER, "privasi", "buat pin darurat", "1", pin);
    expect(textOf(await t.send(USER, duress))).toContain("PIN darurat sudah aktif");
    // Someone gives up half-way after typing the same details; a wrong guess from another chat.
    await t.sendAll("abandons", "halo", "lapor", "tidak", "1", "1", "lewati", "jatim", "ya", "1", "1", "1", story);
    await t.send(`${USER}-again`, `status ${reference} 000000`);
    const logs = [...t.logs];
    await t.close();

    // The operator adds a new data key and a new HMAC key, restarts, and runs rotate-keys.
    const keys = rotated(t.keys);
    const r = await new TestApp(t.dir, keys, t.clock, t.env).open();
    open.splice(open.indexOf(t), 1, r);
    const summary = await rotateKeys({ db: r.app.database.prisma, keys, now: r.clock.now(), batchSize: 3 });
    expect(summary.tables.every((s) => s.failed === 0 && s.conflicts === 0)).toBe(true);
    expect(summary.dataKeysInUse).toEqual({});
    expect(summary.hmacKeysInUse.h1?.pinHashes).toBe(3);
    expect(summary.hmacKeysInUse.h1?.lookupHashes).toBe(0);

    // The reporter from before the rotation writes again and is recognised.
    expect(textOf(await r.send(USER, "laporan saya"))).toContain(reference);
    await r.send(USER, "batal");
    // PINs made before the rotation verify: the reporter's, the victim's, and the emergency PIN.
    expect(textOf(await r.send(USER, `status ${reference} ${pin}`))).toContain("Status:");
    expect(textOf(await r.send("victim", `status ${reference} ${victimPin}`))).toContain("Status:");
    expect(textOf(await r.send("stranger", `status ${reference} ${duress}`))).toContain("Status: Diterima");
    const row = await r.app.database.prisma.case.findUniqueOrThrow({ where: { reference } });
    expect(row.duressUsedAt).not.toBeNull();
    expect(textOf(await r.send("stranger", `status ${reference} 999999`))).not.toContain("Status:");
    // Staff enrolled before the rotation still act.
    expect(textOf(await r.send("ani", `/terima ${reference}`))).toContain(`Kasus ${reference} diterima oleh Ani`);
    expect(textOf(await r.send("budi", `/staff ${earlyInvite.code}`))).toContain("Selamat datang, Budi");

    // A report after the rotation: new rows under the new keys, old and new both readable.
    const later = textOf(await r.sendAll("after-rotation", ...REPORT_LINES(`Kedua: ${story}`, PHONE)));
    const laterReference = /Nomor laporan: (\S+)/.exec(later)?.[1] as string;
    for (const [ref, narrative] of [
      [reference, story],
      [laterReference, `Kedua: ${story}`],
    ] as const) {
      const found = await r.app.caseStore.load(ref);
      if (!found) throw new Error(`case ${ref} is missing`);
      expect(found.keyId).toBe("k2");
      expect((await caseDetailsOf(r.app, found)).narrative).toBe(narrative);
    }
    const hashes = await r.app.database.prisma.contactIdentity.findMany({ select: { lookupHash: true } });
    expect(hashes.every((h) => h.lookupHash.startsWith("h2."))).toBe(true);

    const backup = path.join(mkdtempSync(path.join(tmpdir(), "tppo-canary-backup-")), "after-rotation.db");
    await backupSqlite({ source: path.join(r.dir, "bot.db"), destination: backup });
    logs.push(...r.logs);
    await r.close();
    open.splice(open.indexOf(r), 1);

    const files = ["bot.db", "bot.db-wal", "bot.db-journal", "bot.db-shm"]
      .map((f) => path.join(t.dir, f))
      .filter((f) => existsSync(f));
    const logBytes = Buffer.from(logs.join(""), "utf8");
    expect(logs.length).toBeGreaterThan(20);
    for (const haystack of [...files.map((f) => readFileSync(f)), readFileSync(backup), logBytes]) {
      expectNoPlainText(haystack, CANARY_SECRETS);
    }
    // The search itself works: it finds a coded value that is stored in plain text.
    expect(readFileSync(backup).includes(Buffer.from(laterReference))).toBe(true);
  });
});
