import { readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { partnerOfficeCode } from "../../src/directory/staff-repository.ts";
import { parseProviderCsv } from "../../src/partners/provider-csv.ts";
import { runMaintenance } from "../../src/services/maintenance.ts";
import { LOGIN_LINK_TTL_MS, SESSION_IDLE_MS } from "../../src/web/web-auth.ts";
import { webCaseExportOf, webPartnersOf, webReferralsOf, webStatisticsOf } from "../../src/web/web-inbox.ts";
import { buildWebApp, type WebMode } from "../../src/web/web-server.ts";
import { textOf } from "../support/engine-chat.ts";
import { fictionalProviders } from "../support/fictional-providers.ts";
import { REPO_ROOT } from "../support/run-command.ts";
import { enrolStaff, fileReport, seedCases } from "../support/staff-world.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";
import { LOGIN_LINK, logIn, loginLinkFor, visibleText, WebBrowser } from "../support/web-browser.ts";

const open: Array<{ t: TestApp; web: FastifyInstance }> = [];
afterEach(async () => {
  for (const { t, web } of open.splice(0)) {
    await web.close();
    await t.close().catch(() => {});
  }
});

const LIVE_MODE: WebMode = { training: false, trainingUrl: null };

async function world(secure = false, mode: WebMode = LIVE_MODE) {
  const t = await startTestApp();
  const web = buildWebApp({
    auth: t.app.webAuth,
    desk: t.app.webDesk,
    offices: t.app.offices,
    partners: webPartnersOf(t.app),
    statistics: webStatisticsOf(t.app),
    caseExport: webCaseExportOf(t.app),
    referrals: webReferralsOf(t.app),
    translate: t.app.translate,
    clock: t.clock,
    logger: t.app.logger,
    defaultLanguage: "id",
    secure,
    mode,
  });
  open.push({ t, web });
  return { t, web };
}

async function auditActions(t: TestApp, actor: string): Promise<string[]> {
  const rows = await t.app.database.prisma.auditLog.findMany({ where: { actor }, orderBy: { id: "asc" } });
  return rows.map((r) => r.action);
}

describe("logging in to the web inbox with a link from the chat", () => {
  it("opens a session only when the button is pressed, once, and tells the staff member's chat", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const token = await loginLinkFor(t, "ani");
    const browser = new WebBrowser(web);

    // A link preview or a proxy fetching the page does not use the link up.
    for (let i = 0; i < 2; i++) {
      const page = await browser.get(`/masuk/${token}`);
      expect(page.statusCode).toBe(200);
      expect(visibleText(page.body)).toContain("Masuk");
    }
    expect(browser.cookies.has("tppo_session")).toBe(false);
    const page = browser.last?.body ?? "";
    const pre = /name="pre" value="([^"]+)"/.exec(page)?.[1] ?? "";

    // A form posted from elsewhere (no cookie of the page that showed it) is refused; the link still works.
    const stranger = new WebBrowser(web);
    expect((await stranger.post(`/masuk/${token}`, { pre })).statusCode).toBe(403);

    const done = await browser.post(`/masuk/${token}`, { pre });
    expect(done.statusCode).toBe(303);
    const session = (done.cookies as Array<{ name: string; httpOnly?: boolean; sameSite?: string }>).find(
      (c) => c.name === "tppo_session",
    );
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(String(done.headers["set-cookie"])).not.toContain("Secure");
    const inbox = await browser.get("/kotak");
    expect(inbox.statusCode).toBe(200);
    expect(visibleText(inbox.body)).toContain("Ani");

    // The chat hears of the login, so a stolen link is noticed.
    expect(textOf(await t.deliver("ani"))).toMatch(/login baru ke kotak masuk web/i);

    // The same link again, from any browser: refused as used.
    const again = await new WebBrowser(web).get(`/masuk/${token}`);
    expect(again.statusCode).toBe(410);
    expect(visibleText(again.body)).toContain("sudah dipakai");
    expect((await browser.post(`/masuk/${token}`, { pre })).statusCode).toBe(410);
    expect(
      await auditActions(
        t,
        `staff:${(await t.app.staff.byIdentity((await t.app.identities.resolve("term:ani", t.clock.now())).id))?.id}`,
      ),
    ).toEqual(expect.arrayContaining(["web.link_sent", "web.logged_in"]));
  });

  it("opens one session when the button is pressed twice at once", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const token = await loginLinkFor(t, "ani");
    const browser = new WebBrowser(web);
    const page = await browser.get(`/masuk/${token}`);
    const pre = /name="pre" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    const [first, second] = await Promise.all([
      browser.post(`/masuk/${token}`, { pre }),
      browser.post(`/masuk/${token}`, { pre }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([303, 410]);
    expect(await t.app.database.prisma.webSession.count()).toBe(1);
  });

  it("marks the cookies Secure when the inbox is served over https, and ends a busy session after 24 hours", async () => {
    const { t, web } = await world(true);
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const browser = new WebBrowser(web);
    const token = await loginLinkFor(t, "ani");
    const page = await browser.get(`/masuk/${token}`);
    expect(String(page.headers["set-cookie"])).toContain("Secure");
    const pre = /name="pre" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    const done = await browser.post(`/masuk/${token}`, { pre });
    expect(String(done.headers["set-cookie"])).toMatch(
      /tppo_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure/,
    );
    for (let hour = 1; hour < 24; hour++) {
      t.clock.advance(60 * 60_000);
      expect((await browser.get("/kotak")).statusCode, `hour ${hour}`).toBe(200);
    }
    t.clock.advance(60 * 60_000);
    expect((await browser.get("/kotak")).statusCode).toBe(401);
  });

  it("refuses an expired link and a made-up one, and sends every page with the security headers", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const token = await loginLinkFor(t, "ani");
    t.clock.advance(LOGIN_LINK_TTL_MS + 1000);
    const browser = new WebBrowser(web);
    const expired = await browser.get(`/masuk/${token}`);
    expect(expired.statusCode).toBe(410);
    expect(visibleText(expired.body)).toContain("kedaluwarsa");
    const unknown = await browser.get(`/masuk/${"A".repeat(43)}`);
    expect(unknown.statusCode).toBe(404);
    for (const response of [expired, unknown, await browser.get("/")]) {
      expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(response.headers["content-security-policy"]).toContain("script-src 'self'");
      expect(response.headers["content-security-policy"]).not.toContain("unsafe-inline");
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.headers["x-frame-options"]).toBe("DENY");
    }
  });

  it("limits how often one address may try links", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const browser = new WebBrowser(web);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await browser.get(`/masuk/${"B".repeat(43)}`)).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    expect(visibleText(browser.last?.body ?? "")).toContain("Terlalu banyak percobaan");
    // A minute later the address may try again.
    t.clock.advance(61_000);
    expect((await browser.get(`/masuk/${"B".repeat(43)}`)).statusCode).toBe(404);
    // Guesses sent all at once are each counted as they arrive, before any link is looked up.
    t.clock.advance(61_000);
    const burst = await Promise.all(
      Array.from({ length: 25 }, () => new WebBrowser(web).get(`/masuk/${"D".repeat(43)}`)),
    );
    expect(burst.filter((r) => r.statusCode === 429)).toHaveLength(5);
  });

  it("lets a whole office behind one address log in at once: only refused links count", async () => {
    const { t, web } = await world();
    for (let i = 0; i < 12; i++) await enrolStaff(t, `staff${i}`, `Petugas ${i}`, "UPTDPPA-35");
    // Twelve staff, each opening the link and pressing the button: 24 requests in the same minute.
    for (let i = 0; i < 12; i++) await logIn(t, new WebBrowser(web), `staff${i}`);
    const late = new WebBrowser(web);
    expect((await late.get(`/masuk/${"C".repeat(43)}`)).statusCode).toBe(404);
  });

  it("ends sessions on /keluar in the chat, after 8 idle hours, and at once when staff are deactivated", async () => {
    const { t, web } = await world();
    const ani = await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const phone = new WebBrowser(web);
    const laptop = new WebBrowser(web);
    await logIn(t, phone, "ani");
    await logIn(t, laptop, "ani");
    expect((await phone.get("/kotak")).statusCode).toBe(200);
    const reply = textOf(await t.send("ani", "/keluar"));
    expect(reply).toContain("diakhiri");
    expect(reply).toContain("2");
    for (const browser of [phone, laptop]) {
      const page = await browser.get("/kotak");
      expect(page.statusCode).toBe(401);
      expect(visibleText(page.body)).toContain("/masuk");
    }
    // An unused link is void after /keluar too.
    const token = LOGIN_LINK.exec(textOf(await t.send("ani", "/masuk")))?.[1] as string;
    await t.send("ani", "/keluar");
    expect((await new WebBrowser(web).get(`/masuk/${token}`)).statusCode).toBe(410);

    // Idle for 8 hours: over. Used within them: kept.
    await logIn(t, phone, "ani");
    t.clock.advance(SESSION_IDLE_MS - 60_000);
    expect((await phone.get("/kotak")).statusCode).toBe(200);
    t.clock.advance(SESSION_IDLE_MS - 60_000);
    expect((await phone.get("/kotak")).statusCode).toBe(200);
    t.clock.advance(SESSION_IDLE_MS + 1000);
    expect((await phone.get("/kotak")).statusCode).toBe(401);

    // A new phone: the staff member enrols a new chat; the web sessions of the old one end.
    await logIn(t, laptop, "ani");
    const invite = await t.app.staff.createInvite(ani.id, t.clock.now());
    expect(textOf(await t.send("ani-new-phone", `/staff ${invite.code}`))).toContain("Selamat datang, Ani");
    expect((await laptop.get("/kotak")).statusCode).toBe(401);

    await logIn(t, laptop, "ani-new-phone");
    const cookie = laptop.cookies.get("tppo_session") as string;
    await t.app.staff.deactivate(ani.id, t.clock.now());
    expect((await laptop.get("/kotak")).statusCode).toBe(401);
    // Reactivated, the staff member must log in again: the old cookie stays refused.
    await t.app.staff.reactivate(ani.id, t.clock.now());
    laptop.cookies.set("tppo_session", cookie);
    expect((await laptop.get("/kotak")).statusCode).toBe(401);
    expect(await t.app.database.prisma.webSession.count({ where: { staffId: ani.id, endedAt: null } })).toBe(0);
  });

  it("deletes links and sessions a day after their last use (maintenance), and keeps live ones", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const old = new WebBrowser(web);
    await logIn(t, old, "ani");
    await t.send("ani", "/keluar");
    t.clock.advance(25 * 60 * 60_000);
    const live = new WebBrowser(web);
    await logIn(t, live, "ani");
    const db = t.app.database.prisma;
    expect(await db.webSession.count()).toBe(2);
    expect(await runMaintenance(t.app)).toMatchObject({ webPurged: 2 });
    expect(await db.webSession.count()).toBe(1);
    expect(await db.webLoginLink.count()).toBe(1);
    expect((await live.get("/kotak")).statusCode).toBe(200);
  });

  it("never sends a login link into a group chat", async () => {
    const { t } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const address = "term:group-35" as const;
    await t.app.conversation.handle({
      address,
      sender: "term:ani",
      messageId: "g1",
      receivedAt: t.clock.now(),
      text: "/masuk",
    });
    const inGroup = textOf(await t.deliver("group-35"));
    expect(inGroup).not.toMatch(LOGIN_LINK);
    expect(inGroup).toContain("chat pribadi");
    expect(textOf(await t.deliver("ani"))).not.toMatch(LOGIN_LINK);
  });
});

