import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { LEGACY_HMAC_KEY_ID } from "./key-ring.ts";

/** HMAC keys by id and the one new hashes are made with (a KeyRing fits). */
export interface HmacKeySet {
  currentHmacKeyId: string;
  hmacKeys: ReadonlyMap<string, Buffer>;
}

interface Subkeys {
  identity: Buffer;
  pin: Buffer;
  reference: Buffer;
  invite: Buffer;
  quota: Buffer;
}

/**
 * Keyed hashes (HMAC-SHA256) for look-ups that must not reveal their input: chat identities,
 * PINs and the references tried in status look-ups. Each use gets its own subkey.
 *
 * PINs are hashed with the server-side key, not a slow hash: six digits fall to any offline
 * guess whatever the cost factor, so the key is what protects them (DESIGN §5).
 *
 * HMAC keys rotate: a stored hash names the key that made it ("h2.<mac>"); hashes without a
 * prefix were made by the original key "h1", so stores written before versioning stay valid.
 * Verification uses the key the hash names, and look-ups try the hash of every key, current
 * first, because a PIN cannot be re-hashed (it is not stored) and other hashes only are by
 * `rotate-keys`.
 */
export class Hasher {
  readonly #currentId: string;
  readonly #keys = new Map<string, Subkeys>();

  /** Takes the key set, or a single key (the original key "h1"). */
  constructor(keys: HmacKeySet | Buffer) {
    const set: HmacKeySet = Buffer.isBuffer(keys)
      ? { currentHmacKeyId: LEGACY_HMAC_KEY_ID, hmacKeys: new Map([[LEGACY_HMAC_KEY_ID, keys]]) }
      : keys;
    for (const [id, key] of set.hmacKeys) {
      const derive = (label: string) => Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), label, 32));
      this.#keys.set(id, {
        identity: derive("identity-lookup"),
        pin: derive("case-pin"),
        reference: derive("reference-lookup"),
        invite: derive("staff-invite"),
        quota: derive("report-quota"),
      });
    }
    if (!this.#keys.has(set.currentHmacKeyId)) throw new Error(`no HMAC key "${set.currentHmacKeyId}"`);
    this.#currentId = set.currentHmacKeyId;
  }

  /** The id of the key new hashes are made with. */
  get currentKeyId(): string {
    return this.#currentId;
  }

  /** The ids of every key this hasher knows, current first. */
  get keyIds(): string[] {
    return [this.#currentId, ...[...this.#keys.keys()].filter((id) => id !== this.#currentId)];
  }

  /** The id of the key a stored hash was made with (an unprefixed hash: the original key "h1"). */
  keyIdOf(storedHash: string): string {
    const dot = storedHash.indexOf(".");
    return dot < 0 ? LEGACY_HMAC_KEY_ID : storedHash.slice(0, dot);
  }

  /** The lookup hash of a channel address such as "tg:123", under the current key. */
  identity(address: string): string {
    return this.#make(this.#currentId, "identity", address);
  }

  /** The lookup hashes of an address under every key, current first: old rows are found until re-hashed. */
  identityCandidates(address: string): string[] {
    return this.keyIds.map((id) => this.#make(id, "identity", address));
  }

  /** The stored form of a case PIN, bound to its reference. */
  pin(reference: string, pin: string): string {
    return this.#make(this.#currentId, "pin", `${reference}\n${pin}`);
  }

  /** The stored form of a victim's own access PIN for a case, distinct from the reporter's. */
  victimPin(reference: string, pin: string): string {
    return this.#make(this.#currentId, "pin", `victim\n${reference}\n${pin}`);
  }

  /** The stored form of a reporter's emergency (duress) PIN for a case. */
  duressPin(reference: string, pin: string): string {
    return this.#make(this.#currentId, "pin", `duress\n${reference}\n${pin}`);
  }

  /** Compares an emergency PIN with its stored hash in constant time, with the key the hash names. */
  verifyDuressPin(reference: string, pin: string, storedHash: string): boolean {
    return this.#verify("pin", `duress\n${reference}\n${pin}`, storedHash);
  }

  /** Compares a PIN with its stored hash in constant time, with the key the hash names. */
  verifyPin(reference: string, pin: string, storedHash: string): boolean {
    return this.#verify("pin", `${reference}\n${pin}`, storedHash);
  }

  /** Compares a victim access PIN with its stored hash in constant time, with the key the hash names. */
  verifyVictimPin(reference: string, pin: string, storedHash: string): boolean {
    return this.#verify("pin", `victim\n${reference}\n${pin}`, storedHash);
  }

  /** The stored form of a staff invite code: codes are single-use secrets, kept only as a hash. */
  invite(code: string): string {
    return this.#make(this.#currentId, "invite", code);
  }

  /** The stored forms of an invite code under every key, current first, for look-ups across a rotation. */
  inviteCandidates(code: string): string[] {
    return this.keyIds.map((id) => this.#make(id, "invite", code));
  }

  /** The hash under which failed look-ups of a reference are counted, whether or not it exists. */
  reference(reference: string): string {
    return this.#make(this.#currentId, "reference", reference);
  }

  /** The reference hashes under every key, current first, to count look-ups across a rotation. */
  referenceCandidates(reference: string): string[] {
    return this.keyIds.map((id) => this.#make(id, "reference", reference));
  }

  /**
   * The hashes under which a chat's reports are counted for the daily limit, under every key,
   * current first. A subkey of its own, so that they match no identity's lookup hash.
   */
  reportQuotaCandidates(address: string): string[] {
    return this.keyIds.map((id) => this.#make(id, "quota", address));
  }

  #make(keyId: string, use: keyof Subkeys, input: string): string {
    const keys = this.#keys.get(keyId) as Subkeys;
    const mac = createHmac("sha256", keys[use]).update(input).digest("base64url");
    // The original key's hashes stay unprefixed, so nothing written before versioning changes.
    return keyId === LEGACY_HMAC_KEY_ID ? mac : `${keyId}.${mac}`;
  }

  #verify(use: keyof Subkeys, input: string, storedHash: string): boolean {
    const keyId = this.keyIdOf(storedHash);
    if (!this.#keys.has(keyId)) return false;
    return sameHash(this.#make(keyId, use, input), storedHash);
  }
}

function sameHash(computed: string, stored: string): boolean {
  const a = Buffer.from(computed);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
