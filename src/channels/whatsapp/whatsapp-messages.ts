import { z } from "zod";
import type { AttachmentKind, InboundMessage } from "../types.ts";
import {
  addressOfJid,
  isBroadcastJid,
  isGroupJid,
  languageOfJid,
  lidOf,
  normalizeUserJid,
  type PhoneForLid,
  personJid,
} from "./whatsapp-jids.ts";

const MAX_TEXT = 65_536;
const MAX_CHOICE_ID = 64;
/** protocolMessage.type of an edit (proto.Message.ProtocolMessage.Type.MESSAGE_EDIT). */
const PROTOCOL_MESSAGE_EDIT = 14;

const text = z.string().nullish();
/** protobuf uint64 fields arrive as numbers, strings or Long objects, depending on the decoder. */
const uint64 = z
  .union([z.number(), z.string(), z.looseObject({ low: z.number(), high: z.number() })])
  .nullish()
  .transform((v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === "number") return v;
    if (typeof v === "string") return Number.isFinite(Number(v)) ? Number(v) : null;
    return (v.high >>> 0) * 2 ** 32 + (v.low >>> 0);
  });
const media = z.looseObject({ caption: text, mimetype: text, fileLength: uint64, ptt: z.boolean().nullish() });
const point = z.looseObject({ degreesLatitude: z.number().nullish(), degreesLongitude: z.number().nullish() });

/** The fields of a Baileys message content the adapter reads; the rest passes through untouched. */
const ContentSchema = z.looseObject({
  conversation: text,
  extendedTextMessage: z.looseObject({ text, contextInfo: z.looseObject({ stanzaId: text }).nullish() }).nullish(),
  locationMessage: point.nullish(),
  liveLocationMessage: point.nullish(),
  imageMessage: media.nullish(),
  videoMessage: media.nullish(),
  audioMessage: media.nullish(),
  documentMessage: media.nullish(),
  listResponseMessage: z
    .looseObject({ title: text, singleSelectReply: z.looseObject({ selectedRowId: text }).nullish() })
    .nullish(),
  buttonsResponseMessage: z.looseObject({ selectedButtonId: text, selectedDisplayText: text }).nullish(),
  templateButtonReplyMessage: z.looseObject({ selectedId: text, selectedDisplayText: text }).nullish(),
  interactiveResponseMessage: z
    .looseObject({ nativeFlowResponseMessage: z.looseObject({ paramsJson: text }).nullish() })
    .nullish(),
  protocolMessage: z.looseObject({ type: z.union([z.number(), z.string()]).nullish() }).nullish(),
  editedMessage: z.unknown().optional(),
});
type Content = z.infer<typeof ContentSchema>;

/** The fields of a Baileys WAMessage the adapter reads, parsed where the message enters. */
export const WhatsAppMessageSchema = z.looseObject({
  key: z.looseObject({
    remoteJid: z.string().min(1),
    fromMe: z.boolean().nullish(),
    id: z.string().min(1).max(128),
    participant: text,
    remoteJidAlt: text,
    participantAlt: text,
  }),
  message: z.unknown().nullish(),
  messageStubType: z.number().nullish(),
});

/** A file in a message that the adapter downloads before handing the message on. */
export interface IncomingMedia {
  kind: AttachmentKind;
  mimeType: string | null;
  /** The size WhatsApp announces, when it does; the download is capped anyway. */
  size: number | null;
}

/** What a WhatsApp message means for the engine, before its file is downloaded. */
export interface MappedWhatsAppMessage {
  message: Omit<InboundMessage, "attachments">;
  media: IncomingMedia | null;
  inGroup: boolean;
}

/** Unwraps disappearing, view-once and captioned-document envelopes (as Baileys' normalizeMessageContent). */
function unwrap(raw: unknown): unknown {
  let content = raw;
  for (let i = 0; i < 5; i++) {
    if (!content || typeof content !== "object") break;
    const c = content as Record<string, { message?: unknown } | null | undefined>;
    const inner =
      c.ephemeralMessage ??
      c.viewOnceMessage ??
      c.viewOnceMessageV2 ??
      c.viewOnceMessageV2Extension ??
      c.documentWithCaptionMessage ??
      c.associatedChildMessage;
    if (!inner?.message) break;
    content = inner.message;
  }
  return content;
}

function isEdit(raw: unknown): boolean {
  if (!raw || typeof raw !== "object") return false;
  const parsed = ContentSchema.safeParse(unwrap(raw));
  if (!parsed.success) return false;
  const type = parsed.data.protocolMessage?.type;
  return parsed.data.editedMessage != null || type === PROTOCOL_MESSAGE_EDIT || type === "MESSAGE_EDIT";
}