describe("the inbox and the case page", () => {
  it("lists a new case as unassigned, and works it from the web: the reporter hears what the chat would say", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const browser = new WebBrowser(web);
    await logIn(t, browser, "ani");
    const { reference } = await fileReport(t, "siti", "child");
    await t.deliver("ani");
    await t.deliver("siti");

    const unassigned = await browser.get("/kotak?tab=unassigned");
    expect(visibleText(unassigned.body)).toContain(reference);
    expect(visibleText((await browser.get("/kotak?tab=mine")).body)).not.toContain(reference);
    // The list part alone, as the 30-second refresh asks for it.
    const fragment = await browser.get("/kotak/daftar?tab=unassigned", { "hx-request": "true" });
    expect(fragment.body).toContain(`/kasus/${reference}`);
    expect(fragment.body).not.toContain("<html");

    // The case page shows the card's facts; the story only after "show", which is audited.
    let page = await browser.get(`/kasus/${reference}`);
    expect(page.statusCode).toBe(200);
    expect(visibleText(page.body)).toContain("Kerja paksa");
    expect(visibleText(page.body)).not.toContain("Cerita.");
    const version = browser.version;
    page = await browser.post(`/kasus/${reference}/aksi`, { csrf: browser.csrf, version, kind: "details" });
    expect(visibleText(page.body)).toContain("Cerita.");

    // A form without the session's token changes nothing.
    const forged = await browser.post(`/kasus/${reference}/aksi`, { csrf: "forged", version, kind: "accept" });
    expect(forged.statusCode).toBe(403);
    expect((await t.app.caseStore.load(reference))?.status).toBe("ROUTED");

    const act = async (form: Record<string, string>) => {
      await browser.get(`/kasus/${reference}`);
      const done = await browser.post(`/kasus/${reference}/aksi`, {
        csrf: browser.csrf,
        version: browser.version,
        ...form,
      });
      expect(done.statusCode, done.body).toBe(303);
      return visibleText((await browser.get(`/kasus/${reference}`)).body);
    };
    expect(await act({ kind: "accept" })).toContain(`Kasus ${reference} diterima oleh Ani`);
    expect(textOf(await t.deliver("siti"))).toContain(reference);
    expect(await act({ kind: "note", text: "Sudah ditelepon <b>keluarga</b>" })).toContain(
      "Sudah ditelepon <b>keluarga</b>",
    );
    expect(browser.last?.body).not.toContain("<b>keluarga</b>");
    await act({ kind: "reply", text: "Kami akan menghubungi Anda besok." });
    expect(textOf(await t.deliver("siti"))).toContain("Kami akan menghubungi Anda besok.");
    await act({ kind: "setStatus", status: "ASSESSMENT" });
    await act({ kind: "setStatus", status: "ASSISTANCE:RECOVERY" });
    expect(await t.app.caseStore.load(reference)).toMatchObject({ status: "ASSISTANCE", assistanceStage: "RECOVERY" });

    // Closing asks first; only the yes closes, at the version the staff member saw.
    await browser.get(`/kasus/${reference}`);
    const asked = await browser.post(`/kasus/${reference}/aksi`, {
      csrf: browser.csrf,
      version: browser.version,
      kind: "close",
      resolution: "ASSISTED",
    });
    expect(asked.statusCode).toBe(200);
    expect(visibleText(asked.body)).toContain("Ya, tutup kasus");
    expect((await t.app.caseStore.load(reference))?.status).toBe("ASSISTANCE");
    const confirmed = /name="confirmed" value="(\d+)"/.exec(asked.body)?.[1] as string;
    const closed = await browser.post(`/kasus/${reference}/aksi`, {
      csrf: browser.csrf,
      version: confirmed,
      kind: "close",
      resolution: "ASSISTED",
      confirmed,
    });
    expect(closed.statusCode).toBe(303);
    expect(await t.app.caseStore.load(reference)).toMatchObject({ status: "CLOSED", resolution: "ASSISTED" });
    expect(textOf(await t.deliver("siti")).length).toBeGreaterThan(0);
    const timeline = visibleText((await browser.get(`/kasus/${reference}`)).body);
    expect(timeline.indexOf("Ditutup")).toBeLessThan(timeline.indexOf("Diterima"));
  });

  it("is the same desk as the chat: one sequence from each leaves the same case, events, audit and messages", async () => {
    const { t, web } = await world();
    const ani = await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const browser = new WebBrowser(web);
    await logIn(t, browser, "ani");
    const fromChat = await fileReport(t, "siti", "child");
    const fromWeb = await fileReport(t, "wati", "child");
    await t.deliver("ani");
    await t.deliver("siti");
    await t.deliver("wati");

    const chatReplies: string[] = [];
    for (const line of [
      `/terima ${fromChat.reference}`,
      `/catatan ${fromChat.reference} Sudah ditelepon`,
      `/balas ${fromChat.reference} Kami akan menghubungi Anda besok.`,
      `/ubahstatus ${fromChat.reference} ASSESSMENT`,
      `/ubahstatus ${fromChat.reference} ASSISTANCE RECOVERY`,
      `/tutup ${fromChat.reference} ASSISTED`,
      "ya",
    ]) {
      await t.send("ani", line);
      t.clock.advance(60_000);
      chatReplies.push(...(await t.deliver("siti")).map((m) => m.text.replaceAll(fromChat.reference, "REF")));
    }
    const webReplies: string[] = [];
    const forms: Array<Record<string, string>> = [
      { kind: "accept" },
      { kind: "note", text: "Sudah ditelepon" },
      { kind: "reply", text: "Kami akan menghubungi Anda besok." },
      { kind: "setStatus", status: "ASSESSMENT" },
      { kind: "setStatus", status: "ASSISTANCE:RECOVERY" },
      { kind: "close", resolution: "ASSISTED" },
      { kind: "close", resolution: "ASSISTED", confirmed: "" },
    ];
    for (const form of forms) {
      await browser.get(`/kasus/${fromWeb.reference}`);
      const version = browser.version;
      await browser.post(`/kasus/${fromWeb.reference}/aksi`, {
        csrf: browser.csrf,
        version,
        ...form,
        ...("confirmed" in form ? { confirmed: version } : {}),
      });
      t.clock.advance(60_000);
      webReplies.push(...(await t.deliver("wati")).map((m) => m.text.replaceAll(fromWeb.reference, "REF")));
    }

    const outcome = async (reference: string) => {
      const row = await t.app.caseStore.load(reference);
      const events = await t.app.caseStore.events(row?.id as string);
      const audit = await t.app.database.prisma.auditLog.findMany({
        where: { caseId: row?.id as string, actor: `staff:${ani.id}` },
        orderBy: { id: "asc" },
      });
      const messages = (await t.app.caseStore.messages(row?.id as string)).messages;
      return {
        case: {
          status: row?.status,
          stage: row?.assistanceStage,
          resolution: row?.resolution,
          assignee: row?.assignedStaffId,
          office: row?.officeCode,
        },
        events: events.map((e) => `${e.type} ${e.fromStatus ?? ""}->${e.toStatus ?? ""} ${e.actor}`),
        // Reading (the chat's card, the web's page) is audited differently; every change the same.
        audit: audit.map((a) => a.action).filter((a) => !/viewed|listed/.test(a)),
        messages: messages.map((m) => `${m.direction} ${m.text}`),
      };
    };
    const chat = await outcome(fromChat.reference);
    const webbed = await outcome(fromWeb.reference);
    expect(chat.case).toMatchObject({ status: "CLOSED", stage: "RECOVERY", resolution: "ASSISTED", assignee: ani.id });
    expect(webbed).toEqual(chat);
    expect(webReplies).toEqual(chatReplies);
    expect(chatReplies.join("\n")).toContain("Kami akan menghubungi Anda besok.");
  });

  it("records a service, hands over, copies, issues a victim code and transfers with confirmation", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const rina = await enrolStaff(t, "rina", "Rina", "UPTDPPA-35");
    await enrolStaff(t, "budi", "Budi", "DINSOS-32");
    const browser = new WebBrowser(web);
    await logIn(t, browser, "ani");
    const { reference } = await fileReport(t, "siti", "child");
    await t.deliver("ani");
    await t.deliver("rina");
    const act = async (form: Record<string, string>) => {
      await browser.get(`/kasus/${reference}`);
      return browser.post(`/kasus/${reference}/aksi`, { csrf: browser.csrf, version: browser.version, ...form });
    };
    const noticeAfter = async (form: Record<string, string>) => {
      const done = await act(form);
      expect(done.statusCode, done.body).toBe(303);
      return visibleText((await browser.get(`/kasus/${reference}`)).body);
    };
    await noticeAfter({ kind: "accept" });
    const today = new Date(t.clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 10);
    expect(
      await noticeAfter({ kind: "service", service: "SHELTER", givenOn: today, provider: "RPTC Bambu Apus", note: "" }),
    ).toContain("RPTC Bambu Apus");
    const services = await t.app.caseStore.services((await t.app.caseStore.load(reference))?.id as string);
    expect(services.map((s) => s.type)).toEqual(["SHELTER"]);
    // A day after today is a typo: refused, nothing recorded.
    const tomorrow = new Date(t.clock.now().getTime() + 31 * 3600_000).toISOString().slice(0, 10);
    expect((await act({ kind: "service", service: "HEALTH", givenOn: tomorrow })).statusCode).toBe(422);
    expect(await t.app.caseStore.services((await t.app.caseStore.load(reference))?.id as string)).toHaveLength(1);

    // The victim's access code shows on the page, never in a cookie.
    const access = await act({ kind: "access" });
    expect(access.statusCode).toBe(200);
    expect(visibleText(access.body)).toMatch(/\d{6}/);
    expect(String(access.headers["set-cookie"] ?? "")).not.toMatch(/tppo_notice/);

    expect(await noticeAfter({ kind: "copy", officeCode: "dinsos-32" })).toContain("DINSOS-32");
    expect((await t.app.caseStore.load(reference))?.copies.map((c) => c.officeCode)).toEqual(["DINSOS-32"]);
    expect(await noticeAfter({ kind: "assign", staffId: rina.id })).toContain("Rina");
    expect((await t.app.caseStore.load(reference))?.assignedStaffId).toBe(rina.id);
    expect(textOf(await t.deliver("rina"))).toContain(reference);

    // A transfer asks first; only the yes moves the case, and then Ani's office no longer sees it.
    const asked = await act({ kind: "transfer", officeCode: "DINSOS-32" });
    expect(asked.statusCode).toBe(200);
    expect(visibleText(asked.body)).toContain("Ya, alihkan kasus");
    expect((await t.app.caseStore.load(reference))?.officeCode).toBe("UPTDPPA-35");
    const confirmed = /name="confirmed" value="(\d+)"/.exec(asked.body)?.[1] as string;
    const moved = await browser.post(`/kasus/${reference}/aksi`, {
      csrf: browser.csrf,
      version: confirmed,
      kind: "transfer",
      officeCode: "DINSOS-32",
      confirmed,
    });
    expect(moved.statusCode).toBe(303);
    expect((await t.app.caseStore.load(reference))?.officeCode).toBe("DINSOS-32");
    expect((await browser.get(`/kasus/${reference}`)).statusCode).toBe(404);
  });

  it("filters the list by urgency, place, assignee and days, keeps the filters in the links, and pages by 25", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    // 18:00 UTC is 01:00 the next day in Jakarta: the days of the filter are Jakarta's.
    t.clock.current = new Date("2026-11-28T18:00:00Z");
    const browser = new WebBrowser(web);
    await logIn(t, browser, "ani");
    const malang = await seedCases(t, 27, { officeCode: "UPTDPPA-35", regencyCode: "35.07" });
    const urgent = await seedCases(t, 2, { officeCode: "UPTDPPA-35", urgency: "URGENT" });
    const listed = async (url: string) => {
      const page = await browser.get(url);
      expect(page.statusCode).toBe(200);
      return [...page.body.matchAll(/href="\/kasus\/([0-9A-Z-]{14})"/g)].map((m) => m[1] as string);
    };
    expect((await listed("/kotak?tab=all&urgency=URGENT")).sort()).toEqual([...urgent].sort());
    expect(await listed("/kotak?tab=all&place=malang")).toHaveLength(25);
    const second = browser.last?.body ?? "";
    expect(visibleText(second)).toContain("Kasus 1–25 dari 27");
    const next = /href="(\/kotak\?[^"]*page=2[^"]*)"/.exec(second)?.[1]?.replace(/&amp;/g, "&") as string;
    expect(next).toContain("place=malang");
    expect((await listed(next)).sort()).toEqual(malang.slice(0, 2).sort());
    // A place nobody knows says so; a value that is not valid is dropped, never an error.
    expect(visibleText((await browser.get("/kotak?tab=all&place=xyzzy")).body)).toContain(
      'Tempat "xyzzy" tidak dikenal',
    );
    expect(await listed("/kotak?tab=all&urgency=BOGUS&from=2026-13-45")).toHaveLength(25);
    // Cases nobody accepted, then the ones Ani holds after accepting one.
    expect(visibleText((await browser.get("/kotak?tab=all&assignee=none")).body)).toContain("dari 29");
    await t.send("ani", `/terima ${urgent[0]}`);
    const aniId = (await t.app.staff.list()).find((m) => m.name === "Ani")?.id as string;
    expect(await listed(`/kotak?tab=all&assignee=${aniId}`)).toEqual([urgent[0]]);
    // Days are whole days in Jakarta: today lists them all, tomorrow none.
    expect(visibleText((await browser.get("/kotak?tab=all&from=2026-11-29&to=2026-11-29")).body)).toContain("dari 29");
    expect(await listed("/kotak?tab=all&to=2026-11-28")).toEqual([]);
    expect(await listed("/kotak?tab=all&from=2026-11-30")).toEqual([]);
    // A day that does not exist is dropped, not read as another.
    expect(visibleText((await browser.get("/kotak?tab=all&from=2026-11-31")).body)).toContain("dari 29");
  });

  it("tells the office's group when a web action changes a case its card shows, and nothing for a note", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const group = await t.app.identities.resolve("term:group-35", t.clock.now());
    await t.app.offices.setDestination("UPTDPPA-35", "GROUP", group.id, t.clock.now());
    const browser = new WebBrowser(web);
    await logIn(t, browser, "ani");
    const { reference } = await fileReport(t, "siti", "child");
    expect(textOf(await t.deliver("group-35"))).toContain(reference);
    const act = async (form: Record<string, string>) => {
      await browser.get(`/kasus/${reference}`);
      await browser.post(`/kasus/${reference}/aksi`, { csrf: browser.csrf, version: browser.version, ...form });
      return textOf(await t.deliver("group-35"));
    };
    expect(await act({ kind: "accept" })).toBe(`Dari kotak masuk web: Kasus ${reference} diterima oleh Ani.`);
    expect(await act({ kind: "note", text: "catatan internal" })).toBe("");
    expect(await act({ kind: "setStatus", status: "ASSESSMENT" })).toContain("Asesmen");
    // A group that also serves the office holding a copy hears each change once.
    await t.app.offices.setDestination("DINSOS-35", "GROUP", group.id, t.clock.now());
    await act({ kind: "copy", officeCode: "DINSOS-35" });
    const once = await act({ kind: "setStatus", status: "ASSISTANCE:RETURN" });
    expect(once.split("Dari kotak masuk web").length - 1).toBe(1);
  });

  it("refuses a change to a case that changed since the page was read, and says how it stands", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "rina", "Rina", "UPTDPPA-35");
    const browser = new WebBrowser(web);
    await logIn(t, browser, "ani");
    const { reference } = await fileReport(t, "siti", "child");
    await t.deliver("ani");
    await browser.get(`/kasus/${reference}`);
    const seen = { csrf: browser.csrf, version: browser.version };
    // Meanwhile Rina accepts it from the chat.
    expect(textOf(await t.send("rina", `/terima ${reference}`))).toContain("diterima oleh Rina");
    const late = await browser.post(`/kasus/${reference}/aksi`, { ...seen, kind: "setStatus", status: "ASSESSMENT" });
    expect(late.statusCode).toBe(303);
    const page = visibleText((await browser.get(`/kasus/${reference}`)).body);
    expect(page).toContain("Kasus ini baru saja diubah");
    expect(page).toContain("Perintah Anda tidak dijalankan");
    expect((await t.app.caseStore.load(reference))?.status).toBe("ACKNOWLEDGED");
  });

  it("answers 404 for another office's case, and records the attempt", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const budi = await enrolStaff(t, "budi", "Budi", "DINSOS-32");
    const { reference } = await fileReport(t, "siti", "child");
    const browser = new WebBrowser(web);
    await logIn(t, browser, "budi");
    const page = await browser.get(`/kasus/${reference}`);
    expect(page.statusCode).toBe(404);
    expect(visibleText(page.body)).not.toContain("Kerja paksa");
    const refused = await t.app.database.prisma.auditLog.findMany({
      where: { actor: `staff:${budi.id}`, action: "case.view.refused" },
    });
    expect(refused).toHaveLength(1);
    expect(refused[0]?.caseId).toBeTruthy();
    expect(visibleText((await browser.get("/kotak?tab=all")).body)).not.toContain(reference);
    // The reference search takes a typed reference in any case and spacing.
    const search = await browser.get(
      `/cari?reference=${encodeURIComponent(reference.toLowerCase().replace(/-/g, " "))}`,
    );
    expect(search.headers.location).toBe(`/kasus/${reference}`);
  });

  it("keeps the language switch on the inbox's own pages, whatever path a link smuggles in", async () => {
    const { web } = await world();
    const page = await new WebBrowser(web).get("//evil.example/");
    expect(page.statusCode).toBe(404);
    const hrefs = [...page.body.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
    expect(hrefs.filter((h) => h.startsWith("//") || /^[a-z]+:/i.test(h))).toEqual([]);
  });

  it("shows the inbox in English when the staff member picks it", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const browser = new WebBrowser(web);
    await logIn(t, browser, "ani");
    const english = await browser.get("/kotak?lang=en");
    expect(english.body).toContain('<html lang="en">');
    expect(visibleText(english.body)).toContain("Unassigned");
    expect((await browser.get("/kotak")).body).toContain('<html lang="en">');
  });
});

