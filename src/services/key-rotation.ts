import { type Db, isUniqueViolation, type Prisma } from "../db/database.ts";
import { ownerOf as outboxOwner } from "../db/outbox-store.ts";
import { CONTEXT_NAMES_ROW, DecryptionError, FieldCipher } from "../security/field-cipher.ts";
import { Hasher } from "../security/hasher.ts";
import type { KeyRing } from "../security/key-ring.ts";

/*
 * The contexts each store seals its column with. They are repeated here rather than imported
 * because the stores keep them private; the rotation tests read every table back through the
 * stores after a rotation, so a context that drifts fails there.
 */
const CONTEXT = {
  address: "identity.address",
  conversation: "conversation.state",
  place: "case.place",
  narrative: "case.narrative",
  contact: "case.contact",
  message: "case.message",
  service: "case.service",
  outbox: "outbox.payload",
  outboxChoices: "outbox.choices",
  attachment: "attachment.blob",
  whatsappIndex: "whatsapp.auth.index",
  whatsappValue: "whatsapp.auth",
} as const;
/** How the migration of envelope version 2 marked the key id of rows written before it. */
const VERSION_ONE_MARK = "@v1";

/** The WhatsApp row that holds the index key, sealed under its own context (whatsapp-auth-state.ts). */
const WHATSAPP_INDEX_ROW = "index";
/** Attachments are megabytes each: a batch holds at most this many bytes of them. */
const ATTACHMENT_BATCH_BYTES = 32 * 1024 * 1024;
const SCAN_PAGE = 2000;

/** What a rotation did to one table. */
export interface TableRotation {
  table: string;
  /** Rows not under the current keys when the table was reached. */
  pending: number;
  /** Rows rewritten under the current data key (and, for identities and look-ups, the current HMAC key). */
  rotated: number;
  /** Rows a concurrent writer changed between read and write: not overwritten, left for the next run. */
  changedMeanwhile: number;
  /** Rows that could not be opened (a data key missing from the configuration, or damage). */
  failed: number;
  /** Identities whose new lookup hash another row already holds; they stay findable under the old key. */
  conflicts: number;
  /** Status look-ups of references no case has: nothing to re-hash them from (they go after 2 days). */
  unmatched: number;
  /** Rows still not under the current keys after this pass. */
  remaining: number;
}

/** Where an old HMAC key is still needed. */
export interface HmacKeyUse {
  /** PIN hashes cannot be re-made (the PIN is not stored): the key verifies them as long as they exist. */
  pinHashes: number;
  lookupHashes: number;
  statusLookups: number;
  /** Unused, unexpired staff invite codes, kept only as a hash. */
  invites: number;
}

/** The outcome of `rotate-keys`: per table, and which old keys stored data still needs. */
export interface RotationSummary {
  dataKey: string;
  hmacKey: string;
  tables: TableRotation[];
  /** Rows per old data key id: a data key can leave the configuration once it is absent here (and from backups kept). */
  dataKeysInUse: Record<string, number>;
  /** Rows still in version 1 envelopes (bound to their column, not yet to their owner). */
  versionOneRows: number;
  /** Uses per old HMAC key id: an HMAC key can leave once it is absent here. */
  hmacKeysInUse: Record<string, HmacKeyUse>;
  /** Why rows failed, without personal data (such as `no data key "k0"`). */
  errors: string[];
}

/** One step of progress, after each batch. */
export interface RotationProgress {
  table: string;
  verb: "re-encrypted" | "re-hashed";
  done: number;
  pending: number;
}

/** How to rotate. */
export interface RotationOptions {
  db: Db;
  keys: KeyRing;
  now: Date;
  /** Rows per transaction (default 200). */
  batchSize?: number;
  onProgress?: (progress: RotationProgress) => void;
  /** Test seam: runs between reading a batch and writing it, where a concurrent writer could act. */
  afterRead?: (table: string) => Promise<void>;
}

