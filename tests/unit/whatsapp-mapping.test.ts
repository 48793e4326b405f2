import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { jidOfAddress, normalizeUserJid, personJid } from "../../src/channels/whatsapp/whatsapp-jids.ts";
import { mapWhatsAppMessage } from "../../src/channels/whatsapp/whatsapp-messages.ts";
import {
  DEFAULT_PACING,
  limitsFor,
  mapWhatsAppError,
  ownMessageId,
  parseOwnMessageId,
  renderText,
  splitText,
} from "../../src/channels/whatsapp/whatsapp-sender.ts";
import { baileysLogger } from "../../src/channels/whatsapp/whatsapp-socket.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { SendError } from "../../src/outbox/channel-sender.ts";
import { boom, FIXTURES, fixture } from "../support/fake-whatsapp-socket.ts";

const now = new Date("2026-11-28T10:00:00Z");
const lids = new Map([["272727272727272@lid", "6281234567009@s.whatsapp.net"]]);
const ctx = { now, phoneForLid: async (lid: string) => lids.get(lid) ?? null };
const map = (name: string) => mapWhatsAppMessage(FIXTURES[name], ctx);
const PERSON = "wa:6281234567001@s.whatsapp.net";

describe("WhatsApp messages", () => {
  it("map plain, extended and disappearing text with the key id as dedupe id and Indonesian for +62", async () => {
    expect(await map("text")).toEqual({
      message: {
        address: PERSON,
        messageId: "3EB0C431C26A1916E07E",
        receivedAt: now,
        text: "halo",
        languageHint: "id",
        // The LID it came with: a person first seen by it alone stays one person.
        personAlias: "wa:181818181818181@lid",
      },
      media: null,
      inGroup: false,
    });
    expect((await map("extendedText"))?.message.text).toBe("Adik saya dibawa ke Malaysia dan paspornya ditahan");
    expect((await map("ephemeralText"))?.message.text).toBe("pesan sementara");
    // No language is guessed for other countries.
    const foreign = await map("foreignNumber");
    expect(foreign?.message.address).toBe("wa:60123456789@s.whatsapp.net");
    expect(foreign?.message.languageHint).toBeUndefined();
  });

  it("map a reply quoting the bot's card with the card's key, so a number acts on that card", async () => {
    expect((await map("quotedReply"))?.message).toMatchObject({
      address: "wa:120363025246125486@g.us",
      sender: "wa:6281234567002@s.whatsapp.net",
      text: "1",
      replyTo: "BAE5F1A2B3C4D5E8",
    });
    expect((await map("text"))?.message.replyTo).toBeUndefined();
  });

  it("map a shared location, list and button replies", async () => {
    expect((await map("location"))?.message.location).toEqual({ latitude: -7.2575, longitude: 112.7521 });
    expect((await map("listReply"))?.message).toMatchObject({ choiceId: "report", address: PERSON });
    expect((await map("buttonReply"))?.message).toMatchObject({ choiceId: "yes" });
    const long = fixture(
      "listReply",
      {},
      {
        listResponseMessage: { title: "Buat laporan", singleSelectReply: { selectedRowId: "x".repeat(80) } },
      },
    );
    expect((await mapWhatsAppMessage(long, ctx))?.message).toMatchObject({ text: "Buat laporan" });
  });

  it("map photos, voice notes and captioned documents to files to download, with the announced size", async () => {
    expect(await map("image")).toMatchObject({
      message: { text: "Foto tempat kerjanya" },
      media: { kind: "PHOTO", mimeType: "image/jpeg", size: 29 },
    });
    expect((await map("voiceNote"))?.media).toEqual({
      kind: "VOICE",
      mimeType: "audio/ogg; codecs=opus",
      size: 5_000_000,
    });
    expect(await map("documentWithCaption")).toMatchObject({
      message: { text: "kontrak kerjanya" },
      media: { kind: "DOCUMENT", mimeType: "application/pdf", size: 812_345 },
    });
  });

  it("answer edits and stickers, and pass over reactions", async () => {
    expect((await map("edited"))?.message.unsupported).toBe("edited");
    expect((await map("sticker"))?.message.unsupported).toBe("type");
    expect(await map("reaction")).toBeNull();
  });

  it("ignore status updates, the bot's own messages and group notifications", async () => {
    expect(await map("statusBroadcast")).toBeNull();
    expect(await map("ownMessage")).toBeNull();
    expect(await map("groupNotification")).toBeNull();
    expect(await mapWhatsAppMessage({ key: { remoteJid: "x" } }, ctx)).toBeNull();
    const channel = fixture("text", { remoteJid: "120363000000000000@newsletter" });
    expect(await mapWhatsAppMessage(channel, ctx)).toBeNull();
  });

  it("give a group message the group as address and the participant, by phone number, as sender", async () => {
    expect(await map("staffGroup")).toEqual({
      message: {
        address: "wa:120363025555555555@g.us",
        sender: "wa:6281234567002@s.whatsapp.net",
        personAlias: "wa:55443322110099@lid",
        messageId: "3EB0D0000000000000D",
        receivedAt: now,
        text: "1",
        languageHint: "id",
      },
      media: null,
      inGroup: true,
    });
    // What people send each other in a group (a sticker) is not for the bot.
    const sticker = fixture("staffGroup", {}, FIXTURES.sticker?.message);
    expect(await mapWhatsAppMessage(sticker, ctx)).toBeNull();
  });

  it("map one person to one address whether they write as a phone number or a LID", async () => {
    expect((await map("lidPrivate"))?.message.address).toBe(PERSON);
    expect((await map("text"))?.message.address).toBe(PERSON);
    // Without an alternate id, the LID mapping Baileys keeps gives the number.
    expect((await map("lidOnly"))?.message).toMatchObject({
      address: "wa:6281234567009@s.whatsapp.net",
      languageHint: "id",
    });
    // With no mapping at all, the LID itself is the address (and no language is guessed).
    const unknown = fixture("lidOnly", { remoteJid: "393939393939393@lid" });
    expect((await mapWhatsAppMessage(unknown, ctx))?.message).toMatchObject({ address: "wa:393939393939393@lid" });
    expect((await mapWhatsAppMessage(unknown, ctx))?.message.languageHint).toBeUndefined();
    // Device suffixes and the old c.us server do not make a new person.
    expect(normalizeUserJid("6281234567001:12@s.whatsapp.net")).toBe("6281234567001@s.whatsapp.net");
    expect(normalizeUserJid("6281234567001@c.us")).toBe("6281234567001@s.whatsapp.net");
    expect(await personJid("6281234567001:3@s.whatsapp.net", null, async () => null)).toBe(
      "6281234567001@s.whatsapp.net",
    );
  });
});

