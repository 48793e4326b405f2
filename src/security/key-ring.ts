import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** The secrets the bot encrypts and hashes with: data keys by id (newest writes) and the HMAC key. */
export interface KeyRing {
  currentKeyId: string;
  dataKeys: ReadonlyMap<string, Buffer>;
  hmacKey: Buffer;
  /** Where the keys came from, for the start-up warning. */
  source: "environment" | "key-file" | "embedded";
}

const base64Key = z
  .string()
  .transform((s) => Buffer.from(s, "base64"))
  .refine((b) => b.length === 32, "must be 32 bytes, base64-encoded");

const KeyFileSchema = z.object({
  current: z.string().min(1),
  dataKeys: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), base64Key),
  hmacKey: base64Key,
});

/** Thrown when keys are missing or malformed; the message names the setting to fix. */
export class KeyConfigError extends Error {
  override name = "KeyConfigError";
}

/** Parses DATA_KEYS ("id:base64,id:base64", the first is current) and HMAC_KEY. */
export function keyRingFromEnvironment(dataKeys: string, hmacKey: string): KeyRing {
  const entries = dataKeys.split(",").map((part) => part.trim());
  const map = new Map<string, Buffer>();
  for (const entry of entries) {
    const [id, key] = entry.split(":");
    const parsed = base64Key.safeParse(key ?? "");
    if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || !parsed.success) {
      throw new KeyConfigError('DATA_KEYS: expected "keyId:base64key" entries of 32-byte keys, separated by commas');
    }
    map.set(id, parsed.data);
  }
  const hmac = base64Key.safeParse(hmacKey);
  if (!hmac.success) throw new KeyConfigError("HMAC_KEY: expected a 32-byte key, base64-encoded");
  return {
    currentKeyId: entries[0]?.split(":")[0] as string,
    dataKeys: map,
    hmacKey: hmac.data,
    source: "environment",
  };
}

/** Reads a key file ({ current, dataKeys: { id: base64 }, hmacKey }). */
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
      `KEY_FILE: ${file} must hold { current, dataKeys: { id: base64 }, hmacKey } with 32-byte keys`,
    );
  }
  const dataKeys = new Map(Object.entries(parsed.data.dataKeys));
  if (!dataKeys.has(parsed.data.current))
    throw new KeyConfigError(`KEY_FILE: current key "${parsed.data.current}" is not in dataKeys`);
  return { currentKeyId: parsed.data.current, dataKeys, hmacKey: parsed.data.hmacKey, source };
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
      hmacKey: randomBytes(32).toString("base64"),
    };
    writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  }
  chmodSync(file, 0o600);
  return keyRingFromFile(file, "embedded");
}

/** Creates a fresh in-memory key ring, for tests and benchmarks. */
export function ephemeralKeyRing(): KeyRing {
  return {
    currentKeyId: "k1",
    dataKeys: new Map([["k1", randomBytes(32)]]),
    hmacKey: randomBytes(32),
    source: "environment",
  };
}
