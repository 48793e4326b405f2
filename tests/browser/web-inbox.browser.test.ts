/**
 * The staff web inbox in a real browser (Debian's chromium driven by playwright-core), against
 * the bundled bot run as terminal simulators on one SQLite database: staff log in with a link
 * from their chat, work a case a simulated reporter just filed, and the reporter's terminal
 * receives the news. Every page is scanned with axe-core in both languages.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDataDir, REPO_ROOT, runNpm } from "../support/run-command.ts";
import { SimTerminal } from "../support/sim-terminal.ts";
import { REPORT_KIND_LINES } from "../support/staff-world.ts";

/** Screenshots for people to look at (CI keeps them as artifacts); git ignores the folder. */
const SHOTS = path.join(REPO_ROOT, "tests", "output", "web");
const AXE_SOURCE: string = (createRequire(import.meta.url)("axe-core") as { source: string }).source;
const LINK = /(http:\/\/127\.0\.0\.1:\d+\/masuk\/[A-Za-z0-9_-]{43})/;
const REFERENCE = /Nomor laporan: ([0-9A-Z-]{14})/;

let browser: Browser;
let dataDir: string;
let env: Record<string, string>;
let ani: SimTerminal;
let budi: SimTerminal;
let siti: SimTerminal;
let sri: SimTerminal;
let reference: string;
/** Where the training mode's inbox listens (the real inbox links to it). */
let trainingPort: number;
/** A second case that stays open (the first is closed by the first test). */
let openReference: string;
const terminals: SimTerminal[] = [];
const scanned: Array<{ page: string; language: string; violations: number }> = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function addStaff(name: string, office: string, role = "agent"): Promise<string> {
  const added = await runNpm("admin", ["staff", "add", "--name", name, "--office", office, "--role", role], "", env);
  expect(added.code, added.stderr).toBe(0);
  return /\/staff (\S+)/.exec(added.stdout)?.[1] as string;
}

/** Asks for a login link in a staff terminal, as a staff member types /masuk. */
async function linkFrom(terminal: SimTerminal, command = "/masuk"): Promise<string> {
  const from = terminal.output.length;
  terminal.send(command);
  return (await terminal.waitFor(LINK, from))[1] as string;
}

/** Runs axe-core on the page as it stands; the page's own CSP does not apply to the test's script. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')) })))",
  )) as Array<{ id: string; impact: string; nodes: string[] }>;
  const language = (await page.locator("html").getAttribute("lang")) ?? "";
  scanned.push({ page: name, language, violations: result.length });
  expect(result, `${name} (${language})`).toEqual([]);
}

async function newContext(options: { width?: number; height?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    locale: "id-ID",
  });
  return context;
}

/** Opens a login link and presses the button, as a person does. */
async function logIn(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByRole("button", { name: /^(Masuk|Log in)$/ }).click();
  await page.waitForURL(/\/kotak/);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const fresh = freshDataDir();
  dataDir = fresh.dir;
  const port = await freePort();
  // Every terminal names the same inbox address; the first to start serves it, the others find the port taken.
  trainingPort = await freePort();
  env = { ...fresh.env, WEB_PORT: String(port), TRAINING_WEB_PORT: String(trainingPort) };
  const aniCode = await addStaff("Ani", "UPTDPPA-35");
  const budiCode = await addStaff("Budi", "DINSOS-32");
  const sriCode = await addStaff("Sri", "UPTDPPA-35", "supervisor");
  const destination = await runNpm("admin", ["offices", "set-destination", "UPTDPPA-35", "--staff-chats"], "", env);
  expect(destination.code, destination.stderr).toBe(0);
  ani = await SimTerminal.start("ani", env);
  terminals.push(ani);
  await ani.waitForError(/Staff web inbox: http:\/\/127\.0\.0\.1:\d+/);
  budi = await SimTerminal.start("budi", env);
  siti = await SimTerminal.start("siti", { ...env, WEB_ENABLED: "false" });
  sri = await SimTerminal.start("sri", env);
  terminals.push(budi, siti, sri);
  sri.send(`/staff ${sriCode}`);
  await sri.waitFor(/Selamat datang, Sri/);
  ani.send(`/staff ${aniCode}`);
  await ani.waitFor(/Selamat datang, Ani/);
  budi.send(`/staff ${budiCode}`);
  await budi.waitFor(/Selamat datang, Budi/);
  siti.send(...(REPORT_KIND_LINES.child as string[]));
  reference = (await siti.waitFor(REFERENCE))[1] as string;
  const from = siti.output.length;
  siti.send(...(REPORT_KIND_LINES.child as string[]));
  openReference = (await siti.waitFor(REFERENCE, from))[1] as string;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking"],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const terminal of terminals) await terminal.stop().catch(() => {});
  if (scanned.length > 0) process.stderr.write(`axe-core scans: ${JSON.stringify(scanned)}\n`);
});