describe("the WhatsApp sender's rules", () => {
  it("renders choices as numbered lines under the text", () => {
    expect(
      renderText({
        text: "Apakah ada orang yang dalam bahaya?",
        choices: [
          { id: "yes", label: "Ya" },
          { id: "no", label: "Tidak" },
        ],
      }),
    ).toBe("Apakah ada orang yang dalam bahaya?\n\n1) Ya\n2) Tidak");
    expect(renderText({ text: "Terima kasih." })).toBe("Terima kasih.");
    expect(splitText("a".repeat(70_000)).map((p) => p.length)).toEqual([65_000, 5000]);
  });

  it("maps pacing to the dispatcher's limits, and the defaults stay conservative", () => {
    expect(DEFAULT_PACING).toEqual({ maxPerMinute: 20, chatIntervalMs: 3000, groupPerMinute: 10, typingMs: 1000 });
    const limits = limitsFor(DEFAULT_PACING);
    expect(1000 / limits.perSecond).toBeCloseTo(3000);
    expect(limits).toMatchObject({ perChatIntervalMs: 3000, perGroupPerMinute: 10 });
    expect(limitsFor({ ...DEFAULT_PACING, maxPerMinute: 5 }).perGroupPerMinute).toBe(5);
  });

  it("marks the bot's own sent messages with their time, and reads back only those", () => {
    const sentAt = new Date("2026-11-28T10:00:00Z");
    const id = ownMessageId("BAE5F1A2B3C4D5E6", sentAt);
    expect(id).toBe(`o:${sentAt.getTime() / 1000}:BAE5F1A2B3C4D5E6`);
    expect(parseOwnMessageId(id)).toEqual({ keyId: "BAE5F1A2B3C4D5E6", sentAt });
    expect(parseOwnMessageId("3EB0C431C26A1916E07E")).toBeNull();
    expect(parseOwnMessageId("12345")).toBeNull();
  });

  it("maps socket failures to what the dispatcher does", () => {
    expect(mapWhatsAppError(boom(429)).failure).toEqual({ kind: "retry_after", ms: 60_000 });
    expect(mapWhatsAppError(boom(403)).failure.kind).toBe("stopped");
    for (const code of [400, 404, 406]) expect(mapWhatsAppError(boom(code)).failure.kind).toBe("rejected");
    for (const code of [408, 428, 440, 500, 503, 515])
      expect(mapWhatsAppError(boom(code)).failure.kind).toBe("transient");
    expect(mapWhatsAppError(new TypeError("x")).failure).toEqual({ kind: "transient", detail: "TypeError" });
    const own = new SendError({ kind: "rejected", detail: "x" });
    expect(mapWhatsAppError(own)).toBe(own);
    expect(() => jidOfAddress("tg:42")).toThrow(SendError);
    expect(jidOfAddress("wa:120363025555555555@g.us")).toBe("120363025555555555@g.us");
  });
});

describe("Baileys' own logs", () => {
  it("reach ours as warnings and errors only, without JIDs or phone numbers", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const log = baileysLogger(createLogger("trace", sink));
    log.child({ class: "socket" }).info({ jid: "6281234567001@s.whatsapp.net" }, "recv message");
    log.debug("pairMap 6281234567001 -> 181818181818181");
    log.warn("Invalid LID-PN mapping: 181818181818181@lid, 6281234567001@s.whatsapp.net");
    log.error(
      { err: new Error("no session for 6281234567001.0"), jid: "6281234567001@s.whatsapp.net" },
      "failed to decrypt",
    );
    expect(lines).toHaveLength(2);
    const text = lines.join("").replace(/"time":\d+/g, "");
    expect(text).toContain('"event":"whatsapp.library_warn"');
    expect(text).toContain('"event":"whatsapp.library_error"');
    expect(text).toContain("failed to decrypt");
    expect(text).not.toMatch(/\d{5,}|@s\.whatsapp\.net|@lid/);
  });
});
