import type { WAMessage } from "@whiskeysockets/baileys";
import { afterEach, describe, expect, it } from "vitest";
import { startWhatsApp, type WhatsAppRuntime } from "../../src/channels/whatsapp/run-whatsapp.ts";
import { systemClock } from "../../src/services/clock.ts";
import { boom, FakeWhatsApp, fixture } from "../support/fake-whatsapp-socket.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/** Fast pacing for tests that are not about pacing. */
const FAST = { WHATSAPP_MAX_PER_MINUTE: "600", WHATSAPP_CHAT_INTERVAL_MS: "0", WHATSAPP_TYPING_MS: "1" };

interface Setup {
  t: TestApp;
  wa: FakeWhatsApp;
  runtime: WhatsAppRuntime;
  operator: { text: string; write(s: string): void };
}

async function setUp(env: Record<string, string> = FAST): Promise<Setup> {
  const t = await startTestApp({ WHATSAPP_ENABLED: "true", ...env });
  cleanups.push(() => t.close());
  // The dispatcher needs real time.
  (t.app as { clock: typeof systemClock }).clock = systemClock;
  const wa = new FakeWhatsApp();
  const operator = {
    text: "",
    write(s: string) {
      this.text += s;
    },
  };
  const config = t.app.config.whatsapp;
  if (!config) throw new Error("WhatsApp is not configured");
  const runtime = await startWhatsApp(t.app, config, { socketFactory: wa.factory, operator });
  cleanups.push(() => runtime.stop());
  await wa.waitFor(() => runtime.connection.status === "open", 5000, "the connection to open");
  return { t, wa, runtime, operator };
}

