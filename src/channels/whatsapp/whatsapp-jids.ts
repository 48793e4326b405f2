import { SendError } from "../../outbox/channel-sender.ts";
import type { ChannelAddress } from "../types.ts";

const PN_SERVER = "s.whatsapp.net";

/** A JID split into its user part (device and agent suffixes dropped) and its server. */
interface SplitJid {
  user: string;
  server: string;
}

function split(jid: string): SplitJid | null {
  const at = jid.indexOf("@");
  if (at <= 0 || at === jid.length - 1) return null;
  const user = jid.slice(0, at).split(":")[0]?.split("_")[0] ?? "";
  const server = jid.slice(at + 1);
  if (!user) return null;
  return { user, server: server === "c.us" ? PN_SERVER : server };
}

/** The JID of a person without device suffix ("62812:3@s.whatsapp.net" -> "62812@s.whatsapp.net"), or null. */
export function normalizeUserJid(jid: string | null | undefined): string | null {
  if (!jid) return null;
  const parts = split(jid);
  if (!parts || (parts.server !== PN_SERVER && parts.server !== "lid")) return null;
  return `${parts.user}@${parts.server}`;
}

/** True for a phone-number JID ("62812...@s.whatsapp.net"). */
export function isPhoneJid(jid: string | null | undefined): jid is string {
  return typeof jid === "string" && split(jid)?.server === PN_SERVER;
}

/** True for a LID, WhatsApp's number-hiding id for a person ("1234...@lid"). */
export function isLidJid(jid: string | null | undefined): jid is string {
  return typeof jid === "string" && split(jid)?.server === "lid";
}

/** True for a group chat JID. */
export function isGroupJid(jid: string | null | undefined): jid is string {
  return typeof jid === "string" && jid.endsWith("@g.us");
}

/** True for status updates, broadcast lists and channels (newsletters): never a conversation with the bot. */
export function isBroadcastJid(jid: string): boolean {
  return jid.endsWith("@broadcast") || jid.endsWith("@newsletter");
}

/** Looks up the phone-number JID behind a LID (Baileys keeps the mapping in the auth state). */
export type PhoneForLid = (lid: string) => Promise<string | null>;

/**
 * The one JID the bot knows a person by: their phone-number JID whenever the message, its
 * alternate id or the stored LID mapping gives it, so that a person writing from the
 * phone-number form and from the LID form is one chat; the LID only when nothing else is known.
 */
export async function personJid(
  primary: string | null | undefined,
  alternate: string | null | undefined,
  phoneForLid: PhoneForLid,
): Promise<string | null> {
  const main = normalizeUserJid(primary);
  const alt = normalizeUserJid(alternate);
  if (isPhoneJid(main)) return main;
  if (isPhoneJid(alt)) return alt;
  const lid = isLidJid(main) ? main : isLidJid(alt) ? alt : null;
  if (!lid) return null;
  const mapped = normalizeUserJid(await phoneForLid(lid).catch(() => null));
  return isPhoneJid(mapped) ? mapped : lid;
}

/** The LID among a message's two ids, if either is one (the form a person may have been first seen by). */
export function lidOf(primary: string | null | undefined, alternate: string | null | undefined): string | null {
  const main = normalizeUserJid(primary);
  if (isLidJid(main)) return main;
  const alt = normalizeUserJid(alternate);
  return isLidJid(alt) ? alt : null;
}

/** The channel address of a WhatsApp JID. */
export function addressOfJid(jid: string): ChannelAddress {
  return `wa:${jid}`;
}

/** The JID of a "wa:" address; a SendError the dispatcher gives up on for anything else. */
export function jidOfAddress(address: ChannelAddress): string {
  const jid = address.slice(3);
  if (!address.startsWith("wa:") || !jid.includes("@")) {
    throw new SendError({ kind: "rejected", detail: "not a WhatsApp address" });
  }
  return jid;
}

/** Indonesian numbers (+62) get Indonesian until the person chooses; nothing is guessed for others. */
export function languageOfJid(jid: string | null): "id" | undefined {
  return isPhoneJid(jid) && jid.startsWith("62") ? "id" : undefined;
}
