import path from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { freshDataDir, messagesOf, runNpm } from "../support/run-command.ts";

const ID_REPORT = [
  "halo",
  "1",
  "tidak",
  "2",
  "4",
  "1",
  "2",
  "3",
  "1",
  "Kalimantan Barat",
  "ya",
  "1",
  "1",
  "1",
  "Adik saya dibawa ke Pontianak dan tidak boleh pulang.",
  "1",
  "1",
  "1",
];

const EN_REPORT = [
  "hello",
  "report",
  "no",
  "friend of the victim",
  "sexual exploitation",
  "skip these questions",
  "abroad",
  "Hong Kong",
  "east java",
  "adult",
  "female",
  "one person",
  "My friend went to Hong Kong for a job and now she is not allowed to leave the house.",
  "no, i want to stay anonymous",
  "yes, i agree",
  "send the report",
];

describe("npm start with no channel configured", () => {
  it("runs the terminal simulator: a complete report in Indonesian, bot messages only on stdout", async () => {
    const { env } = freshDataDir();
    const result = await runNpm("start", [], `${ID_REPORT.join("\n")}\n`, env);
    expect(result.code).toBe(0);
    const messages = messagesOf(result.stdout);
    expect(messages[0]?.text).toMatch(/^Halo, terima kasih sudah menghubungi kami\./);
    expect(messages[0]?.choices[0]).toBe("Buat laporan");
    expect(result.stdout).toMatch(/Nomor laporan: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\nPIN: \d{6}\n/);
    expect(result.stdout).toContain("\n  1) Buat laporan\n");
    expect(result.stdout).not.toContain('"level"');
    expect(result.stderr).toContain('"event":"keys.embedded"');
    expect(result.stderr).toContain('"event":"db.migration_applied"');
    expect(result.stdout.endsWith("\n\n")).toBe(true);

    const listing = await runNpm("admin", ["cases", "--json"], "", env);
    expect(listing.code).toBe(0);
    const cases = JSON.parse(listing.stdout) as Array<Record<string, unknown>>;
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      status: "ROUTED",
      assistanceStage: null,
      urgency: "NORMAL",
      category: "CHILD_EXPLOITATION",
      provinceCode: "61",
      regencyCode: null,
      country: null,
      officeCode: "UPTDPPA-61",
      copiedTo: [],
      language: "id",
    });
    expect(String(cases[0]?.reference)).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(new Date(String(cases[0]?.createdAt)).toISOString()).toBe(cases[0]?.createdAt);
    expect(listing.stdout).not.toContain("Pontianak");
  });
});

describe("npm run chat", () => {
  it("makes a complete report in English as term:<user>, and lists it in the admin table", async () => {
    const { env } = freshDataDir();
    const result = await runNpm("chat", ["--user", "bob", "--lang", "en"], `${EN_REPORT.join("\n")}\n`, env);
    expect(result.code).toBe(0);
    expect(messagesOf(result.stdout)[0]?.text).toMatch(/^Hello, thank you for contacting us\./);
    expect(result.stdout).toMatch(/Reference: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\nPIN: \d{6}\n/);
    expect(result.stdout).toContain("Abroad: Hong Kong (victim from Jawa Timur)");
    expect(result.stdout).toContain("Because you chose to stay anonymous, staff cannot reply to you");

    const json = JSON.parse((await runNpm("admin", ["cases", "list", "--json"], "", env)).stdout);
    expect(json[0]).toMatchObject({
      country: "HK",
      provinceCode: null,
      homeProvinceCode: "35",
      language: "en",
      officeCode: "KP2MI",
      copiedTo: ["DINSOS-35"],
    });
    const table = await runNpm("admin", ["cases"], "", env);
    expect(table.stdout).toContain("abroad:HK");
    expect(table.stdout).toContain("1 case(s)");
  });

  it("resumes a conversation in a new process, and answers by number after the restart", async () => {
    const { env } = freshDataDir();
    const first = await runNpm("chat", ["--user", "carol"], `${ID_REPORT.slice(0, 6).join("\n")}\n`, env);
    expect(messagesOf(first.stdout).at(-1)?.text).toContain("bebas pergi");
    const second = await runNpm("chat", ["--user", "carol"], `${ID_REPORT.slice(6).join("\n")}\n`, env);
    expect(second.code).toBe(0);
    expect(messagesOf(second.stdout)[0]?.text).toContain("utang");
    expect(second.stdout).toContain("Nomor laporan:");
    expect(second.stdout).toContain("Tanda-tanda: dokumen ditahan: ya; bebas pergi: tidak; terjerat utang: tidak tahu");
  });

  it("prints what is waiting for the identity before reading input, then exits at end of input", async () => {
    const { dir, env } = freshDataDir();
    const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: env.DATABASE_URL });
    const app = await createApp(config, createLogger("silent"));
    const identity = await app.identities.resolve("term:dina", new Date());
    await app.database.prisma.$transaction([
      app.outbox.enqueueWrite(
        identity.id,
        "term",
        [{ text: "Pesan yang menunggu", choices: [{ id: "a", label: "Pilihan A" }] }],
        new Date(),
      )(app.database.prisma),
    ]);
    await app.close();
    const result = await runNpm("chat", ["--user", "dina"], "", env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Pesan yang menunggu\n  1) Pilihan A\n\n");
    const again = await runNpm("chat", ["--user", "dina"], "", env);
    expect(again.stdout).toBe("");
  });

  it("shares a location pin with /loc", async () => {
    const { env } = freshDataDir();
    const result = await runNpm("chat", ["--user", "eko"], "lapor\nya\n/loc -0.03 109.33\n", env);
    expect(messagesOf(result.stdout).at(-1)?.text).toMatch(/Tempatnya: .*Kalimantan Barat\. Benar\?/);
  });

  it("names a bad setting on stderr and prints nothing on stdout", async () => {
    const { env } = freshDataDir();
    const result = await runNpm("chat", ["--user", "x"], "halo\n", { ...env, MAX_REPORTS_PER_DAY: "many" });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("MAX_REPORTS_PER_DAY: expected a whole number from 1 to 1000");
    const badUser = await runNpm("chat", ["--user", "not a name"], "", env);
    expect(badUser.code).toBe(2);
    expect(badUser.stderr).toContain("--user");
  });

  it("keeps the database where DATABASE_URL says, relative to the working directory", async () => {
    const { dir } = freshDataDir();
    const relative = path.relative(process.cwd(), path.join(dir, "elsewhere.db"));
    const result = await runNpm("chat", ["--user", "fay"], "halo\n", {
      DATA_DIR: dir,
      DATABASE_URL: `file:${relative}`,
    });
    expect(result.code).toBe(0);
    const listing = await runNpm("admin", ["cases", "--json"], "", {
      DATA_DIR: dir,
      DATABASE_URL: `file:${path.join(dir, "elsewhere.db")}`,
    });
    expect(JSON.parse(listing.stdout)).toEqual([]);
  });
});