describe("the supervisor overview and the audit screen", () => {
  it("counts open cases by office and status, lists overdue ones and workload, for supervisors of their office only", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "sri", "Sri", "UPTDPPA-35", "SUPERVISOR");
    await enrolStaff(t, "budi", "Budi", "DINSOS-32");
    await enrolStaff(t, "sari", "Sari", "SAPA129", "NATIONAL");
    const jatim = await seedCases(t, 3, { officeCode: "UPTDPPA-35" });
    const jabar = await seedCases(t, 2, { officeCode: "DINSOS-32", provinceCode: "32" });
    await t.send("ani", `/terima ${jatim[0]}`);
    // A day later the two cases nobody accepted in Jawa Timur are overdue.
    t.clock.advance(25 * 60 * 60_000);

    const agent = new WebBrowser(web);
    await logIn(t, agent, "ani");
    expect((await agent.get("/ringkasan")).statusCode).toBe(403);
    expect((await agent.get("/audit")).statusCode).toBe(403);
    expect((await agent.get("/kotak")).body).not.toContain('href="/ringkasan"');

    const supervisor = new WebBrowser(web);
    await logIn(t, supervisor, "sri");
    expect((await supervisor.get("/kotak")).body).toContain('href="/ringkasan"');
    const overview = await supervisor.get("/ringkasan");
    expect(overview.statusCode).toBe(200);
    const text = visibleText(overview.body);
    expect(text).toContain("UPTD PPA Provinsi Jawa Timur (UPTDPPA-35) 0 2 1 0 0 0 3 2");
    expect(text).not.toContain("DINSOS-32");
    for (const reference of jatim.slice(1)) expect(overview.body).toContain(`/kasus/${reference}`);
    expect(overview.body).not.toContain(`/kasus/${jatim[0]}`);
    expect(text).toMatch(/Ani UPTDPPA-35 1/);
    expect(text).toMatch(/Sri UPTDPPA-35 0/);

    const national = new WebBrowser(web);
    await logIn(t, national, "sari");
    const nationalPage = (await national.get("/ringkasan")).body;
    const all = visibleText(nationalPage);
    expect(all).toContain("(UPTDPPA-35)");
    expect(all).toContain("(DINSOS-32) 0 2 0 0 0 0 2 2");
    expect(all).toContain("Jumlah 0 4 1 0 0 0 5 4");
    for (const reference of jabar) expect(nationalPage).toContain(`/kasus/${reference}`);
  });

  it("shows a supervisor the audit rows of their office's cases and staff, filtered, and audits the look", async () => {
    const { t, web } = await world();
    const ani = await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const sri = await enrolStaff(t, "sri", "Sri", "UPTDPPA-35", "SUPERVISOR");
    await enrolStaff(t, "budi", "Budi", "DINSOS-32");
    const [ours] = await seedCases(t, 1, { officeCode: "UPTDPPA-35" });
    const [theirs] = await seedCases(t, 1, { officeCode: "DINSOS-32", provinceCode: "32" });
    await t.send("ani", `/terima ${ours}`);
    await t.send("ani", `/catatan ${ours} sudah ditelepon`);
    await t.send("budi", `/terima ${theirs}`);
    const browser = new WebBrowser(web);
    await logIn(t, browser, "sri");
    const page = visibleText((await browser.get("/audit")).body);
    expect(page).toContain("case.accept");
    expect(page).toContain(ours as string);
    expect(page).not.toContain(theirs as string);
    expect(page).not.toContain("Budi");
    const noted = visibleText((await browser.get(`/audit?staff=${ani.id}&action=case.note`)).body);
    expect(noted).toContain("case.note");
    expect(noted).not.toContain("case.accept");
    const byReference = visibleText((await browser.get(`/audit?reference=${(ours as string).toLowerCase()}`)).body);
    expect(byReference).toContain("case.note");
    expect(byReference).not.toContain("web.logged_in");
    expect(visibleText((await browser.get("/audit?reference=AAAA-BBBB-CCCC")).body)).toContain("tidak ditemukan");
    // Another office's case reads as unknown: the screen does not confirm it exists.
    expect(visibleText((await browser.get(`/audit?reference=${theirs}`)).body)).toContain("tidak ditemukan");
    const logins = visibleText((await browser.get("/audit?action=web.logged_in")).body);
    expect(logins).toContain("web.logged_in");
    expect(logins).not.toContain("case.accept");
    const looks = await t.app.database.prisma.auditLog.count({
      where: { actor: `staff:${sri.id}`, action: "audit.viewed" },
    });
    expect(looks).toBe(6);
  });
});