type Bytes = Uint8Array<ArrayBuffer>;
type Write = (db: Db) => Prisma.PrismaPromise<{ count: number }>;

/** One row's conditional write, and the lookup hash it will hold when that is unique. */
interface Planned {
  write: Write;
  claims?: { id: string; lookupHash: string };
}

interface Batch<Row> {
  rows: Row[];
  /** The cursor after this batch. */
  last: string | number;
}

interface TableSpec<Row> {
  table: string;
  /** Rows needing work (counted up front for the progress line, and again at the end). */
  count(): Promise<number>;
  /** The next rows needing work after the cursor, in key order. */
  next(after: string | number | undefined, take: number): Promise<Batch<Row> | null>;
  /** The conditional write of one row; throws DecryptionError when the row cannot be opened. */
  plan(row: Row): Planned;
}

/** What every table's plan needs. */
interface Context {
  db: Db;
  cipher: FieldCipher;
  hasher: Hasher;
  current: string;
  stale: { keyId: { not: string } };
  /** Opens under any known key and seals under the current one; notes why a row cannot be opened. */
  reseal(envelope: Uint8Array, context: string, owner: string): Uint8Array<ArrayBuffer>;
  resealMaybe(envelope: Uint8Array | null, context: string, owner: string): Uint8Array<ArrayBuffer> | null;
  open(envelope: Uint8Array, context: string, owner: string): string;
}

/**
 * Re-encrypts every row whose keyId is not the current data key (rows written before envelopes
 * were bound to their owner included: their key id carries the `@v1` mark), and re-hashes identity and
 * status look-up hashes made with an older HMAC key, table by table in batches of one
 * transaction each. Every update is conditional on the row's old key id and ciphertext (or
 * hash), so a concurrent writer is never overwritten; a run stopped half-way loses nothing and
 * the next run continues. Old rows stay readable throughout (the cipher opens any known key).
 */
export async function rotateKeys(options: RotationOptions): Promise<RotationSummary> {
  const { db, keys } = options;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 200));
  const cipher = new FieldCipher(keys);
  const hasher = new Hasher(keys);
  const errors = new Set<string>();
  const noting = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof DecryptionError) errors.add(error.message);
      throw error;
    }
  };
  const ctx: Context = {
    db,
    cipher,
    hasher,
    current: keys.currentKeyId,
    stale: { keyId: { not: keys.currentKeyId } },
    reseal: (envelope, context, owner) => noting(() => cipher.reseal(envelope, context, owner)),
    resealMaybe: (envelope, context, owner) => (envelope === null ? null : ctx.reseal(envelope, context, owner)),
    open: (envelope, context, owner) => noting(() => cipher.open(envelope, context, owner)),
  };
  const run = <Row>(spec: TableSpec<Row>) => rotateTable(spec, options, batchSize);
  const tables: TableRotation[] = [];
  tables.push(await run(identities(ctx)));
  tables.push(await run(conversations(ctx)));
  tables.push(await run(cases(ctx)));
  tables.push(await run(caseMessages(ctx)));
  tables.push(await run(caseServices(ctx)));
  tables.push(await run(outboxMessages(ctx)));
  tables.push(await run(attachments(ctx)));
  tables.push(await run(whatsappAuth(ctx)));
  tables.push(await rehashStatusLookups(db, hasher, options, batchSize));
  return {
    dataKey: keys.currentKeyId,
    hmacKey: hasher.currentKeyId,
    tables,
    ...(await dataKeysInUse(db, keys.currentKeyId)),
    hmacKeysInUse: await hmacKeysInUse(db, hasher, options.now),
    errors: [...errors].sort(),
  };
}

function batchOf<Row>(rows: Row[], keyOf: (row: Row) => string | number): Batch<Row> | null {
  const last = rows.at(-1);
  return last === undefined ? null : { rows, last: keyOf(last) };
}

function emptyTally(table: string, pending: number): TableRotation {
  return { table, pending, rotated: 0, changedMeanwhile: 0, failed: 0, conflicts: 0, unmatched: 0, remaining: 0 };
}

