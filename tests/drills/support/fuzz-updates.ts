import type { SentMessage } from "../../support/fake-telegram-server.ts";

/** One fuzzed webhook request: its kind (for the figures), body and content type. */
export interface FuzzedRequest {
  kind: string;
  body: string | Uint8Array;
  contentType: string;
}

/** What the fuzzer may reuse to reach deeper into the dialogue: the last message the bot sent a chat. */
export type LastMessageOf = (chatId: number) => SentMessage | undefined;

const WORDS = [
  "halo",
  "lapor",
  "report",
  "status",
  "cek",
  "bantuan",
  "help",
  "darurat",
  "batal",
  "cancel",
  "hapus",
  "privasi",
  "bahasa",
  "English",
  "Bahasa Indonesia",
  "laporan saya",
  "pin hilang",
  "ya",
  "tidak",
  "lewati",
  "1",
  "2",
  "9",
  "0",
  "jatim",
  "/start",
  "/help",
  "/staff 12345678",
  "/terima K7QM-4TZP-9XWR",
  "/ubahstatus K7QM-4TZP-9XWR CLOSED",
  "status K7QM-4TZP-9XWR 123456",
  "status 0000-0000-0000 000000",
];

const ODD_TEXT = [
  "\u0000\u0001\u0002",
  "\u202e\u202dbalik",
  "\u200b\u200c\u200d",
  "🙂👨‍👩‍👧‍👦🏳️‍🌈",
  "e\u0301\u0301\u0301\u0301",
  "\ud800",
  "💥".repeat(3000),
  "<script>alert(1)</script>",
  "'; DROP TABLE cases; --",
  "$" + "{process.exit(1)}",
  "{{t 'x'}}",
  "%s%s%s%n",
  "\r\n\r\n",
  " ",
];

const UNKNOWN_TYPES = [
  "poll",
  "poll_answer",
  "my_chat_member",
  "chat_member",
  "chat_join_request",
  "channel_post",
  "edited_channel_post",
  "inline_query",
  "chosen_inline_result",
  "shipping_query",
  "pre_checkout_query",
  "message_reaction",
  "business_message",
  "purchased_paid_media",
  "no_such_update_type",
];

const HUGE = [
  1e20,
  -1e20,
  2 ** 53 + 2,
  -(2 ** 63),
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1e308,
  0,
  -0,
  0.5,
  -1,
  4_294_967_296,
];

const WRONG = [null, true, false, "x", "", 42, -7.5, [], [1, 2], {}, { a: 1 }, "12345678901234567890"];

/**
 * Random Bot API updates and webhook bodies for a fuzz drill: well-formed messages with odd
 * text (over 4,096 characters too), button presses with bad or stale data, unknown update
 * types, missing fields, huge numbers, wrong types, and bodies that are not JSON at all.
 */
export class UpdateFuzzer {
  readonly #random: () => number;
  readonly #chats: number[];
  readonly #groups: number[];
  readonly #lastMessageOf: LastMessageOf;
  #nextUpdateId = 1_000_000;

  constructor(random: () => number, lastMessageOf: LastMessageOf, chats = 300, groups = 20) {
    this.#random = random;
    this.#lastMessageOf = lastMessageOf;
    this.#chats = Array.from({ length: chats }, (_, i) => 800_000 + i);
    this.#groups = Array.from({ length: groups }, (_, i) => -1_008_000_000_000 - i);
  }

  #int(below: number): number {
    return Math.floor(this.#random() * below);
  }

  #pick<T>(items: readonly T[]): T {
    return items[this.#int(items.length)] as T;
  }