describe("the partner directory", () => {
  it("shows every staff member the partners serving a place and offering a service, and lets national staff keep it checked", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-52");
    await enrolStaff(t, "sari", "Sari", "SAPA129", "NATIONAL");
    const agent = new WebBrowser(web);
    await logIn(t, agent, "ani");
    let page = await agent.get("/mitra");
    expect(page.statusCode).toBe(200);
    expect(visibleText(page.body)).toContain("Direktori mitra masih kosong");

    const read = parseProviderCsv(
      readFileSync(path.join(REPO_ROOT, "tests/fixtures/providers/fictional-providers.csv"), "utf8"),
    );
    if (!read.ok) throw new Error("fixture unreadable");
    await t.app.providers.importAll(read.providers, t.clock.now());

    // Typed as staff type it: the town's name, a service picked from the list.
    page = await agent.get(`/mitra?place=${encodeURIComponent("kota mataram")}&service=LEGAL_AID`);
    let text = visibleText(page.body);
    expect(text).toContain("1 mitra");
    expect(text).toContain("LBH Fiktif Mataram");
    expect(text).toContain("Kab. Lombok Barat, Nusa Tenggara Barat; Kota Mataram, Nusa Tenggara Barat");
    expect(text).toContain("Bantuan hukum, Restitusi");
    expect(text).not.toContain("Rumah Aman Fiktif");
    // Lombok Tengah lies outside the legal-aid NGO's regencies; the shelter's review is overdue.
    text = visibleText((await agent.get("/mitra?place=lombok%20tengah")).body);
    expect(text).toContain("Rumah Aman Fiktif Lombok");
    expect(text).toContain("Organisasi Migrasi Fiktif");
    expect(text).not.toContain("LBH Fiktif");
    expect(text).toContain("Perlu diperiksa ulang (jatuh tempo 2026-06-01)");
    expect(visibleText((await agent.get("/mitra?place=atlantis")).body)).toContain('Wilayah "atlantis" tidak dikenal');
    // The inactive clinic is not offered; an agent has no buttons and cannot act by a forged form.
    expect(visibleText((await agent.get("/mitra?all=1")).body)).not.toContain("Klinik Fiktif Nunukan");
    expect(page.body).not.toContain("/mitra/NTB-LBH-FIKTIF/aksi");
    const refused = await agent.post("/mitra/NTB-LBH-FIKTIF/aksi", { csrf: agent.csrf, action: "deactivate" });
    expect(refused.statusCode).toBe(403);
    expect((await t.app.providers.get("NTB-LBH-FIKTIF"))?.active).toBe(true);

    const national = new WebBrowser(web);
    await logIn(t, national, "sari");
    page = await national.get("/mitra?all=1");
    expect(visibleText(page.body)).toContain("Klinik Fiktif Nunukan");
    const forged = await national.post("/mitra/NTB-RUMAH-AMAN-FIKTIF/aksi", { csrf: "forged", action: "verify" });
    expect(forged.statusCode).toBe(403);
    await national.get("/mitra");
    const verified = await national.post("/mitra/NTB-RUMAH-AMAN-FIKTIF/aksi", {
      csrf: national.csrf,
      action: "verify",
    });
    expect(verified.statusCode).toBe(303);
    text = visibleText((await national.get("/mitra?place=lombok%20tengah")).body);
    expect(text).toContain("Rumah Aman Fiktif Lombok (CONTOH) ditandai sudah diverifikasi hari ini.");
    expect(text).not.toContain("Perlu diperiksa ulang");
    await national.post("/mitra/NTB-LBH-FIKTIF/aksi", { csrf: national.csrf, action: "deactivate" });
    expect((await t.app.providers.get("NTB-LBH-FIKTIF"))?.active).toBe(false);
    await national.get("/mitra");
    const unknown = await national.post("/mitra/NO-SUCH/aksi", { csrf: national.csrf, action: "verify" });
    expect(unknown.statusCode).toBe(404);
    const audited = await t.app.database.prisma.auditLog.findMany({
      where: { action: { startsWith: "provider." } },
      orderBy: { id: "asc" },
    });
    expect(audited.map((row) => row.action)).toEqual(["provider.verified", "provider.deactivated"]);

    // National staff download the directory in the import's format; agents may not.
    expect((await national.get("/mitra")).body).toContain('href="/mitra/csv"');
    expect((await agent.get("/mitra")).body).not.toContain('href="/mitra/csv"');
    expect((await agent.get("/mitra/csv")).statusCode).toBe(403);
    const download = await national.get("/mitra/csv");
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(download.headers["content-disposition"]).toBe('attachment; filename="mitra-layanan.csv"');
    const downloaded = parseProviderCsv(download.body);
    expect(downloaded.ok && downloaded.providers.map((p) => [p.code, p.active])).toEqual([
      ["IOM-FIKTIF", true],
      ["KALTARA-KLINIK-FIKTIF", false],
      ["NTB-LBH-FIKTIF", false],
      ["NTB-RUMAH-AMAN-FIKTIF", true],
    ]);
    const exported = await t.app.database.prisma.auditLog.count({ where: { action: "provider.exported" } });
    expect(exported).toBe(1);

    // National staff import a file from the web: all rows or none, each problem where and what, in their language.
    const fixture = readFileSync(path.join(REPO_ROOT, "tests/fixtures/providers/fictional-providers.csv"), "utf8");
    const broken = fixture.replace("NGO_SHELTER", "SHELTR");
    await national.get("/mitra");
    const refusedImport = await national.postFile(
      "/mitra/impor",
      { csrf: national.csrf },
      { field: "file", name: "mitra.csv", content: broken },
    );
    expect(refusedImport.statusCode).toBe(422);
    const refusedText = visibleText(refusedImport.body);
    expect(refusedText).toContain("Tidak ada yang diimpor: 1 masalah di berkas");
    expect(refusedText).toContain('baris 3, kolom kind: "SHELTR" bukan salah satu dari NGO_SHELTER');
    expect(await t.app.providers.get("NTB-RUMAH-AMAN-FIKTIF")).toMatchObject({ kind: "NGO_SHELTER" });
    expect(
      (await national.postFile("/mitra/impor", { csrf: "x" }, { field: "file", name: "mitra.csv", content: fixture }))
        .statusCode,
    ).toBe(403);
    await agent.get("/mitra");
    expect(agent.last?.body).not.toContain('action="/mitra/impor"');
    expect(
      (await agent.postFile("/mitra/impor", { csrf: agent.csrf }, { field: "file", name: "m.csv", content: fixture }))
        .statusCode,
    ).toBe(403);
    const renamed = fixture.replace("LBH Fiktif Mataram", "LBH Fiktif Mataram Baru");
    await national.get("/mitra");
    const done = await national.postFile(
      "/mitra/impor",
      { csrf: national.csrf },
      { field: "file", name: "mitra.csv", content: renamed },
    );
    expect(done.statusCode).toBe(303);
    expect(visibleText((await national.get("/mitra?all=1")).body)).toContain(
      "Direktori diimpor: 0 mitra ditambahkan, 4 diperbarui.",
    );
    expect((await t.app.providers.get("NTB-LBH-FIKTIF"))?.name).toContain("Mataram Baru");
    expect(await t.app.database.prisma.auditLog.count({ where: { action: "provider.imported" } })).toBe(1);

    // In English too.
    expect(visibleText((await agent.get("/mitra?lang=en")).body)).toContain("Partner services");
  });
});

