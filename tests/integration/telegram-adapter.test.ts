import { GrammyError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { startTelegram, type TelegramRuntime } from "../../src/channels/telegram/run-telegram.ts";
import { mapTelegramError, splitText } from "../../src/channels/telegram/telegram-sender.ts";
import { mapUpdate } from "../../src/channels/telegram/telegram-updates.ts";
import { FieldCipher } from "../../src/security/field-cipher.ts";
import { systemClock } from "../../src/services/clock.ts";
import { FakeTelegramServer } from "../support/fake-telegram-server.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function setUp(
  env: Record<string, string> = {},
): Promise<{ fake: FakeTelegramServer; t: TestApp; runtime: TelegramRuntime }> {
  const fake = await new FakeTelegramServer().start();
  cleanups.push(() => fake.stop());
  const t = await startTestApp(env);
  cleanups.push(() => t.close());
  // The dispatcher and polling need real time.
  (t.app as { clock: typeof systemClock }).clock = systemClock;
  const runtime = await startTelegram(
    t.app,
    { token: fake.token, apiRoot: fake.apiRoot, webhook: null },
    {
      botInfo: {
        id: 1,
        is_bot: true,
        first_name: "Bot",
        username: "tppo_test_bot",
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
        has_topics_enabled: false,
        allows_users_to_create_topics: false,
      } as never,
    },
  );
  cleanups.push(() => runtime.stop());
  return { fake, t, runtime };
}

describe("Telegram updates", () => {
  const now = new Date();
  it("map private text, group text with its sender, callbacks, pins and edits", () => {
    const from = { id: 42, is_bot: false, first_name: "A", language_code: "en-US" };
    expect(
      mapUpdate(
        {
          update_id: 1,
          message: { message_id: 9, date: 0, chat: { id: 42, type: "private", first_name: "A" }, from, text: "hi" },
        },
        now,
      )?.message,
    ).toMatchObject({
      address: "tg:42",
      messageId: "u:1",
      platformMessageId: "9",
      text: "hi",
      languageHint: "en",
    });
    const group = mapUpdate(
      {
        update_id: 2,
        message: { message_id: 3, date: 0, chat: { id: -100, type: "supergroup", title: "G" }, from, text: "/kasus" },
      },
      now,
    );
    expect(group?.message).toMatchObject({ address: "tg:-100", sender: "tg:42" });
    const press = mapUpdate(
      {
        update_id: 3,
        callback_query: {
          id: "q",
          from,
          chat_instance: "c",
          data: "x:acc:K7QM4TZP9XWR",
          message: { message_id: 5, date: 0, chat: { id: -100, type: "supergroup", title: "G" } },
        },
      } as never,
      now,
    );
    expect(press).toMatchObject({
      callbackQueryId: "q",
      message: { choiceId: "x:acc:K7QM4TZP9XWR", sender: "tg:42", address: "tg:-100" },
    });
    const edited = mapUpdate(
      {
        update_id: 4,
        edited_message: {
          message_id: 9,
          date: 0,
          edit_date: 1,
          chat: { id: 42, type: "private", first_name: "A" },
          from,
          text: "x",
        },
      },
      now,
    );
    expect(edited?.message.unsupported).toBe("edited");
    const sticker = mapUpdate(
      {
        update_id: 5,
        message: { message_id: 10, date: 0, chat: { id: 42, type: "private", first_name: "A" }, from, sticker: {} },
      } as never,
      now,
    );
    expect(sticker?.message.unsupported).toBe("type");
    const joined = mapUpdate(
      {
        update_id: 6,
        message: { message_id: 11, date: 0, chat: { id: -100, type: "group", title: "G" }, from, new_chat_members: [] },
      } as never,
      now,
    );
    expect(joined).toBeNull();
  });

  it("ignore updates whose chat or sender id no Telegram chat can have, so no reply is queued to nowhere", () => {
    const from = { id: 42, is_bot: false, first_name: "A" };
    const text = (chat: unknown, sender: unknown = from) =>
      mapUpdate({ update_id: 7, message: { message_id: 1, date: 0, chat, from: sender, text: "halo" } } as never, now);
    for (const id of [1e20, 2 ** 53 + 2, 0.5, "42", null]) {
      expect(text({ id, type: "private" })).toBeNull();
      expect(text({ id: 42, type: "private" }, { ...from, id })).toBeNull();
    }
    expect(text(undefined)).toBeNull();
    const press = (chatId: unknown, fromId: unknown) =>
      mapUpdate(
        {
          update_id: 8,
          callback_query: {
            id: "q",
            from: { ...from, id: fromId },
            chat_instance: "c",
            data: "x",
            message: { message_id: 5, date: 0, chat: { id: chatId, type: "private" } },
          },
        } as never,
        now,
      );
    expect(press(1e20, 42)).toBeNull();
    expect(press(42, -(2 ** 63))).toBeNull();
    expect(press(42, 42)?.message.address).toBe("tg:42");
    expect(text({ id: -1001234567890, type: "supergroup" })?.message.address).toBe("tg:-1001234567890");
  });

  it("map platform errors to what the dispatcher does", () => {
    const error = (code: number, retry?: number) =>
      new GrammyError(
        "x",
        { ok: false, error_code: code, description: "d", ...(retry ? { parameters: { retry_after: retry } } : {}) },
        "sendMessage",
        {},
      );
    expect(mapTelegramError(error(429, 7)).failure).toEqual({ kind: "retry_after", ms: 7000 });
    expect(mapTelegramError(error(403)).failure.kind).toBe("stopped");
    expect(mapTelegramError(error(502)).failure.kind).toBe("transient");
    expect(mapTelegramError(error(400)).failure.kind).toBe("rejected");
    expect(splitText("a".repeat(5000)).map((p) => p.length)).toEqual([4096, 904]);
  });
});