function sum(counts: Iterable<number>): number {
  let total = 0;
  for (const count of counts) total += count;
  return total;
}

async function rotateTable<Row>(spec: TableSpec<Row>, options: RotationOptions, batchSize: number) {
  const { db } = options;
  const tally = emptyTally(spec.table, await spec.count());
  const report = () =>
    options.onProgress?.({ table: spec.table, verb: "re-encrypted", done: tally.rotated, pending: tally.pending });
  let after: string | number | undefined;
  for (;;) {
    const batch = await spec.next(after, batchSize);
    if (!batch) break;
    after = batch.last;
    await options.afterRead?.(spec.table);
    // A row that cannot be opened is counted and left as it is; the rest of the batch goes on.
    const planned: Planned[] = [];
    for (const row of batch.rows) {
      try {
        planned.push(spec.plan(row));
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        tally.failed += 1;
      }
    }
    const writes = await withoutTakenHashes(db, planned, tally);
    let changed: number;
    try {
      changed = sum((await db.$transaction(writes.map((write) => write(db)))).map((r) => r.count));
    } catch (error) {
      // A lookup hash taken meanwhile (or twice in the batch): row by row, so one conflict holds back nothing else.
      if (!isUniqueViolation(error)) throw error;
      changed = 0;
      for (const write of writes) {
        try {
          changed += (await write(db)).count;
        } catch (single) {
          if (!isUniqueViolation(single)) throw single;
          tally.conflicts += 1;
          tally.changedMeanwhile -= 1;
        }
      }
    }
    tally.rotated += changed;
    tally.changedMeanwhile += writes.length - changed;
    report();
  }
  tally.remaining = await spec.count();
  if (tally.pending === 0) report();
  return tally;
}

/** Drops writes whose new lookup hash another row already holds (the index is unique), counting them. */
async function withoutTakenHashes(db: Db, planned: Planned[], tally: TableRotation): Promise<Write[]> {
  const claims = planned.flatMap((p) => (p.claims ? [p.claims] : []));
  if (claims.length === 0) return planned.map((p) => p.write);
  const taken = await db.contactIdentity.findMany({
    where: { lookupHash: { in: claims.map((c) => c.lookupHash) } },
    select: { id: true, lookupHash: true },
  });
  const holder = new Map(taken.map((t) => [t.lookupHash, t.id]));
  return planned.flatMap((p) => {
    const held = p.claims ? holder.get(p.claims.lookupHash) : undefined;
    if (held === undefined || held === p.claims?.id) return [p.write];
    tally.conflicts += 1;
    return [];
  });
}

/**
 * Contact identities: the address is re-sealed under the current data key, and its lookup
 * hash re-made with the current HMAC key from the decrypted address. The lookup hash is
 * unique: when another row already holds the new hash (two rows for one chat, made by a
 * process that did not know the old key), the row is left under its old hash and counted.
 */