describe("the monthly figures page", () => {
  it("shows a supervisor their office's own figures in full, national staff small counts hidden, and agents nothing", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "sri", "Sri", "UPTDPPA-35", "SUPERVISOR");
    await enrolStaff(t, "sari", "Sari", "SAPA129", "NATIONAL");
    const first = await fileReport(t, "siti");
    await fileReport(t, "dewi");
    await t.send("ani", `/terima ${first.reference}`);

    const agent = new WebBrowser(web);
    await logIn(t, agent, "ani");
    expect((await agent.get("/statistik")).statusCode).toBe(403);
    expect(agent.last?.body).not.toContain('href="/statistik"');

    const supervisor = new WebBrowser(web);
    await logIn(t, supervisor, "sri");
    let page = await supervisor.get("/statistik?month=2026-11");
    expect(page.statusCode).toBe(200);
    let text = visibleText(page.body);
    expect(text).toContain("Angka bulan 2026-11 (WIB)");
    expect(text).toMatch(/Laporan baru 2 /);
    expect(text).toMatch(/Diterima petugas 1 /);
    expect(text).toContain("Anak 2");
    expect(page.body).toContain('<svg role="img" aria-labelledby="chart-title"');
    expect(text).not.toContain("ditampilkan sebagai <5");
    // A month that is not one falls back to the last month (October: nothing yet).
    text = visibleText((await supervisor.get("/statistik?month=2026-13")).body);
    expect(text).toContain("Angka bulan 2026-10 (WIB)");
    // Another office's scope is not offered to a supervisor: their own office is shown.
    text = visibleText((await supervisor.get("/statistik?month=2026-11&scope=office:DINSOS-32")).body);
    expect(text).toMatch(/Laporan baru 2 /);

    const national = new WebBrowser(web);
    await logIn(t, national, "sari");
    page = await national.get("/statistik?month=2026-11&scope=national");
    text = visibleText(page.body);
    expect(text).toContain("ditampilkan sebagai <5");
    expect(text).toMatch(/Laporan baru <5 /);
    expect(text).toContain("tidak ditampilkan (jumlahnya terlalu kecil)");
    text = visibleText((await national.get("/statistik?month=2026-11&scope=province:35&lang=en")).body);
    expect(text).toContain("Monthly figures");
    expect(text).toMatch(/New reports <5 /);
  });
});

