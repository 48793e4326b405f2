import type { Update } from "grammy/types";
import type { Language } from "../../domain/language.ts";
import type { AttachmentKind, ChannelAddress, InboundMessage } from "../types.ts";

/** A file in an update that the adapter downloads before handing the message on. */
export interface IncomingFile {
  fileId: string;
  kind: AttachmentKind;
  mimeType: string | null;
  size: number | null;
}

/** What an update means for the engine, before files are downloaded. */
export interface MappedUpdate {
  message: Omit<InboundMessage, "attachments">;
  files: IncomingFile[];
  /** The callback query to answer (every one is answered, even when nothing else happens). */
  callbackQueryId: string | null;
}

/** Telegram's language_code as the bot's language hint: Indonesian or English, else none. */
export function languageOf(code: string | undefined): Language | undefined {
  if (!code) return undefined;
  if (code.startsWith("id") || code.startsWith("in")) return "id";
  if (code.startsWith("en")) return "en";
  return undefined;
}

function fileOf(message: NonNullable<Update["message"]>): IncomingFile | null {
  if (message.photo && message.photo.length > 0) {
    const largest = message.photo[message.photo.length - 1];
    return largest
      ? { fileId: largest.file_id, kind: "PHOTO", mimeType: "image/jpeg", size: largest.file_size ?? null }
      : null;
  }
  if (message.voice)
    return {
      fileId: message.voice.file_id,
      kind: "VOICE",
      mimeType: message.voice.mime_type ?? null,
      size: message.voice.file_size ?? null,
    };
  if (message.audio)
    return {
      fileId: message.audio.file_id,
      kind: "AUDIO",
      mimeType: message.audio.mime_type ?? null,
      size: message.audio.file_size ?? null,
    };
  if (message.video)
    return {
      fileId: message.video.file_id,
      kind: "VIDEO",
      mimeType: message.video.mime_type ?? null,
      size: message.video.file_size ?? null,
    };
  if (message.document) {
    return {
      fileId: message.document.file_id,
      kind: "DOCUMENT",
      mimeType: message.document.mime_type ?? null,
      size: message.document.file_size ?? null,
    };
  }
  return null;
}

/**
 * True for a chat or user id as Telegram makes them (integers of at most 52 bits). Anything
 * else did not come from Telegram, and a reply to it could never be sent.
 */
function isTelegramId(id: unknown): id is number {
  return typeof id === "number" && Number.isSafeInteger(id);
}

/**
 * Translates one Telegram update into the channel-neutral message, or null when it is not for
 * the bot (its own messages, channel posts, member updates, or ids no Telegram chat can have).
 * Groups carry the sender apart.
 */
export function mapUpdate(update: Update, now: Date): MappedUpdate | null {
  const messageId = `u:${update.update_id}`;
  if (update.callback_query) {
    const query = update.callback_query;
    const chat = query.message?.chat;
    const chatId = chat?.id ?? query.from?.id;
    if (!isTelegramId(chatId) || !isTelegramId(query.from?.id)) return null;
    const inGroup = chat !== undefined && chat.type !== "private";
    return {
      message: {
        address: `tg:${chatId}` as ChannelAddress,
        messageId,
        receivedAt: now,
        ...(query.data ? { choiceId: query.data } : { unsupported: "type" as const }),
        ...(inGroup ? { sender: `tg:${query.from.id}` as ChannelAddress } : {}),
        ...(languageOf(query.from.language_code) ? { languageHint: languageOf(query.from.language_code) } : {}),
      },
      files: [],
      callbackQueryId: query.id,
    };
  }
  const edited = update.edited_message;
  const message = update.message ?? edited;
  if (!message?.from || message.from.is_bot) return null;
  if (!isTelegramId(message.chat?.id) || !isTelegramId(message.from.id)) return null;
  const inGroup = message.chat.type !== "private";
  const base = {
    address: `tg:${message.chat.id}` as ChannelAddress,
    messageId,
    platformMessageId: String(message.message_id),
    receivedAt: now,
    ...(inGroup ? { sender: `tg:${message.from.id}` as ChannelAddress } : {}),
    ...(languageOf(message.from.language_code) ? { languageHint: languageOf(message.from.language_code) } : {}),
  };
  if (edited) return { message: { ...base, unsupported: "edited" }, files: [], callbackQueryId: null };
  if (message.text !== undefined) {
    // A reply to one of the bot's messages (a staff card) names it by its message id in this chat.
    const quoted = message.reply_to_message?.message_id;
    const replyTo = isTelegramId(quoted) ? { replyTo: String(quoted) } : {};
    return { message: { ...base, text: message.text, ...replyTo }, files: [], callbackQueryId: null };
  }
  if (message.location) {
    return {
      message: { ...base, location: { latitude: message.location.latitude, longitude: message.location.longitude } },
      files: [],
      callbackQueryId: null,
    };
  }
  const file = fileOf(message);
  if (file) {
    return {
      message: { ...base, ...(message.caption ? { text: message.caption } : {}) },
      files: [file],
      callbackQueryId: null,
    };
  }
  // Service messages (someone joined a group) are not for the bot; anything else a person sends is answered.
  if (inGroup) return null;
  return { message: { ...base, unsupported: "type" }, files: [], callbackQueryId: null };
}