function identities(ctx: Context): TableSpec<{
  id: string;
  keyId: string;
  lookupHash: string;
  addressCipher: Bytes;
}> {
  const { db, cipher, hasher, current } = ctx;
  const needsWork = (row: { keyId: string; lookupHash: string }) =>
    row.keyId !== current || hasher.keyIdOf(row.lookupHash) !== hasher.currentKeyId;
  // Hash prefixes are compared here, not in SQL: LIKE ignores letter case and reads "_" as a wildcard.
  const scan = async (after: string | undefined, take: number) => {
    const found: string[] = [];
    let cursor = after;
    for (;;) {
      const page = await db.contactIdentity.findMany({
        where: cursor === undefined ? {} : { id: { gt: cursor } },
        orderBy: { id: "asc" },
        take: SCAN_PAGE,
        select: { id: true, keyId: true, lookupHash: true },
      });
      for (const row of page) {
        if (found.length >= take) return found;
        if (needsWork(row)) found.push(row.id);
      }
      const last = page.at(-1);
      if (!last) return found;
      cursor = last.id;
    }
  };
  return {
    table: "contact_identities",
    count: async () => (await scan(undefined, Number.POSITIVE_INFINITY)).length,
    next: async (after, take) => {
      const ids = await scan(after as string | undefined, take);
      const last = ids.at(-1);
      if (last === undefined) return null;
      // No order asked: Prisma then splits a batch of more than 999 ids for SQLite (--batch-size).
      const rows = await db.contactIdentity.findMany({
        where: { id: { in: ids } },
        select: { id: true, keyId: true, lookupHash: true, addressCipher: true },
      });
      return { rows: rows.filter(needsWork), last };
    },
    plan: (row) => {
      const address = ctx.open(row.addressCipher, CONTEXT.address, row.id);
      const lookupHash = hasher.identity(address);
      const addressCipher = row.keyId === current ? row.addressCipher : cipher.seal(address, CONTEXT.address, row.id);
      return {
        claims: { id: row.id, lookupHash },
        write: (tx) =>
          tx.contactIdentity.updateMany({
            where: { id: row.id, keyId: row.keyId, lookupHash: row.lookupHash, addressCipher: row.addressCipher },
            data: { lookupHash, addressCipher, keyId: current },
          }),
      };
    },
  };
}

function conversations(ctx: Context): TableSpec<{ identityId: string; keyId: string; stateCipher: Bytes }> {
  const { db, stale, current } = ctx;
  return {
    table: "conversations",
    count: () => db.conversation.count({ where: stale }),
    next: async (after, take) =>
      batchOf(
        await db.conversation.findMany({
          where: { ...stale, ...(after === undefined ? {} : { identityId: { gt: after as string } }) },
          orderBy: { identityId: "asc" },
          take,
          select: { identityId: true, keyId: true, stateCipher: true },
        }),
        (row) => row.identityId,
      ),
    plan: (row) => {
      const stateCipher = ctx.reseal(row.stateCipher, CONTEXT.conversation, row.identityId);
      // The row version stays: the content is the same, and a new version would fail a writer for nothing.
      return {
        write: (tx) =>
          tx.conversation.updateMany({
            where: { identityId: row.identityId, keyId: row.keyId, stateCipher: row.stateCipher },
            data: { stateCipher, keyId: current },
          }),
      };
    },
  };
}

function cases(ctx: Context): TableSpec<{
  id: string;
  keyId: string;
  placeCipher: Bytes | null;
  narrativeCipher: Bytes | null;
  contactCipher: Bytes | null;
}> {
  const { db, stale, current } = ctx;
  return {
    table: "cases",
    count: () => db.case.count({ where: stale }),
    next: async (after, take) =>
      batchOf(
        await db.case.findMany({
          where: { ...stale, ...(after === undefined ? {} : { id: { gt: after as string } }) },
          orderBy: { id: "asc" },
          take,
          select: { id: true, keyId: true, placeCipher: true, narrativeCipher: true, contactCipher: true },
        }),
        (row) => row.id,
      ),
    plan: (row) => {
      const data = {
        placeCipher: ctx.resealMaybe(row.placeCipher, CONTEXT.place, row.id),
        narrativeCipher: ctx.resealMaybe(row.narrativeCipher, CONTEXT.narrative, row.id),
        contactCipher: ctx.resealMaybe(row.contactCipher, CONTEXT.contact, row.id),
        keyId: current,
      };
      // Conditional on the old ciphertexts too: a purge or an erasure meanwhile must not be undone.
      return {
        write: (tx) =>
          tx.case.updateMany({
            where: {
              id: row.id,
              keyId: row.keyId,
              placeCipher: row.placeCipher,
              narrativeCipher: row.narrativeCipher,
              contactCipher: row.contactCipher,
            },
            data,
          }),
      };
    },
  };
}

