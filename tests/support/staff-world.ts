import { expect } from "vitest";
import type { OutboundMessage } from "../../src/channels/types.ts";
import type { StaffRole } from "../../src/domain/case.ts";
import { textOf } from "./engine-chat.ts";
import type { TestApp } from "./test-app.ts";

/** The reference line of a report's confirmation. */
export const REFERENCE_LINE = /Nomor laporan: ([0-9A-Z-]{14})/;

/** Adds a staff member, gives the office staff chats as its destination, and enrols them from a chat. */
export async function enrolStaff(
  t: TestApp,
  user: string,
  name: string,
  officeCode: string,
  role: StaffRole = "AGENT",
) {
  const member = await t.app.staff.add({ name, officeCode, role, language: "id" }, t.clock.now());
  const invite = await t.app.staff.createInvite(member.id, t.clock.now());
  const office = await t.app.offices.get(officeCode);
  if (office?.destinationKind !== "GROUP")
    await t.app.offices.setDestination(officeCode, "STAFF_CHATS", null, t.clock.now());
  expect(textOf(await t.send(user, `/staff ${invite.code}`))).toContain(`Selamat datang, ${name}`);
  return member;
}

/** The kinds of report the staff tests need. */
export type ReportKind = "child" | "urgentChild" | "adultMan" | "abroad";

/** The lines a person types for each kind of report, from "lapor" to the confirmation. */
export const REPORT_KIND_LINES: Record<ReportKind, string[]> = {
  // A child in Jawa Timur, family reporting, contact in this chat: UPTD PPA Jawa Timur.
  child: ["lapor", "tidak", "2", "1", "1", "2", "1", "1", "jatim", "ya", "1", "1", "1", "Cerita.", "1", "1", "1"],
  // Someone in danger now: the short path.
  urgentChild: ["lapor", "ya", "jatim", "ya", "1", "1", "lewati", "1", "1", "1"],
  // An adult man in Jawa Timur: Dinas Sosial Jawa Timur.
  adultMan: [
    "lapor",
    "tidak",
    "2",
    "1",
    "1",
    "2",
    "1",
    "1",
    "jatim",
    "ya",
    "dewasa",
    "2",
    "1",
    "Cerita.",
    "1",
    "1",
    "1",
  ],
  // A man abroad from Jawa Timur: KP2MI, copied to Dinas Sosial Jawa Timur.
  abroad: ["lapor", "tidak", "2", "3", "lewati", "malaysia", "jatim", "dewasa", "2", "1", "Cerita.", "1", "1", "1"],
};

/** Files a whole report from a chat; returns its reference and PIN. */
export async function fileReport(t: TestApp, user: string, kind: ReportKind = "child") {
  const done = textOf(await t.sendAll(user, ...REPORT_KIND_LINES[kind]));
  const reference = REFERENCE_LINE.exec(done)?.[1] as string;
  const pin = /PIN: (\d{6})/.exec(done)?.[1] as string;
  expect(reference, done).toBeTruthy();
  return { reference, pin };
}

/** The texts of messages, for matching. */
export const texts = (messages: OutboundMessage[]) => messages.map((m) => m.text);

/**
 * Stores routed cases straight in the database (an object mother for caseloads): coded columns
 * only, one a minute apart, newest last. Returns their references, oldest first.
 */
export async function seedCases(
  t: TestApp,
  count: number,
  fields: { officeCode: string; provinceCode?: string; regencyCode?: string | null; urgency?: "URGENT" | "NORMAL" },
): Promise<string[]> {
  const { generateReference } = await import("../../src/domain/reference.ts");
  const { randomUUID } = await import("node:crypto");
  const references: string[] = [];
  const base = t.clock.now().getTime() - count * 60_000;
  for (let i = 0; i < count; i++) {
    const at = new Date(base + i * 60_000);
    const reference = generateReference();
    references.push(reference);
    await t.app.database.prisma.case.create({
      data: {
        id: randomUUID(),
        reference,
        pinHash: "seeded",
        status: "ROUTED",
        urgency: fields.urgency ?? "NORMAL",
        category: "FORCED_LABOUR",
        indicators: "{}",
        reporterRole: "WITNESS",
        provinceCode: fields.provinceCode ?? "35",
        regencyCode: fields.regencyCode ?? null,
        victimAgeGroup: "ADULT",
        victimGender: "MALE",
        victimCount: "ONE",
        contactPreference: "NONE",
        consentToShare: true,
        language: "id",
        officeCode: fields.officeCode,
        keyId: t.app.cipher.currentKeyId,
        createdAt: at,
        updatedAt: at,
        routedAt: at,
        lastActivityAt: at,
      },
    });
  }
  return references;
}