describe("the Telegram adapter", () => {
  it("downloads photos when they arrive and keeps them encrypted with the report; refuses files over the cap, and says when a file did not come through", async () => {
    const { fake, t } = await setUp({ ATTACHMENT_MAX_BYTES: "2048" });
    const user = 3001;
    fake.userText(user, "lapor");
    await fake.waitForMessage(user, "apakah ada orang yang dalam bahaya");
    const photo = Buffer.from("JPEG-Ratnasari-evidence-bytes");
    fake.userPhoto(user, photo, "Foto tempat kerjanya");
    await fake.waitForMessage(user, "file sudah kami simpan");
    fake.userPhoto(user, Buffer.alloc(4096, 1));
    await fake.waitForMessage(user, "terlalu besar");
    const rows = await t.app.database.prisma.attachment.findMany();
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]?.blobCipher as Uint8Array).includes(Buffer.from("Ratnasari"))).toBe(false);
    const stored = await t.app.attachments.read(rows[0]?.id as string);
    expect(stored?.bytes.equals(photo)).toBe(true);
    expect(fake.calls.filter((c) => c.method === "getFile")).toHaveLength(1);
    expect(new FieldCipher(t.keys).currentKeyId).toBe(rows[0]?.keyId);

    // Telegram itself refuses to hand over a file too big for the Bot API: the person hears why.
    fake.getFileCapBytes = 100;
    const answered = fake.messagesTo(user).length;
    fake.userPhoto(user, Buffer.alloc(1000, 2));
    await fake.waitForMessage(user, "terlalu besar", answered);
    // A file Telegram no longer has: the person is asked to send it again, not left in silence.
    fake.pushUpdate({
      message: {
        message_id: 90,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user, type: "private" },
        from: { id: user, is_bot: false, first_name: "User" },
        photo: [{ file_id: "gone-1", file_unique_id: "u-gone-1", width: 10, height: 10, file_size: 10 }],
      },
    });
    await fake.waitForMessage(user, "file itu tidak sampai kepada kami");
    expect(await t.app.database.prisma.attachment.count()).toBe(1);
  });

  it("fetches no file sent in a group, and at most a chat's daily number of files, saying why the rest were not kept", async () => {
    const { fake, t } = await setUp({ ATTACHMENTS_PER_DAY: "2" });
    const group = -100_4242;
    fake.userPhoto(3201, Buffer.from("group-photo"), "foto rapat", { chatId: group });
    const user = 3202;
    fake.userText(user, "lapor");
    await fake.waitForMessage(user, "apakah ada orang yang dalam bahaya");
    for (const n of [1, 2]) {
      const before = fake.messagesTo(user).length;
      fake.userPhoto(user, Buffer.from(`photo-${n}`));
      await fake.waitForMessage(user, "file sudah kami simpan", before);
    }
    fake.userPhoto(user, Buffer.from("photo-3"));
    await fake.waitForMessage(user, "sudah banyak file yang kami terima");
    // Two downloads: the two kept files. Neither the group's photo nor the third was fetched.
    expect(fake.calls.filter((c) => c.method === "getFile")).toHaveLength(2);
    expect(await t.app.database.prisma.attachment.count()).toBe(2);
    expect(fake.messagesTo(group)).toEqual([]);
  });

  it("keeps answering other chats while one chat's file downloads slowly, and handles that file once", async () => {
    const { fake, t } = await setUp();
    const slow = 3101;
    fake.userText(slow, "lapor");
    await fake.waitForMessage(slow, "apakah ada orang yang dalam bahaya");
    let letDownloadsGo = () => {};
    fake.fileDownloadsHeld = new Promise((resolve) => {
      letDownloadsGo = resolve;
    });
    fake.userPhoto(slow, Buffer.from("JPEG-slow-evidence"));
    await fake.waitFor(() => fake.calls.some((c) => c.method === "getFile"), 60_000, "the download to start");
    // Others write while the download hangs: each is answered, in a poll or two.
    const others = [3102, 3103, 3104];
    for (const user of others) fake.userText(user, "halo");
    for (const user of others) await fake.waitForMessage(user, "Halo, terima kasih", 0, 60_000);
    letDownloadsGo();
    fake.fileDownloadsHeld = null;
    await fake.waitForMessage(slow, "file sudah kami simpan");
    await new Promise((r) => setTimeout(r, 1000));
    expect(await t.app.database.prisma.attachment.count()).toBe(1);
    expect(fake.messagesTo(slow).filter((m) => m.text.includes("file sudah kami simpan"))).toHaveLength(1);
  });

  it("answers an edited message and an unsupported one, and stays silent in a group for non-staff", async () => {
    const { fake } = await setUp();
    fake.pushUpdate({
      edited_message: {
        message_id: 1,
        date: 0,
        edit_date: 1,
        chat: { id: 3101, type: "private", first_name: "A" },
        from: { id: 3101, is_bot: false, first_name: "A" },
        text: "x",
      },
    });
    await fake.waitForMessage(3101, "Pesan yang diedit");
    fake.pushUpdate({
      message: {
        message_id: 2,
        date: 0,
        chat: { id: 3101, type: "private", first_name: "A" },
        from: { id: 3101, is_bot: false, first_name: "A" },
        sticker: { file_id: "s" },
      },
    });
    await fake.waitForMessage(3101, "jenis pesan itu tidak bisa saya baca");
    fake.userText(3102, "halo semua", { chatId: -100777 });
    fake.userText(3102, "/terima K7QM-4TZP-9XWR", { chatId: -100777 });
    await new Promise((r) => setTimeout(r, 600));
    expect(fake.messagesTo(-100777)).toEqual([]);
  });

  it("deletes the chat's recent messages on hapus and tells the person what to clear", async () => {
    const { fake } = await setUp();
    const user = 3201;
    fake.userText(user, "halo");
    await fake.waitForMessage(user, "Halo, terima kasih");
    fake.userText(user, "hapus");
    await fake.waitForMessage(user, "bersihkan chat");
    const deletion = await fake.waitFor(
      () => fake.calls.find((c) => c.method === "deleteMessages"),
      5000,
      "deleteMessages",
    );
    expect(Number(deletion.params.chat_id)).toBe(user);
    expect((deletion.params.message_ids as number[]).length).toBeGreaterThanOrEqual(3);
  });

  it("marks a reporter who blocked the bot as unreachable, stops sending, and reaches them again when they write", async () => {
    const { fake, t } = await setUp();
    const user = 3301;
    fake.userText(user, "halo");
    await fake.waitForMessage(user, "Halo, terima kasih");
    fake.blockedChats.add(user);
    fake.userText(user, "lapor");
    const identity = await t.app.identities.resolve(`tg:${user}`, new Date());
    const prisma = t.app.database.prisma;
    for (let i = 0; i < 200; i++) {
      if ((await prisma.contactIdentity.findUniqueOrThrow({ where: { id: identity.id } })).unreachableAt) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(
      (await prisma.contactIdentity.findUniqueOrThrow({ where: { id: identity.id } })).unreachableAt,
    ).not.toBeNull();
    expect(await prisma.outboxMessage.count({ where: { identityId: identity.id, status: "PENDING" } })).toBe(0);
    fake.blockedChats.delete(user);
    fake.userText(user, "batal");
    await fake.waitForMessage(user, "laporan dibatalkan");
    expect((await prisma.contactIdentity.findUniqueOrThrow({ where: { id: identity.id } })).unreachableAt).toBeNull();
  });
});