function caseMessages(ctx: Context): TableSpec<{ id: number; caseId: string; keyId: string; bodyCipher: Bytes }> {
  const { db, stale, current } = ctx;
  return {
    table: "case_messages",
    count: () => db.caseMessage.count({ where: stale }),
    next: async (after, take) =>
      batchOf(
        await db.caseMessage.findMany({
          where: { ...stale, ...(after === undefined ? {} : { id: { gt: after as number } }) },
          orderBy: { id: "asc" },
          take,
          select: { id: true, caseId: true, keyId: true, bodyCipher: true },
        }),
        (row) => row.id,
      ),
    plan: (row) => {
      const bodyCipher = ctx.reseal(row.bodyCipher, CONTEXT.message, row.caseId);
      return {
        write: (tx) =>
          tx.caseMessage.updateMany({
            where: { id: row.id, keyId: row.keyId, bodyCipher: row.bodyCipher },
            data: { bodyCipher, keyId: current },
          }),
      };
    },
  };
}

function caseServices(
  ctx: Context,
): TableSpec<{ id: number; caseId: string; keyId: string; providerCipher: Bytes | null; noteCipher: Bytes | null }> {
  const { db, stale, current } = ctx;
  return {
    table: "case_services",
    count: () => db.caseService.count({ where: stale }),
    next: async (after, take) =>
      batchOf(
        await db.caseService.findMany({
          where: { ...stale, ...(after === undefined ? {} : { id: { gt: after as number } }) },
          orderBy: { id: "asc" },
          take,
          select: { id: true, caseId: true, keyId: true, providerCipher: true, noteCipher: true },
        }),
        (row) => row.id,
      ),
    plan: (row) => {
      const providerCipher = ctx.resealMaybe(row.providerCipher, CONTEXT.service, row.caseId);
      const noteCipher = ctx.resealMaybe(row.noteCipher, CONTEXT.service, row.caseId);
      return {
        write: (tx) =>
          tx.caseService.updateMany({
            where: { id: row.id, keyId: row.keyId, providerCipher: row.providerCipher, noteCipher: row.noteCipher },
            data: { providerCipher, noteCipher, keyId: current },
          }),
      };
    },
  };
}

function outboxMessages(ctx: Context): TableSpec<{
  id: number;
  identityId: string | null;
  officeCode: string | null;
  keyId: string;
  payloadCipher: Bytes | null;
  choicesCipher: Bytes | null;
}> {
  const { db, stale, current } = ctx;
  return {
    table: "outbox_messages",
    count: () => db.outboxMessage.count({ where: stale }),
    next: async (after, take) =>
      batchOf(
        await db.outboxMessage.findMany({
          where: { ...stale, ...(after === undefined ? {} : { id: { gt: after as number } }) },
          orderBy: { id: "asc" },
          take,
          select: {
            id: true,
            keyId: true,
            payloadCipher: true,
            choicesCipher: true,
            identityId: true,
            officeCode: true,
          },
        }),
        (row) => row.id,
      ),
    plan: (row) => {
      const payloadCipher = ctx.resealMaybe(row.payloadCipher, CONTEXT.outbox, outboxOwner(row));
      const choicesCipher = ctx.resealMaybe(row.choicesCipher, CONTEXT.outboxChoices, outboxOwner(row));
      // Conditional on the old ciphertexts: a delivery meanwhile (which drops the payload) is not undone.
      return {
        write: (tx) =>
          tx.outboxMessage.updateMany({
            where: { id: row.id, keyId: row.keyId, payloadCipher: row.payloadCipher, choicesCipher: row.choicesCipher },
            data: { payloadCipher, choicesCipher, keyId: current },
          }),
      };
    },
  };
}

