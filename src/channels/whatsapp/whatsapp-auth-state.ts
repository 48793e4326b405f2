import { createHmac, randomBytes } from "node:crypto";
import {
  type AuthenticationCreds,
  type AuthenticationState,
  BufferJSON,
  initAuthCreds,
  proto,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from "@whiskeysockets/baileys";
import type { Db } from "../../db/database.ts";
import { CONTEXT_NAMES_ROW, type FieldCipher } from "../../security/field-cipher.ts";

const VALUE_CONTEXT = "whatsapp.auth";
const INDEX_CONTEXT = "whatsapp.auth.index";
/** The one row stored under a fixed name: the random key that hashes every other row's name. */
const INDEX_ROW = "index";
const CREDS = "creds";

/** The auth state Baileys runs on, and how to persist its credentials when they change. */
export interface StoredAuthState {
  state: AuthenticationState;
  saveCreds(): Promise<void>;
}

/**
 * The WhatsApp session in the database instead of Baileys' multi-file auth state (which its
 * authors say is not for production). Every value (the creds, each signal key) is one row
 * encrypted with the field cipher under the current key id; row names ("session-62812...:0")
 * contain phone numbers, so a row is keyed by an HMAC of its name under a random index key that
 * is itself stored encrypted. A copy of the database is useless without the data keys.
 */
export class WhatsAppAuthStore {
  readonly #db: Db;
  readonly #cipher: FieldCipher;
  #indexKey: Promise<Buffer> | null = null;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  /** True when a session (paired or pairing) is stored. */
  async hasSession(): Promise<boolean> {
    return (await this.read(CREDS)) !== null;
  }

  /** Loads the stored session, or fresh credentials that pairing will fill in. */
  async load(): Promise<StoredAuthState> {
    const stored = await this.read(CREDS);
    const creds = (stored as AuthenticationCreds | null) ?? initAuthCreds();
    const keys: SignalKeyStore = {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const values = await this.readMany(ids.map((id) => `${type}-${id}`));
        const data: { [id: string]: SignalDataTypeMap[T] } = {};
        ids.forEach((id, i) => {
          let value = values[i];
          if (value === null || value === undefined) return;
          if (type === "app-state-sync-key") value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
          data[id] = value as SignalDataTypeMap[T];
        });
        return data;
      },
      set: async (data: SignalDataSet) => {
        const entries: Array<[string, unknown]> = [];
        for (const [type, values] of Object.entries(data)) {
          for (const [id, value] of Object.entries(values ?? {})) entries.push([`${type}-${id}`, value ?? null]);
        }
        await this.writeMany(entries);
      },
      clear: () => this.clear(),
    };
    return { state: { creds, keys }, saveCreds: () => this.writeMany([[CREDS, creds]]) };
  }

  /** Deletes the whole session (after a real logout): the next start pairs again. */
  async clear(): Promise<void> {
    await this.#db.whatsAppAuth.deleteMany({});
    this.#indexKey = null;
  }

  /** Reads one value by name, or null. */
  async read(name: string): Promise<unknown> {
    return (await this.readMany([name]))[0] ?? null;
  }

  /** Reads values by name, in order (null where absent). */
  async readMany(names: readonly string[]): Promise<unknown[]> {
    if (names.length === 0) return [];
    const index = await this.#index(false);
    if (!index) return names.map(() => null);
    const keys = names.map((name) => rowKey(index, name));
    const rows = await this.#db.whatsAppAuth.findMany({
      where: { key: { in: keys } },
      select: { key: true, valueCipher: true },
    });
    const byKey = new Map(rows.map((row) => [row.key, row.valueCipher]));
    return keys.map((key) => {
      const envelope = byKey.get(key);
      return envelope
        ? JSON.parse(this.#cipher.open(envelope, `${VALUE_CONTEXT}:${key}`, CONTEXT_NAMES_ROW), BufferJSON.reviver)
        : null;
    });
  }

  /** Writes values by name in one transaction; null deletes. */
  async writeMany(entries: ReadonlyArray<readonly [string, unknown]>): Promise<void> {
    if (entries.length === 0) return;
    const index = await this.#index(true);
    const now = new Date();
    const keyId = this.#cipher.currentKeyId;
    const writes = entries.map(([name, value]) => {
      const key = rowKey(index, name);
      if (value === null || value === undefined) return this.#db.whatsAppAuth.deleteMany({ where: { key } });
      const valueCipher = this.#cipher.seal(
        JSON.stringify(value, BufferJSON.replacer),
        `${VALUE_CONTEXT}:${key}`,
        CONTEXT_NAMES_ROW,
      );
      return this.#db.whatsAppAuth.upsert({
        where: { key },
        create: { key, valueCipher, keyId, updatedAt: now },
        update: { valueCipher, keyId, updatedAt: now },
        select: { key: true },
      });
    });
    await this.#db.$transaction(writes);
  }

  /** The index key; reads do not create one (no index key: nothing is stored), writes do. */
  #index(create: true): Promise<Buffer>;
  #index(create: false): Promise<Buffer | null>;
  async #index(create: boolean): Promise<Buffer | null> {
    if (this.#indexKey) return this.#indexKey;
    const row = await this.#db.whatsAppAuth.findUnique({ where: { key: INDEX_ROW }, select: { valueCipher: true } });
    if (this.#indexKey) return this.#indexKey;
    if (row) {
      const key = Buffer.from(this.#cipher.open(row.valueCipher, INDEX_CONTEXT, CONTEXT_NAMES_ROW), "base64");
      this.#indexKey = Promise.resolve(key);
      return key;
    }
    if (!create) return null;
    // One promise, so that concurrent first writes create the index key once.
    this.#indexKey = this.#createIndex().catch((error: unknown) => {
      this.#indexKey = null;
      throw error;
    });
    return this.#indexKey;
  }

  async #createIndex(): Promise<Buffer> {
    const fresh = randomBytes(32);
    await this.#db.whatsAppAuth.create({
      data: {
        key: INDEX_ROW,
        valueCipher: this.#cipher.seal(fresh.toString("base64"), INDEX_CONTEXT, CONTEXT_NAMES_ROW),
        keyId: this.#cipher.currentKeyId,
        updatedAt: new Date(),
      },
      select: { key: true },
    });
    return fresh;
  }
}

function rowKey(index: Buffer, name: string): string {
  return `v1:${createHmac("sha256", index).update(name).digest("base64url")}`;
}
