import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type Context, GrammyError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { AttachmentStore } from "../../db/attachment-store.ts";
import type { IdentityStore } from "../../db/identity-store.ts";
import type { Logger } from "../../logging/logger.ts";
import type { Clock } from "../../services/clock.ts";
import type { ConversationService } from "../../services/conversation-service.ts";
import type { InboundMessage } from "../types.ts";
import { type IncomingFile, mapUpdate } from "./telegram-updates.ts";

/** What the Telegram bot needs from the rest of the app. */
export interface TelegramBotDeps {
  token: string;
  apiRoot: string;
  conversation: Pick<ConversationService, "handle">;
  attachments: AttachmentStore;
  identities: IdentityStore;
  clock: Clock;
  logger: Logger;
  maxAttachmentBytes: number;
  /** Skips getMe in tests and benchmarks. */
  botInfo?: UserFromGetMe;
  /** Called after each handled update, so the dispatcher sends the replies at once. */
  onHandled?: () => void;
}

/** Thrown when a file is larger than the cap. */
class FileTooLargeError extends Error {
  override name = "FileTooLargeError";
}

/** Downloads a file through getFile and the file URL under the same API root, within the size cap. */
/** A download that takes longer is given up: the person is asked to send the file again. */
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** The cloud Bot API refuses getFile for files over 20 MB ("file is too big"). */
function isTooBigForBotApi(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && /file is too big/i.test(error.description);
}

async function download(bot: Bot, deps: TelegramBotDeps, file: IncomingFile): Promise<Buffer> {
  if (file.size !== null && file.size > deps.maxAttachmentBytes) throw new FileTooLargeError();
  const info = await bot.api.getFile(file.fileId);
  if (!info.file_path) throw new Error("getFile returned no path");
  if (info.file_size !== undefined && info.file_size > deps.maxAttachmentBytes) throw new FileTooLargeError();
  const response = await fetch(`${deps.apiRoot}/file/bot${deps.token}/${info.file_path}`, {
    signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
  });
  if (!response.ok || !response.body) throw new Error(`file download failed: http ${response.status}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Uint8Array).length;
    if (size > deps.maxAttachmentBytes) throw new FileTooLargeError();
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

/**
 * The grammY bot: translates updates into channel-neutral messages for the conversation
 * service (files downloaded and stored encrypted first), answers every callback query, and
 * handles one chat's updates in order.
 */
export function createTelegramBot(deps: TelegramBotDeps): Bot {
  const bot = new Bot(deps.token, {
    // Above the 30 s long poll; grammY's default (500 s) would let one stuck call hold a chat for minutes.
    client: { apiRoot: deps.apiRoot, timeoutSeconds: 60 },
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
  });
  // Calls made while handling an update (getFile, answerCallbackQuery) retry on their own;
  // outbox sends do not go through this Api (the dispatcher owns their retries and limits).
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  // One chat's updates are handled one after another (!), different chats concurrently.
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use(async (ctx) => {
    const { clock, logger } = deps;
    const mapped = mapUpdate(ctx.update, clock.now());
    if (!mapped) return;
    const log = logger.child({ updateId: ctx.update.update_id });
    try {
      let message: InboundMessage = mapped.message;
      // Files in a group are conversation between staff, never part of a report: not downloaded.
      if (mapped.files.length > 0 && !message.sender) {
        const identity = await deps.identities.resolve(message.address, clock.now());
        const stored: NonNullable<InboundMessage["attachments"]> = [];
        for (const file of mapped.files) {
          // Within the chat's daily files and the storage cap, checked before anything is fetched.
          const admission = await deps.attachments.admit(identity.id, file.size, clock.now());
          if (admission !== "ok") {
            log.warn({ event: "telegram.file_refused", reason: admission });
            message = { ...message, unsupported: admission };
            continue;
          }
          try {
            const bytes = await download(bot, deps, file);
            stored.push({
              id: await deps.attachments.save(identity.id, file.kind, file.mimeType, bytes, clock.now()),
              kind: file.kind,
            });
          } catch (error) {
            if (error instanceof FileTooLargeError || isTooBigForBotApi(error)) {
              message = { ...message, unsupported: "too_large" };
            } else {
              // A file that cannot be fetched now (gone, or Telegram failing): say so rather than stay silent.
              log.warn({ event: "telegram.file_download_failed", err: error });
              message = { ...message, unsupported: "not_received" };
            }
          }
        }
        if (stored.length > 0) message = { ...message, attachments: stored };
      }
      await deps.conversation.handle(message);
      deps.onHandled?.();
    } catch (error) {
      log.error({ event: "telegram.update_failed", err: error });
    } finally {
      if (mapped.callbackQueryId) {
        await ctx
          .answerCallbackQuery()
          .catch((error: unknown) => log.warn({ event: "telegram.answer_callback_failed", err: error }));
      }
    }
  });
  bot.catch((error) => deps.logger.error({ event: "telegram.middleware_failed", err: error.error }));
  return bot;
}
