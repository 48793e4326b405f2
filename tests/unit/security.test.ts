import { randomBytes } from "node:crypto";
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
    const sealed = cipher.seal("Siti, 0812 3456 7890", "case.narrative");
    expect(Buffer.from(sealed).toString("latin1")).not.toContain("Siti");
    expect(cipher.open(sealed, "case.narrative")).toBe("Siti, 0812 3456 7890");
    expect(cipher.seal("same", "x")).not.toEqual(cipher.seal("same", "x"));
  });

  it("refuses a ciphertext moved to another column or tampered with", () => {
    const cipher = new FieldCipher(keyRingFromEnvironment(`k1:${key()}`, key()));
    const sealed = cipher.seal("secret", "case.narrative");
    expect(() => cipher.open(sealed, "case.contact")).toThrow(DecryptionError);
    const tampered = Uint8Array.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    expect(() => cipher.open(tampered, "case.narrative")).toThrow(DecryptionError);
  });

  it("refuses an envelope whose authentication tag was cut short", () => {
    const cipher = new FieldCipher(keyRingFromEnvironment(`k1:${key()}`, key()));
    const sealed = cipher.seal("", "case.narrative");
    // Version, key id, IV, the first 4 bytes of the tag and nothing else: GCM must not accept a 4-byte tag.
    const truncated = sealed.subarray(0, sealed.length - 12);
    expect(() => cipher.open(truncated, "case.narrative")).toThrow(DecryptionError);
  });

  it("reads rows sealed with an older key after a new one becomes current", () => {
    const k1 = key();
    const old = new FieldCipher(keyRingFromEnvironment(`k1:${k1}`, key()));
    const sealed = old.seal("written last year", "case.narrative");
    const rotated = new FieldCipher(keyRingFromEnvironment(`k2:${key()},k1:${k1}`, key()));
    expect(rotated.currentKeyId).toBe("k2");
    expect(rotated.open(sealed, "case.narrative")).toBe("written last year");
    const withoutOld = new FieldCipher(keyRingFromEnvironment(`k2:${key()}`, key()));
    expect(() => withoutOld.open(sealed, "case.narrative")).toThrow(/no data key "k1"/);
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
