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

interface IdentityRow {
  id: string;
  channel: string;
  unreachableAt: Date | null;
}

/**
 * Maps channel addresses to identity ids. Addresses are stored only as an HMAC (for lookup)
 * and an AES-GCM envelope (for sending); neither reveals the number or account at rest.
 */
export class IdentityStore {
  readonly #db: Db;
  readonly #cipher: FieldCipher;
  readonly #hasher: Hasher;
  readonly #cache = new Map<string, Identity>();
  readonly #addresses = new Map<string, ChannelAddress>();

  constructor(db: Db, cipher: FieldCipher, hasher: Hasher) {
    this.#db = db;
    this.#cipher = cipher;
    this.#hasher = hasher;
  }

  /**
   * The identity of an address, created on first contact. `alias` is another address the same
   * person was known by (WhatsApp's LID form of a number): an identity made under it takes this
   * address instead, so a conversation begun under one form goes on under the other.
   */
  async resolve(address: ChannelAddress, now: Date, alias?: ChannelAddress): Promise<Identity> {
    const lookupHash = this.#hasher.identity(address);
    const cached = this.#cache.get(lookupHash);
    if (cached) return cached;
    const candidates = this.#hasher.identityCandidates(address);
    const channel = channelOf(address);
    let row = await this.#findRow(candidates);
    if (!row && alias && alias !== address) row = await this.#adopt(alias, address, lookupHash);
    if (!row) {
      const id = randomUUID();
      try {
        row = await this.#db.contactIdentity.create({
          data: {
            id,
            channel,
            lookupHash,
            addressCipher: this.#cipher.seal(address, ADDRESS_CONTEXT, id),
            keyId: this.#cipher.currentKeyId,
            createdAt: now,
          },
          select: { id: true, channel: true, unreachableAt: true },
        });
      } catch (error) {
        // Another process created it first.
        if (!isUniqueViolation(error)) throw error;
        row = await this.#findRow(candidates);
        if (!row) throw error;
      }
    }
    const identity: Identity = { id: row.id, channel, ...(row.unreachableAt ? { unreachable: true } : {}) };
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(lookupHash, identity);
    return identity;
  }

  /** Moves the identity known by `from` to the address `to`; null when there is none (or another process won). */
  async #adopt(from: ChannelAddress, to: ChannelAddress, lookupHash: string): Promise<IdentityRow | null> {
    const former = await this.#findRow(this.#hasher.identityCandidates(from));
    if (!former) return null;
    try {
      await this.#db.contactIdentity.update({
        where: { id: former.id },
        data: {
          lookupHash,
          addressCipher: this.#cipher.seal(to, ADDRESS_CONTEXT, former.id),
          keyId: this.#cipher.currentKeyId,
        },
      });
    } catch (error) {
      // The new form was created meanwhile (two messages at once): use that one.
      if (isUniqueViolation(error)) return null;
      throw error;
    }
    this.forget([former.id]);
    return former;
  }

  /** The identity of an address if it has written before, without creating one. */
  async find(address: ChannelAddress): Promise<Identity | null> {
    const row = await this.#findRow(this.#hasher.identityCandidates(address));
    return row ? { id: row.id, channel: row.channel as ChannelKind } : null;
  }

  /**
   * The row of the first candidate hash found: the current key's hash, then older keys', so
   * contacts hashed before an HMAC key rotation are found until `rotate-keys` re-hashes them.
   */
  async #findRow(candidates: readonly string[]): Promise<IdentityRow | null> {
    const select = { id: true, channel: true, unreachableAt: true, lookupHash: true } as const;
    // One key (the usual case): the unique index answers exactly as before versioned keys.
    if (candidates.length === 1) {
      return this.#db.contactIdentity.findUnique({ where: { lookupHash: candidates[0] as string }, select });
    }
    const rows = await this.#db.contactIdentity.findMany({ where: { lookupHash: { in: [...candidates] } }, select });
    for (const hash of candidates) {
      const row = rows.find((r) => r.lookupHash === hash);
      if (row) return row;
    }
    return null;
  }

  /** Drops identities from the caches (deleted by retention, or given a new address), so they are read again. */
  forget(identityIds: readonly string[]): void {
    const gone = new Set(identityIds);
    for (const [hash, identity] of this.#cache) if (gone.has(identity.id)) this.#cache.delete(hash);
    for (const id of gone) this.#addresses.delete(id);
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

  /** Decrypts the address of an identity, for the channel that sends to it (remembered until it changes). */
  async addressOf(identityId: string): Promise<ChannelAddress> {
    const known = this.#addresses.get(identityId);
    if (known) return known;
    const row = await this.#db.contactIdentity.findUniqueOrThrow({
      where: { id: identityId },
      select: { addressCipher: true },
    });
    const address = this.#cipher.open(row.addressCipher, ADDRESS_CONTEXT, identityId) as ChannelAddress;
    if (this.#addresses.size >= CACHE_LIMIT) this.#addresses.clear();
    this.#addresses.set(identityId, address);
    return address;
  }
}
