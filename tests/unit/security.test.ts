import { createCipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DecryptionError, FieldCipher } from "../../src/security/field-cipher.ts";
import { Hasher } from "../../src/security/hasher.ts";
import { KeyConfigError, keyRingFromEnvironment, loadOrCreateEmbeddedKeys } from "../../src/security/key-ring.ts";

const key = () => randomBytes(32).toString("base64");

describe("field encryption", () => {
  it("round-trips text and hides it", () => {
    const cipher = new FieldCipher(keyRingFromEnvironment(`k1:${key()}`, key()));
    const sealed = cipher.seal("Siti, 0812 3456 7890", "case.narrative", "case-a");
    expect(Buffer.from(sealed).toString("latin1")).not.toContain("Siti");
    expect(cipher.open(sealed, "case.narrative", "case-a")).toBe("Siti, 0812 3456 7890");
    expect(cipher.seal("same", "x", "o")).not.toEqual(cipher.seal("same", "x", "o"));
  });

  it("refuses a ciphertext moved to another column, to another row, or tampered with", () => {
    const cipher = new FieldCipher(keyRingFromEnvironment(`k1:${key()}`, key()));
    const sealed = cipher.seal("secret", "case.narrative", "case-a");
    expect(() => cipher.open(sealed, "case.contact", "case-a")).toThrow(DecryptionError);
    // Case A's story copied into case B's row (by someone with write access to the database).
    expect(() => cipher.open(sealed, "case.narrative", "case-b")).toThrow(DecryptionError);
    const tampered = Uint8Array.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    expect(() => cipher.open(tampered, "case.narrative", "case-a")).toThrow(DecryptionError);
  });

  it("still reads envelopes of version 1 (bound to their column only), and seals only version 2", () => {
    const ring = keyRingFromEnvironment(`k1:${key()}`, key());
    const cipher = new FieldCipher(ring);
    // A version 1 envelope as earlier releases wrote it: the context alone was the associated data.
    const iv = randomBytes(12);
    const gcm = createCipheriv("aes-256-gcm", ring.dataKeys.get("k1") as Buffer, iv);
    gcm.setAAD(Buffer.from("case.narrative"));
    const body = Buffer.concat([gcm.update("written before owners", "utf8"), gcm.final()]);
    const v1 = Buffer.concat([Buffer.from([1, 2]), Buffer.from("k1"), iv, gcm.getAuthTag(), body]);
    expect(cipher.versionOf(v1)).toBe(1);
    expect(cipher.open(v1, "case.narrative", "case-a")).toBe("written before owners");
    expect(() => cipher.open(v1, "case.contact", "case-a")).toThrow(DecryptionError);
    const resealed = cipher.reseal(v1, "case.narrative", "case-a");
    expect(cipher.versionOf(resealed)).toBe(2);
    expect(cipher.open(resealed, "case.narrative", "case-a")).toBe("written before owners");
    expect(() => cipher.open(resealed, "case.narrative", "case-b")).toThrow(DecryptionError);
  });

  it("refuses an envelope whose authentication tag was cut short", () => {
    const cipher = new FieldCipher(keyRingFromEnvironment(`k1:${key()}`, key()));
    const sealed = cipher.seal("", "case.narrative", "case-a");
    // Version, key id, IV, the first 4 bytes of the tag and nothing else: GCM must not accept a 4-byte tag.
    const truncated = sealed.subarray(0, sealed.length - 12);
    expect(() => cipher.open(truncated, "case.narrative", "case-a")).toThrow(DecryptionError);
  });

  it("reads rows sealed with an older key after a new one becomes current", () => {
    const k1 = key();
    const old = new FieldCipher(keyRingFromEnvironment(`k1:${k1}`, key()));
    const sealed = old.seal("written last year", "case.narrative", "case-a");
    const rotated = new FieldCipher(keyRingFromEnvironment(`k2:${key()},k1:${k1}`, key()));
    expect(rotated.currentKeyId).toBe("k2");
    expect(rotated.open(sealed, "case.narrative", "case-a")).toBe("written last year");
    const withoutOld = new FieldCipher(keyRingFromEnvironment(`k2:${key()}`, key()));
    expect(() => withoutOld.open(sealed, "case.narrative", "case-a")).toThrow(/no data key "k1"/);
  });

  it("names the setting when keys are malformed", () => {
    expect(() => keyRingFromEnvironment("k1:short", key())).toThrow(KeyConfigError);
    expect(() => keyRingFromEnvironment("k1:short", key())).toThrow(/DATA_KEYS/);
    expect(() => keyRingFromEnvironment(`k1:${key()}`, "nope")).toThrow(/HMAC_KEY/);
  });

  it("generates embedded keys once, readable only by the owner", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "keys-")), "data");
    const first = loadOrCreateEmbeddedKeys(dir);
    const again = loadOrCreateEmbeddedKeys(dir);
    expect(again.hmacKey.equals(first.hmacKey)).toBe(true);
    expect(again.dataKeys.get(again.currentKeyId)?.equals(first.dataKeys.get(first.currentKeyId) as Buffer)).toBe(true);
    expect(statSync(path.join(dir, "keys.json")).mode & 0o777).toBe(0o600);
    expect(first.source).toBe("embedded");
  });
});

describe("keyed hashes", () => {
  it("verifies PINs bound to their reference, with a key an attacker does not have", () => {
    const hasher = new Hasher(randomBytes(32));
    const hash = hasher.pin("K7QM-4TZP-9XWR", "123456");
    expect(hasher.verifyPin("K7QM-4TZP-9XWR", "123456", hash)).toBe(true);
    expect(hasher.verifyPin("K7QM-4TZP-9XWR", "123457", hash)).toBe(false);
    expect(hasher.verifyPin("K7QM-4TZP-9XWX", "123456", hash)).toBe(false);
    expect(new Hasher(randomBytes(32)).verifyPin("K7QM-4TZP-9XWR", "123456", hash)).toBe(false);
    expect(hash).not.toContain("123456");
  });

  it("gives identities and references separate, stable hashes", () => {
    const hasher = new Hasher(randomBytes(32));
    expect(hasher.identity("tg:123")).toBe(hasher.identity("tg:123"));
    expect(hasher.identity("tg:123")).not.toBe(hasher.identity("tg:124"));
    expect(hasher.reference("tg:123")).not.toBe(hasher.identity("tg:123"));
  });
});
