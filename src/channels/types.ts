import { z } from "zod";
import { LANGUAGES } from "../domain/language.ts";

/** The channels the bot is reachable on; the prefix of every ChannelAddress. */
export const CHANNEL_KINDS = ["tg", "wa", "term"] as const;
/** One of CHANNEL_KINDS. */
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** A chat on a channel, prefixed like a URN: "tg:123", "wa:62812...@s.whatsapp.net", "term:alice". */
export type ChannelAddress = `${ChannelKind}:${string}`;

/** zod schema of a channel address. */
export const ChannelAddressSchema = z
  .string()
  .regex(/^(tg|wa|term):[^\s]{1,200}$/, "a channel address such as tg:123 or term:alice")
  .transform((s) => s as ChannelAddress);

/** The channel an address belongs to. */
export function channelOf(address: ChannelAddress): ChannelKind {
  return address.slice(0, address.indexOf(":")) as ChannelKind;
}

/** One option the person can pick; adapters render buttons or a numbered list. */
export interface Choice {
  id: string;
  label: string;
}

/** A message the bot sends, channel-neutral. */
export interface OutboundMessage {
  text: string;
  choices?: Choice[];
  /** Emergency numbers for someone who may be in danger: the chat goes ahead of other chats' messages. */
  urgent?: boolean;
}

/** zod schema of an outbound message, for payloads read back from the outbox. */
export const OutboundMessageSchema = z.object({
  text: z.string(),
  choices: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
  urgent: z.boolean().optional(),
});

/** Kinds of file a person can send with a report. */
export const ATTACHMENT_KINDS = ["PHOTO", "VOICE", "AUDIO", "VIDEO", "DOCUMENT"] as const;
/** One of ATTACHMENT_KINDS. */
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** zod schema of what an adapter hands to the engine; parsed at the service boundary. */
export const InboundMessageSchema = z.object({
  address: ChannelAddressSchema,
  /** The platform's id for this message or update, unique within the channel: the dedupe key. */
  messageId: z.string().min(1).max(200),
  /** The id of the message within its chat, when the platform can delete it later ("hapus"). */
  platformMessageId: z.string().max(100).optional(),
  receivedAt: z.date(),
  // WhatsApp allows 65,536 characters; a long story must not be refused.
  text: z.string().max(65_536).optional(),
  /** The id of a pressed button (Telegram callback data, a WhatsApp list reply). */
  choiceId: z.string().max(64).optional(),
  location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  /** Files already downloaded and stored encrypted by the adapter (platform links expire). */
  attachments: z
    .array(z.object({ id: z.string(), kind: z.enum(ATTACHMENT_KINDS) }))
    .max(20)
    .optional(),
  /** Something the bot cannot read: an edited message, a sticker, a file over the size cap. */
  unsupported: z.enum(["edited", "type", "too_large", "not_received", "file_quota", "storage_full"]).optional(),
  /** The platform's id of the message this one replies to (quotes), when it quotes one. */
  replyTo: z.string().max(200).optional(),
  /** In a group chat: who wrote (the address above is the group). Absent in a private chat. */
  sender: ChannelAddressSchema.optional(),
  /**
   * Another address the person who wrote (the chat, or the sender in a group) was known by: on
   * WhatsApp the number-hiding LID of someone now seen by number, so that both are one person.
   */
  personAlias: ChannelAddressSchema.optional(),
  /** The language the platform reports for the person, used until they choose one. */
  languageHint: z.enum(LANGUAGES).optional(),
});

/** A message or button press received from a person, channel-neutral. */
export type InboundMessage = z.infer<typeof InboundMessageSchema>;
