import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { DecryptionError, FieldCipher } from "../../src/security/field-cipher.ts";
import { Hasher } from "../../src/security/hasher.ts";
import {
  KeyConfigError,
  keyRingFromEnvironment,
  keyRingFromFile,
  loadOrCreateEmbeddedKeys,
} from "../../src/security/key-ring.ts";

const key = () => randomBytes(32).toString("base64");
const REF = "K7QM-4TZP-9XWR";

function keyFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "key-file-")), "keys.json");
  writeFileSync(file, JSON.stringify(content));
  return file;
}

/** The hash as the code before versioned HMAC keys made it: stores written then must stay valid. */
function unversionedPinHash(hmacKey: Buffer, reference: string, pin: string): string {
  const subkey = Buffer.from(hkdfSync("sha256", hmacKey, Buffer.alloc(0), "case-pin", 32));
  return createHmac("sha256", subkey).update(`${reference}\n${pin}`).digest("base64url");
}

describe("HMAC keys in the environment", () => {
  it("reads HMAC_KEY as the single key h1, and HMAC_KEYS as several with the first current", () => {
    const h1 = key();
    const single = keyRingFromEnvironment(`k1:${key()}`, h1);
    expect(single.currentHmacKeyId).toBe("h1");
    expect([...single.hmacKeys.keys()]).toEqual(["h1"]);
    expect(single.hmacKey.toString("base64")).toBe(h1);

    const h2 = key();
    const several = keyRingFromEnvironment(`k2:${key()},k1:${key()}`, `h2:${h2}, h1:${h1}`);
    expect(several.currentKeyId).toBe("k2");
    expect(several.currentHmacKeyId).toBe("h2");
    expect(several.hmacKeys.get("h1")?.toString("base64")).toBe(h1);
    expect(several.hmacKey.toString("base64")).toBe(h2);
  });

  it("names HMAC_KEYS, and refuses repeated ids or ids differing only in letter case", () => {
    expect(() => keyRingFromEnvironment(`k1:${key()}`, `h2:short,h1:${key()}`)).toThrow(/HMAC_KEYS/);
    expect(() => keyRingFromEnvironment(`k1:${key()}`, `h2:${key()},h2:${key()}`)).toThrow(/appears twice/);
    expect(() => keyRingFromEnvironment(`k1:${key()}`, `h2:${key()},H2:${key()}`)).toThrow(/letter case/);
    expect(() => keyRingFromEnvironment(`k1:${key()},k1:${key()}`, key())).toThrow(/DATA_KEYS.*twice/);
  });

  it("passes HMAC_KEYS or HMAC_KEY through the configuration, not both", () => {
    const dataKeys = `k1:${key()}`;
    expect(loadConfig({ DATA_KEYS: dataKeys, HMAC_KEYS: "h2:abc,h1:def" }).keys).toEqual({
      kind: "environment",
      dataKeys,
      hmacKeys: "h2:abc,h1:def",
    });
    expect(loadConfig({ DATA_KEYS: dataKeys, HMAC_KEY: "abc" }).keys).toEqual({
      kind: "environment",
      dataKeys,
      hmacKeys: "abc",
    });
    expect(() => loadConfig({ DATA_KEYS: dataKeys, HMAC_KEY: "abc", HMAC_KEYS: "h2:abc" })).toThrow(
      /HMAC_KEY and HMAC_KEYS/,
    );
    expect(() => loadConfig({ DATA_KEYS: dataKeys, HMAC_KEYS: "abc" })).toThrow(ConfigError);
    expect(() => loadConfig({ HMAC_KEYS: "h2:abc" })).toThrow(/DATA_KEYS and HMAC_KEY/);
  });
});

describe("HMAC keys in a key file", () => {
  it("still reads the older single hmacKey as h1", () => {
    const hmacKey = key();
    const ring = keyRingFromFile(keyFile({ current: "k1", dataKeys: { k1: key() }, hmacKey }));
    expect(ring.currentHmacKeyId).toBe("h1");
    expect(ring.hmacKeys.get("h1")?.toString("base64")).toBe(hmacKey);
  });

  it("reads hmacKeys with currentHmac, alongside the older hmacKey", () => {
    const [h1, h2] = [key(), key()];
    const ring = keyRingFromFile(
      keyFile({ current: "k1", dataKeys: { k1: key() }, hmacKey: h1, hmacKeys: { h2 }, currentHmac: "h2" }),
    );
    expect(ring.currentHmacKeyId).toBe("h2");
    expect(ring.hmacKeys.get("h1")?.toString("base64")).toBe(h1);
    expect(ring.hmacKey.toString("base64")).toBe(h2);
  });

  it("says what is wrong with the HMAC keys", () => {
    const base = { current: "k1", dataKeys: { k1: key() } };
    expect(() => keyRingFromFile(keyFile(base))).toThrow(/no HMAC key/);
    expect(() => keyRingFromFile(keyFile({ ...base, hmacKeys: { h1: key(), h2: key() } }))).toThrow(/currentHmac/);
    expect(() => keyRingFromFile(keyFile({ ...base, hmacKeys: { h2: key() }, currentHmac: "h3" }))).toThrow(
      /"h3" is not in hmacKeys/,
    );
    expect(() => keyRingFromFile(keyFile({ ...base, hmacKey: key(), hmacKeys: { h1: key() } }))).toThrow(
      /hmacKeys.h1 differs/,
    );
    expect(() => keyRingFromFile(keyFile({ ...base, hmacKeys: { h2: key(), H2: key() }, currentHmac: "h2" }))).toThrow(
      KeyConfigError,
    );
  });

  it("keeps an embedded key file written before versioned HMAC keys working", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "embedded-"));
    const hmacKey = key();
    writeFileSync(path.join(dir, "keys.json"), JSON.stringify({ current: "k1", dataKeys: { k1: key() }, hmacKey }));
    expect(loadOrCreateEmbeddedKeys(dir).hmacKey.toString("base64")).toBe(hmacKey);

    const fresh = path.join(mkdtempSync(path.join(tmpdir(), "embedded-")), "data");
    const ring = loadOrCreateEmbeddedKeys(fresh);
    expect(JSON.parse(readFileSync(path.join(fresh, "keys.json"), "utf8"))).toMatchObject({ currentHmac: "h1" });
    expect(ring.currentHmacKeyId).toBe("h1");
  });
});