describe("npm run bench", () => {
  it("prints one JSON object with the intake, caseload and race figures", async () => {
    const result = await runNpm(
      "bench",
      [
        "--json",
        "--reports",
        "8",
        "--users",
        "4",
        "--messages",
        "20",
        "--race-users",
        "2",
        "--race-rounds",
        "1",
        "--cases",
        "2000",
        "--conversations",
        "200",
      ],
      "",
      {},
      240_000,
    );
    expect(result.code).toBe(0);
    const figures = JSON.parse(result.stdout) as Record<string, { value: number; unit: string }>;
    for (const key of [
      "intake_steps_per_s",
      "intake_p50_ms",
      "intake_p99_ms",
      "raw_sqlite_steps_per_s",
      "intake_to_raw_ratio",
      "resolver_median_ms",
      "resolver_p99_ms",
      "gps_median_ms",
      "gps_p99_ms",
      "telegram_updates_per_s",
      "telegram_echo_updates_per_s",
      "telegram_ratio",
      "dispatch_msgs_per_s",
      "dispatch_limit_violations",
      "race_ours_updates_per_s",
      "race_peer_updates_per_s",
      "race_throughput_ratio",
      "race_ours_p99_ms",
      "race_peer_p99_ms",
      "race_ours_cpu_ms_per_update",
      "race_peer_cpu_ms_per_update",
      "race_ours_peak_rss_mb",
      "race_peer_peak_rss_mb",
      "start_to_first_poll_ms",
      "status_lookup_p99_ms",
      "case_list_first_page_p99_ms",
      "admin_cases_json_peak_rss_mb",
      "admin_cases_json_rss_growth_mb",
      "admin_cases_json_peak_rss_mb_half",
      "open_conversations_kept_mb",
    ]) {
      expect(typeof figures[key]?.value, key).toBe("number");
      expect(typeof figures[key]?.unit, key).toBe("string");
    }
    expect(figures.intake_steps_per_s?.value).toBeGreaterThan(0);
    expect(figures.dispatch_limit_violations?.value).toBe(0);
    // Both bots answered every line of every walk (the race fails otherwise) and were measured.
    expect(figures.race_updates?.value).toBe(2 * 18);
    expect(figures.race_ours_updates_per_s?.value).toBeGreaterThan(0);
    expect(figures.race_peer_updates_per_s?.value).toBeGreaterThan(0);
    expect(figures.race_ours_peak_rss_mb?.value).toBeGreaterThan(20);
    expect(figures.start_to_first_poll_ms?.value).toBeGreaterThan(0);
    // The caseload was stored and listed whole (the bench fails otherwise), and measured.
    expect(figures.caseload_cases?.value).toBe(2000);
    expect(figures.open_conversations?.value).toBe(200);
    expect(figures.status_lookup_p99_ms?.value).toBeGreaterThan(0);
    expect(figures.admin_cases_json_peak_rss_mb?.value).toBeGreaterThan(20);
    expect(figures.intake_to_raw_ratio?.value).toBeCloseTo(
      (figures.intake_steps_per_s?.value ?? 0) / (figures.raw_sqlite_steps_per_s?.value ?? 1),
      2,
    );
  });
});
