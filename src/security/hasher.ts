import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Keyed hashes (HMAC-SHA256) for look-ups that must not reveal their input: chat identities,
 * PINs and the references tried in status look-ups. Each use gets its own subkey.
 *
 * PINs are hashed with the server-side key, not a slow hash: six digits fall to any offline
 * guess whatever the cost factor, so the key is what protects them (DESIGN §5).
 */
export class Hasher {
  readonly #identityKey: Buffer;
  readonly #pinKey: Buffer;
  readonly #referenceKey: Buffer;
  readonly #inviteKey: Buffer;

  constructor(hmacKey: Buffer) {
    const derive = (label: string) => Buffer.from(hkdfSync("sha256", hmacKey, Buffer.alloc(0), label, 32));
    this.#identityKey = derive("identity-lookup");
    this.#pinKey = derive("case-pin");
    this.#referenceKey = derive("reference-lookup");
    this.#inviteKey = derive("staff-invite");
  }

  /** The lookup hash of a channel address such as "tg:123". */
  identity(address: string): string {
    return createHmac("sha256", this.#identityKey).update(address).digest("base64url");
  }

  /** The stored form of a case PIN, bound to its reference. */
  pin(reference: string, pin: string): string {
    return createHmac("sha256", this.#pinKey).update(`${reference}\n${pin}`).digest("base64url");
  }

  /** The stored form of a victim's own access PIN for a case, distinct from the reporter's. */
  victimPin(reference: string, pin: string): string {
    return createHmac("sha256", this.#pinKey).update(`victim\n${reference}\n${pin}`).digest("base64url");
  }

  /** The stored form of a reporter's emergency (duress) PIN for a case. */
  duressPin(reference: string, pin: string): string {
    return createHmac("sha256", this.#pinKey).update(`duress\n${reference}\n${pin}`).digest("base64url");
  }

  /** Compares an emergency PIN with its stored hash in constant time. */
  verifyDuressPin(reference: string, pin: string, storedHash: string): boolean {
    return sameHash(this.duressPin(reference, pin), storedHash);
  }

  /** Compares a PIN with its stored hash in constant time. */
  verifyPin(reference: string, pin: string, storedHash: string): boolean {
    return sameHash(this.pin(reference, pin), storedHash);
  }

  /** Compares a victim access PIN with its stored hash in constant time. */
  verifyVictimPin(reference: string, pin: string, storedHash: string): boolean {
    return sameHash(this.victimPin(reference, pin), storedHash);
  }

  /** The stored form of a staff invite code: codes are single-use secrets, kept only as a hash. */
  invite(code: string): string {
    return createHmac("sha256", this.#inviteKey).update(code).digest("base64url");
  }

  /** The hash under which failed look-ups of a reference are counted, whether or not it exists. */
  reference(reference: string): string {
    return createHmac("sha256", this.#referenceKey).update(reference).digest("base64url");
  }
}

function sameHash(computed: string, stored: string): boolean {
  const a = Buffer.from(computed);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