describe("the staff web inbox in chromium", () => {
  it("logs in with the chat's link, works the new case to closing, and the reporter's terminal hears of it", async () => {
    const context = await newContext();
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") cspErrors.push(message.text());
    });
    const link = await linkFrom(ani);
    await page.goto(link);
    await expectAccessible(page, "login");
    await page.getByRole("button", { name: "Masuk" }).click();
    await page.waitForURL(/\/kotak/);
    await expectAccessible(page, "inbox");

    await page.getByRole("link", { name: "Belum diterima" }).click();
    const row = page.getByRole("link", { name: reference });
    await expect.poll(() => row.count()).toBe(1);
    await expectAccessible(page, "inbox unassigned");
    await page.screenshot({ path: path.join(SHOTS, "inbox.png"), fullPage: true });

    await row.click();
    await page.waitForURL(new RegExp(`/kasus/${reference}$`));
    await expectAccessible(page, "case");
    await page.getByRole("button", { name: "Tampilkan isi laporan" }).click();
    await expect.poll(() => page.locator(".story").textContent()).toContain("Cerita.");

    await page.getByRole("button", { name: "Terima kasus" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("diterima oleh Ani");
    await page.getByLabel("Catatan internal").fill("Keluarga sudah ditelepon.");
    await page.getByRole("button", { name: "Simpan catatan" }).click();
    await expect.poll(() => page.locator("ol.timeline").textContent()).toContain("Keluarga sudah ditelepon.");
    await page.getByLabel("Pesan ke pelapor").fill("Kami akan menghubungi Anda besok pagi.");
    await page.getByRole("button", { name: "Kirim ke pelapor" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain(reference);
    for (const status of ["ASSESSMENT", "ASSISTANCE:RECOVERY"]) {
      await page.getByLabel("Status baru").selectOption(status);
      await page.getByRole("button", { name: "Ubah status" }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toContain(reference);
    }
    await expect.poll(() => page.locator("dl.facts").textContent()).toContain("Pemulihan");
    await page.screenshot({ path: path.join(SHOTS, "case.png"), fullPage: true });

    await page.getByLabel("Hasil akhir").selectOption("ASSISTED");
    await page.getByRole("button", { name: "Tutup kasus…" }).click();
    await expectAccessible(page, "case close confirmation");
    await page.getByRole("button", { name: "Ya, tutup kasus" }).click();
    await expect.poll(() => page.locator("dl.facts").textContent()).toContain("Ditutup");

    // The reporter's terminal prints what waited for it when the reporter next writes.
    const from = siti.output.length;
    siti.send("bantuan");
    await siti.waitFor(/Kami akan menghubungi Anda besok pagi\./, 0);
    await siti.waitFor(/\n\n/, from);
    expect(siti.output).toContain(reference);
    // The chat heard of the login.
    ani.send("/kasus");
    await ani.waitFor(/login baru ke kotak masuk web/i);
    expect(cspErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await context.close();
  }, 240_000);

  it("refuses a used link and an expired one, and gives another office's staff a 404 that is audited", async () => {
    const context = await newContext();
    const page = await context.newPage();
    const used = await linkFrom(budi);
    await logIn(page, used);
    const response = await page.goto(`/kasus/${reference}`.replace(/^/, new URL(used).origin));
    expect(response?.status()).toBe(404);
    expect(await page.textContent("main")).toContain("Kasus tidak ditemukan");
    await expectAccessible(page, "not found");
    const db = new Database(path.join(dataDir, "bot.db"), { readonly: true });
    const refused = db
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.view.refused' AND detail LIKE ?")
      .get(`%${reference}%`) as { n: number };
    db.close();
    expect(refused.n).toBe(1);

    const again = await page.goto(used);
    expect(again?.status()).toBe(410);
    expect(await page.textContent("main")).toContain("sudah dipakai");
    await expectAccessible(page, "used link");

    // Ten minutes pass for a link nobody opened (its expiry moved back in the database).
    const stale = await linkFrom(budi);
    const write = new Database(path.join(dataDir, "bot.db"));
    write.prepare("UPDATE web_login_links SET expiresAt = ? WHERE usedAt IS NULL").run("2020-01-01T00:00:00.000+00:00");
    write.close();
    const expired = await page.goto(stale);
    expect(expired?.status()).toBe(410);
    expect(await page.textContent("main")).toContain("kedaluwarsa");
    await context.close();
  }, 120_000);

  it("can be worked with the keyboard alone", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(await linkFrom(ani));
    const tabTo = async (matches: string) => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(matches)}) ?? false`)) return;
      }
      throw new Error(`Tab never reached ${matches}`);
    };
    await tabTo("button[type=submit]");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/kotak/);
    await tabTo('a[href="/kotak?tab=all"]');
    await page.keyboard.press("Enter");
    await page.waitForURL(/tab=all/);
    await tabTo(`a[href="/kasus/${openReference}"]`);
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/kasus/${openReference}$`));
    await tabTo("#note-text");
    await page.keyboard.type("Dicatat dengan papan ketik.");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("ol.timeline").textContent()).toContain("Dicatat dengan papan ketik.");
    await page.getByRole("button", { name: "Keluar" }).click();
    await page.waitForURL(/\/keluar$/);
    expect(await page.textContent("main")).toContain("Anda sudah keluar");
    await expectAccessible(page, "logged out");
    await context.close();
  }, 120_000);

  it("fits a 360-pixel phone screen, and every page passes axe-core in English too", async () => {
    const phone = await newContext({ width: 360, height: 740 });
    const page = await phone.newPage();
    await logIn(page, await linkFrom(ani));
    await page.goto(`${new URL(page.url()).origin}/kotak?tab=all`);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    expect(await page.getByRole("link", { name: openReference }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, "inbox-phone.png"), fullPage: true });
    await expectAccessible(page, "inbox on a phone");
    await phone.close();

    const context = await newContext();
    const english = await context.newPage();
    const link = await linkFrom(ani, "/login");
    await english.goto(`${link}?lang=en`);
    await expectAccessible(english, "login");
    await english.getByRole("button", { name: "Log in" }).click();
    await english.waitForURL(/\/kotak/);
    await expectAccessible(english, "inbox");
    await english.getByRole("link", { name: "All", exact: true }).click();
    await english.getByRole("link", { name: openReference }).click();
    await expectAccessible(english, "case");
    await english.getByRole("button", { name: "Show the report" }).click();
    await expectAccessible(english, "case with the report");
    await english.getByLabel("Outcome").selectOption("DUPLICATE");
    await english.getByRole("button", { name: "Close the case…" }).click();
    await expectAccessible(english, "case close confirmation");
    await english.getByRole("link", { name: "Cancel" }).click();
    await english.goto(`${new URL(english.url()).origin}/kasus/AAAA-BBBB-CCCC`);
    await expectAccessible(english, "not found");
    await english.goto(`${new URL(english.url()).origin}/kotak`);
    await english.getByRole("button", { name: "Log out" }).click();
    await english.waitForURL(/\/keluar$/);
    expect(await english.textContent("main")).toContain("You have logged out");
    await expectAccessible(english, "logged out");
    const used = await english.goto(link);
    expect(used?.status()).toBe(410);
    await expectAccessible(english, "used link");
    await context.close();
  }, 120_000);

  it("shows a supervisor the overview and the audit log, accessible in both languages", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, await linkFrom(sri));
    await page.getByRole("link", { name: "Ringkasan" }).click();
    await page.waitForURL(/\/ringkasan/);
    expect(await page.textContent("main")).toContain("UPTDPPA-35");
    await expectAccessible(page, "overview");
    await page.getByRole("link", { name: "Log audit" }).click();
    await page.waitForURL(/\/audit/);
    expect(await page.textContent("main")).toContain("case.accept");
    await expectAccessible(page, "audit");
    const origin = new URL(page.url()).origin;
    await page.goto(`${origin}/ringkasan?lang=en`);
    await expectAccessible(page, "overview");
    await page.goto(`${origin}/audit?action=case.`);
    await expectAccessible(page, "audit");
    await page.screenshot({ path: path.join(SHOTS, "audit.png"), fullPage: true });
    await context.close();
  }, 120_000);

  it("lists the partner services by place and service, accessible in both languages", async () => {
    const imported = await runNpm(
      "admin",
      ["providers", "import", path.join(REPO_ROOT, "tests/fixtures/providers/fictional-providers.csv")],
      "",
      env,
    );
    expect(imported.code, imported.stderr).toBe(0);
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, await linkFrom(ani));
    await page.getByRole("link", { name: "Mitra layanan" }).click();
    await page.waitForURL(/\/mitra/);
    await page.getByLabel("Wilayah (provinsi atau kabupaten/kota)").fill("mataram");
    await page.getByLabel("Layanan", { exact: true }).selectOption("LEGAL_AID");
    await page.getByRole("button", { name: "Saring" }).click();
    await page.waitForURL(/place=mataram/);
    expect(await page.textContent("main")).toContain("LBH Fiktif Mataram");
    expect(await page.textContent("main")).not.toContain("Rumah Aman Fiktif");
    await expectAccessible(page, "partners");
    await page.goto(`${new URL(page.url()).origin}/mitra?lang=en`);
    expect(await page.textContent("main")).toContain("Due for review (since 2026-06-01)");
    await expectAccessible(page, "partners");
    await page.screenshot({ path: path.join(SHOTS, "partners.png"), fullPage: true });

    // The office refers its open case to a partner serving Jawa Timur, from the case page.
    await page.goto(`${new URL(page.url()).origin}/kasus/${openReference}?lang=id`);
    await page.getByLabel("Penyatuan keluarga").check();
    await page.getByLabel("Orang tua/wali, lewat telepon").check();
    await page.getByRole("button", { name: "Kirim rujukan" }).click();
    await page.waitForURL(new RegExp(`/kasus/${openReference}`));
    expect(await page.textContent("main")).toContain("menunggu jawaban");
    await expectAccessible(page, "case with a referral");
    await page.locator("#referrals-title").scrollIntoViewIfNeeded();
    await page
      .locator("section[aria-labelledby=referrals-title]")
      .screenshot({ path: path.join(SHOTS, "case-referral.png") });

    // The partner's staff member logs in from their own chat and accepts it on their page.
    const partnerCode = await runNpm("admin", ["staff", "add", "--name", "Ida", "--provider", "IOM-FIKTIF"], "", env);
    expect(partnerCode.code, partnerCode.stderr).toBe(0);
    const ida = await SimTerminal.start("ida", env);
    terminals.push(ida);
    ida.send(`/staff ${/\/staff (\S+)/.exec(partnerCode.stdout)?.[1] ?? ""}`);
    await ida.waitFor(/Selamat datang, Ida/);
    const partnerContext = await newContext();
    const partnerPage = await partnerContext.newPage();
    await partnerPage.goto(await linkFrom(ida));
    await partnerPage.getByRole("button", { name: "Masuk" }).click();
    await partnerPage.waitForURL(/\/rujukan/);
    expect(await partnerPage.textContent("main")).not.toContain(openReference);
    await expectAccessible(partnerPage, "partner referrals");
    await partnerPage.getByRole("button", { name: "Terima rujukan" }).click();
    await partnerPage.waitForURL(/\/rujukan\/.*\/aksi/);
    expect(await partnerPage.textContent("main")).toContain("Cerita.");
    await expectAccessible(partnerPage, "partner referral accepted");
    await partnerPage.goto(`${new URL(partnerPage.url()).origin}/rujukan?lang=en`);
    await expectAccessible(partnerPage, "partner referrals");
    await partnerPage.screenshot({ path: path.join(SHOTS, "referrals.png"), fullPage: true });
    await partnerContext.close();
    await context.close();
  }, 180_000);

  it("lets national staff import the partner directory from a file: a refused file lists its problems, a good one is taken; accessible in both languages", async () => {
    const nadia = await SimTerminal.start("nadia", env);
    terminals.push(nadia);
    nadia.send(`/staff ${await addStaff("Nadia", "SAPA129", "national")}`);
    await nadia.waitFor(/Selamat datang, Nadia/);
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, await linkFrom(nadia));
    await page.goto(`${new URL(page.url()).origin}/mitra?lang=id`);
    const form = page.locator("form.import");
    expect(await form.getByLabel("Impor direktori dari berkas CSV").isVisible()).toBe(true);
    await expectAccessible(page, "partners (national, import form)");

    await form.getByLabel("Impor direktori dari berkas CSV").setInputFiles({
      name: "mitra.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("code,name,kind\nX,,NGO_SHELTER\n"),
    });
    await form.getByRole("button", { name: "Impor CSV" }).click();
    await page.waitForLoadState();
    expect(await page.locator("[role=alert]").first().textContent()).toContain("Tidak ada yang diimpor");
    await expectAccessible(page, "partners import refused");

    const good = readFileSync(path.join(REPO_ROOT, "tests/fixtures/providers/fictional-providers.csv"));
    await page.locator("form.import").getByLabel("Impor direktori dari berkas CSV").setInputFiles({
      name: "mitra.csv",
      mimeType: "text/csv",
      buffer: good,
    });
    await page.locator("form.import").getByRole("button", { name: "Impor CSV" }).click();
    await page.waitForURL(/\/mitra/);
    expect(await page.locator("[role=status]").first().textContent()).toMatch(
      /Direktori diimpor: \d+ mitra ditambahkan, \d+ diperbarui\./,
    );
    await expectAccessible(page, "partners imported");
    await page.goto(`${new URL(page.url()).origin}/mitra?lang=en`);
    await expectAccessible(page, "partners (national, import form)");
    await context.close();
  }, 120_000);

  it("shows a supervisor the month's figures and lets them download the office's cases, accessible in both languages", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, await linkFrom(sri));
    await page.getByRole("link", { name: "Statistik" }).click();
    await page.waitForURL(/\/statistik/);
    // The reports of this run were made this month (WIB).
    const month = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
    await page.getByLabel("Bulan", { exact: true }).fill(month);
    await page.getByRole("button", { name: "Tampilkan" }).click();
    await page.waitForURL(new RegExp(`month=${month}`));
    expect(await page.textContent("main")).toContain("Laporan baru per kategori");
    expect(await page.locator("svg[role=img] rect").count()).toBeGreaterThan(0);
    await expectAccessible(page, "statistics");
    await page.goto(`${new URL(page.url()).origin}/statistik?month=${month}&lang=en`);
    await expectAccessible(page, "statistics");
    await page.screenshot({ path: path.join(SHOTS, "statistics.png"), fullPage: true });

    // The same fresh session downloads the office's cases (one login: the link limiter counts every test's).
    await page.goto(`${new URL(page.url()).origin}/kotak?lang=id`);
    await page.getByRole("link", { name: "Ekspor kasus" }).click();
    await page.waitForURL(/\/ekspor/);
    expect(await page.textContent("main")).toContain("keluar dari aturan retensi");
    await expectAccessible(page, "export");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: /Unduh CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("kasus-UPTDPPA-35.csv");
    const file = await download.path();
    const csv = readFileSync(file, "utf8");
    expect(csv.split("\n")[0]).toMatch(/^case_reference,reported_on,/);
    expect(csv.trimEnd().split("\n").length).toBeGreaterThan(1);
    await page.goto(`${new URL(page.url()).origin}/ekspor?lang=en`);
    await expectAccessible(page, "export");
    await page.screenshot({ path: path.join(SHOTS, "export.png"), fullPage: true });
    await context.close();
  }, 120_000);

  it("runs the training inbox apart: linked from the real inbox, MODE LATIHAN on every page, its own session beside the real one, accessible in both languages", async () => {
    const trainee = await SimTerminal.run(
      "latih",
      ["dist/src/training/training-cli.js", "--trainee", "latih", "--scenario", "nunukan-anak"],
      env,
      '"event":"training.started"',
      120_000,
    );
    terminals.push(trainee);
    await trainee.waitForError(
      new RegExp(`Training web inbox \\(MODE LATIHAN\\): http://127\\.0\\.0\\.1:${trainingPort}`),
    );
    const trainingCase = (await trainee.waitFor(/Nomor: (\S{4}-\S{4}-\S{4})/))[1] as string;
    trainee.send("/terima");
    await trainee.waitFor(/diterima oleh latih/);

    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, await linkFrom(ani));
    const realOrigin = new URL(page.url()).origin;
    await page.getByRole("link", { name: "Mode latihan" }).click();
    await page.waitForURL(new RegExp(`^http://127\\.0\\.0\\.1:${trainingPort}/`));
    expect(await page.locator(".training-banner").textContent()).toContain("MODE LATIHAN");
    await expectAccessible(page, "training-signed-out");

    await logIn(page, await linkFrom(trainee));
    expect(await page.locator(".training-banner").textContent()).toContain("MODE LATIHAN");
    expect(await page.textContent("main")).toContain(trainingCase);
    await expectAccessible(page, "training-inbox");
    await page.goto(`http://127.0.0.1:${trainingPort}/kasus/${trainingCase}?lang=en`);
    expect(await page.locator(".training-banner").textContent()).toContain("TRAINING MODE");
    expect(await page.title()).toMatch(/^MODE LATIHAN \(TRAINING MODE\) · /);
    await expectAccessible(page, "training-case");
    await page.screenshot({ path: path.join(SHOTS, "training-case.png"), fullPage: true });

    // Both sessions live side by side in one browser: the cookies have names of their own.
    await page.goto(`${realOrigin}/kotak?lang=id`);
    expect(await page.locator(".training-banner").count()).toBe(0);
    expect(await page.textContent("header")).toContain("Ani");
    expect(await page.textContent("main")).not.toContain(trainingCase);
    await context.close();
    trainee.send("/skor");
    await trainee.waitFor(/Nilai latihan · .*: 2 dari 4/);
  }, 180_000);
});