/** Waits until a delivered message was handled and every reply it caused went out. */
async function settle(s: Setup, message: WAMessage): Promise<void> {
  const prisma = s.t.app.database.prisma;
  const where = { channel_messageId: { channel: "wa", messageId: message.key.id as string } };
  for (let i = 0; i < 1000; i++) {
    const handled = (await prisma.inboundMessage.findUnique({ where })) !== null;
    if (handled && (await prisma.outboxMessage.count({ where: { status: "PENDING" } })) === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the message was not handled, or its replies are still pending");
}

/** The number in front of a choice whose label matches, in a message rendered as WhatsApp shows it. */
function numberOf(text: string, label: RegExp): string {
  for (const line of text.split("\n")) {
    const match = /^(\d+)\) (.*)$/.exec(line);
    if (match && label.test(match[2] as string)) return match[1] as string;
  }
  throw new Error(`no choice ${label} in:\n${text}`);
}

const REPORTER = "6281234567001@s.whatsapp.net";
const STAFF = "6281234567002@s.whatsapp.net";
const STAFF_LID = "55443322110099@lid";
const STAFF_GROUP = "120363025555555555@g.us";
const SURABAYA = { degreesLatitude: -7.2575, degreesLongitude: 112.7521 };
const STORY = "Adik saya dipekerjakan di pabrik dan tidak boleh pulang.";

/** What a reporter answers to each question, by number, as a person reading the list would. */
const ANSWERS: Array<[RegExp, RegExp | "location" | "story"]> = [
  [/dalam bahaya/, /^Tidak$/],
  [/Siapa yang membuat laporan/, /^Keluarga korban$/],
  [/Apa yang sedang terjadi/, /^Kerja paksa$/],
  [/dokumen korban ditahan/, /^Lewati/],
  [/Di mana hal ini terjadi/, "location"],
  [/Tempatnya: .*Benar\?/, /^Ya, benar$/],
  [/[Bb]erapa usia/, /^Anak/],
  [/jenis kelamin/, /^Perempuan$/],
  [/Berapa orang/, /^Satu orang$/],
  [/Ceritakan apa yang terjadi/, "story"],
  [/Bolehkah petugas menghubungi Anda/, /^Ya, lewat chat ini$/],
  [/Bolehkah laporan ini kami teruskan/, /^Ya, saya setuju$/],
  [/Mohon periksa jawaban Anda/, /^Kirim laporan$/],
];

/** Makes a whole report from a chat through the fake socket; returns the final message. */
async function report(s: Setup, jid: string): Promise<string> {
  const send = async (message: WAMessage) => {
    s.wa.current.deliver([message]);
    await settle(s, message);
  };
  await send(fixture("text", { remoteJid: jid }, { conversation: "halo" }));
  await send(fixture("text", { remoteJid: jid }, { conversation: "lapor" }));
  for (let turn = 0; turn < 30; turn++) {
    const texts = s.wa.textsTo(jid);
    const last = texts.at(-1) ?? "";
    // The confirmation may be followed by the menu in a message of its own.
    const confirmation = texts.slice(-2).find((text) => text.includes("Nomor laporan:"));
    if (confirmation) return confirmation;
    const rule = ANSWERS.find(([question]) => question.test(last));
    if (!rule) throw new Error(`no answer for:\n${last}`);
    const [, answer] = rule;
    if (answer === "location") await send(fixture("location", { remoteJid: jid }, { locationMessage: SURABAYA }));
    else if (answer === "story") await send(fixture("text", { remoteJid: jid }, { conversation: STORY }));
    else await send(fixture("text", { remoteJid: jid }, { conversation: numberOf(last, answer) }));
  }
  throw new Error("the report did not finish");
}

describe("the WhatsApp adapter through a fake socket", () => {
  it("takes a whole report in Indonesian with numbered answers and a location pin, and routes it by the pin", async () => {
    const s = await setUp();
    const done = await report(s, REPORTER);
    expect(done).toMatch(/Nomor laporan: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(done).toMatch(/PIN: \d{6}/);
    // Choices went out as numbered lines under the text, and were answered by number.
    const welcome = s.wa.textsTo(REPORTER)[0] as string;
    expect(welcome).toContain("Halo, terima kasih sudah menghubungi kami");
    expect(welcome).toMatch(/\n1\) .+\n2\) .+/);
    expect(s.wa.textsTo(REPORTER).some((t) => /Tempatnya: .*Surabaya/.test(t))).toBe(true);
    const stored = await s.t.app.database.prisma.case.findFirstOrThrow();
    expect(stored).toMatchObject({ provinceCode: "35", category: "FORCED_LABOUR", victimAgeGroup: "CHILD" });
    // Every message was preceded by "typing…" in the same chat.
    const lines = s.wa.log.filter((l) => l.endsWith(REPORTER));
    lines.forEach((line, i) => {
      if (line.startsWith("send")) expect(lines[i - 1]).toBe(`composing ${REPORTER}`);
    });
    expect(s.wa.presences.filter((p) => p.type === "composing").length).toBe(s.wa.textsTo(REPORTER).length);
    // The sent messages' ids are kept, marked as the bot's own, for "hapus".
    const sentIds = (await s.t.app.database.prisma.outboxMessage.findMany({ where: { status: "SENT" } })).map(
      (r) => r.platformMessageId,
    );
    expect(sentIds.every((id) => id?.startsWith("o:"))).toBe(true);
    // No phone number is stored in the dedupe table or written to the logs.
    const inbound = await s.t.app.database.prisma.inboundMessage.findMany();
    expect(inbound.map((r) => r.messageId).join(" ")).not.toContain("62812");
    expect(s.t.logs.join("")).not.toMatch(/6281234567|@s\.whatsapp\.net|Adik saya/);
  });

  it("lets staff act from their office's WhatsApp group, as the same person whether they appear by number or LID", async () => {
    const s = await setUp();
    const { app } = s.t;
    const ani = await app.staff.add(
      { name: "Ani", officeCode: "UPTDPPA-35", role: "AGENT", language: "id" },
      new Date(),
    );
    const invite = await app.staff.createInvite(ani.id, new Date());
    const enrol = s.wa.userText(STAFF, `/staff ${invite.code}`);
    await settle(s, enrol);
    expect(await s.wa.waitForText(STAFF, "Selamat datang, Ani")).toBeTruthy();
    const group = await app.identities.resolve(`wa:${STAFF_GROUP}`, new Date());
    await app.offices.setDestination("UPTDPPA-35", "GROUP", group.id, new Date());

    const done = await report(s, REPORTER);
    const reference = /Nomor laporan: (\S+)/.exec(done)?.[1] as string;
    const card = await s.wa.waitForText(STAFF_GROUP, "Laporan baru masuk");
    expect(card).toContain(reference);
    expect(card).not.toContain("pabrik");
    expect(card).toMatch(/\n1\) Terima\n2\) Detail/);

    // Someone in the group who is not staff gets no answer.
    const chatter = fixture(
      "staffGroup",
      { participant: "77777777777777@lid", participantAlt: "6281234567777@s.whatsapp.net" },
      {
        conversation: `/terima ${reference}`,
      },
    );
    s.wa.current.deliver([chatter]);
    await settle(s, chatter);
    expect(s.wa.textsTo(STAFF_GROUP)).toHaveLength(1);

    // Ani answers the card's first choice in the group, writing as her LID (with her number as the alternate id).
    const accept = fixture("staffGroup", { participant: STAFF_LID, participantAlt: STAFF }, { conversation: "1" });
    s.wa.current.deliver([accept]);
    await settle(s, accept);
    expect(await s.wa.waitForText(STAFF_GROUP, `Kasus ${reference} diterima oleh Ani`)).toBeTruthy();
    expect(await s.wa.waitForText(REPORTER, "Ada kabar baru tentang laporan Anda")).toBeTruthy();

    // Without the alternate id, the LID mapping leads to the same staff member.
    s.wa.lidToPhone.set(STAFF_LID, STAFF);
    const details = fixture(
      "staffGroup",
      { participant: STAFF_LID, participantAlt: undefined },
      {
        conversation: `/detail ${reference}`,
      },
    );
    s.wa.current.deliver([details]);
    await settle(s, details);
    // Details go privately to Ani, never to the group.
    expect(await s.wa.waitForText(STAFF, STORY)).toBeTruthy();
    expect(s.wa.textsTo(STAFF_GROUP).join("\n")).not.toContain("pabrik");

    // A second card arrives; Ani quotes the first card and answers "2": its details, not the newest card's.
    const second = /Nomor laporan: (\S+)/.exec(await report(s, "6281234567003@s.whatsapp.net"))?.[1] as string;
    await s.wa.waitForText(STAFF_GROUP, second);
    const firstCard = s.wa.sent.find(
      (m) => m.jid === STAFF_GROUP && "text" in m.content && m.content.text.includes(`Nomor: ${reference}`),
    );
    const privateBefore = s.wa.textsTo(STAFF).length;
    const quote = fixture(
      "staffGroup",
      { participant: STAFF_LID, participantAlt: STAFF },
      { extendedTextMessage: { text: "2", contextInfo: { stanzaId: firstCard?.id as string } } },
    );
    s.wa.current.deliver([quote]);
    await settle(s, quote);
    const quotedDetails = await s.wa.waitForText(STAFF, "Detail laporan", privateBefore);
    expect(quotedDetails).toContain(reference);
    expect(quotedDetails).not.toContain(second);
  });

  it("keeps one conversation for a person first seen by LID alone and then by number", async () => {
    const s = await setUp();
    const lid = "272727272727272@lid";
    const phone = "6281234567055@s.whatsapp.net";
    const first = fixture("lidOnly", { remoteJid: lid }, { conversation: "lapor" });
    s.wa.current.deliver([first]);
    await settle(s, first);
    // The bot answers the LID chat, as WhatsApp gave nothing else.
    expect(await s.wa.waitForText(lid, "apakah ada orang yang dalam bahaya")).toBeTruthy();
    // Next WhatsApp names the number, with the LID as the alternate id: the same report goes on.
    const second = fixture("lidPrivate", { remoteJid: lid, remoteJidAlt: phone }, { conversation: "tidak" });
    s.wa.current.deliver([second]);
    await settle(s, second);
    const answer = await s.wa.waitForText(phone, /.+/);
    expect(answer).not.toContain("Halo, terima kasih sudah menghubungi kami");
    expect(answer).toMatch(/siapa|hubungan/i);
    expect(await s.t.app.database.prisma.contactIdentity.count()).toBe(1);
  });

  it("acts once on a message delivered twice, also after a restart, and ignores status, own and foreign-group messages", async () => {
    const s = await setUp();
    const prisma = s.t.app.database.prisma;
    const hello = fixture("text", { remoteJid: REPORTER }, { conversation: "halo" });
    s.wa.current.deliver([hello]);
    s.wa.current.deliver([structuredClone(hello)]);
    await settle(s, hello);
    await new Promise((r) => setTimeout(r, 200));
    expect(s.wa.textsTo(REPORTER)).toHaveLength(1);

    // A new process (no memory of the first delivery) gets the same message again: the database dedupes it.
    await s.runtime.stop();
    const again = await startWhatsApp(s.t.app, s.t.app.config.whatsapp as never, {
      socketFactory: s.wa.factory,
      operator: s.operator,
    });
    cleanups.push(() => again.stop());
    await s.wa.waitFor(() => again.connection.status === "open", 5000, "the second connection");
    s.wa.current.deliver([structuredClone(hello)]);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.wa.textsTo(REPORTER)).toHaveLength(1);
    expect(await prisma.inboundMessage.count()).toBe(1);
    expect(s.t.logs.join("")).toContain('"event":"inbound.duplicate"');

    // Status updates, the bot's own messages (echoes from its phone), history and other groups: nothing happens.
    const before = await prisma.contactIdentity.count();
    s.wa.current.deliver([fixture("statusBroadcast"), fixture("ownMessage"), fixture("foreignGroup")]);
    s.wa.current.deliver([fixture("text", { remoteJid: "6281234567055@s.whatsapp.net" })], "append");
    await new Promise((r) => setTimeout(r, 300));
    expect(await prisma.inboundMessage.count()).toBe(1);
    expect(s.wa.sent.map((m) => m.jid)).toEqual([REPORTER]);
    expect(await prisma.contactIdentity.count()).toBe(before);
  });

  it("downloads media when it arrives and stores it encrypted, refusing files over the cap and saying when one did not come", async () => {
    const s = await setUp({ ...FAST, ATTACHMENT_MAX_BYTES: "2048" });
    const prisma = s.t.app.database.prisma;
    const start = s.wa.userText(REPORTER, "lapor");
    await settle(s, start);
    const photo = fixture("image", { remoteJid: REPORTER });
    const bytes = Buffer.from("JPEG-Ratnasari-evidence-bytes");
    s.wa.media.set(photo.key.id as string, bytes);
    s.wa.current.deliver([photo]);
    await settle(s, photo);
    expect(await s.wa.waitForText(REPORTER, "file sudah kami simpan")).toBeTruthy();
    const rows = await prisma.attachment.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.kind).toBe("PHOTO");
    expect(Buffer.from(rows[0]?.blobCipher as Uint8Array).includes(Buffer.from("Ratnasari"))).toBe(false);
    expect((await s.t.app.attachments.read(rows[0]?.id as string))?.bytes.equals(bytes)).toBe(true);

    // Announced as too large: refused without downloading.
    const voice = fixture("voiceNote", { remoteJid: REPORTER });
    s.wa.current.deliver([voice]);
    await settle(s, voice);
    expect(s.wa.downloads).not.toContain(voice.key.id);
    // Not announced, but larger than the cap once downloaded: refused too.
    const document = fixture("documentWithCaption", { remoteJid: REPORTER });
    const inner = (
      document.message as { documentWithCaptionMessage: { message: { documentMessage: { fileLength?: unknown } } } }
    ).documentWithCaptionMessage.message.documentMessage;
    delete inner.fileLength;
    s.wa.media.set(document.key.id as string, Buffer.alloc(4096, 1));
    s.wa.current.deliver([document]);
    await settle(s, document);
    expect(s.wa.downloads).toContain(document.key.id);
    const tooLarge = s.wa.textsTo(REPORTER).filter((t) => t.includes("terlalu besar"));
    expect(tooLarge).toHaveLength(2);
    expect(await prisma.attachment.count()).toBe(1);

    // A link that expired before the download: the person is asked to send it again.
    const expired = fixture("image", { remoteJid: REPORTER });
    s.wa.current.deliver([expired]);
    await settle(s, expired);
    expect(await s.wa.waitForText(REPORTER, "file itu tidak sampai kepada kami")).toBeTruthy();
    expect(await prisma.attachment.count()).toBe(1);

    // A photo in an office's group is staff talking among themselves: never downloaded or kept.
    const group = await s.t.app.identities.resolve(`wa:${STAFF_GROUP}`, new Date());
    await s.t.app.offices.setDestination("UPTDPPA-35", "GROUP", group.id, new Date());
    const inGroup = fixture("image", { remoteJid: STAFF_GROUP, participant: STAFF });
    s.wa.media.set(inGroup.key.id as string, Buffer.from("group-photo"));
    s.wa.current.deliver([inGroup]);
    await settle(s, inGroup);
    expect(s.wa.downloads).not.toContain(inGroup.key.id);
    expect(await prisma.attachment.count()).toBe(1);
  });

  it("on hapus deletes for everyone only the bot's own messages, and tells the person to clear their side", async () => {
    const s = await setUp();
    const hello = s.wa.userText(REPORTER, "halo");
    await settle(s, hello);
    const menu = s.wa.userText(REPORTER, "bantuan");
    await settle(s, menu);
    const own = s.wa.sent.filter((m) => m.jid === REPORTER).map((m) => m.id);
    expect(own.length).toBeGreaterThanOrEqual(2);
    const erase = s.wa.userText(REPORTER, "hapus");
    await settle(s, erase);
    expect(await s.wa.waitForText(REPORTER, "bersihkan chat")).toBeTruthy();
    await s.wa.waitFor(() => s.wa.deletionsIn(REPORTER).length >= own.length, 5000, "the deletions");
    const deleted = s.wa.deletionsIn(REPORTER);
    expect(new Set(deleted)).toEqual(new Set(own));
    // The person's own messages are not the bot's to delete.
    for (const id of [hello.key.id, menu.key.id, erase.key.id]) expect(deleted).not.toContain(id);
    const revoke = s.wa.sent.find((m) => "delete" in m.content);
    expect(revoke?.content).toEqual({ delete: { remoteJid: REPORTER, fromMe: true, id: deleted[0] } });
  });

  it("paces sends across chats at the configured rate through the dispatcher, with typing shown first", async () => {
    const s = await setUp({ WHATSAPP_MAX_PER_MINUTE: "120", WHATSAPP_CHAT_INTERVAL_MS: "0", WHATSAPP_TYPING_MS: "50" });
    const people = ["6281234560001", "6281234560002", "6281234560003"].map((n) => `${n}@s.whatsapp.net`);
    const messages = people.map((jid) => fixture("text", { remoteJid: jid }, { conversation: "halo" }));
    s.wa.current.deliver(messages);
    for (const message of messages) await settle(s, message);
    const times = s.wa.sent.map((m) => m.at);
    expect(times).toHaveLength(people.length);
    // 120 a minute: one every 500 ms, whatever the number of chats waiting.
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(490);
    for (const jid of people) {
      expect(s.wa.log.filter((l) => l.endsWith(jid))).toEqual([`composing ${jid}`, `send ${jid}`, `paused ${jid}`]);
    }
    expect(s.runtime.dispatcher.sent).toBe(people.length);
  });

  it("retries a send the socket failed, and delivers it once", async () => {
    const s = await setUp();
    s.wa.failures.push(boom(428, "Connection Closed"));
    const hello = s.wa.userText(REPORTER, "halo");
    await settle(s, hello);
    expect(s.wa.textsTo(REPORTER)).toHaveLength(1);
    const row = await s.t.app.database.prisma.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: "SENT", attempts: 1 });
    expect(s.t.logs.join("")).toContain('"event":"dispatcher.retry"');
  });
});