function attachments(ctx: Context): TableSpec<{ id: string; keyId: string; blobCipher: Bytes }> {
  const { db, stale, current } = ctx;
  return {
    table: "attachments",
    count: () => db.attachment.count({ where: stale }),
    next: async (after, take) => {
      const heads = await db.attachment.findMany({
        where: { ...stale, ...(after === undefined ? {} : { id: { gt: after as string } }) },
        orderBy: { id: "asc" },
        take,
        select: { id: true, size: true },
      });
      // Cut the batch by size: a few large files are as much work (and memory) as many rows.
      let bytes = 0;
      const chosen = heads.filter((head, i) => {
        bytes += head.size;
        return i === 0 || bytes <= ATTACHMENT_BATCH_BYTES;
      });
      const last = chosen.at(-1);
      if (!last) return null;
      // No order asked: Prisma then splits a batch of more than 999 ids for SQLite (--batch-size).
      const rows = await db.attachment.findMany({
        where: { ...stale, id: { in: chosen.map((c) => c.id) } },
        select: { id: true, keyId: true, blobCipher: true },
      });
      return { rows, last: last.id };
    },
    plan: (row) => {
      const blobCipher = ctx.reseal(row.blobCipher, CONTEXT.attachment, row.id);
      return {
        write: (tx) =>
          tx.attachment.updateMany({
            where: { id: row.id, keyId: row.keyId, blobCipher: row.blobCipher },
            data: { blobCipher, keyId: current },
          }),
      };
    },
  };
}

function whatsappAuth(ctx: Context): TableSpec<{ key: string; keyId: string; valueCipher: Bytes }> {
  const { db, stale, current } = ctx;
  return {
    table: "whatsapp_auth",
    count: () => db.whatsAppAuth.count({ where: stale }),
    next: async (after, take) =>
      batchOf(
        await db.whatsAppAuth.findMany({
          where: { ...stale, ...(after === undefined ? {} : { key: { gt: after as string } }) },
          orderBy: { key: "asc" },
          take,
          select: { key: true, keyId: true, valueCipher: true },
        }),
        (row) => row.key,
      ),
    plan: (row) => {
      // The index key is re-sealed, not replaced: every other row's name is an HMAC under it.
      const context = row.key === WHATSAPP_INDEX_ROW ? CONTEXT.whatsappIndex : `${CONTEXT.whatsappValue}:${row.key}`;
      const valueCipher = ctx.reseal(row.valueCipher, context, CONTEXT_NAMES_ROW);
      return {
        write: (tx) =>
          tx.whatsAppAuth.updateMany({
            where: { key: row.key, keyId: row.keyId, valueCipher: row.valueCipher },
            data: { valueCipher, keyId: current },
          }),
      };
    },
  };
}

/**
 * Status look-ups are kept as a hash of the reference tried. Those made with an older HMAC
 * key are re-hashed when the reference belongs to a case (found by hashing every case's
 * reference with the old keys); guesses of references no case has cannot be, and need not be.
 */
async function rehashStatusLookups(
  db: Db,
  hasher: Hasher,
  options: RotationOptions,
  batchSize: number,
): Promise<TableRotation> {
  const staleHashes = async () => {
    const counts = new Map<string, number>();
    let cursor: number | undefined;
    for (;;) {
      const page = await db.statusLookup.findMany({
        where: cursor === undefined ? {} : { id: { gt: cursor } },
        orderBy: { id: "asc" },
        take: SCAN_PAGE,
        select: { id: true, referenceHash: true },
      });
      for (const row of page) {
        if (hasher.keyIdOf(row.referenceHash) !== hasher.currentKeyId)
          counts.set(row.referenceHash, (counts.get(row.referenceHash) ?? 0) + 1);
      }
      const last = page.at(-1);
      if (!last) return counts;
      cursor = last.id;
    }
  };
  const before = await staleHashes();
  const tally = emptyTally("status_lookups", sum(before.values()));
  const renames = new Map<string, string>();
  if (before.size > 0) {
    let cursor: string | undefined;
    for (;;) {
      const page = await db.case.findMany({
        where: cursor === undefined ? {} : { id: { gt: cursor } },
        orderBy: { id: "asc" },
        take: SCAN_PAGE,
        select: { id: true, reference: true },
      });
      for (const { reference } of page) {
        const [fresh, ...old] = hasher.referenceCandidates(reference);
        for (const hash of old) if (before.has(hash)) renames.set(hash, fresh as string);
      }
      const last = page.at(-1);
      if (!last) break;
      cursor = last.id;
    }
  }
  const pairs = [...renames];
  for (let i = 0; i < pairs.length; i += batchSize) {
    await options.afterRead?.(tally.table);
    const results = await db.$transaction(
      pairs
        .slice(i, i + batchSize)
        .map(([from, to]) =>
          db.statusLookup.updateMany({ where: { referenceHash: from }, data: { referenceHash: to } }),
        ),
    );
    tally.rotated += sum(results.map((r) => r.count));
    options.onProgress?.({ table: tally.table, verb: "re-hashed", done: tally.rotated, pending: tally.pending });
  }
  const after = await staleHashes();
  tally.remaining = sum(after.values());
  tally.unmatched = sum([...after].filter(([hash]) => !renames.has(hash)).map(([, count]) => count));
  if (pairs.length === 0)
    options.onProgress?.({ table: tally.table, verb: "re-hashed", done: 0, pending: tally.pending });
  return tally;
}

