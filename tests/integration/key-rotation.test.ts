import { createCipheriv, randomBytes, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { WhatsAppAuthStore } from "../../src/channels/whatsapp/whatsapp-auth-state.ts";
import { FieldCipher } from "../../src/security/field-cipher.ts";
import { Hasher } from "../../src/security/hasher.ts";
import type { KeyRing } from "../../src/security/key-ring.ts";
import { describeRotation, type RotationProgress, rotateKeys } from "../../src/services/key-rotation.ts";
import { caseDetailsOf } from "../../src/services/staff-desk.ts";
import { textOf } from "../support/engine-chat.ts";
import { REPORT_LINES, startTestApp, TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

/** The ring after adding a new data key and a new HMAC key, the old ones kept for reading. */
function rotated(old: KeyRing, dataId = "k2", hmacId = "h2"): KeyRing {
  const hmacKey = randomBytes(32);
  return {
    currentKeyId: dataId,
    dataKeys: new Map([[dataId, randomBytes(32)], ...old.dataKeys]),
    currentHmacKeyId: hmacId,
    hmacKeys: new Map([[hmacId, hmacKey], ...old.hmacKeys]),
    hmacKey,
    source: "environment",
  };
}

/** The same database opened by a process configured with other keys. */
async function reopenWith(t: TestApp, keys: KeyRing): Promise<TestApp> {
  await t.close();
  const next = await new TestApp(t.dir, keys, t.clock, t.env).open();
  open.splice(open.indexOf(t), 1, next);
  return next;
}

const referenceIn = (text: string) => /Nomor laporan: (\S+)/.exec(text)?.[1] as string;
const pinIn = (text: string) => /PIN: (\d{6})/.exec(text)?.[1] as string;

/** A database with a row in every encrypted table, all under the first keys. */
async function populated() {
  const t = await startTestApp();
  open.push(t);
  const reports: Array<{ user: string; reference: string; pin: string; story: string }> = [];
  for (const user of ["r1", "r2", "r3"]) {
    const story = `Cerita ${user}: saya dikurung di gudang.`;
    // r1 wants replies in this chat (so staff can write to them); the others give a phone number.
    const lines = REPORT_LINES(story, "081234567890");
    const done = textOf(await t.sendAll(user, ...(user === "r1" ? [...lines.slice(0, -4), "1", "1", "1"] : lines)));
    reports.push({ user, reference: referenceIn(done), pin: pinIn(done), story });
  }
  // Staff of the office the reports went to; a reply to a reporter becomes a case message.
  const now = t.clock.now();
  const member = await t.app.staff.add({ name: "Ani", officeCode: "UPTDPPA-35", role: "AGENT", language: "id" }, now);
  const invite = await t.app.staff.createInvite(member.id, now);
  await t.app.offices.setDestination("UPTDPPA-35", "STAFF_CHATS", null, now);
  expect(textOf(await t.send("ani", `/staff ${invite.code}`))).toContain("Selamat datang, Ani");
  await t.deliver("ani");
  const first = reports[0] as (typeof reports)[number];
  expect(textOf(await t.send("ani", `/balas ${first.reference} Kami akan menelepon besok.`))).toContain("dikirim");
  expect(textOf(await t.send("ani", `/layanan ${first.reference} rumah aman; RPTC Bambu Apus`))).toContain("tercatat");
  // A status check that works and a guess of a reference nobody has; a report left half-way.
  await t.send("r2", `status ${reports[1]?.reference} ${reports[1]?.pin}`);
  await t.send("guesser", "status ABCD-EFGH-JKMN 123456");
  await t.sendAll("halfway", "halo", "lapor", "tidak", "1");
  const identity = await t.app.identities.resolve("term:r1", t.clock.now());
  const attachmentId = await t.app.attachments.save(identity.id, "PHOTO", "image/jpeg", Buffer.from("jpeg"), now);
  await new WhatsAppAuthStore(t.app.database.prisma, t.app.cipher).writeMany([
    ["creds", { me: "6281100000000" }],
    ["session-6281377712345.0", { record: "signal" }],
  ]);
  return { t, reports, attachmentId };
}

/** A case by reference, for its details. */
async function loadCase(t: TestApp, reference: string) {
  const record = await t.app.caseStore.load(reference);
  if (!record) throw new Error(`no case ${reference}`);
  return record;
}

async function keyIdsIn(t: TestApp): Promise<Set<string>> {
  const db = t.app.database.prisma;
  const rows = await Promise.all([
    db.contactIdentity.findMany({ select: { keyId: true } }),
    db.conversation.findMany({ select: { keyId: true } }),
    db.case.findMany({ select: { keyId: true } }),
    db.caseMessage.findMany({ select: { keyId: true } }),
    db.caseService.findMany({ select: { keyId: true } }),
    db.outboxMessage.findMany({ select: { keyId: true } }),
    db.attachment.findMany({ select: { keyId: true } }),
    db.whatsAppAuth.findMany({ select: { keyId: true } }),
  ]);
  return new Set(rows.flat().map((r) => r.keyId));
}

describe("rotate-keys", () => {
  it("moves every table to the new data key and HMAC key; the old keys are then needed only for PINs", async () => {
    const { t: before, reports, attachmentId } = await populated();
    expect(await keyIdsIn(before)).toEqual(new Set(["k1"]));
    const keys = rotated(before.keys);
    const t = await reopenWith(before, keys);
    const db = t.app.database.prisma;

    // Before the rotation runs, a reporter hashed under the old HMAC key is still recognised.
    expect(textOf(await t.send("r1", "laporan saya"))).toContain(reports[0]?.reference);
    const identitiesBefore = await db.contactIdentity.count();

    const progress: RotationProgress[] = [];
    const summary = await rotateKeys({
      db,
      keys,
      now: t.clock.now(),
      batchSize: 2,
      onProgress: (p) => progress.push(p),
    });
    const byTable = Object.fromEntries(summary.tables.map((s) => [s.table, s]));
    expect(Object.keys(byTable)).toEqual([
      "contact_identities",
      "conversations",
      "cases",
      "case_messages",
      "case_services",
      "outbox_messages",
      "attachments",
      "whatsapp_auth",
      "status_lookups",
    ]);
    for (const table of summary.tables.slice(0, 8)) {
      expect(table.pending, table.table).toBeGreaterThan(0);
      expect(table, table.table).toMatchObject({ rotated: table.pending, remaining: 0, failed: 0, conflicts: 0 });
    }
    expect(byTable.cases?.pending).toBe(3);
    // The look-up of an existing reference is re-hashed; the guess stays (nothing to re-hash it from).
    expect(byTable.status_lookups).toMatchObject({ rotated: 1, unmatched: 1, remaining: 1 });
    // Batches of two, reported as they go; the last line of a table reaches its total.
    const cases = progress.filter((p) => p.table === "cases");
    expect(cases.map((p) => `${p.done}/${p.pending}`)).toEqual(["2/3", "3/3"]);
    expect(summary.dataKeysInUse).toEqual({});
    expect(summary.hmacKeysInUse.h1).toEqual({ pinHashes: 3, lookupHashes: 0, statusLookups: 1, invites: 0 });
    expect(summary.errors).toEqual([]);
    const words = describeRotation(summary, keys).join("\n");
    expect(words).toContain("Data key k1: no row uses it");
    expect(words).toContain("HMAC key h1: still needed by 3 PIN hash(es)");

    expect(await keyIdsIn(t)).toEqual(new Set(["k2"]));
    const identities = await db.contactIdentity.findMany({ select: { lookupHash: true } });
    expect(identities).toHaveLength(identitiesBefore);
    expect(identities.every((i) => i.lookupHash.startsWith("h2."))).toBe(true);

    // Everything reads back through the stores with the new data key alone (the HMAC keys stay).
    const newOnly: KeyRing = { ...keys, dataKeys: new Map([["k2", keys.dataKeys.get("k2") as Buffer]]) };
    const after = await reopenWith(t, newOnly);
    const details = await caseDetailsOf(
      after.app,
      (await after.app.caseStore.load(reports[0]?.reference as string)) as NonNullable<
        Awaited<ReturnType<typeof after.app.caseStore.load>>
      >,
    );
    expect(details.narrative).toBe(reports[0]?.story);
    expect(details.contactNumber).toBeNull();
    const second = await after.app.caseStore.load(reports[1]?.reference as string);
    expect(second?.contactCipher && after.app.cipher.open(second.contactCipher, "case.contact", second.id)).toBe(
      "+6281234567890",
    );
    expect(details.messages.map((m) => m.text)).toContain("Kami akan menelepon besok.");
    expect(details.services.map((s) => s.provider)).toEqual(["RPTC Bambu Apus"]);
    expect((await after.app.attachments.read(attachmentId))?.bytes.toString()).toBe("jpeg");
    const store = new WhatsAppAuthStore(after.app.database.prisma, after.app.cipher);
    expect(await store.read("creds")).toEqual({ me: "6281100000000" });
    expect(await store.read("session-6281377712345.0")).toEqual({ record: "signal" });
    // The half-way report is still there to continue; old PINs verify; "my reports" still lists.
    const halfway = await after.app.identities.resolve("term:halfway", after.clock.now());
    const state = await after.app.conversations.load(halfway.id, "id", after.clock.now());
    expect(state?.doc.state.flow).toBe("intake");
    expect(textOf(await after.send("r3", `status ${reports[2]?.reference} ${reports[2]?.pin}`))).toContain("Status:");
    expect(textOf(await after.send("r1", "laporan saya"))).toContain(reports[0]?.reference);
    expect(await after.app.database.prisma.contactIdentity.count()).toBe(identitiesBefore);

    // A second run finds nothing to do.
    const again = await rotateKeys({ db: after.app.database.prisma, keys: newOnly, now: after.clock.now() });
    expect(again.tables.filter((s) => s.table !== "status_lookups").every((s) => s.pending === 0)).toBe(true);
  });

  it("rewrites rows from before envelopes were bound to their owner, under the same data key", async () => {
    const { t, reports } = await populated();
    const db = t.app.database.prisma;
    const keys = t.keys;
    // What the migration found: a case sealed the old way (its context alone authenticated),
    // its key id marked by the migration.
    const row = await db.case.findUniqueOrThrow({ where: { reference: reports[0]?.reference as string } });
    const iv = randomBytes(12);
    const gcm = createCipheriv("aes-256-gcm", keys.dataKeys.get(keys.currentKeyId) as Buffer, iv);
    gcm.setAAD(Buffer.from("case.narrative"));
    const body = Buffer.concat([gcm.update("cerita lama", "utf8"), gcm.final()]);
    const id = Buffer.from(keys.currentKeyId);
    const v1 = Buffer.concat([Buffer.from([1, id.length]), id, iv, gcm.getAuthTag(), body]);
    await db.case.update({
      where: { id: row.id },
      data: { narrativeCipher: new Uint8Array(v1), keyId: `${keys.currentKeyId}@v1` },
    });
    // Still readable as it is.
    const read = async () => (await caseDetailsOf(t.app, await loadCase(t, row.reference))).narrative;
    expect(await read()).toBe("cerita lama");

    const summary = await rotateKeys({ db, keys, now: t.clock.now() });
    expect(summary.tables.find((s) => s.table === "cases")).toMatchObject({ pending: 1, rotated: 1, remaining: 0 });
    expect(summary.versionOneRows).toBe(0);
    expect(summary.dataKeysInUse).toEqual({});
    const after = await db.case.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.keyId).toBe(keys.currentKeyId);
    expect(t.app.cipher.versionOf(after.narrativeCipher as Uint8Array)).toBe(2);
    expect(await read()).toBe("cerita lama");
    // Now bound to its case: copied into another case's row it no longer opens.
    const other = await db.case.findUniqueOrThrow({ where: { reference: reports[1]?.reference as string } });
    expect(() => t.app.cipher.open(after.narrativeCipher as Uint8Array, "case.narrative", other.id)).toThrow();
  });

  it("rotates in batches larger than SQLite's 999 bound values (--batch-size up to 10,000)", async () => {
    const t0 = await startTestApp();
    open.push(t0);
    for (let i = 0; i < 1200; i++) await t0.app.identities.resolve(`tg:${5000 + i}`, t0.clock.now());
    const keys = rotated(t0.keys);
    const t = await reopenWith(t0, keys);
    const summary = await rotateKeys({ db: t.app.database.prisma, keys, now: t.clock.now(), batchSize: 5000 });
    expect(summary.tables.find((s) => s.table === "contact_identities")).toMatchObject({
      pending: 1200,
      rotated: 1200,
      remaining: 0,
      failed: 0,
    });
  }, 120_000);

  it("continues where an interrupted run stopped", async () => {
    const { t: before } = await populated();
    const keys = rotated(before.keys);
    const t = await reopenWith(before, keys);
    const db = t.app.database.prisma;
    let batches = 0;
    await expect(
      rotateKeys({
        db,
        keys,
        now: t.clock.now(),
        batchSize: 2,
        onProgress: () => {
          batches += 1;
          if (batches === 2) throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    const mixed = await keyIdsIn(t);
    expect(mixed).toEqual(new Set(["k1", "k2"]));

    const resumed = await rotateKeys({ db, keys, now: t.clock.now(), batchSize: 2 });
    const identities = resumed.tables.find((s) => s.table === "contact_identities");
    // The identities' first batches were done by the first run: only the rest was pending.
    expect(identities?.pending).toBe((await db.contactIdentity.count()) - 4);
    expect(resumed.tables.every((s) => s.failed === 0 && s.changedMeanwhile === 0)).toBe(true);
    expect(await keyIdsIn(t)).toEqual(new Set(["k2"]));
  });

  it("never overwrites a row a concurrent writer changed between read and write", async () => {
    const { t: before, reports } = await populated();
    const oldCipher = new FieldCipher(before.keys);
    const keys = rotated(before.keys);
    const t = await reopenWith(before, keys);
    const db = t.app.database.prisma;
    const purged = await db.case.findUniqueOrThrow({ where: { reference: reports[0]?.reference as string } });
    const halfway = await t.app.identities.resolve("term:halfway", t.clock.now());
    const rotation = await rotateKeys({
      db,
      keys,
      now: t.clock.now(),
      afterRead: async (table) => {
        if (table === "cases") {
          // A retention purge empties a narrative: the rotation must not bring it back.
          await db.case.update({ where: { id: purged.id }, data: { narrativeCipher: null, contactCipher: null } });
        }
        if (table === "conversations") {
          // An instance still on the old key writes a conversation.
          await db.conversation.update({
            where: { identityId: halfway.id },
            data: { stateCipher: oldCipher.sealJson({ written: "meanwhile" }, "conversation.state", halfway.id) },
          });
        }
      },
    });
    const byTable = Object.fromEntries(rotation.tables.map((s) => [s.table, s]));
    expect(byTable.cases).toMatchObject({ changedMeanwhile: 1, remaining: 1, rotated: 2 });
    expect(byTable.conversations).toMatchObject({ changedMeanwhile: 1, remaining: 1 });
    expect(describeRotation(rotation, keys).join("\n")).toContain("1 changed meanwhile (run again)");
    const row = await db.case.findUniqueOrThrow({ where: { id: purged.id } });
    expect(row.narrativeCipher).toBeNull();
    const conversation = await db.conversation.findUniqueOrThrow({ where: { identityId: halfway.id } });
    expect(t.app.cipher.openJson(conversation.stateCipher, "conversation.state", halfway.id)).toEqual({
      written: "meanwhile",
    });

    const again = await rotateKeys({ db, keys, now: t.clock.now() });
    const next = Object.fromEntries(again.tables.map((s) => [s.table, s]));
    expect(next.cases).toMatchObject({ pending: 1, rotated: 1, remaining: 0 });
    expect(next.conversations).toMatchObject({ pending: 1, rotated: 1, remaining: 0 });
    expect((await db.case.findUniqueOrThrow({ where: { id: purged.id } })).narrativeCipher).toBeNull();
  });

  it("leaves a row it cannot open, and a lookup hash another row holds, and goes on with the rest", async () => {
    const { t: before } = await populated();
    const db0 = before.app.database.prisma;
    // A row sealed with a key that is no longer configured.
    const lost = new FieldCipher({ ...before.keys, currentKeyId: "k0", dataKeys: new Map([["k0", randomBytes(32)]]) });
    const orphanId = randomUUID();
    const orphan = await db0.contactIdentity.create({
      data: {
        id: orphanId,
        channel: "term",
        lookupHash: "unreadable-row",
        addressCipher: lost.seal("term:lost", "identity.address", orphanId),
        keyId: "k0",
        createdAt: before.clock.now(),
      },
    });
    const keys = rotated(before.keys, "k2", "h2");
    const withH3: KeyRing = { ...keys, hmacKeys: new Map([...keys.hmacKeys, ["h3", randomBytes(32)]]) };
    const hasher = new Hasher(withH3);
    const cipher = new FieldCipher(withH3);
    const seal = (address: string, id: string) => cipher.seal(address, "identity.address", id);
    // One chat with two rows: the old row and one a process without the old key created under the new hash.
    await before.app.identities.resolve("term:twice", before.clock.now());
    const twiceId = randomUUID();
    await db0.contactIdentity.create({
      data: {
        id: twiceId,
        channel: "term",
        lookupHash: hasher.identity("term:twice"),
        addressCipher: seal("term:twice", twiceId),
        keyId: "k2",
        createdAt: before.clock.now(),
      },
    });
    // Another chat with two old rows under two old keys: both would take the same new hash.
    for (const hash of hasher.identityCandidates("term:thrice").slice(1)) {
      const id = randomUUID();
      await db0.contactIdentity.create({
        data: {
          id,
          channel: "term",
          lookupHash: hash,
          addressCipher: seal("term:thrice", id),
          keyId: "k1",
          createdAt: before.clock.now(),
        },
      });
    }
    const t = await reopenWith(before, withH3);
    const db = t.app.database.prisma;
    const summary = await rotateKeys({ db, keys: withH3, now: t.clock.now(), batchSize: 50 });
    const identities = summary.tables.find((s) => s.table === "contact_identities");
    expect(identities).toMatchObject({ failed: 1, conflicts: 2, changedMeanwhile: 0, remaining: 3 });
    expect(identities?.rotated).toBe((identities?.pending ?? 0) - 3);
    expect(summary.errors).toEqual(['no data key "k0"']);
    // The unreadable row, and one row of each chat that has two.
    expect(summary.dataKeysInUse).toEqual({ k0: 1, k1: 2 });
    const words = describeRotation(summary, withH3).join("\n");
    expect(words).toContain("Data key k0: used by 1 row(s) but not configured: add it.");
    expect(words).toContain("2 left under the old hash");
    expect((await db.contactIdentity.findUniqueOrThrow({ where: { id: orphan.id } })).keyId).toBe("k0");
    // The chat with two rows is found by its current hash; the other chat by one of its rows.
    expect(await t.app.identities.find("term:twice")).not.toBeNull();
    expect(await t.app.identities.find("term:thrice")).not.toBeNull();
  });
});
