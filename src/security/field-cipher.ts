import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { KeyRing } from "./key-ring.ts";

/** Envelopes bound to their column only (still read; rewritten as version 2 by the next key rotation). */
const VERSION_COLUMN = 1;
/** Envelopes bound to their column and to the row that owns them. */
const VERSION_OWNER = 2;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

/** Thrown when a stored envelope cannot be opened (unknown key id, tampering, wrong context). */
export class DecryptionError extends Error {
  override name = "DecryptionError";
}

/** The owner of an envelope whose context already names its row (a WhatsApp auth key). */
export const CONTEXT_NAMES_ROW = "";

/**
 * AES-256-GCM for fields at rest. Each envelope carries the id of the key that sealed it, so
 * keys can rotate while old rows stay readable, and is bound (as associated data) to a context
 * string (table and field) and to its owner (the id of the case, identity or file it belongs to,
 * known when it is written), so a ciphertext cannot be moved to another column or another row.
 */
export class FieldCipher {
  readonly #keys: KeyRing;

  constructor(keys: KeyRing) {
    this.#keys = keys;
  }

  /** The id of the key new envelopes are sealed with. */
  get currentKeyId(): string {
    return this.#keys.currentKeyId;
  }

  /** Encrypts text for the given context ("case.narrative") and owner (the case's id). */
  seal(plaintext: string, context: string, owner: string): Uint8Array<ArrayBuffer> {
    const keyId = this.#keys.currentKeyId;
    const key = this.#keys.dataKeys.get(keyId);
    if (!key) throw new DecryptionError(`no data key "${keyId}"`);
    const iv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(associatedData(VERSION_OWNER, context, owner));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const id = Buffer.from(keyId);
    const out = new Uint8Array(new ArrayBuffer(2 + id.length + IV_LENGTH + TAG_LENGTH + body.length));
    out[0] = VERSION_OWNER;
    out[1] = id.length;
    out.set(id, 2);
    out.set(iv, 2 + id.length);
    out.set(cipher.getAuthTag(), 2 + id.length + IV_LENGTH);
    out.set(body, 2 + id.length + IV_LENGTH + TAG_LENGTH);
    return out;
  }

  /** Decrypts an envelope sealed for the same context and owner (a version 1 envelope: the same context). */
  open(envelope: Uint8Array, context: string, owner: string): string {
    const buf = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength);
    const version = buf[0];
    if ((version !== VERSION_COLUMN && version !== VERSION_OWNER) || buf.length < 2)
      throw new DecryptionError("unknown envelope version");
    const idLength = buf[1] as number;
    const keyId = buf.subarray(2, 2 + idLength).toString();
    const key = this.#keys.dataKeys.get(keyId);
    if (!key) throw new DecryptionError(`no data key "${keyId}"`);
    const ivStart = 2 + idLength;
    // A short envelope would hand GCM a truncated tag, which it would check only in part.
    if (buf.length < ivStart + IV_LENGTH + TAG_LENGTH) throw new DecryptionError("envelope too short");
    const decipher = createDecipheriv("aes-256-gcm", key, buf.subarray(ivStart, ivStart + IV_LENGTH), {
      authTagLength: TAG_LENGTH,
    });
    decipher.setAAD(associatedData(version, context, owner));
    decipher.setAuthTag(buf.subarray(ivStart + IV_LENGTH, ivStart + IV_LENGTH + TAG_LENGTH));
    try {
      return Buffer.concat([
        decipher.update(buf.subarray(ivStart + IV_LENGTH + TAG_LENGTH)),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new DecryptionError("envelope failed authentication");
    }
  }

  /** The id of the key that sealed an envelope (without opening it). */
  keyIdOf(envelope: Uint8Array): string {
    if ((envelope[0] !== VERSION_COLUMN && envelope[0] !== VERSION_OWNER) || envelope.length < 2)
      throw new DecryptionError("unknown envelope version");
    const idLength = envelope[1] as number;
    return Buffer.from(
      envelope.buffer,
      envelope.byteOffset + 2,
      Math.min(idLength, envelope.byteLength - 2),
    ).toString();
  }

  /** The format version of an envelope: 1 (bound to its column) or 2 (and to its owner). */
  versionOf(envelope: Uint8Array): number {
    return envelope[0] ?? 0;
  }

  /**
   * Opens an envelope and seals its content again under the current key, as version 2, for the
   * same context; `to` names a new owner when the content moves to another row.
   */
  reseal(envelope: Uint8Array, context: string, owner: string, to: string = owner): Uint8Array<ArrayBuffer> {
    return this.seal(this.open(envelope, context, owner), context, to);
  }

  /** Encrypts a JSON-serialisable value. */
  sealJson(value: unknown, context: string, owner: string): Uint8Array<ArrayBuffer> {
    return this.seal(JSON.stringify(value), context, owner);
  }

  /** Decrypts an envelope holding JSON; validate the result with zod at the caller. */
  openJson(envelope: Uint8Array, context: string, owner: string): unknown {
    return JSON.parse(this.open(envelope, context, owner));
  }
}

/** Version 1 envelopes authenticate the context alone; version 2 the context and the owner. */
function associatedData(version: number | undefined, context: string, owner: string): Buffer {
  return Buffer.from(version === VERSION_COLUMN ? context : `${context}\u0000${owner}`);
}
