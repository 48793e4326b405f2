import { randomUUID } from "node:crypto";
import type { AttachmentKind } from "../channels/types.ts";
import type { FieldCipher } from "../security/field-cipher.ts";
import type { Db } from "./database.ts";

const BLOB_CONTEXT = "attachment.blob";
const DAY_MS = 24 * 60 * 60_000;
/** The stored total is recounted at most this often (a sum over every file). */
const USAGE_CACHE_MS = 60_000;

/** How many files a chat may send, and how much storage all files together may take. */
export interface AttachmentLimits {
  /** Files one chat may send in 24 hours. */
  perChatPerDay: number;
  /** Bytes one chat may send in 24 hours. */
  bytesPerChatPerDay: number;
  /** Bytes all stored files together may take; past it files are refused and operators alerted. */
  storageBytes: number;
}

/** Generous defaults for tests and tools that do not configure them. */
export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  perChatPerDay: 20,
  bytesPerChatPerDay: 100 * 1024 * 1024,
  storageBytes: 5 * 1024 ** 3,
};

/** Whether a chat's next file may be downloaded: yes, or why not. */
export type AttachmentAdmission = "ok" | "file_quota" | "storage_full";

/**
 * Photos, voice notes and documents, downloaded when they arrive (platform links expire and
 * the evidence must not) and stored encrypted; they join a case when the report is sent.
 */
export class AttachmentStore {
  readonly #db: Db;
  readonly #cipher: FieldCipher;
  /** The limits files are admitted under. */
  readonly limits: AttachmentLimits;
  #usage: { bytes: number; at: number } | null = null;

  constructor(db: Db, cipher: FieldCipher, limits: AttachmentLimits = DEFAULT_ATTACHMENT_LIMITS) {
    this.#db = db;
    this.#cipher = cipher;
    this.limits = limits;
  }

  /**
   * Decides before a download whether a chat's file may be taken: within the chat's daily count
   * and bytes (declared size counted when the platform gives it), and within the storage cap.
   */
  async admit(identityId: string, declaredBytes: number | null, now: Date): Promise<AttachmentAdmission> {
    const { perChatPerDay, bytesPerChatPerDay, storageBytes } = this.limits;
    const today = await this.#db.attachment.aggregate({
      where: { identityId, createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
      _count: true,
      _sum: { size: true },
    });
    const bytesToday = (today._sum.size ?? 0) + (declaredBytes ?? 0);
    if (today._count >= perChatPerDay || bytesToday > bytesPerChatPerDay) return "file_quota";
    if ((await this.storedBytes(now)) + (declaredBytes ?? 0) > storageBytes) return "storage_full";
    return "ok";
  }

  /** The bytes all stored files take (recounted at most once a minute). */
  async storedBytes(now: Date): Promise<number> {
    if (this.#usage && now.getTime() - this.#usage.at < USAGE_CACHE_MS) return this.#usage.bytes;
    const total = await this.#db.attachment.aggregate({ _sum: { size: true } });
    this.#usage = { bytes: total._sum.size ?? 0, at: now.getTime() };
    return this.#usage.bytes;
  }

  /** Stores a file for a chat and returns its id. */
  async save(
    identityId: string,
    kind: AttachmentKind,
    mimeType: string | null,
    bytes: Buffer,
    now: Date,
  ): Promise<string> {
    const id = randomUUID();
    await this.#db.attachment.create({
      data: {
        id,
        identityId,
        kind,
        mimeType,
        size: bytes.length,
        blobCipher: this.#cipher.seal(bytes.toString("base64"), BLOB_CONTEXT, id),
        keyId: this.#cipher.currentKeyId,
        createdAt: now,
      },
      select: { id: true },
    });
    if (this.#usage) this.#usage.bytes += bytes.length;
    return id;
  }

  /** Reads a stored file back. */
  async read(id: string): Promise<{ kind: string; mimeType: string | null; bytes: Buffer } | null> {
    const row = await this.#db.attachment.findUnique({
      where: { id },
      select: { kind: true, mimeType: true, blobCipher: true },
    });
    if (!row) return null;
    return {
      kind: row.kind,
      mimeType: row.mimeType,
      bytes: Buffer.from(this.#cipher.open(row.blobCipher, BLOB_CONTEXT, id), "base64"),
    };
  }
}