function choiceOf(c: Content): { choiceId?: string; text?: string } | null {
  const picked = (id: string | null | undefined, label: string | null | undefined) => {
    if (id && id.length <= MAX_CHOICE_ID) return { choiceId: id };
    return label ? { text: label } : null;
  };
  if (c.listResponseMessage) {
    return picked(c.listResponseMessage.singleSelectReply?.selectedRowId, c.listResponseMessage.title);
  }
  if (c.buttonsResponseMessage) {
    return picked(c.buttonsResponseMessage.selectedButtonId, c.buttonsResponseMessage.selectedDisplayText);
  }
  if (c.templateButtonReplyMessage) {
    return picked(c.templateButtonReplyMessage.selectedId, c.templateButtonReplyMessage.selectedDisplayText);
  }
  const params = c.interactiveResponseMessage?.nativeFlowResponseMessage?.paramsJson;
  if (params) {
    const parsed = z.looseObject({ id: z.string() }).safeParse(safeJson(params));
    return parsed.success ? picked(parsed.data.id, null) : null;
  }
  return null;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

function mediaOf(c: Content): (IncomingMedia & { caption: string | null }) | null {
  const file = (kind: AttachmentKind, m: z.infer<typeof media>): IncomingMedia & { caption: string | null } => ({
    kind,
    mimeType: m.mimetype ?? null,
    size: m.fileLength,
    caption: m.caption ?? null,
  });
  if (c.imageMessage) return file("PHOTO", c.imageMessage);
  if (c.audioMessage) return file(c.audioMessage.ptt ? "VOICE" : "AUDIO", c.audioMessage);
  if (c.videoMessage) return file("VIDEO", c.videoMessage);
  if (c.documentMessage) return file("DOCUMENT", c.documentMessage);
  return null;
}

/** Content that is housekeeping between devices, not something a person said. */
function isHousekeeping(raw: unknown, c: Content): boolean {
  if (c.protocolMessage) return true;
  if (!raw || typeof raw !== "object") return true;
  const keys = Object.keys(raw as object).filter(
    (k) =>
      (raw as Record<string, unknown>)[k] != null && k !== "messageContextInfo" && k !== "senderKeyDistributionMessage",
  );
  return (
    keys.length === 0 ||
    keys.every((k) => k === "reactionMessage" || k === "pollUpdateMessage" || k === "keepInChatMessage")
  );
}

/** How the adapter reaches the LID mapping while mapping a message. */
export interface MapContext {
  now: Date;
  phoneForLid: PhoneForLid;
}

/**
 * Translates one Baileys message into the channel-neutral message, or null when it is not for
 * the bot: its own messages, status updates and broadcasts, channels, group notifications,
 * reactions and other housekeeping. A group message carries the group as its address and the
 * participant as its sender; a person is one address whether they write as a number or a LID.
 * The dedupe id is the message key id alone (no phone number reaches the dedupe table).
 */
export async function mapWhatsAppMessage(raw: unknown, ctx: MapContext): Promise<MappedWhatsAppMessage | null> {
  const parsed = WhatsAppMessageSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { key, message } = parsed.data;
  if (key.fromMe || isBroadcastJid(key.remoteJid)) return null;
  if (message === null || message === undefined) return null;
  const inGroup = isGroupJid(key.remoteJid);
  let address: InboundMessage["address"];
  let sender: InboundMessage["sender"];
  let person: string | null;
  let lid: string | null;
  if (inGroup) {
    person = await personJid(key.participant, key.participantAlt, ctx.phoneForLid);
    if (!person) return null;
    address = addressOfJid(key.remoteJid);
    sender = addressOfJid(person);
    lid = lidOf(key.participant, key.participantAlt);
  } else {
    person = await personJid(key.remoteJid, key.remoteJidAlt, ctx.phoneForLid);
    if (!person || !normalizeUserJid(person)) return null;
    address = addressOfJid(person);
    lid = lidOf(key.remoteJid, key.remoteJidAlt);
  }
  const language = languageOfJid(person);
  // Known by number now, but perhaps first seen by LID alone: the service makes them one person.
  const personAlias = lid && lid !== person ? addressOfJid(lid) : null;
  const base = {
    address,
    messageId: key.id,
    receivedAt: ctx.now,
    ...(sender ? { sender } : {}),
    ...(personAlias ? { personAlias } : {}),
    ...(language ? { languageHint: language } : {}),
  };
  if (isEdit(message)) return { message: { ...base, unsupported: "edited" }, media: null, inGroup };
  const inner = unwrap(message);
  const content = ContentSchema.safeParse(inner);
  if (!content.success) return { message: { ...base, unsupported: "type" }, media: null, inGroup };
  const c = content.data;
  if (isHousekeeping(inner, c)) return null;
  const typed = c.conversation ?? c.extendedTextMessage?.text;
  if (typeof typed === "string") {
    // A reply quoting one of the bot's messages (a staff card) names it by its key id.
    const quoted = c.extendedTextMessage?.contextInfo?.stanzaId;
    const replyTo = quoted && quoted.length <= 128 ? { replyTo: quoted } : {};
    return { message: { ...base, text: typed.slice(0, MAX_TEXT), ...replyTo }, media: null, inGroup };
  }
  const pin = c.locationMessage ?? c.liveLocationMessage;
  if (pin && typeof pin.degreesLatitude === "number" && typeof pin.degreesLongitude === "number") {
    const latitude = pin.degreesLatitude;
    const longitude = pin.degreesLongitude;
    if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) {
      return { message: { ...base, location: { latitude, longitude } }, media: null, inGroup };
    }
  }
  const choice = choiceOf(c);
  if (choice) return { message: { ...base, ...choice }, media: null, inGroup };
  const file = mediaOf(c);
  if (file) {
    const { caption, ...incoming } = file;
    return { message: { ...base, ...(caption ? { text: caption.slice(0, MAX_TEXT) } : {}) }, media: incoming, inGroup };
  }
  // In a group, what the bot cannot read is people talking among themselves; in a private chat it is answered.
  if (inGroup) return null;
  return { message: { ...base, unsupported: "type" }, media: null, inGroup };
}
