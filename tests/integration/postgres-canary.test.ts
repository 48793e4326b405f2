import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { WhatsAppAuthStore } from "../../src/channels/whatsapp/whatsapp-auth-state.ts";
import { CANARY_SECRETS, expectNoPlainText, leaveCanaryTraces } from "../support/canary-traces.ts";
import { IN_CI, NO_POSTGRES_REASON, TEST_DATABASE_URL } from "../support/postgres.ts";
import { startTestApp } from "../support/test-app.ts";

const run = promisify(execFile);

const PHONE_DIGITS = "6281377712345";
const BOT_NUMBER = "6281100000000";

/** Every value of every text, JSON and bytea column of every table, as raw bytes. */
async function selectEverything(url: string): Promise<Buffer> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'bytea', 'json', 'jsonb')`,
    );
    const parts: Buffer[] = [];
    for (const { table_name, column_name } of columns) {
      const { rows } = await client.query<{ v: unknown }>(`SELECT "${column_name}" AS v FROM "${table_name}"`);
      for (const { v } of rows) {
        if (v instanceof Uint8Array) parts.push(Buffer.from(v));
        else if (v !== null) parts.push(Buffer.from(typeof v === "string" ? v : JSON.stringify(v), "utf8"));
      }
    }
    return Buffer.concat(parts);
  } finally {
    await client.end();
  }
}

/** The database as pg_dump writes it (schema and data), or null where PostgreSQL's client tools are missing. */
async function pgDump(url: string): Promise<Buffer | null> {
  try {
    const { stdout } = await run("pg_dump", ["--no-owner", "--dbname", url], {
      encoding: "buffer",
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return null;
    throw error;
  }
}

describe.skipIf(!TEST_DATABASE_URL)(
  `the canary on PostgreSQL: personal data never rests in plain text${TEST_DATABASE_URL ? "" : ` [${NO_POSTGRES_REASON}]`}`,
  () => {
    it("finds neither the name nor the phone number nor WhatsApp secrets in the database or the logs", async () => {
      const t = await startTestApp({}, "postgres");
      const reference = await leaveCanaryTraces(t);
      // A paired WhatsApp session with a contact: creds, a signal session, a phone-number mapping.
      const auth = new WhatsAppAuthStore(t.app.database.prisma, t.app.cipher);
      const { state, saveCreds } = await auth.load();
      state.creds.me = { id: `${BOT_NUMBER}:7@s.whatsapp.net`, name: "Bot" };
      await saveCreds();
      await state.keys.set({
        session: { [`${PHONE_DIGITS}.0`]: Buffer.from("signal-session-record") },
        "lid-mapping": { [PHONE_DIGITS]: "181818181818181" },
      });
      const narrative = (await t.app.database.prisma.case.findUniqueOrThrow({ where: { reference } }))
        .narrativeCipher as Uint8Array;
      await t.close();

      const everything = await selectEverything(t.databaseUrl);
      const dump = await pgDump(t.databaseUrl);
      // .ci/run installs PostgreSQL's client tools with the server: there the dump must be searched too.
      if (IN_CI) expect(dump, "pg_dump is missing").not.toBeNull();
      const logs = Buffer.from(t.logs.join(""), "utf8");
      expect(t.logs.length).toBeGreaterThan(20);
      const secrets = [...CANARY_SECRETS, PHONE_DIGITS, BOT_NUMBER];
      const privateKey = Buffer.from(state.creds.noiseKey.private);
      for (const [label, haystack] of [
        ["columns", everything],
        ["pg_dump", dump ?? Buffer.alloc(0)],
        ["logs", logs],
      ] as const) {
        expectNoPlainText(haystack, [...secrets, "signal-session-record"], { label, hex: true });
        expect(haystack.includes(privateKey), `${label}: noise key`).toBe(false);
        expect(haystack.includes(Buffer.from(privateKey.toString("hex"))), `${label}: noise key`).toBe(false);
      }
      // The search itself works: it finds a coded value stored in plain text, and the ciphertext.
      expect(everything.includes(Buffer.from(reference))).toBe(true);
      expect(everything.includes(Buffer.from(narrative))).toBe(true);
      if (dump) {
        expect(dump.includes(Buffer.from(reference))).toBe(true);
        expect(dump.includes(Buffer.from(Buffer.from(narrative).toString("hex")))).toBe(true);
      }
    });
  },
);
