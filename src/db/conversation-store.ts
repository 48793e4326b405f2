import { CONVERSATION_SCHEMA_VERSION, type ConversationDoc, parseConversation } from "../conversation/state.ts";
import type { Language } from "../domain/language.ts";
import type { FieldCipher } from "../security/field-cipher.ts";
import type { Db } from "./database.ts";
import { isSqliteUniqueError, recordNotFound, uniqueViolation } from "./direct-sqlite.ts";
import { type DeferredWrite, dualWrite } from "./step-writer.ts";

/** A conversation as loaded: the document and the row version it was read at. */
export interface StoredConversation {
  doc: ConversationDoc;
  rowVersion: number;
}

const STATE_CONTEXT = "conversation.state";
const UPDATE_CONVERSATION =
  'UPDATE "conversations" SET "schemaVersion" = ?, "active" = ?, "language" = ?, "stateCipher" = ?, "keyId" = ?, "updatedAt" = ?, "expiresAt" = ?, "rowVersion" = ? WHERE "identityId" = ? AND "rowVersion" = ?';
const INSERT_CONVERSATION =
  'INSERT INTO "conversations" ("schemaVersion", "active", "language", "stateCipher", "keyId", "updatedAt", "expiresAt", "rowVersion", "identityId") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
const CACHE_LIMIT = 10_000;

/**
 * Keeps each chat's dialogue state, encrypted (it holds the answers of unfinished reports).
 * Writes are conditional on the row version read, so a stale writer fails instead of
 * overwriting; a small cache saves the read on the hot path and is refreshed on commit.
 */
export class ConversationStore {
  readonly #db: Db;
  readonly #cipher: FieldCipher;
  readonly #cache = new Map<string, StoredConversation>();

  constructor(db: Db, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  /** The stored conversation of an identity, or null for a first contact. */
  async load(identityId: string, fallbackLanguage: Language, now: Date): Promise<StoredConversation | null> {
    const cached = this.#cache.get(identityId);
    if (cached) return cached;
    const row = await this.#db.conversation.findUnique({
      where: { identityId },
      select: { rowVersion: true, stateCipher: true },
    });
    if (!row) return null;
    const doc = parseConversation(
      this.#cipher.openJson(row.stateCipher, STATE_CONTEXT, identityId),
      fallbackLanguage,
      now,
    );
    return { doc, rowVersion: row.rowVersion };
  }

  /** The write that stores a new document; fails (P2025) if the row changed since it was read. */
  saveWrite(
    identityId: string,
    previous: StoredConversation | null,
    doc: ConversationDoc,
    ttlMs: number,
  ): { write: DeferredWrite; stored: StoredConversation } {
    const active = doc.state.flow !== "idle";
    const updatedAt = new Date(doc.updatedAt);
    const data = {
      schemaVersion: CONVERSATION_SCHEMA_VERSION,
      active,
      language: doc.language,
      stateCipher: this.#cipher.sealJson(doc, STATE_CONTEXT, identityId),
      keyId: this.#cipher.currentKeyId,
      updatedAt,
      expiresAt: active ? new Date(updatedAt.getTime() + ttlMs) : null,
    };
    const rowVersion = (previous?.rowVersion ?? 0) + 1;
    const values = [
      data.schemaVersion,
      data.active,
      data.language,
      data.stateCipher,
      data.keyId,
      data.updatedAt,
      data.expiresAt,
      rowVersion,
      identityId,
    ];
    const write = previous
      ? dualWrite(
          (db: Db) =>
            db.conversation.update({
              where: { identityId, rowVersion: previous.rowVersion },
              data: { ...data, rowVersion },
              select: { rowVersion: true },
            }),
          (sql) => {
            if (sql.run(UPDATE_CONVERSATION, [...values, previous.rowVersion]) === 0)
              throw recordNotFound("Conversation");
            return { rowVersion };
          },
        )
      : dualWrite(
          (db: Db) =>
            db.conversation.create({ data: { identityId, rowVersion, ...data }, select: { rowVersion: true } }),
          (sql) => {
            try {
              sql.run(INSERT_CONVERSATION, values);
            } catch (error) {
              throw isSqliteUniqueError(error) ? uniqueViolation("Conversation") : error;
            }
            return { rowVersion };
          },
        );
    return { write, stored: { doc, rowVersion } };
  }

  /** Records what was committed, so the next message skips the read. */
  remember(identityId: string, stored: StoredConversation): void {
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(identityId, stored);
  }

  /** Drops a cached entry, e.g. after a failed commit. */
  forget(identityId: string): void {
    this.#cache.delete(identityId);
  }

  /**
   * Ends unfinished conversations idle past their expiry: their answers are replaced by an
   * idle state that greets the person gently when they return. Returns how many expired.
   */
  async expireAbandoned(now: Date, fallbackLanguage: Language): Promise<number> {
    const rows = await this.#db.conversation.findMany({
      where: { active: true, expiresAt: { lte: now } },
      select: { identityId: true, rowVersion: true, language: true },
      take: 500,
    });
    let expired = 0;
    for (const row of rows) {
      const language = row.language === "en" ? "en" : fallbackLanguage;
      const doc: ConversationDoc = {
        v: CONVERSATION_SCHEMA_VERSION,
        language,
        languageChosen: true,
        askingLanguage: false,
        invalidAnswers: 0,
        updatedAt: now.toISOString(),
        state: { flow: "idle", expiredNotice: true },
      };
      const result = await this.#db.conversation.updateMany({
        where: { identityId: row.identityId, rowVersion: row.rowVersion },
        data: {
          rowVersion: row.rowVersion + 1,
          active: false,
          stateCipher: this.#cipher.sealJson(doc, STATE_CONTEXT, row.identityId),
          keyId: this.#cipher.currentKeyId,
          updatedAt: now,
          expiresAt: null,
        },
      });
      this.#cache.delete(row.identityId);
      expired += result.count;
    }
    return expired;
  }
}
