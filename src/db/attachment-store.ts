import { randomUUID } from "node:crypto";
import type { AttachmentKind } from "../channels/types.ts";
import type { FieldCipher } from "../security/field-cipher.ts";
import type { Db } from "./database.ts";

const BLOB_CONTEXT = "attachment.blob";

/**
 * Photos, voice notes and documents, downloaded when they arrive (platform links expire and
 * the evidence must not) and stored encrypted; they join a case when the report is sent.
 */
export class AttachmentStore {
  readonly #db: Db;
  readonly #cipher: FieldCipher;

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
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
        blobCipher: this.#cipher.seal(bytes.toString("base64"), BLOB_CONTEXT),
        keyId: this.#cipher.currentKeyId,
        createdAt: now,
      },
      select: { id: true },
    });
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
      bytes: Buffer.from(this.#cipher.open(row.blobCipher, BLOB_CONTEXT), "base64"),
    };
  }
}
