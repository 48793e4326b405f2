import { randomUUID } from "node:crypto";
import { type ChannelAddress, type ChannelKind, channelOf } from "../channels/types.ts";
import type { FieldCipher } from "../security/field-cipher.ts";
import type { Hasher } from "../security/hasher.ts";
import { type Db, isUniqueViolation } from "./database.ts";

/** A chat identity as the rest of the code knows it: an opaque id and its channel. */
export interface Identity {
  id: string;
  channel: ChannelKind;
  /** The platform refused delivery (blocked bot); cleared when the person writes again. */
  unreachable?: boolean;
}

const ADDRESS_CONTEXT = "identity.address";
const CACHE_LIMIT = 10_000;

/**
 * Maps channel addresses to identity ids. Addresses are stored only as an HMAC (for lookup)
 * and an AES-GCM envelope (for sending); neither reveals the number or account at rest.
 */
export class IdentityStore {
  readonly #db: Db;
  readonly #cipher: FieldCipher;
  readonly #hasher: Hasher;
  readonly #cache = new Map<string, Identity>();

  constructor(db: Db, cipher: FieldCipher, hasher: Hasher) {
    this.#db = db;
    this.#cipher = cipher;
    this.#hasher = hasher;
  }

  /** The identity of an address, created on first contact. */
  async resolve(address: ChannelAddress, now: Date): Promise<Identity> {
    const lookupHash = this.#hasher.identity(address);
    const cached = this.#cache.get(lookupHash);
    if (cached) return cached;
    const channel = channelOf(address);
    let row: { id: string; unreachableAt: Date | null } | null = await this.#db.contactIdentity.findUnique({
      where: { lookupHash },
      select: { id: true, unreachableAt: true },
    });
    if (!row) {
      try {
        row = await this.#db.contactIdentity.create({
          data: {
            id: randomUUID(),
            channel,
            lookupHash,
            addressCipher: this.#cipher.seal(address, ADDRESS_CONTEXT),
            keyId: this.#cipher.currentKeyId,
            createdAt: now,
          },
          select: { id: true, unreachableAt: true },
        });
      } catch (error) {
        // Another process created it first.
        if (!isUniqueViolation(error)) throw error;
        row = await this.#db.contactIdentity.findUniqueOrThrow({
          where: { lookupHash },
          select: { id: true, unreachableAt: true },
        });
      }
    }
    const identity: Identity = { id: row.id, channel, ...(row.unreachableAt ? { unreachable: true } : {}) };
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(lookupHash, identity);
    return identity;
  }

  /** The identity of an address if it has written before, without creating one. */
  async find(address: ChannelAddress): Promise<Identity | null> {
    const row = await this.#db.contactIdentity.findUnique({
      where: { lookupHash: this.#hasher.identity(address) },
      select: { id: true, channel: true },
    });
    return row ? { id: row.id, channel: row.channel as ChannelKind } : null;
  }

  /** Records that the platform refused to deliver to this chat (the person blocked the bot). */
  async markUnreachable(identityId: string, now: Date): Promise<void> {
    await this.#db.contactIdentity.update({ where: { id: identityId }, data: { unreachableAt: now } });
    for (const identity of this.#cache.values()) if (identity.id === identityId) identity.unreachable = true;
  }

  /** A person who writes again can be reached again. */
  async markReachable(identity: Identity): Promise<void> {
    await this.#db.contactIdentity.update({ where: { id: identity.id }, data: { unreachableAt: null } });
    delete identity.unreachable;
  }

  /** Decrypts the address of an identity, for the channel that sends to it. */
  async addressOf(identityId: string): Promise<ChannelAddress> {
    const row = await this.#db.contactIdentity.findUniqueOrThrow({
      where: { id: identityId },
      select: { addressCipher: true },
    });
    return this.#cipher.open(row.addressCipher, ADDRESS_CONTEXT) as ChannelAddress;
  }
}