describe("the office case export", () => {
  it("gives a supervisor their office's cases as HTCDS CSV within 15 minutes of a login link, audited, and nothing to others", async () => {
    const { t, web } = await world();
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "sri", "Sri", "UPTDPPA-35", "SUPERVISOR");
    const own = await fileReport(t, "siti");
    await fileReport(t, "dewi");
    // A case of another office (an adult man: Dinas Sosial Jawa Timur) is not the office's to export.
    const other = await fileReport(t, "budi", "adultMan");
    await t.send("ani", `/terima ${own.reference}`);
    await t.send("ani", `/layanan ${own.reference} rumah aman; RPTC Bambu Apus`);

    const agent = new WebBrowser(web);
    await logIn(t, agent, "ani");
    expect((await agent.get("/kotak")).body).not.toContain('href="/ekspor"');
    expect((await agent.get("/ekspor")).statusCode).toBe(403);
    expect((await agent.post("/ekspor", { csrf: agent.csrf })).statusCode).toBe(403);

    const supervisor = new WebBrowser(web);
    await logIn(t, supervisor, "sri");
    expect((await supervisor.get("/kotak")).body).toContain('href="/ekspor"');
    const page = await supervisor.get("/ekspor");
    expect(page.statusCode).toBe(200);
    const text = visibleText(page.body);
    expect(text).toContain("Unduh CSV (2 kasus)");
    expect(text).toContain("keluar dari aturan retensi");

    // A form without the session's token downloads nothing.
    expect((await supervisor.post("/ekspor", { csrf: "x" })).statusCode).toBe(403);
    await supervisor.get("/ekspor");
    const download = await supervisor.post("/ekspor", { csrf: supervisor.csrf });
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(download.headers["content-disposition"]).toBe('attachment; filename="kasus-UPTDPPA-35.csv"');
    const lines = download.body.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^case_reference,reported_on,.*,prs_Gender,.*,services_given$/);
    expect(lines).toHaveLength(3);
    expect(download.body).toContain(own.reference);
    expect(download.body).not.toContain(other.reference);
    const ownLine = lines.find((line) => line.startsWith(own.reference)) ?? "";
    expect(ownLine).toContain("PossibleVictimOfTrafficking");
    expect(ownLine).toMatch(/SHELTER:2026-\d\d-\d\d$/);
    // The story ("Cerita.") and the provider typed with the service stay out.
    expect(download.body).not.toContain("Cerita");
    expect(download.body).not.toContain("Bambu");
    const audited = await t.app.database.prisma.auditLog.findMany({ where: { action: "case.exported" } });
    expect(audited.map((row) => row.detail)).toEqual(["office=UPTDPPA-35 rows=2"]);

    // Sixteen minutes on, the same session must get a fresh link first; nothing more is audited.
    t.clock.advance(16 * 60_000);
    const stalePage = visibleText((await supervisor.get("/ekspor")).body);
    expect(stalePage).toContain("minta tautan masuk baru dengan /masuk");
    expect(stalePage).not.toContain("Unduh CSV");
    const stale = await supervisor.post("/ekspor", { csrf: supervisor.csrf });
    expect(stale.statusCode).toBe(403);
    expect(visibleText(stale.body)).toContain("Sesi ini dibuka lebih dari 15 menit lalu");
    expect(await t.app.database.prisma.auditLog.count({ where: { action: "case.exported" } })).toBe(1);

    // A new link opens a new session that may download again; in English too.
    await logIn(t, supervisor, "sri");
    expect(visibleText((await supervisor.get("/ekspor?lang=en")).body)).toContain("Download CSV (cases: 2)");
    expect((await supervisor.post("/ekspor", { csrf: supervisor.csrf })).statusCode).toBe(200);
  });
});