describe("versioned keyed hashes", () => {
  const h1 = randomBytes(32);
  const h2 = randomBytes(32);
  const before = new Hasher(h1);
  const after = new Hasher({
    currentHmacKeyId: "h2",
    hmacKeys: new Map([
      ["h2", h2],
      ["h1", h1],
    ]),
  });

  it("makes the original key's hashes exactly as before, without a prefix", () => {
    expect(before.pin(REF, "123456")).toBe(unversionedPinHash(h1, REF, "123456"));
    expect(before.keyIdOf(before.pin(REF, "123456"))).toBe("h1");
    expect(before.identity("tg:1")).not.toContain(".");
  });

  it("names the newer key in its hashes and verifies each hash with the key it names", () => {
    const old = before.pin(REF, "123456");
    const fresh = after.pin(REF, "123456");
    expect(fresh.startsWith("h2.")).toBe(true);
    expect(after.keyIdOf(fresh)).toBe("h2");
    expect(after.verifyPin(REF, "123456", old)).toBe(true);
    expect(after.verifyPin(REF, "123456", fresh)).toBe(true);
    expect(after.verifyPin(REF, "123457", old)).toBe(false);
    expect(after.verifyPin(REF, "123457", fresh)).toBe(false);
    // The original key alone cannot check the new hash; a hash relabelled to another key fails.
    expect(before.verifyPin(REF, "123456", fresh)).toBe(false);
    expect(after.verifyPin(REF, "123456", `h2.${old}`)).toBe(false);
    expect(after.verifyPin(REF, "123456", `h9.${fresh.slice(3)}`)).toBe(false);
    // Without the old key, its hashes no longer verify.
    const withoutOld = new Hasher({ currentHmacKeyId: "h2", hmacKeys: new Map([["h2", h2]]) });
    expect(withoutOld.verifyPin(REF, "123456", old)).toBe(false);
  });

  it("verifies victim and emergency PINs across the rotation too", () => {
    expect(after.verifyVictimPin(REF, "222222", before.victimPin(REF, "222222"))).toBe(true);
    expect(after.verifyVictimPin(REF, "222222", before.pin(REF, "222222"))).toBe(false);
    expect(after.verifyDuressPin(REF, "333333", before.duressPin(REF, "333333"))).toBe(true);
    expect(after.verifyDuressPin(REF, "333333", after.duressPin(REF, "333333"))).toBe(true);
    expect(after.verifyDuressPin(REF, "333334", before.duressPin(REF, "333333"))).toBe(false);
  });

  it("gives look-up candidates for every key, the current first", () => {
    expect(after.identityCandidates("tg:1")).toEqual([after.identity("tg:1"), before.identity("tg:1")]);
    expect(after.referenceCandidates(REF)).toEqual([after.reference(REF), before.reference(REF)]);
    expect(after.inviteCandidates("AB12-CD34")).toEqual([after.invite("AB12-CD34"), before.invite("AB12-CD34")]);
    expect(before.identityCandidates("tg:1")).toEqual([before.identity("tg:1")]);
    expect(after.keyIds).toEqual(["h2", "h1"]);
  });

  it("refuses a current key it does not have", () => {
    expect(() => new Hasher({ currentHmacKeyId: "h3", hmacKeys: new Map([["h2", h2]]) })).toThrow(/h3/);
  });
});

describe("re-sealing under the current data key", () => {
  it("opens with the old key and seals with the new one, for the same context and owner only", () => {
    const k1 = key();
    const old = new FieldCipher(keyRingFromEnvironment(`k1:${k1}`, key()));
    const sealed = old.seal("Siti, 0812 3456 7890", "case.narrative", "case-a");
    const rotated = new FieldCipher(keyRingFromEnvironment(`k2:${key()},k1:${k1}`, key()));
    expect(rotated.keyIdOf(sealed)).toBe("k1");
    const resealed = rotated.reseal(sealed, "case.narrative", "case-a");
    expect(rotated.keyIdOf(resealed)).toBe("k2");
    expect(rotated.open(resealed, "case.narrative", "case-a")).toBe("Siti, 0812 3456 7890");
    expect(() => rotated.reseal(sealed, "case.contact", "case-a")).toThrow(DecryptionError);
    expect(() => rotated.reseal(sealed, "case.narrative", "case-b")).toThrow(DecryptionError);
    expect(() => old.open(resealed, "case.narrative", "case-a")).toThrow(/no data key "k2"/);
  });
});