/**
 * Rows per old data key id across every encrypted table, and rows still in version 1 envelopes
 * (their key id marked `@v1` by the migration that introduced owners).
 */
async function dataKeysInUse(
  db: Db,
  current: string,
): Promise<{ dataKeysInUse: Record<string, number>; versionOneRows: number }> {
  const where = { keyId: { not: current } };
  const groups = await Promise.all([
    db.contactIdentity.groupBy({ by: ["keyId"], where, _count: { _all: true } }),
    db.conversation.groupBy({ by: ["keyId"], where, _count: { _all: true } }),
    db.case.groupBy({ by: ["keyId"], where, _count: { _all: true } }),
    db.caseMessage.groupBy({ by: ["keyId"], where, _count: { _all: true } }),
    db.caseService.groupBy({ by: ["keyId"], where, _count: { _all: true } }),
    db.outboxMessage.groupBy({ by: ["keyId"], where, _count: { _all: true } }),
    db.attachment.groupBy({ by: ["keyId"], where, _count: { _all: true } }),
    db.whatsAppAuth.groupBy({ by: ["keyId"], where, _count: { _all: true } }),
  ]);
  const inUse: Record<string, number> = {};
  let versionOneRows = 0;
  for (const group of groups.flat()) {
    const keyId = group.keyId.endsWith(VERSION_ONE_MARK) ? group.keyId.slice(0, -VERSION_ONE_MARK.length) : group.keyId;
    if (keyId !== group.keyId) versionOneRows += group._count._all;
    if (keyId !== current) inUse[keyId] = (inUse[keyId] ?? 0) + group._count._all;
  }
  return { dataKeysInUse: inUse, versionOneRows };
}

/** Where each old HMAC key is still needed: PIN hashes, lookup hashes, look-ups, open invites. */
async function hmacKeysInUse(db: Db, hasher: Hasher, now: Date): Promise<Record<string, HmacKeyUse>> {
  const inUse: Record<string, HmacKeyUse> = {};
  const add = (hash: string | null, field: keyof HmacKeyUse) => {
    if (hash === null) return;
    const id = hasher.keyIdOf(hash);
    if (id === hasher.currentKeyId) return;
    inUse[id] ??= { pinHashes: 0, lookupHashes: 0, statusLookups: 0, invites: 0 };
    inUse[id][field] += 1;
  };
  let caseCursor: string | undefined;
  for (;;) {
    const page = await db.case.findMany({
      where: caseCursor === undefined ? {} : { id: { gt: caseCursor } },
      orderBy: { id: "asc" },
      take: SCAN_PAGE,
      select: { id: true, pinHash: true, victimPinHash: true, duressPinHash: true },
    });
    for (const row of page) {
      add(row.pinHash, "pinHashes");
      add(row.victimPinHash, "pinHashes");
      add(row.duressPinHash, "pinHashes");
    }
    const last = page.at(-1);
    if (!last) break;
    caseCursor = last.id;
  }
  let identityCursor: string | undefined;
  for (;;) {
    const page = await db.contactIdentity.findMany({
      where: identityCursor === undefined ? {} : { id: { gt: identityCursor } },
      orderBy: { id: "asc" },
      take: SCAN_PAGE,
      select: { id: true, lookupHash: true },
    });
    for (const row of page) add(row.lookupHash, "lookupHashes");
    const last = page.at(-1);
    if (!last) break;
    identityCursor = last.id;
  }
  for (const row of await db.statusLookup.findMany({ select: { referenceHash: true } }))
    add(row.referenceHash, "statusLookups");
  const invites = await db.staffInvite.findMany({
    where: { usedAt: null, expiresAt: { gt: now } },
    select: { codeHash: true },
  });
  for (const row of invites) add(row.codeHash, "invites");
  return inUse;
}