describe("referrals in the web inbox", () => {
  it("lets the office refer a case from its page and the partner answer, read the story and record services on its own page", async () => {
    const { t, web } = await world();
    await t.app.providers.importAll(fictionalProviders(), t.clock.now());
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const partner = await t.app.staff.add(
      {
        name: "Rina",
        officeCode: partnerOfficeCode("IOM-FIKTIF"),
        role: "PARTNER",
        language: "id",
        providerCode: "IOM-FIKTIF",
      },
      t.clock.now(),
    );
    const invite = await t.app.staff.createInvite(partner.id, t.clock.now());
    await t.send("rina", `/staff ${invite.code}`);
    const { reference } = await fileReport(t, "siti", "child");
    await t.send("ani", `/terima ${reference}`);

    const office = new WebBrowser(web);
    await logIn(t, office, "ani");
    let page = visibleText((await office.get(`/kasus/${reference}`)).body);
    expect(page).toContain("Rujukan ke mitra layanan");
    expect(page).toContain("Kasus ini belum dirujuk ke mitra mana pun.");
    // Only partners serving Jawa Timur are offered (IOM serves every province); an agent cannot override consent.
    expect(page).toContain("Organisasi Migrasi Fiktif (CONTOH)");
    expect(page).not.toContain("LBH Fiktif Mataram");
    expect(office.last?.body).not.toContain("OVERRIDE:");

    // A form without any service refers nothing and says what to change.
    const empty = await office.post(`/kasus/${reference}/rujuk`, {
      csrf: office.csrf,
      provider: "IOM-FIKTIF",
      consent: "VICTIM:IN_PERSON",
    });
    expect(empty.statusCode).toBe(422);
    expect(visibleText(empty.body)).toContain("Pilih paling sedikit satu layanan yang dibutuhkan.");
    const sent = await office.post(`/kasus/${reference}/rujuk`, {
      csrf: office.csrf,
      provider: "IOM-FIKTIF",
      service_FAMILY_REUNIFICATION: "1",
      consent: "GUARDIAN:PHONE",
    });
    expect(sent.statusCode).toBe(303);
    page = visibleText((await office.get(`/kasus/${reference}`)).body);
    expect(page).toMatch(/Rujukan [0-9A-Z]{4}-[0-9A-Z]{4} dikirim ke Organisasi Migrasi Fiktif \(CONTOH\)/);
    expect(page).toContain("menunggu jawaban");
    const code = /Rujukan ([0-9A-Z]{4}-[0-9A-Z]{4}) dikirim/.exec(page)?.[1] as string;
    expect(textOf(await t.deliver("rina"))).toContain(`Rujukan baru ${code}`);

    // The partner's login leads to its referrals: no case list, no reference before it accepts.
    const rina = new WebBrowser(web);
    await logIn(t, rina, "rina");
    const inbox = await rina.get("/kotak");
    expect(inbox.statusCode).toBe(303);
    expect(inbox.headers.location).toBe("/rujukan");
    let partnerPage = await rina.get("/rujukan");
    expect(partnerPage.body).toContain('href="/rujukan"');
    expect(partnerPage.body).not.toContain('href="/kotak"');
    let text = visibleText(partnerPage.body);
    expect(text).toContain(`Rujukan ${code}`);
    expect(text).toContain("Organisasi Migrasi Fiktif (CONTOH)");
    expect(text).not.toContain(reference);
    expect((await rina.get(`/kasus/${reference}`)).statusCode).toBe(404);

    // Accepting shows the story on this page only.
    const accepted = await rina.post(`/rujukan/${code}/aksi`, { csrf: rina.csrf, kind: "accept" });
    expect(accepted.statusCode).toBe(200);
    text = visibleText(accepted.body);
    expect(text).toContain(`Rujukan ${code} diterima.`);
    expect(text).toContain("Cerita.");
    partnerPage = await rina.get("/rujukan");
    expect(visibleText(partnerPage.body)).not.toContain("Cerita.");
    const service = await rina.post(`/rujukan/${code}/aksi`, {
      csrf: rina.csrf,
      kind: "service",
      service: "FAMILY_REUNIFICATION",
      givenOn: "2026-11-28",
    });
    expect(service.statusCode).toBe(303);
    expect(visibleText((await rina.get("/rujukan")).body)).toContain("Layanan Penyatuan keluarga tercatat");
    const future = await rina.post(`/rujukan/${code}/aksi`, {
      csrf: rina.csrf,
      kind: "service",
      service: "FAMILY_REUNIFICATION",
      givenOn: "2027-01-01",
    });
    expect(visibleText(future.body)).toContain("Isian tidak lengkap");
    // Another office's staff, or a forged form, change nothing.
    expect((await rina.post(`/rujukan/${code}/aksi`, { csrf: "x", kind: "done" })).statusCode).toBe(403);

    // The office hears of each step; the victim withdraws consent and the partner is told to stop.
    expect(textOf(await t.deliver("ani"))).toContain("mencatat layanan Penyatuan keluarga");
    await office.get(`/kasus/${reference}`);
    const withdrawn = await office.post(`/rujukan/${code}/cabut`, { csrf: office.csrf, reference });
    expect(withdrawn.statusCode).toBe(303);
    expect(visibleText((await office.get(`/kasus/${reference}`)).body)).toContain("persetujuan dicabut");
    expect(textOf(await t.deliver("rina"))).toContain("Akses Anda ke kasus ini berakhir");
    text = visibleText((await rina.get("/rujukan?lang=en")).body);
    expect(text).toContain("Referrals to your organisation");
    expect(text).toContain("consent withdrawn");
    expect(text).not.toContain(reference);
  });

  it("shows a supervisor the referrals no partner answered in time", async () => {
    const { t, web } = await world();
    await t.app.providers.importAll(fictionalProviders(), t.clock.now());
    const ani = await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    await enrolStaff(t, "sri", "Sri", "UPTDPPA-35", "SUPERVISOR");
    const { reference } = await fileReport(t, "siti", "child");
    await t.send("ani", `/terima ${reference}`);
    const referred = await t.app.referrals.run((desk) =>
      desk.refer(
        { ...ani, providerCode: null },
        {
          reference,
          providerCode: "IOM-FIKTIF",
          services: ["FAMILY_REUNIFICATION"],
          consent: { source: "GUARDIAN", method: "IN_PERSON" },
        },
      ),
    );
    if (referred.kind !== "referred") throw new Error(referred.kind);
    const supervisor = new WebBrowser(web);
    await logIn(t, supervisor, "sri");
    expect(visibleText((await supervisor.get("/ringkasan")).body)).toContain("Tidak ada rujukan yang terlambat.");
    t.clock.advance(48 * 3_600_000);
    await t.app.scheduler.tick();
    // Two days on, the supervisor signs in again (a session lasts at most a day).
    await logIn(t, supervisor, "sri");
    const text = visibleText((await supervisor.get("/ringkasan")).body);
    expect(text).toContain("Rujukan terlambat");
    expect(text).toContain(`${reference} ${referred.referral.code} Organisasi Migrasi Fiktif (CONTOH)`);
  });
});

