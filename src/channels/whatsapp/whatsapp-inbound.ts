import type { WAMessage } from "@whiskeysockets/baileys";
import type { AttachmentStore } from "../../db/attachment-store.ts";
import type { IdentityStore } from "../../db/identity-store.ts";
import type { Logger } from "../../logging/logger.ts";
import type { Clock } from "../../services/clock.ts";
import type { ConversationService } from "../../services/conversation-service.ts";
import { KeyedMutex } from "../../services/keyed-mutex.ts";
import type { ChannelAddress, InboundMessage } from "../types.ts";
import { type IncomingMedia, mapWhatsAppMessage, WhatsAppMessageSchema } from "./whatsapp-messages.ts";
import type { WhatsAppEvents, WhatsAppSocket } from "./whatsapp-socket.ts";

/** What the inbound side needs from the rest of the app. */
export interface WhatsAppInboundDeps {
  conversation: Pick<ConversationService, "handle">;
  attachments: AttachmentStore;
  identities: IdentityStore;
  clock: Clock;
  logger: Logger;
  maxAttachmentBytes: number;
  /** True for a group that is an office's chat destination; other groups are ignored. */
  isStaffGroup(address: ChannelAddress): Promise<boolean>;
  /** Called after each handled message, so the dispatcher sends the replies at once. */
  onHandled?(): void;
}

/** Thrown when a file is larger than the cap. */
class FileTooLargeError extends Error {
  override name = "FileTooLargeError";
}

const RECENT_LIMIT = 5000;

/**
 * Turns "messages.upsert" events into calls to the conversation service: new messages only
 * ("notify"), one chat's messages in order, files downloaded at once (WhatsApp media links
 * expire) within the size cap and stored encrypted. A redelivered message is skipped here when
 * this process has handled it already, and acts once in any case (the service dedupes by id).
 */
export class WhatsAppInbound {
  readonly #deps: WhatsAppInboundDeps;
  readonly #mutex = new KeyedMutex();
  readonly #pending = new Set<Promise<void>>();
  readonly #handled = new Set<string>();

  constructor(deps: WhatsAppInboundDeps) {
    this.#deps = deps;
  }

  /** Takes one event's messages; returns at once, handling goes on in the background. */
  accept(upsert: WhatsAppEvents["messages.upsert"], socket: WhatsAppSocket): void {
    if (upsert.type !== "notify") return;
    for (const raw of upsert.messages) {
      const key = WhatsAppMessageSchema.shape.key.safeParse((raw as { key?: unknown }).key);
      if (!key.success) continue;
      const task = this.#mutex
        .run(key.data.remoteJid, () => this.#handle(raw, key.data.id, socket))
        .catch((error: unknown) => this.#deps.logger.error({ event: "whatsapp.message_failed", error }));
      this.#pending.add(task);
      void task.finally(() => this.#pending.delete(task));
    }
  }

  /** Waits until every message taken so far is handled (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async #handle(raw: WAMessage, keyId: string, socket: WhatsAppSocket): Promise<void> {
    const { clock, logger } = this.#deps;
    if (this.#handled.has(keyId)) {
      logger.info({ event: "whatsapp.duplicate_skipped" });
      return;
    }
    const mapped = await mapWhatsAppMessage(raw, { now: clock.now(), phoneForLid: (lid) => socket.phoneForLid(lid) });
    if (!mapped) return;
    if (mapped.inGroup && !(await this.#deps.isStaffGroup(mapped.message.address))) {
      logger.debug({ event: "whatsapp.group_ignored" });
      return;
    }
    let message: InboundMessage = mapped.message;
    // Media in an office's group is conversation between staff, never part of a report: not downloaded.
    if (mapped.media && !mapped.inGroup) message = await this.#withMedia(message, mapped.media, raw, socket);
    await this.#deps.conversation.handle(message);
    if (this.#handled.size >= RECENT_LIMIT) this.#handled.clear();
    this.#handled.add(keyId);
    this.#deps.onHandled?.();
  }

  async #withMedia(
    message: InboundMessage,
    media: IncomingMedia,
    raw: WAMessage,
    socket: WhatsAppSocket,
  ): Promise<InboundMessage> {
    const { identities, attachments, clock, logger } = this.#deps;
    const identity = await identities.resolve(message.address, clock.now(), message.personAlias);
    // Within the chat's daily files and the storage cap, checked before anything is fetched.
    const admission = await attachments.admit(identity.id, media.size, clock.now());
    if (admission !== "ok") {
      logger.warn({ event: "whatsapp.media_refused", reason: admission });
      return { ...message, unsupported: admission };
    }
    try {
      const bytes = await this.#download(media, raw, socket);
      const id = await attachments.save(identity.id, media.kind, media.mimeType, bytes, clock.now());
      return { ...message, attachments: [{ id, kind: media.kind }] };
    } catch (error) {
      if (error instanceof FileTooLargeError) return { ...message, unsupported: "too_large" };
      // The link may have expired or the download failed: say the file did not come through rather than stay silent.
      logger.warn({ event: "whatsapp.media_download_failed", error });
      return { ...message, unsupported: "not_received" };
    }
  }

  async #download(media: IncomingMedia, raw: WAMessage, socket: WhatsAppSocket): Promise<Buffer> {
    const cap = this.#deps.maxAttachmentBytes;
    if (media.size !== null && media.size > cap) throw new FileTooLargeError();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of await socket.downloadMedia(raw)) {
      size += chunk.length;
      // Leaving the loop destroys the stream: nothing past the cap is downloaded.
      if (size > cap) throw new FileTooLargeError();
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }
}