  #chance(p: number): boolean {
    return this.#random() < p;
  }

  #updateId(): number {
    // Now and then an update comes again with an id already used.
    return this.#chance(0.05) ? this.#nextUpdateId - 1 - this.#int(50) : this.#nextUpdateId++;
  }

  #chatId(): number {
    if (this.#chance(0.08)) return 900_000_000 + this.#int(1_000_000_000);
    return this.#pick(this.#chats);
  }

  #randomString(length: number): string {
    let s = "";
    for (let i = 0; i < length; i++) {
      const roll = this.#random();
      s +=
        roll < 0.7
          ? String.fromCharCode(32 + this.#int(95))
          : roll < 0.9
            ? String.fromCharCode(0xa0 + this.#int(0x2000))
            : this.#pick(["\n", "\t", "é", "ı", "ß", "中", "🙂", "\u0000"]);
    }
    return s;
  }

  #text(): string {
    const roll = this.#random();
    if (roll < 0.45) return this.#pick(WORDS);
    if (roll < 0.6) return this.#pick(ODD_TEXT);
    if (roll < 0.8) return this.#randomString(1 + this.#int(300));
    // Over Telegram's 4,096 characters (the bot must cope with what a self-hosted API lets through).
    const long = 4097 + this.#int(12_000);
    return this.#chance(0.5) ? this.#randomString(long) : "kata ".repeat(Math.ceil(long / 5)).slice(0, long);
  }

  #person(id: number): Record<string, unknown> {
    return { id, is_bot: false, first_name: "F", language_code: this.#pick(["id", "en", "fr", "", "zz-ZZ"]) };
  }

  #chat(id: number): Record<string, unknown> {
    return id < 0 ? { id, type: "supergroup", title: "G" } : { id, type: "private", first_name: "F" };
  }

  #message(chatId: number, fields: Record<string, unknown>): Record<string, unknown> {
    const from = chatId < 0 ? this.#person(700_000 + this.#int(50)) : this.#person(chatId);
    return {
      message_id: 1 + this.#int(100_000),
      date: Math.floor(Date.now() / 1000),
      chat: this.#chat(chatId),
      from,
      ...fields,
    };
  }

  #callback(chatId: number): Record<string, unknown> {
    const last = chatId > 0 ? this.#lastMessageOf(chatId) : undefined;
    const roll = this.#random();
    let data: unknown;
    if (last && last.buttons.length > 0 && roll < 0.45) data = this.#pick(last.buttons).data;
    else if (roll < 0.6) data = this.#randomString(this.#int(80));
    else if (roll < 0.7) data = "";
    else if (roll < 0.8) data = undefined;
    else data = this.#pick(["yes", "no", "1", "ACCEPT:K7QM4TZP9XWR", "x".repeat(64), "\u0000", "../../etc"]);
    const message = this.#chance(0.9)
      ? {
          message_id: last?.messageId ?? 1 + this.#int(1000),
          date: this.#chance(0.1) ? 0 : Math.floor(Date.now() / 1000),
          chat: this.#chat(chatId),
          from: { id: 1, is_bot: true, first_name: "Bot" },
          text: last?.text.slice(0, 50) ?? "",
        }
      : undefined;
    return {
      id: `fz-${this.#int(1e9)}`,
      from: this.#person(chatId > 0 ? chatId : 700_000 + this.#int(50)),
      chat_instance: "ci",
      ...(data === undefined ? {} : { data }),
      ...(message ? { message } : {}),
    };
  }

  /** One request to POST to the webhook. */
  next(): FuzzedRequest {
    const json = (kind: string, update: unknown): FuzzedRequest => ({
      kind,
      body: JSON.stringify(update),
      contentType: "application/json",
    });
    const update_id = this.#updateId();
    const chatId = this.#chatId();
    const roll = this.#random();
    if (roll < 0.3) return json("text", { update_id, message: this.#message(chatId, { text: this.#text() }) });
    if (roll < 0.45) return json("callback", { update_id, callback_query: this.#callback(chatId) });
    if (roll < 0.5) {
      const groupChat = this.#pick(this.#groups);
      return json("group", { update_id, message: this.#message(groupChat, { text: this.#text() }) });
    }
    if (roll < 0.57) {
      const type = this.#pick(UNKNOWN_TYPES);
      return json("unknown_type", { update_id, [type]: this.#chance(0.5) ? {} : { chat: this.#chat(chatId), x: 1 } });
    }
    if (roll < 0.64) return json("missing_fields", this.#missingFields(update_id, chatId));
    if (roll < 0.71) return json("huge_numbers", this.#hugeNumbers(update_id, chatId));
    if (roll < 0.8) return json("wrong_types", this.#wrongTypes(update_id, chatId));
    if (roll < 0.86) return json("media", this.#media(update_id, chatId));
    if (roll < 0.9) {
      return json("edited_or_location", {
        update_id,
        ...(this.#chance(0.5)
          ? { edited_message: this.#message(chatId, { text: this.#text(), edit_date: 1 }) }
          : {
              message: this.#message(chatId, {
                location: { latitude: this.#random() * 200 - 100, longitude: this.#random() * 400 - 200 },
              }),
            }),
      });
    }
    return this.#notJson(update_id, chatId);
  }

  #missingFields(update_id: number, chatId: number): unknown {
    const message = this.#message(chatId, { text: this.#pick(WORDS) });
    const drop = this.#pick(["chat", "from", "date", "message_id", "text"]);
    delete message[drop];
    const roll = this.#random();
    if (roll < 0.2) return { message };
    if (roll < 0.35) return { update_id };
    if (roll < 0.5) return { update_id, callback_query: { id: "x", chat_instance: "ci" } };
    if (roll < 0.6) return { update_id, message: { ...message, chat: {} } };
    return { update_id, message };
  }

  #hugeNumbers(update_id: number, chatId: number): unknown {
    const huge = this.#pick(HUGE);
    const message = this.#message(chatId, { text: this.#pick(WORDS) });
    const where = this.#int(6);
    if (where === 0) return { update_id: huge, message };
    if (where === 1) return { update_id, message: { ...message, chat: { id: huge, type: "private" } } };
    if (where === 2) return { update_id, message: { ...message, from: { id: huge, is_bot: false, first_name: "F" } } };
    if (where === 3) return { update_id, message: { ...message, message_id: huge, date: huge } };
    if (where === 4) return { update_id, message: { ...message, location: { latitude: huge, longitude: huge } } };
    return {
      update_id,
      message: this.#message(chatId, {
        photo: [{ file_id: "big", file_unique_id: "u", width: huge, height: huge, file_size: huge }],
      }),
    };
  }

  #wrongTypes(update_id: number, chatId: number): unknown {
    const wrong = this.#pick(WRONG);
    const message = this.#message(chatId, { text: this.#pick(WORDS) });
    const where = this.#int(10);
    if (where === 0) return { update_id: wrong, message };
    if (where === 1) return { update_id, message: wrong };
    if (where === 2) return { update_id, message: { ...message, text: wrong } };
    if (where === 3) return { update_id, message: { ...message, chat: wrong } };
    if (where === 4) return { update_id, message: { ...message, from: wrong } };
    if (where === 5) return { update_id, message: { ...message, entities: wrong } };
    if (where === 6) return { update_id, callback_query: { ...this.#callback(chatId), data: wrong } };
    if (where === 7) return { update_id, callback_query: wrong };
    if (where === 8) return { update_id, message: { ...message, photo: wrong, location: wrong } };
    return this.#chance(0.5) ? wrong : [message, message];
  }

  #media(update_id: number, chatId: number): unknown {
    const file = { file_id: `missing-${this.#int(1e6)}`, file_unique_id: "u", file_size: this.#int(2_000_000) };
    const kind = this.#pick(["photo", "voice", "document", "video", "audio", "sticker", "contact", "dice"]);
    const fields: Record<string, unknown> =
      kind === "photo"
        ? { photo: [{ ...file, width: 1, height: 1 }] }
        : kind === "sticker"
          ? { sticker: { ...file, type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }
          : kind === "contact"
            ? { contact: { phone_number: "+6281234567890", first_name: "C" } }
            : kind === "dice"
              ? { dice: { emoji: "🎲", value: 3 } }
              : { [kind]: { ...file, duration: 1, mime_type: "application/octet-stream" } };
    if (this.#chance(0.3)) fields.caption = this.#text();
    return { update_id, message: this.#message(chatId, fields) };
  }

  #notJson(update_id: number, chatId: number): FuzzedRequest {
    const valid = JSON.stringify({ update_id, message: this.#message(chatId, { text: "halo" }) });
    const roll = this.#random();
    if (roll < 0.2) {
      const bytes = new Uint8Array(1 + this.#int(2000));
      for (let i = 0; i < bytes.length; i++) bytes[i] = this.#int(256);
      return { kind: "not_json", body: bytes, contentType: "application/octet-stream" };
    }
    if (roll < 0.4)
      return { kind: "not_json", body: valid.slice(0, this.#int(valid.length)), contentType: "application/json" };
    if (roll < 0.55)
      return {
        kind: "not_json",
        body: this.#pick(["", "null", "[]", "42", '"x"', "{", "}{", "NaN"]),
        contentType: "application/json",
      };
    if (roll < 0.7)
      return {
        kind: "not_json",
        body: valid,
        contentType: this.#pick(["text/plain", "application/x-www-form-urlencoded", ""]),
      };
    if (roll < 0.8)
      return { kind: "not_json", body: `${"[".repeat(20_000)}${"]".repeat(20_000)}`, contentType: "application/json" };
    if (roll < 0.9) {
      return {
        kind: "not_json",
        body: JSON.stringify({ update_id, message: this.#message(chatId, { text: "x".repeat(400_000) }) }),
        contentType: "application/json",
      };
    }
    return { kind: "not_json", body: `${valid}${valid}`, contentType: "application/json" };
  }
}