describe("the training mode's inbox", () => {
  const TRAINING_MODE: WebMode = { training: true, trainingUrl: null };

  it("says MODE LATIHAN on every page, before and after login, and keeps its session in cookies of its own", async () => {
    const { t, web } = await world(false, TRAINING_MODE);
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-65");
    await fileReport(t, "warga", "child");
    const browser = new WebBrowser(web);
    const token = await loginLinkFor(t, "ani");
    const login = await browser.get(`/masuk/${token}`);
    expect(visibleText(login.body)).toMatch(
      /^MODE LATIHAN · Masuk · .* Langsung ke isi MODE LATIHAN Semua kasus di sini rekaan/,
    );
    const pre = /name="pre" value="([^"]+)"/.exec(login.body)?.[1] ?? "";
    const done = await browser.post(`/masuk/${token}`, { pre });
    expect(done.statusCode).toBe(303);
    expect([...browser.cookies.keys()]).toEqual(["tppo_latihan_session"]);
    for (const page of ["/kotak", "/mitra", "/kotak?tab=all", "/tidak-ada"]) {
      const shown = await browser.get(page);
      expect(shown.body, page).toContain(
        '<div class="training-banner" role="region" aria-label="MODE LATIHAN"><p><strong>MODE LATIHAN</strong>',
      );
      expect(shown.body, page).toMatch(/<title>MODE LATIHAN · /);
    }
    // A real inbox's session cookie means nothing here.
    const real = new WebBrowser(web);
    real.cookies.set("tppo_session", browser.cookies.get("tppo_latihan_session") as string);
    expect((await real.get("/kotak")).statusCode).toBe(401);
  });

  it("is linked from the real inbox's header when its address is known, and the real inbox has no banner", async () => {
    const { t, web } = await world(false, {
      training: false,
      trainingUrl: "https://latihan.example.org",
    });
    await enrolStaff(t, "ani", "Ani", "UPTDPPA-35");
    const browser = new WebBrowser(web);
    await logIn(t, browser, "ani");
    const inbox = await browser.get("/kotak");
    expect(inbox.body).toContain('<a class="on-band" href="https://latihan.example.org">Mode latihan</a>');
    expect(inbox.body).not.toContain("training-banner");
  });
});