/**
 * The summary in words: what was done, and which old keys can leave the configuration (a
 * data key when no row uses it and no backup kept needs it; an HMAC key when nothing uses it).
 */
export function describeRotation(summary: RotationSummary, keys: KeyRing): string[] {
  const lines: string[] = [];
  const rotated = sum(summary.tables.map((t) => t.rotated));
  lines.push(
    `${rotated} row(s) moved to data key ${summary.dataKey} and HMAC key ${summary.hmacKey}${summary.tables.some((t) => t.remaining > 0) ? "; some rows remain (below)" : "; every row that can move has moved"}.`,
  );
  for (const t of summary.tables) {
    const notes = [
      t.changedMeanwhile > 0 ? `${t.changedMeanwhile} changed meanwhile (run again)` : "",
      t.failed > 0 ? `${t.failed} could not be opened` : "",
      t.conflicts > 0 ? `${t.conflicts} left under the old hash: another row holds the new one` : "",
      t.unmatched > 0 ? `${t.unmatched} look-up(s) of references no case has (kept 2 days, then deleted)` : "",
    ].filter(Boolean);
    if (notes.length > 0) lines.push(`  ${t.table}: ${notes.join("; ")}`);
  }
  for (const error of summary.errors) lines.push(`  error: ${error}`);
  if (summary.versionOneRows > 0)
    lines.push(`${summary.versionOneRows} row(s) still in the old envelope format; run rotate-keys again.`);
  for (const id of keys.dataKeys.keys()) {
    if (id === summary.dataKey) continue;
    const used = summary.dataKeysInUse[id] ?? 0;
    lines.push(
      used > 0
        ? `Data key ${id}: still used by ${used} row(s); keep it and run rotate-keys again.`
        : `Data key ${id}: no row uses it; remove it once no backup made before this rotation is kept.`,
    );
  }
  for (const [id, used] of Object.entries(summary.dataKeysInUse)) {
    if (!keys.dataKeys.has(id)) lines.push(`Data key ${id}: used by ${used} row(s) but not configured: add it.`);
  }
  const hmacIds = new Set([...keys.hmacKeys.keys(), ...Object.keys(summary.hmacKeysInUse)]);
  for (const id of hmacIds) {
    if (id === summary.hmacKey) continue;
    const use = summary.hmacKeysInUse[id];
    const configured = keys.hmacKeys.has(id) ? "" : " (not configured: these no longer verify)";
    if (!use) {
      lines.push(`HMAC key ${id}: nothing uses it; it can be removed.`);
      continue;
    }
    const parts = [
      use.pinHashes > 0 ? `${use.pinHashes} PIN hash(es), which cannot be re-made (PINs are not stored)` : "",
      use.lookupHashes > 0 ? `${use.lookupHashes} identity lookup hash(es)` : "",
      use.statusLookups > 0 ? `${use.statusLookups} status look-up(s) (deleted after 2 days)` : "",
      use.invites > 0 ? `${use.invites} open staff invite(s) (they expire)` : "",
    ].filter(Boolean);
    lines.push(`HMAC key ${id}: still needed by ${parts.join(", ")}; keep it${configured}.`);
  }
  return lines;
}
