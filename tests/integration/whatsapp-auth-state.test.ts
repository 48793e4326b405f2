import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type AuthenticationCreds, BufferJSON, initAuthCreds, proto } from "@whiskeysockets/baileys";
import { afterEach, describe, expect, it } from "vitest";
import { WhatsAppAuthStore } from "../../src/channels/whatsapp/whatsapp-auth-state.ts";
import { DecryptionError, FieldCipher } from "../../src/security/field-cipher.ts";
import { ephemeralKeyRing } from "../../src/security/key-ring.ts";
import { ON_POSTGRES, sqliteOnly } from "../support/postgres.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const open: TestApp[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => {});
});

const CONTACT = "6281377712345";
const SESSION_ID = `${CONTACT}.0`;
const APP_STATE_KEY_ID = "AAAAAIvz";

/** A paired session: creds with the bot's identity, a signal session with a contact, an app-state key. */
async function pairedSession(store: WhatsAppAuthStore): Promise<AuthenticationCreds> {
  const { state, saveCreds } = await store.load();
  state.creds.me = { id: "6281100000000:7@s.whatsapp.net", lid: "11223344556677:7@lid", name: "Bot" };
  state.creds.registered = true;
  await saveCreds();
  await state.keys.set({
    session: { [SESSION_ID]: Buffer.from(`signal-session-record-for-${CONTACT}`) },
    "pre-key": { "1": state.creds.signedPreKey.keyPair, "2": state.creds.signedIdentityKey },
    "app-state-sync-key": {
      [APP_STATE_KEY_ID]: proto.Message.AppStateSyncKeyData.fromObject({
        keyData: Buffer.from("app-state-key-data-0123456789abcdef"),
        timestamp: 1_795_880_000,
      }),
    },
    "lid-mapping": { [CONTACT]: "181818181818181", "181818181818181_reverse": CONTACT },
  });
  return state.creds;
}

/** Every form in which a secret could sit in a file. */
function forms(secret: Buffer | string): Buffer[] {
  if (typeof secret === "string") return [Buffer.from(secret, "utf8"), Buffer.from(secret, "utf16le")];
  return [secret, Buffer.from(secret.toString("base64")), Buffer.from(secret.toString("hex"))];
}

describe("the WhatsApp auth state in the database", () => {
  it("survives a restart: stored, reloaded and decrypted to the same creds and keys", async () => {
    const t = await startTestApp();
    open.push(t);
    const creds = await pairedSession(new WhatsAppAuthStore(t.app.database.prisma, t.app.cipher));
    await t.close();
    await t.open();
    const store = new WhatsAppAuthStore(t.app.database.prisma, t.app.cipher);
    expect(await store.hasSession()).toBe(true);
    const { state } = await store.load();
    // Buffers come back as Buffers (BufferJSON), so the socket can use the keys as they were.
    expect(JSON.stringify(state.creds, BufferJSON.replacer)).toBe(JSON.stringify(creds, BufferJSON.replacer));
    expect(Buffer.isBuffer(state.creds.noiseKey.private)).toBe(true);
    expect(state.creds.me?.id).toBe("6281100000000:7@s.whatsapp.net");
    const sessions = await state.keys.get("session", [SESSION_ID, "6281999999999.0"]);
    expect(Buffer.from(sessions[SESSION_ID] as Uint8Array).toString()).toBe(`signal-session-record-for-${CONTACT}`);
    expect(sessions["6281999999999.0"]).toBeUndefined();
    const preKeys = await state.keys.get("pre-key", ["1", "2"]);
    expect(
      Buffer.from(preKeys["1"]?.private as Uint8Array).equals(Buffer.from(creds.signedPreKey.keyPair.private)),
    ).toBe(true);
    const appKeys = await state.keys.get("app-state-sync-key", [APP_STATE_KEY_ID]);
    expect(appKeys[APP_STATE_KEY_ID]).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(appKeys[APP_STATE_KEY_ID]?.keyData as Uint8Array).toString()).toBe(
      "app-state-key-data-0123456789abcdef",
    );
    expect((await state.keys.get("lid-mapping", [CONTACT]))[CONTACT]).toBe("181818181818181");

    // A null value deletes a key; clearing deletes the whole session.
    await state.keys.set({ session: { [SESSION_ID]: null } });
    expect(await state.keys.get("session", [SESSION_ID])).toEqual({});
    await store.clear();
    expect(await store.hasSession()).toBe(false);
    expect(await t.app.database.prisma.whatsAppAuth.count()).toBe(0);
    const fresh = await store.load();
    expect(fresh.state.creds.me).toBeUndefined();
  });

  it.skipIf(ON_POSTGRES)(
    sqliteOnly("writes nothing in plain text: no key material, no contact number, not even in row names"),
    async () => {
      const t = await startTestApp();
      open.push(t);
      const creds = await pairedSession(new WhatsAppAuthStore(t.app.database.prisma, t.app.cipher));
      await t.close();

      const files = ["bot.db", "bot.db-wal", "bot.db-journal"]
        .map((f) => path.join(t.dir, f))
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f));
      const secrets: Array<Buffer | string> = [
        Buffer.from(creds.noiseKey.private),
        Buffer.from(creds.signedIdentityKey.private),
        Buffer.from(creds.signedPreKey.keyPair.private),
        creds.advSecretKey,
        CONTACT,
        "signal-session-record",
        "app-state-key-data",
        "6281100000000",
        "181818181818181",
        "noiseKey",
        "session-",
      ];
      for (const file of files) {
        for (const secret of secrets)
          for (const needle of forms(secret)) expect(file.includes(needle), String(secret)).toBe(false);
      }
      // The search itself works: it finds the table's name, which is stored in plain text.
      expect(files.some((f) => f.includes(Buffer.from("whatsapp_auth")))).toBe(true);

      // Every row is an envelope under the current key id; with another key nothing opens.
      await t.open();
      const rows = await t.app.database.prisma.whatsAppAuth.findMany();
      expect(rows.length).toBeGreaterThanOrEqual(7);
      expect(new Set(rows.map((r) => r.keyId))).toEqual(new Set([t.app.cipher.currentKeyId]));
      const stranger = new WhatsAppAuthStore(t.app.database.prisma, new FieldCipher(ephemeralKeyRing()));
      await expect(stranger.load()).rejects.toBeInstanceOf(DecryptionError);
    },
  );

  it("creates fresh credentials when none are stored, and one index key under concurrent first use", async () => {
    const t = await startTestApp();
    open.push(t);
    const store = new WhatsAppAuthStore(t.app.database.prisma, t.app.cipher);
    expect(await store.hasSession()).toBe(false);
    const [a, b] = await Promise.all([store.load(), store.load()]);
    expect(a.state.creds.registered).toBe(false);
    expect(a.state.creds.noiseKey.private).not.toEqual(initAuthCreds().noiseKey.private);
    await Promise.all([a.saveCreds(), b.saveCreds()]);
    expect(await t.app.database.prisma.whatsAppAuth.count()).toBe(2);
  });
});
