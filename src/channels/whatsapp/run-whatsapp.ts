import type { App } from "../../app.ts";
import type { WhatsAppConfig } from "../../config.ts";
import { channelDispatcher, type OutboxDispatcher } from "../../outbox/dispatcher.ts";
import { dispatcherProbe, type HealthMonitor, type ProbeResult } from "../../services/health-monitor.ts";
import { LeaseKeeper } from "../../services/lease-keeper.ts";
import type { ChannelAddress } from "../types.ts";
import { WhatsAppAuthStore } from "./whatsapp-auth-state.ts";
import { type OperatorOutput, type Schedule, stderrOperator, WhatsAppConnection } from "./whatsapp-connection.ts";
import { WhatsAppInbound } from "./whatsapp-inbound.ts";
import { type SenderTiming, WhatsAppSender } from "./whatsapp-sender.ts";
import { createBaileysSocket, type WhatsAppSocketFactory } from "./whatsapp-socket.ts";

/** A running WhatsApp channel. */
export interface WhatsAppRuntime {
  connection: WhatsAppConnection;
  dispatcher: OutboxDispatcher;
  sender: WhatsAppSender;
  auth: WhatsAppAuthStore;
  stop(): Promise<void>;
}

/** Seams: the socket factory (Baileys by default, a fake in tests), the operator's terminal, timers. */
export interface StartWhatsAppOptions {
  socketFactory?: WhatsAppSocketFactory;
  operator?: OperatorOutput;
  senderTiming?: SenderTiming;
  schedule?: Schedule;
  random?: () => number;
  /** WhatsApp logged the bot out: a person must pair the phone again. */
  onLoggedOut?: () => void;
  /** The operator alert chat, whose messages go ahead of any backlog. */
  priorityIdentityId?: string | null;
}

/** How long a group's staff-or-not answer is trusted; an admin's new destination counts within this. */
const STAFF_GROUP_TTL_MS = 30_000;

/** Answers "is this group an office's destination?" from the office directory, briefly cached. */
function staffGroupCheck(app: App): (address: ChannelAddress) => Promise<boolean> {
  let cache: { at: number; identityIds: Set<string> } | null = null;
  return async (address) => {
    const identity = await app.identities.find(address);
    if (!identity) return false;
    const now = Date.now();
    if (!cache || now - cache.at > STAFF_GROUP_TTL_MS) {
      const offices = await app.offices.list();
      cache = {
        at: now,
        identityIds: new Set(
          offices.flatMap((o) =>
            o.destinationKind === "GROUP" && o.destinationIdentityId ? [o.destinationIdentityId] : [],
          ),
        ),
      };
    }
    return cache.identityIds.has(identity.id);
  };
}

/**
 * Starts WhatsApp: the session from the database (pairing by QR code or pairing code when there
 * is none), the inbound side into the conversation service, and the outbox dispatcher sending
 * through the paced sender while the socket is open. Reconnects as the policy says until stopped.
 */
export async function startWhatsApp(
  app: App,
  config: WhatsAppConfig,
  options: StartWhatsAppOptions = {},
): Promise<WhatsAppRuntime> {
  const { logger } = app;
  const auth = new WhatsAppAuthStore(app.database.prisma, app.cipher);
  let connection: WhatsAppConnection | null = null;
  const sender = new WhatsAppSender(() => connection?.socket ?? null, config, options.senderTiming);
  const dispatcher = channelDispatcher(app, sender, options.priorityIdentityId);
  const inbound = new WhatsAppInbound({
    conversation: app.conversation,
    attachments: app.attachments,
    identities: app.identities,
    clock: app.clock,
    logger,
    maxAttachmentBytes: app.config.maxAttachmentBytes,
    isStaffGroup: staffGroupCheck(app),
  });
  const started = new WhatsAppConnection({
    factory: options.socketFactory ?? createBaileysSocket,
    auth,
    logger,
    operator: options.operator ?? stderrOperator,
    pairingNumber: config.pairingNumber,
    listGroups: config.listGroups,
    webSocketUrl: config.webSocketUrl,
    onMessages: (upsert, socket) => inbound.accept(upsert, socket),
    onOpen: () => dispatcher.wake(),
    ...(options.onLoggedOut ? { onLoggedOut: options.onLoggedOut } : {}),
    ...(options.schedule ? { schedule: options.schedule } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  connection = started;
  if (!(await auth.hasSession())) {
    logger.warn({
      event: "whatsapp.not_paired",
      msg: config.pairingNumber
        ? "No WhatsApp session is stored: a pairing code will be printed on stderr; type it on the bot's phone."
        : "No WhatsApp session is stored: a QR code will be printed on stderr; scan it with the bot's phone.",
    });
  }
  dispatcher.start();
  try {
    await started.start();
  } catch (error) {
    // The lease keeper retries the whole start; a dispatcher left behind would claim rows with no socket.
    sender.close();
    await dispatcher.stop();
    throw error;
  }
  return {
    connection: started,
    dispatcher,
    sender,
    auth,
    async stop() {
      // Sends in progress finish and are recorded; paced ones wait in the outbox for the next start.
      sender.close();
      await dispatcher.stop();
      await started.stop();
      // Messages already received are handled: WhatsApp will not deliver them again.
      await inbound.drain();
      logger.info({ event: "whatsapp.channel_stopped" });
    },
  };
}

/** WhatsApp as run by whichever instance holds its lease. */
export interface LeasedWhatsApp {
  keeper: LeaseKeeper;
  /** The channel while this instance holds the lease, else null. */
  current(): WhatsAppRuntime | null;
  stop(): Promise<void>;
}

/**
 * Runs WhatsApp only while this instance holds the "whatsapp:socket" lease (DESIGN §6): one
 * linked device must have one socket, or WhatsApp closes the others as replaced. A standby
 * instance takes over when the holder stops renewing (it died) or releases it (it stopped).
 */
export async function startLeasedWhatsApp(
  app: App,
  config: WhatsAppConfig,
  options: StartWhatsAppOptions & { health?: HealthMonitor } = {},
): Promise<LeasedWhatsApp> {
  let runtime: WhatsAppRuntime | null = null;
  const keeper = new LeaseKeeper({
    leases: app.leases,
    clock: app.clock,
    logger: app.logger,
    name: "whatsapp:socket",
    holder: app.instanceId,
    ttlMs: app.config.leaseMs,
    work: {
      start: async () => {
        runtime = await startWhatsApp(app, config, options);
      },
      stop: async () => {
        const running = runtime;
        runtime = null;
        await running?.stop();
      },
    },
  });
  options.health?.addProbe({
    name: "whatsapp",
    check(): ProbeResult {
      const connection = runtime?.connection;
      if (!connection) return { ok: true, detail: { active: false } };
      return {
        ok: !connection.loggedOut,
        detail: { active: true, status: connection.status, loggedOut: connection.loggedOut },
        ...(connection.loggedOut ? { alert: { kind: "whatsapp_logged_out" as const, details: {} } } : {}),
      };
    },
  });
  options.health?.addProbe(
    dispatcherProbe("whatsapp", () => runtime?.dispatcher ?? null, app.config.alerts.dispatcherFailures),
  );
  await keeper.start();
  return { keeper, current: () => runtime, stop: () => keeper.stop() };
}
