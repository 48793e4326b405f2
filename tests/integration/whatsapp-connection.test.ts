import { afterEach, describe, expect, it } from "vitest";
import { startWhatsApp, type WhatsAppRuntime } from "../../src/channels/whatsapp/run-whatsapp.ts";
import { renderQr, type Schedule } from "../../src/channels/whatsapp/whatsapp-connection.ts";
import { systemClock } from "../../src/services/clock.ts";
import { FakeWhatsApp } from "../support/fake-whatsapp-socket.ts";
import { startTestApp, type TestApp } from "../support/test-app.ts";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

const QR = "2@Xq9Y2bJf0R3mKc8vT1nP4sW7zA6dE5hL0uG2iO9yB3xN8qM1wV,Zm9vYmFyYmF6cXV4,aGVsbG8gd29ybGQ=,c2lnbmF0dXJl";

interface Harness {
  t: TestApp;
  wa: FakeWhatsApp;
  runtime: WhatsAppRuntime;
  operator: string[];
  timers: Array<{ ms: number; run: () => void }>;
  settle(): Promise<void>;
}

/** Starts the adapter on a fake socket, with reconnection timers the test fires by hand. */
async function start(env: Record<string, string> = {}, autoOpen = false): Promise<Harness> {
  const t = await startTestApp({ WHATSAPP_ENABLED: "true", WHATSAPP_TYPING_MS: "0", ...env });
  cleanups.push(() => t.close());
  (t.app as { clock: typeof systemClock }).clock = systemClock;
  const wa = new FakeWhatsApp();
  wa.autoOpen = autoOpen;
  const operator: string[] = [];
  const timers: Harness["timers"] = [];
  const schedule: Schedule = (ms, run) => {
    timers.push({ ms, run });
    return () => {};
  };
  const config = t.app.config.whatsapp;
  if (!config) throw new Error("WhatsApp is not configured");
  const runtime = await startWhatsApp(t.app, config, {
    socketFactory: wa.factory,
    operator: { write: (s) => void operator.push(s) },
    schedule,
    random: () => 0.5,
  });
  cleanups.push(() => runtime.stop());
  // Until nothing visible has changed for three looks 30 ms apart: a busy machine (or a slower
  // database clearing the session) may take longer than one fixed pause.
  const signature = () =>
    JSON.stringify([
      runtime.connection.decisions.length,
      runtime.connection.status,
      wa.sockets.length,
      operator.length,
      timers.length,
    ]);
  const settle = async () => {
    const deadline = Date.now() + 15_000;
    let last = signature();
    for (let quiet = 0; quiet < 3 && Date.now() < deadline; ) {
      await new Promise<void>((r) => setTimeout(r, 30));
      const now = signature();
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
  };
  return { t, wa, runtime, operator, timers, settle };
}

describe("the WhatsApp connection through a fake socket", () => {
  it("draws the QR code of a connection.update in the terminal, each time a new one comes", async () => {
    const h = await start();
    expect(h.wa.sockets).toHaveLength(1);
    h.wa.current.emit("connection.update", { connection: "connecting", qr: QR });
    await h.settle();
    const shown = h.operator.join("");
    expect(shown).toContain("Linked devices > Link a device");
    expect(shown).toContain(renderQr(QR));
    expect(renderQr(QR)).toMatch(/[▀▄█]/);
    expect(renderQr(QR).split("\n").length).toBeGreaterThan(15);
    h.wa.current.emit("connection.update", { qr: `${QR}-next` });
    await h.settle();
    expect(h.operator.join("")).toContain(renderQr(`${QR}-next`));
    expect(h.wa.pairingRequests).toEqual([]);
    // The QR code goes to the operator's terminal, never into the logs.
    expect(h.t.logs.join("")).not.toContain("2@Xq9Y2bJf0R3");
    expect(h.t.logs.join("")).toContain('"event":"whatsapp.qr_shown"');
  });

  it("requests one pairing code when WHATSAPP_PAIRING_NUMBER is set, and shows it instead of the QR code", async () => {
    const h = await start({ WHATSAPP_PAIRING_NUMBER: "+62 811-0000-0000" });
    h.wa.current.emit("connection.update", { connection: "connecting", qr: QR });
    h.wa.current.emit("connection.update", { qr: `${QR}-next` });
    await h.settle();
    expect(h.wa.pairingRequests).toEqual(["6281100000000"]);
    const shown = h.operator.join("");
    expect(shown).toContain("WhatsApp pairing code: K7QM-4TZP");
    expect(shown).toContain("Link with phone number instead");
    expect(shown).not.toContain(renderQr(QR));
    expect(h.t.logs.join("")).not.toContain("K7QM");
  });

  it("saves credentials as they change, so a restart finds the session paired", async () => {
    const h = await start();
    const creds = h.wa.current.options.auth.creds;
    creds.me = { id: "6281100000000:7@s.whatsapp.net", name: "Bot" };
    h.wa.current.emit("creds.update", { me: creds.me });
    h.wa.current.open();
    await h.settle();
    expect(h.runtime.connection.status).toBe("open");
    await h.runtime.stop();
    expect(h.wa.current.ended).toBe(true);
    expect(h.wa.current.loggedOut).toBe(false);
    const again = await startWhatsApp(h.t.app, h.t.app.config.whatsapp as never, {
      socketFactory: h.wa.factory,
      operator: { write: () => {} },
    });
    cleanups.push(() => again.stop());
    expect(h.wa.current.options.auth.creds.me?.id).toBe("6281100000000:7@s.whatsapp.net");
    expect(h.wa.current.options.auth.creds.noiseKey.private).toEqual(creds.noiseKey.private);
  });

  it("pairs by QR: the credentials saved on scanning are the ones the 515 restart reconnects with", async () => {
    const h = await start();
    h.wa.current.emit("connection.update", { connection: "connecting", qr: QR });
    // The phone scanned the code: Baileys fills in the credentials, then asks for a restart at once.
    const creds = h.wa.current.options.auth.creds;
    creds.me = { id: "6281100000000:7@s.whatsapp.net", lid: "11223344556677:7@lid" };
    creds.registered = true;
    h.wa.current.emit("creds.update", { me: creds.me, registered: true });
    h.wa.current.close(515);
    await h.settle();
    expect(h.wa.sockets).toHaveLength(2);
    expect(h.wa.current.options.auth.creds.me?.id).toBe("6281100000000:7@s.whatsapp.net");
    expect(h.wa.current.options.auth.creds.noiseKey.private).toEqual(creds.noiseKey.private);
    h.wa.current.open();
    await h.settle();
    expect(h.runtime.connection.status).toBe("open");
    expect(h.t.logs.join("")).toContain('"event":"whatsapp.restart_required"');
  });

  it("reconnects at once after 515, and backs off with jitter after other closes", async () => {
    const h = await start({}, true);
    await h.settle();
    expect(h.runtime.connection.status).toBe("open");
    h.wa.current.close(515);
    await h.settle();
    expect(h.wa.sockets).toHaveLength(2);
    expect(h.timers).toEqual([]);
    h.wa.current.close(428);
    await h.settle();
    expect(h.wa.sockets).toHaveLength(2);
    expect(h.runtime.connection.status).toBe("waiting");
    expect(h.timers.map((x) => x.ms)).toEqual([1000]);
    h.wa.autoOpen = false;
    h.timers[0]?.run();
    await h.settle();
    expect(h.wa.sockets).toHaveLength(3);
    h.wa.current.close(503);
    await h.settle();
    expect(h.timers.map((x) => x.ms)).toEqual([1000, 2000]);
    h.timers[1]?.run();
    await h.settle();
    h.wa.current.open();
    await h.settle();
    // An open connection starts the backoff again from the beginning.
    h.wa.current.close(undefined);
    await h.settle();
    expect(h.timers.map((x) => x.ms)).toEqual([1000, 2000, 1000]);
    // A replaced socket's late events are ignored.
    h.wa.sockets[0]?.close(440);
    await h.settle();
    expect(h.runtime.connection.status).toBe("waiting");
    expect(h.runtime.connection.decisions.map((d) => d.action)).toEqual([
      "reconnect-now",
      "backoff",
      "backoff",
      "backoff",
    ]);
  });

  it("keeps the session on a 401 within 30 s of a 515, and clears it only when really logged out", async () => {
    const h = await start({}, true);
    await h.settle();
    const creds = h.wa.current.options.auth.creds;
    creds.me = { id: "6281100000000:7@s.whatsapp.net" };
    h.wa.current.emit("creds.update", { me: creds.me });
    await h.settle();
    const prisma = h.t.app.database.prisma;
    const rows = await prisma.whatsAppAuth.count();
    expect(rows).toBeGreaterThanOrEqual(2);

    h.wa.autoOpen = false;
    h.wa.current.close(515);
    await h.settle();
    h.wa.current.close(401);
    await h.settle();
    // Spurious: nothing cleared, a reconnection scheduled, the same session used.
    expect(await prisma.whatsAppAuth.count()).toBe(rows);
    expect(h.timers).toHaveLength(1);
    h.timers[0]?.run();
    await h.settle();
    expect(h.wa.current.options.auth.creds.me?.id).toBe("6281100000000:7@s.whatsapp.net");
    expect(h.operator.join("")).not.toContain("logged out");

    // The 401s go on: really logged out. The session is cleared and pairing starts again.
    h.wa.current.close(401);
    await h.settle();
    h.timers[1]?.run();
    await h.settle();
    h.wa.current.close(401);
    await h.settle();
    expect(h.runtime.connection.decisions.map((d) => d.action)).toEqual([
      "reconnect-now",
      "backoff",
      "backoff",
      "clear-and-repair",
    ]);
    expect(await prisma.whatsAppAuth.count({ where: { key: { not: "index" } } })).toBe(0);
    expect(h.wa.current.options.auth.creds.me).toBeUndefined();
    expect(h.operator.join("")).toContain("was logged out");
    expect(h.operator.join("")).toContain("Linked devices");
    h.wa.current.emit("connection.update", { qr: QR });
    await h.settle();
    expect(h.operator.join("")).toContain(renderQr(QR));
    expect(h.t.logs.join("")).toContain('"event":"whatsapp.logged_out"');
  });

  it("clears at once on a 401 long after any restart, and stops on 440 telling the operator", async () => {
    const h = await start({}, true);
    await h.settle();
    h.wa.current.emit("creds.update", {});
    await h.settle();
    h.wa.current.close(401);
    await h.settle();
    expect(h.runtime.connection.decisions.map((d) => d.action)).toEqual(["clear-and-repair"]);
    expect(h.wa.sockets).toHaveLength(2);
    await h.settle();
    expect(h.runtime.connection.status).toBe("open");

    h.wa.current.close(440);
    await h.settle();
    expect(h.runtime.connection.status).toBe("stopped");
    expect(h.wa.sockets).toHaveLength(2);
    expect(h.timers).toEqual([]);
    expect(h.operator.join("")).toContain("Another client opened this WhatsApp session");
    expect(h.t.logs.join("")).toMatch(/"level":50,[^\n]*"event":"whatsapp.connection_replaced"/);
    // Sends wait in the outbox meanwhile.
    expect(h.runtime.connection.socket).toBeNull();
  });

  it("lists the groups of the bot's number for the operator when asked", async () => {
    const wa = new FakeWhatsApp();
    wa.groups = [{ id: "120363025555555555@g.us", subject: "Tim UPTD PPA Jatim" }];
    const t = await startTestApp({ WHATSAPP_ENABLED: "true", WHATSAPP_LIST_GROUPS: "true" });
    cleanups.push(() => t.close());
    const operator: string[] = [];
    const runtime = await startWhatsApp(t.app, t.app.config.whatsapp as never, {
      socketFactory: wa.factory,
      operator: { write: (s) => void operator.push(s) },
    });
    cleanups.push(() => runtime.stop());
    await wa.waitFor(() => operator.join("").includes("wa:120363025555555555@g.us"), 3000, "the group list");
    expect(operator.join("")).toContain("Tim UPTD PPA Jatim");
    expect(operator.join("")).toContain("offices set-destination");
  });
});
