// Benchmark peer: the TPPO report dialogue written the usual grammY way (conversations v2,
// runner + sequentialize, session and conversation state in SQLite via better-sqlite3).
// It is raced against the real bot; see README.md for what it does not guarantee.
import { createHash, randomBytes, randomInt } from "node:crypto";
import { conversations, createConversation } from "@grammyjs/conversations";
import { run, sequentialize } from "@grammyjs/runner";
import Database from "better-sqlite3";
import { Bot, session } from "grammy";

const { BOT_TOKEN, API_ROOT, DB_PATH } = process.env;
if (!BOT_TOKEN || !API_ROOT || !DB_PATH) {
  console.error("BOT_TOKEN, API_ROOT and DB_PATH are required");
  process.exit(1);
}

// ---- storage -------------------------------------------------------------------------------
const db = new Database(DB_PATH);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec(`
  CREATE TABLE IF NOT EXISTS sessions (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS conversations (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS reports (
    reference TEXT PRIMARY KEY, chat_id INTEGER NOT NULL, pin_hash TEXT NOT NULL,
    office TEXT, answers TEXT NOT NULL, created_at INTEGER NOT NULL
  );`);

/** A grammY StorageAdapter over one key/value table. */
function sqliteAdapter(table) {
  const get = db.prepare(`SELECT value FROM ${table} WHERE key = ?`);
  const put = db.prepare(
    `INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
  );
  const del = db.prepare(`DELETE FROM ${table} WHERE key = ?`);
  return {
    read: (key) => {
      const row = get.get(key);
      return row ? JSON.parse(row.value) : undefined;
    },
    write: (key, value) => void put.run(key, JSON.stringify(value)),
    delete: (key) => void del.run(key),
  };
}

const insertReport = db.prepare(
  "INSERT INTO reports (reference, chat_id, pin_hash, office, answers, created_at) VALUES (?, ?, ?, ?, ?, ?)",
);
// A salted SHA-256, as the real bot keeps a keyed hash: cheap, so the race measures the dialogue.
const hashPin = (pin, salt) => createHash("sha256").update(salt).update(pin).digest();
const REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford: no I, L, O, U

function newReference() {
  let s = "";
  for (let i = 0; i < 12; i++) s += REF_ALPHABET[randomInt(REF_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

// ---- texts ---------------------------------------------------------------------------------
const opt = (label, ...aliases) => {
  const l = label.toLowerCase();
  return { label, keys: [l, l.replace(/\s*\(.*\)$/, ""), ...aliases] };
};
const list = (options) => options.map((o, i) => `\n  ${i + 1}) ${o.label}`).join("");
/** Index of the chosen option (number, label or alias), or undefined. */
function pick(answer, options) {
  const a = answer.toLowerCase();
  if (/^\d+$/.test(a)) {
    const n = Number(a);
    return n >= 1 && n <= options.length ? n - 1 : undefined;
  }
  const i = options.findIndex((o) => o.keys.includes(a));
  return i === -1 ? undefined : i;
}

const MENU = list(
  ["Buat laporan", "Cek status laporan", "Laporan saya", "Nomor darurat", "Bahasa / Language"]
    .concat(["Hapus percakapan ini", "Bantuan", "Privasi dan kontak"])
    .map((l) => opt(l)),
).slice(1);
const GREETING = `Halo, terima kasih sudah menghubungi kami.
Ini layanan untuk melaporkan dugaan perdagangan orang (TPPO), misalnya kerja paksa, penipuan kerja ke luar negeri, atau eksploitasi anak.
Laporan Anda rahasia. Kami meneruskannya ke petugas pemerintah yang menangani wilayah itu (Dinas Sosial atau UPTD PPA provinsi, atau KP2MI kalau kejadiannya di luar negeri), dan Anda mendapat nomor laporan untuk mengecek perkembangannya.
Jika ada yang dalam bahaya sekarang, hubungi 112 atau SAPA 129. Di luar negeri? Ketik darurat.
Type English to continue in English.
${MENU}`;
const CANCELLED = `Baik, laporan dibatalkan. Tidak ada yang disimpan.\n${MENU}`;
const SORRY = "Maaf, saya tidak mengerti. Pilih nomor dari daftar.";

const YES = ["yes", "y"];
const NO = ["no", "tdk", "gak", "nggak", "enggak"];
const DANGER = [opt("Ya", ...YES), opt("Tidak", ...NO), opt("Tidak yakin")];
const REPORTER = ["Saya sendiri korbannya", "Keluarga korban", "Teman korban", "Saksi / orang yang melihat"]
  .concat(["Lembaga / organisasi", "Lewati"])
  .map((l) => opt(l));
const CASE_TYPES = ["Kerja paksa", "Eksploitasi seksual", "Pekerja migran di luar negeri", "Eksploitasi anak"]
  .concat(["Kawin paksa / perkawinan anak", "Jeratan utang", "Kerja di kapal ikan", "Pekerja rumah tangga"])
  .concat(["Jual beli organ", "Lainnya", "Tidak yakin"])
  .map((l) => opt(l));
const INDICATOR = [
  opt("Ya", ...YES),
  opt("Tidak", ...NO),
  opt("Tidak tahu"),
  opt("Lewati pertanyaan-pertanyaan ini", "lewati"),
];
const INDICATORS = [
  ["dokumen ditahan", "Apakah paspor, KTP, atau dokumen korban ditahan orang lain?"],
  ["bebas pergi", "Apakah korban bebas pergi atau berhenti kerja kapan saja?"],
  ["terjerat utang", "Apakah korban punya utang kepada perekrut atau majikan yang harus dilunasi dengan bekerja?"],
  ["ditipu", "Apakah korban ditipu soal pekerjaan, gaji, atau tempat kerjanya?"],
];
const PLACE = [opt("Di luar negeri", "luar negeri"), opt("Tidak tahu"), opt("Pilih provinsi dari daftar", "daftar")];
const PLACE_Q = `Di mana hal ini terjadi? Ketik nama desa, kecamatan, kota/kabupaten, atau provinsinya (misalnya: Kab. Malang, atau Surabaya), atau kirim titik lokasi.
Kami perlu tahu supaya laporan sampai ke kantor yang tepat.`;
const CONFIRM = [opt("Ya, benar", "ya", "benar", ...YES), opt("Bukan, saya ketik ulang", "bukan", "tidak", ...NO)];
const AGE = [opt("Anak (di bawah 18 tahun)", "child"), opt("Dewasa (18 tahun ke atas)", "adult"), opt("Tidak tahu")];
const SEX = [opt("Perempuan", "wanita", "female"), opt("Laki-laki", "pria", "laki", "male")].concat([
  opt("Ada perempuan dan laki-laki", "campuran"),
  opt("Tidak tahu"),
]);
const VICTIMS = [
  opt("Satu orang", "satu", "1 orang"),
  opt("2 sampai 5 orang"),
  opt("Lebih dari 5 orang"),
  opt("Tidak tahu"),
];
const SKIP = [opt("Lewati", "skip")];
const CONTACT = [opt("Ya, lewat chat ini", "ya", ...YES), opt("Ya, di nomor lain", "nomor lain")].concat([
  opt("Tidak, saya ingin anonim", "tidak", "anonim", ...NO),
]);
const CONSENT = [opt("Ya, saya setuju", "ya", "setuju", ...YES), opt("Tidak", ...NO)];
const REVIEW = [opt("Kirim laporan", "kirim"), opt("Ubah jawaban", "ubah"), opt("Batalkan")];

// 38 provinces, plus the abbreviations people actually type.
const PROVINCES = ["Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi", "Sumatera Selatan"]
  .concat(["Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta", "Jawa Barat", "Banten", "Jawa Tengah"])
  .concat(["DI Yogyakarta", "Jawa Timur", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat"])
  .concat(["Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara"])
  .concat(["Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara", "Maluku"])
  .concat([
    "Maluku Utara",
    "Papua",
    "Papua Barat",
    "Papua Barat Daya",
    "Papua Selatan",
    "Papua Tengah",
    "Papua Pegunungan",
  ]);
const ALIASES = {
  nad: "Aceh",
  sumut: "Sumatera Utara",
  sumbar: "Sumatera Barat",
  kepri: "Kepulauan Riau",
  sumsel: "Sumatera Selatan",
  babel: "Kepulauan Bangka Belitung",
  "bangka belitung": "Kepulauan Bangka Belitung",
  dki: "DKI Jakarta",
  jakarta: "DKI Jakarta",
  jabar: "Jawa Barat",
  jateng: "Jawa Tengah",
  jatim: "Jawa Timur",
  diy: "DI Yogyakarta",
  yogyakarta: "DI Yogyakarta",
  jogja: "DI Yogyakarta",
  yogya: "DI Yogyakarta",
  ntb: "Nusa Tenggara Barat",
  ntt: "Nusa Tenggara Timur",
  kalbar: "Kalimantan Barat",
  kalteng: "Kalimantan Tengah",
  kalsel: "Kalimantan Selatan",
  kaltim: "Kalimantan Timur",
  kaltara: "Kalimantan Utara",
  sulut: "Sulawesi Utara",
  sulteng: "Sulawesi Tengah",
  sulbar: "Sulawesi Barat",
  sulsel: "Sulawesi Selatan",
  sultra: "Sulawesi Tenggara",
  malut: "Maluku Utara",
  pabar: "Papua Barat",
  pbd: "Papua Barat Daya",
};
for (const p of PROVINCES) ALIASES[p.toLowerCase()] = p;
const PROVINCE_OPTS = PROVINCES.map((p) => opt(p));

function resolveProvince(text) {
  const t = text
    .toLowerCase()
    .replace(/^(prov\.?|provinsi)\s*/, "")
    .replace(/[.,]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return ALIASES[t];
}

const officeFor = (place, a) => {
  if (place.abroad) return "KP2MI (Kementerian Pelindungan Pekerja Migran Indonesia)";
  if (!place.province) return "Kementerian PPPA (layanan SAPA 129)";
  const protectedVictim = a.age === AGE[0].label || a.sex === SEX[0].label || a.sex === SEX[2].label;
  return protectedVictim
    ? `UPTD PPA Provinsi ${place.province} (layanan perlindungan perempuan dan anak)`
    : `Dinas Sosial Provinsi ${place.province}`;
};

// ---- the dialogue --------------------------------------------------------------------------
/** Asks until the answer parses; "batal" ends the conversation. */
async function ask(conversation, ctx, text, options = [], parse = (a) => pick(a, options)) {
  const question = text + list(options);
  await ctx.reply(question);
  for (;;) {
    const answer = (await conversation.waitFor("message:text")).message.text.trim();
    if (answer.toLowerCase() === "batal") {
      await ctx.reply(CANCELLED);
      await conversation.halt();
    }
    const value = parse(answer);
    if (value !== undefined) return value;
    await ctx.reply(`${SORRY}\n\n${question}`);
  }
}

async function report(conversation, ctx) {
  let intro =
    "Terima kasih sudah mau melapor. Saya akan mengajukan beberapa pertanyaan singkat.\n" +
    "Sebagian besar boleh dilewati. Anda bisa berhenti kapan saja dengan mengetik batal.\n";
  for (;;) {
    const a = {};
    const danger = await ask(
      conversation,
      ctx,
      `${intro}Sebelum mulai: apakah ada orang yang dalam bahaya saat ini juga?`,
      DANGER,
    );
    a.urgent = DANGER[danger].label;
    const urgentNote = danger === 0 ? "Segera hubungi 112 atau SAPA 129 jika bisa. Kami lanjutkan laporannya.\n" : "";
    a.reporter = REPORTER[await ask(conversation, ctx, `${urgentNote}Siapa yang membuat laporan ini?`, REPORTER)].label;
    a.caseType =
      CASE_TYPES[
        await ask(conversation, ctx, "Apa yang sedang terjadi? Pilih yang paling mendekati.", CASE_TYPES)
      ].label;
    a.indicators = {};
    for (const [i, [name, q]] of INDICATORS.entries()) {
      const head = i === 0 ? "Beberapa pertanyaan singkat membantu petugas menilai kasusnya. Jawab sebisanya.\n" : "";
      const v = await ask(conversation, ctx, head + q, INDICATOR);
      if (v === 3) break;
      a.indicators[name] = INDICATOR[v].label.toLowerCase();
    }
    let place;
    while (!place) {
      const p = await ask(conversation, ctx, PLACE_Q, PLACE, (t) => pick(t, PLACE) ?? resolveProvince(t));
      if (p === 0) place = { abroad: true, label: "Di luar negeri" };
      else if (p === 1) place = { label: "Tidak tahu" };
      else {
        const province =
          typeof p === "string"
            ? p
            : PROVINCES[
                await ask(conversation, ctx, "Pilih provinsi:", PROVINCE_OPTS, (t) => {
                  const i = pick(t, PROVINCE_OPTS);
                  return i ?? (resolveProvince(t) ? PROVINCES.indexOf(resolveProvince(t)) : undefined);
                })
              ];
        if ((await ask(conversation, ctx, `Tempatnya: ${province}. Benar?`, CONFIRM)) === 0)
          place = { province, label: province };
      }
    }
    a.place = place.label;
    a.province = place.province ?? null;
    a.age = AGE[await ask(conversation, ctx, "Berapa usia korban?", AGE)].label;
    a.sex = SEX[await ask(conversation, ctx, "Apa jenis kelamin korban?", SEX)].label;
    a.victims = VICTIMS[await ask(conversation, ctx, "Berapa orang yang menjadi korban?", VICTIMS)].label;
    const story = await ask(
      conversation,
      ctx,
      "Ceritakan apa yang terjadi dengan kata-kata Anda sendiri: apa, kapan, di mana, dan siapa yang terlibat.\n" +
        "Tidak perlu menulis nama lengkap atau nomor KTP jika tidak mau. Pertanyaan ini boleh dilewati.",
      SKIP,
      (t) => pick(t, SKIP) ?? t,
    );
    a.story = story === 0 ? null : story;
    const contact = await ask(
      conversation,
      ctx,
      "Bolehkah petugas menghubungi Anda untuk menindaklanjuti laporan ini?\n" +
        "Jika memilih anonim, nomor atau akun Anda tidak akan diberikan kepada petugas.",
      CONTACT,
    );
    a.contact = CONTACT[contact].label;
    if (contact === 1)
      a.phone = await ask(conversation, ctx, "Ketik nomor yang bisa dihubungi:", [], (t) =>
        /^\+?[\d\s-]{6,}$/.test(t) ? t : undefined,
      );
    const office = officeFor(place, a);
    const consent = await ask(
      conversation,
      ctx,
      `Satu hal lagi. Bolehkah laporan ini kami teruskan ke ${office}?\n` +
        "Hanya petugas kantor itu yang membacanya, untuk menolong korban. Persetujuan ini bisa Anda tarik nanti.",
      CONSENT,
    );
    a.office = consent === 0 ? office : null;
    const signs =
      Object.entries(a.indicators)
        .map(([k, v]) => `${k}: ${v}`)
        .join("; ") || "dilewati";
    const summary = [
      "Mohon periksa jawaban Anda:",
      `• Mendesak: ${a.urgent}`,
      `• Pelapor: ${a.reporter}`,
      `• Yang terjadi: ${a.caseType}`,
      `• Tanda-tanda: ${signs}`,
      `• Tempat: ${a.place}`,
      `• Korban: ${a.age}, ${a.sex}, ${a.victims}`,
      `• Cerita: ${a.story ? `"${a.story}"` : "dilewati"}`,
      `• Kontak: ${a.contact}`,
      `• Dikirim ke: ${a.office ?? "tidak diteruskan (tanpa persetujuan)"}`,
      "Apakah sudah benar?",
    ].join("\n");
    const review = await ask(conversation, ctx, summary, REVIEW);
    if (review === 2) return ctx.reply(CANCELLED);
    if (review === 1) {
      intro = "Baik, kita ulangi dari awal.\n";
      continue;
    }
    // Side effects run once, outside the replay log.
    const receipt = await conversation.external(async (outer) => {
      const reference = newReference();
      const pin = String(randomInt(1_000_000)).padStart(6, "0");
      const salt = randomBytes(16);
      const hash = hashPin(pin, salt);
      const now = Date.now();
      insertReport.run(
        reference,
        outer.chat.id,
        `sha256:${salt.toString("hex")}:${hash.toString("hex")}`,
        a.office,
        JSON.stringify(a),
        now,
      );
      outer.session.reports = [...(outer.session.reports ?? []), reference];
      const deadline = new Intl.DateTimeFormat("id-ID", {
        timeZone: "Asia/Jakarta",
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
      }).format(new Date(now + 86_400_000));
      return { reference, pin, deadline };
    });
    const sent = a.office
      ? `Laporan Anda sudah kami kirim ke ${a.office}. Petugas di sana harus menerimanya dalam 24 jam, paling lambat ${receipt.deadline} WIB. Kalau belum juga diterima, laporan otomatis kami teruskan ke kantor lain yang bisa bertindak.`
      : "Laporan Anda kami simpan tanpa diteruskan ke kantor mana pun, sesuai pilihan Anda.";
    await ctx.reply(`Terima kasih, laporan Anda sudah kami terima.
Nomor laporan: ${receipt.reference}
PIN: ${receipt.pin}
Simpan nomor laporan dan PIN ini di tempat yang aman. Untuk cek perkembangan, ketik status lalu masukkan nomor laporan dan PIN. Siapa pun yang tahu keduanya bisa melihat statusnya, jadi jangan bagikan kepada orang lain.
Jika HP ini bisa dilihat orang lain, ketik hapus untuk menghapus percakapan ini.
${sent}`);
    await ctx.reply(
      `Kabar terbaru akan kami kirim ke chat ini, dan petugas bisa menghubungi Anda di sini. Anda juga bisa cek sendiri kapan saja: ketik status.\n${MENU}`,
    );
    return;
  }
}

// ---- bot -----------------------------------------------------------------------------------
const bot = new Bot(BOT_TOKEN, { client: { apiRoot: API_ROOT } });
bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
bot.use(
  session({ initial: () => ({}), storage: sqliteAdapter("sessions"), getSessionKey: (ctx) => ctx.chat?.id.toString() }),
);
bot.use(conversations({ storage: { type: "key", version: 1, adapter: sqliteAdapter("conversations") } }));
bot.use(createConversation(report, "report"));

bot.on("message:text", async (ctx) => {
  const text = ctx.message.text.trim().toLowerCase();
  if (["1", "lapor", "buat laporan"].includes(text)) return ctx.conversation.enter("report");
  if (["3", "laporan saya"].includes(text)) {
    const refs = ctx.session.reports ?? [];
    return ctx.reply(
      refs.length
        ? `Laporan Anda:\n${refs.map((r) => `• ${r}`).join("\n")}\n${MENU}`
        : `Belum ada laporan dari chat ini.\n${MENU}`,
    );
  }
  if (["4", "darurat", "nomor darurat"].includes(text)) {
    return ctx.reply(
      `Nomor darurat: polisi 112, SAPA 129 (perempuan dan anak), KP2MI 0800-1000 (luar negeri).\n${MENU}`,
    );
  }
  return ctx.reply(GREETING);
});

bot.catch((err) => console.error("update", err.ctx?.update?.update_id, err.error));

await bot.init();
const runner = run(bot);
console.log("ready");

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  if (runner.isRunning()) await runner.stop();
  db.close();
  process.exit(0);
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
