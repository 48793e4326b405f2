import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAT_REPORT_LINES } from "../support/report-lines.ts";
import { runNpm } from "../support/run-command.ts";
import { SimTerminal } from "../support/sim-terminal.ts";

/** A stand-in for Telegram's Bot API and WhatsApp Web that fails every call, and counts them. */
let api: Server;
let apiCalls = 0;
let apiUrl = "";
beforeAll(async () => {
  api = createServer((_request, response) => {
    apiCalls++;
    response.writeHead(500, { "content-type": "application/json" });
    response.end('{"ok":false,"error_code":500,"description":"this test fails every call"}');
  });
  api.on("upgrade", (_request, socket) => {
    apiCalls++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  apiUrl = `127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => api.close(() => resolve()));
});

/** The settings of a production server (its own keys, a public inbox address, alerts), pointed at the failing API. */
function productionSettings(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), "tppo-training-"));
  return {
    dir,
    env: {
      NODE_ENV: "production",
      DATA_DIR: dir,
      DATABASE_URL: `file:${path.join(dir, "bot.db")}`,
      DATA_KEYS: `k1:${randomBytes(32).toString("base64")}`,
      HMAC_KEYS: `h1:${randomBytes(32).toString("base64")}`,
      TELEGRAM_API_ROOT: `http://${apiUrl}`,
      WHATSAPP_WEB_SOCKET_URL: `ws://${apiUrl}/ws/chat`,
      ADMIN_ALERT_CHAT: "tg:-1001234567890",
      WEB_BASE_URL: "https://inbox.example.org",
      WEB_PORT: "0",
      TRAINING_WEB_PORT: "0",
      SQLITE_SYNCHRONOUS: "FULL",
      TRAINING_DATA_DIR: path.join(dir, "training"),
    },
  };
}

/** The bytes of every file of the real data directory (the training directory aside), by name. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name === "training" || !statSync(file).isFile()) continue;
    files[name] = createHash("sha256").update(readFileSync(file)).digest("hex");
  }
  return files;
}

describe("npm run training", () => {
  it("plays a scenario end to end on production settings: the real database stays byte-identical, nothing reaches the API, and the trainee and the trainer get the score", async () => {
    const { dir, env } = productionSettings();
    // The real bot's database holds a real report (filed as a person would, in the simulator).
    const real = await runNpm("chat", ["--user", "warga"], `${CHAT_REPORT_LINES("Kakak saya ditahan.").join("\n")}\n`, {
      ...env,
      WEB_ENABLED: "false",
    });
    const realReference = /Nomor laporan: (\S+)/.exec(real.stdout)?.[1] as string;
    expect(realReference, real.stderr).toBeTruthy();
    const before = snapshot(dir);
    expect(Object.keys(before)).toContain("bot.db");
    apiCalls = 0;

    const trainee = await SimTerminal.run(
      "ani",
      ["dist/src/training/training-cli.js", "--trainee", "ani", "--scenario", "nunukan-anak"],
      env,
      '"event":"training.started"',
      120_000,
    );
    const reference = (await trainee.waitFor(/Nomor: (\S{4}-\S{4}-\S{4})/))[1] as string;
    expect(reference).not.toBe(realReference);
    let from = trainee.output.length;
    trainee.send("/terima");
    await trainee.waitFor(/diterima oleh ani/, from);
    trainee.send(`/detail ${reference}`);
    await trainee.waitFor(/Detail laporan/, from);
    trainee.send(`/balas ${reference} Kami sudah menerima laporan Anda. Petugas kami menjemput anak itu hari ini.`);
    await trainee.waitFor(/sudah dikirim ke pelapor/, from);
    from = trainee.output.length;
    trainee.send(
      `/layanan ${reference} rumah aman`,
      `/layanan ${reference} kesehatan`,
      `/layanan ${reference} pemulangan`,
    );
    await trainee.waitFor(/Pemulangan \(perjalanan\)" \(Pemulangan\) untuk kasus \S+ tercatat/, from);
    trainee.send("/skor");
    await trainee.waitFor(/Nilai latihan · Anak dari Nunukan, dipulangkan dari Malaysia: 4 dari 4/, from);
    expect(await trainee.stop()).toBe(0);

    // Every message the trainee saw carries the banner.
    const messages = trainee.output.split(/\n\n/).filter((block) => block.trim() !== "");
    expect(messages.length).toBeGreaterThan(8);
    for (const message of messages) expect(message.startsWith("[MODE LATIHAN]\n"), message).toBe(true);
    expect(trainee.output.match(/4 dari 4/g)).toHaveLength(2);
    expect(trainee.errors).toContain("Training web inbox (MODE LATIHAN)");

    expect(snapshot(dir)).toEqual(before);
    expect(apiCalls).toBe(0);
    expect(existsSync(path.join(dir, "training", "ani--nunukan-anak.db"))).toBe(true);

    const scores = await runNpm("training", ["scores", "--json"], "", env);
    expect(scores.code, scores.stderr).toBe(0);
    expect(JSON.parse(scores.stdout)).toEqual({
      rows: [expect.objectContaining({ trainee: "ani", scenario: "nunukan-anak", attempts: 1, latest: 4, total: 4 })],
    });

    // The real lists, figures and exports know nothing of the training case.
    const listed = JSON.parse((await runNpm("admin", ["cases", "--json"], "", env)).stdout) as Array<{
      reference: string;
    }>;
    expect(listed.map((c) => c.reference)).toEqual([realReference]);
    const month = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
    const kaltara = await runNpm("admin", ["stats", "--month", month, "--office", "UPTDPPA-65", "--json"], "", env);
    expect(JSON.parse(kaltara.stdout)).toMatchObject({ newReports: 0 });
    const exported = await runNpm("admin", ["export", "anonymised"], "", env);
    expect(exported.stderr).toContain("1 cases:");
    expect(apiCalls).toBe(0);
  });

  it("refuses to start with a real channel's settings, and touches nothing", async () => {
    const { dir, env } = productionSettings();
    apiCalls = 0;
    const telegram = await runNpm("training", ["--trainee", "ani", "--scenario", "pin-darurat"], "", {
      ...env,
      TELEGRAM_BOT_TOKEN: "123456789:AAE-this-is-not-a-real-token",
    });
    expect(telegram.code).toBe(2);
    expect(telegram.stderr).toContain("Training mode refuses to start: TELEGRAM_BOT_TOKEN is set");
    const whatsapp = await runNpm("training", ["scores"], "", { ...env, WHATSAPP_ENABLED: "true" });
    expect(whatsapp.code).toBe(2);
    expect(whatsapp.stderr).toContain("WHATSAPP_ENABLED=true is set");
    expect(readdirSync(dir)).toEqual([]);
    expect(apiCalls).toBe(0);
  });

  it("says what is wrong with a bad command line, and lists the scenarios", async () => {
    const { env } = productionSettings();
    const unknown = await runNpm("training", ["--trainee", "ani", "--scenario", "kapal"], "", env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--scenario: expected one of nunukan-anak, nelayan-luar-negeri, pin-darurat");
    const listed = await runNpm("training", ["scenarios", "--lang", "en"], "", env);
    expect(listed.stdout).toContain("pin-darurat\tA domestic worker with a duress PIN");
  });
});
