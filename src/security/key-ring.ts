import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The id of the HMAC key that predates versioned HMAC keys (HMAC_KEY, or a key file's
 * `hmacKey`); hashes it made carry no key-id prefix, so it must keep this id.
 */
export const LEGACY_HMAC_KEY_ID = "h1";

/** The secrets the bot encrypts and hashes with: data keys and HMAC keys by id, the newest writing. */
export interface KeyRing {
  currentKeyId: string;
  dataKeys: ReadonlyMap<string, Buffer>;
  /** The id of the HMAC key new hashes are made with. */
  currentHmacKeyId: string;
  /** Every HMAC key by id: older ones still verify PINs and find contacts hashed before a rotation. */
  hmacKeys: ReadonlyMap<string, Buffer>;
  /** The current HMAC key (hmacKeys.get(currentHmacKeyId)), for callers that predate versioned HMAC keys. */
  hmacKey: Buffer;
  /** Where the keys came from, for the start-up warning. */
  source: "environment" | "key-file" | "embedded";
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

const base64Key = z
  .string()
  .transform((s) => Buffer.from(s, "base64"))
  .refine((b) => b.length === 32, "must be 32 bytes, base64-encoded");

const KeyFileSchema = z.object({
  current: z.string().min(1),
  dataKeys: z.record(z.string().regex(KEY_ID), base64Key),
  /** The single HMAC key of older key files: the key "h1". */
  hmacKey: base64Key.optional(),
  hmacKeys: z.record(z.string().regex(KEY_ID), base64Key).optional(),
  currentHmac: z.string().min(1).optional(),
});

/** Thrown when keys are missing or malformed; the message names the setting to fix. */
export class KeyConfigError extends Error {
  override name = "KeyConfigError";
}

/** Parses "id:base64,id:base64" (the first is current); `setting` names the variable in errors. */
function parseKeyList(list: string, setting: string): { current: string; keys: Map<string, Buffer> } {
  const entries = list.split(",").map((part) => part.trim());
  const keys = new Map<string, Buffer>();
  for (const entry of entries) {
    const [id, key, extra] = entry.split(":");
    const parsed = base64Key.safeParse(key ?? "");
    if (!id || !KEY_ID.test(id) || !parsed.success || extra !== undefined) {
      throw new KeyConfigError(`${setting}: expected "keyId:base64key" entries of 32-byte keys, separated by commas`);
    }
    if (keys.has(id)) throw new KeyConfigError(`${setting}: the key id "${id}" appears twice`);
    keys.set(id, parsed.data);
  }
  return { current: entries[0]?.split(":")[0] as string, keys };
}

/**
 * HMAC key ids prefix stored hashes, and SQLite compares prefixes without regard to letter
 * case (LIKE): two ids differing only in case would let rotate-keys take one for the other.
 */
function checkHmacIds(keys: ReadonlyMap<string, Buffer>, setting: string): void {
  const seen = new Set<string>();
  for (const id of keys.keys()) {
    if (seen.has(id.toLowerCase()))
      throw new KeyConfigError(`${setting}: HMAC key ids must differ in more than letter case ("${id}")`);
    seen.add(id.toLowerCase());
  }
}

/**
 * Parses DATA_KEYS ("id:base64,id:base64", the first is current) and the HMAC keys: either
 * HMAC_KEYS in the same form ("h2:base64,h1:base64") or a bare HMAC_KEY, which is the key "h1".
 */
export function keyRingFromEnvironment(dataKeys: string, hmacKeys: string): KeyRing {
  const data = parseKeyList(dataKeys, "DATA_KEYS");
  let hmac: { current: string; keys: Map<string, Buffer> };
  if (hmacKeys.includes(":")) {
    hmac = parseKeyList(hmacKeys, "HMAC_KEYS");
    checkHmacIds(hmac.keys, "HMAC_KEYS");
  } else {
    const single = base64Key.safeParse(hmacKeys.trim());
    if (!single.success) throw new KeyConfigError("HMAC_KEY: expected a 32-byte key, base64-encoded");
    hmac = { current: LEGACY_HMAC_KEY_ID, keys: new Map([[LEGACY_HMAC_KEY_ID, single.data]]) };
  }
  return {
    currentKeyId: data.current,
    dataKeys: data.keys,
    currentHmacKeyId: hmac.current,
    hmacKeys: hmac.keys,
    hmacKey: hmac.keys.get(hmac.current) as Buffer,
    source: "environment",
  };
}

/**
 * Reads a key file: { current, dataKeys: { id: base64 }, hmacKeys: { id: base64 }, currentHmac }.
 * The older single `hmacKey` is still read, as the key "h1".
 */
export function keyRingFromFile(file: string, source: KeyRing["source"] = "key-file"): KeyRing {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new KeyConfigError(`KEY_FILE: cannot read ${file} as JSON (${(error as Error).name})`);
  }
  const parsed = KeyFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new KeyConfigError(
      `KEY_FILE: ${file} must hold { current, dataKeys: { id: base64 }, hmacKeys: { id: base64 }, currentHmac } (or the older hmacKey) with 32-byte keys`,
    );
  }
  const content = parsed.data;
  const dataKeys = new Map(Object.entries(content.dataKeys));
  if (!dataKeys.has(content.current))
    throw new KeyConfigError(`KEY_FILE: current key "${content.current}" is not in dataKeys`);
  const hmacKeys = new Map(Object.entries(content.hmacKeys ?? {}));
  if (content.hmacKey) {
    const named = hmacKeys.get(LEGACY_HMAC_KEY_ID);
    if (named && !named.equals(content.hmacKey))
      throw new KeyConfigError(`KEY_FILE: hmacKey is the key "${LEGACY_HMAC_KEY_ID}", but hmacKeys.h1 differs from it`);
    hmacKeys.set(LEGACY_HMAC_KEY_ID, content.hmacKey);
  }
  if (hmacKeys.size === 0) throw new KeyConfigError(`KEY_FILE: ${file} holds no HMAC key (hmacKeys or hmacKey)`);
  checkHmacIds(hmacKeys, "KEY_FILE");
  const currentHmac = content.currentHmac ?? (hmacKeys.size === 1 ? ([...hmacKeys.keys()][0] as string) : undefined);
  if (!currentHmac) throw new KeyConfigError("KEY_FILE: currentHmac must name the current one of several HMAC keys");
  const hmacKey = hmacKeys.get(currentHmac);
  if (!hmacKey) throw new KeyConfigError(`KEY_FILE: currentHmac "${currentHmac}" is not in hmacKeys`);
  return {
    currentKeyId: content.current,
    dataKeys,
    currentHmacKeyId: currentHmac,
    hmacKeys,
    hmacKey,
    source,
  };
}

/**
 * The embedded default: keys generated on first run beside the database (mode 0600).
 * Fine for trying the bot; production must keep keys outside the data directory and its backups.
 */
export function loadOrCreateEmbeddedKeys(dataDir: string): KeyRing {
  const file = path.join(dataDir, "keys.json");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const content = {
      current: "k1",
      dataKeys: { k1: randomBytes(32).toString("base64") },
      currentHmac: LEGACY_HMAC_KEY_ID,
      hmacKeys: { [LEGACY_HMAC_KEY_ID]: randomBytes(32).toString("base64") },
    };
    writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  }
  chmodSync(file, 0o600);
  return keyRingFromFile(file, "embedded");
}

/** Creates a fresh in-memory key ring, for tests and benchmarks. */
export function ephemeralKeyRing(): KeyRing {
  const hmacKey = randomBytes(32);
  return {
    currentKeyId: "k1",
    dataKeys: new Map([["k1", randomBytes(32)]]),
    currentHmacKeyId: LEGACY_HMAC_KEY_ID,
    hmacKeys: new Map([[LEGACY_HMAC_KEY_ID, hmacKey]]),
    hmacKey,
    source: "environment",
  };
}
