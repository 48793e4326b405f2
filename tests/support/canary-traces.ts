import { expect } from "vitest";
import { textOf } from "./engine-chat.ts";
import { REPORT_LINES, type TestApp } from "./test-app.ts";

/** The canary: a name, a phone number and a chat that must never rest in plain text anywhere. */
export const CANARY = {
  name: "Ratnasari Wulandari",
  phone: "081377712345",
  phoneInternational: "+6281377712345",
  user: "canary-reporter-7731",
} as const;

/** Every canary string to look for, including the name's parts on their own. */
export const CANARY_SECRETS = [
  CANARY.name,
  "Ratnasari",
  "Wulandari",
  CANARY.phone,
  CANARY.phoneInternational,
  CANARY.user,
];

/**
 * Leaves the canary everywhere a person could put it: a whole report with it in the story and as
 * the contact, an intake abandoned after typing the same, and a status check with a wrong PIN
 * from a chat named after it. Returns the report's reference.
 */
export async function leaveCanaryTraces(t: TestApp): Promise<string> {
  const story = `Saya ${CANARY.name}, nomor saya ${CANARY.phone}. Majikan menahan paspor saya.`;
  const done = textOf(await t.sendAll(CANARY.user, ...REPORT_LINES(story, CANARY.phone)));
  expect(done).toContain("Nomor laporan");
  // The abandoned intake stops at the contact step, after the story and the number.
  const abandoned = ["halo", "lapor", "tidak", "1", "1", "lewati", "jatim", "ya", "1", "1", "1", story, "2"];
  await t.sendAll("abandons", ...abandoned, CANARY.phone);
  const reference = /Nomor laporan: (\S+)/.exec(done)?.[1] as string;
  await t.send(`${CANARY.user}-again`, `status ${reference} 000000`);
  return reference;
}

/** Every form in which a secret could sit in a file: UTF-8, UTF-16 and without spaces (and as hex, for dumps). */
function plainTextForms(secret: string, withHex: boolean): Buffer[] {
  const raw = [
    Buffer.from(secret, "utf8"),
    Buffer.from(secret, "utf16le"),
    Buffer.from(secret.replace(/\s/g, ""), "utf8"),
  ];
  return withHex ? [...raw, ...raw.map((b) => Buffer.from(b.toString("hex")))] : raw;
}

/**
 * Fails when any of the secrets sits in the bytes in any plain form. `hex` also looks for the
 * hex that pg_dump writes for bytea columns.
 */
export function expectNoPlainText(
  haystack: Buffer,
  secrets: readonly string[],
  options: { label?: string; hex?: boolean } = {},
): void {
  for (const secret of secrets) {
    const label = options.label ? `${options.label}: ${secret}` : secret;
    for (const needle of plainTextForms(secret, options.hex ?? false))
      expect(haystack.includes(needle), label).toBe(false);
  }
}
