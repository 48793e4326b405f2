import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { AppConfig } from "./config.ts";
import type { DialogueSettings, Translate } from "./conversation/ports.ts";
import { AttachmentStore } from "./db/attachment-store.ts";
import { AuditStore } from "./db/audit-store.ts";
import { CaseRepository } from "./db/case-repository.ts";
import { CaseStore } from "./db/case-store.ts";
import { ConversationStore } from "./db/conversation-store.ts";
import { type Database, openDatabase } from "./db/database.ts";
import { EmergencyContactStore } from "./db/emergency-contact-store.ts";
import { IdentityStore } from "./db/identity-store.ts";
import { LeaseStore } from "./db/lease-store.ts";
import { LookupBudgetStore } from "./db/lookup-budget-store.ts";
import { OutboxStore } from "./db/outbox-store.ts";
import { loadOfficeDirectory, loadRoutingMatrix } from "./directory/directory-data.ts";
import { OfficeRepository } from "./directory/office-repository.ts";
import { StaffRepository } from "./directory/staff-repository.ts";
import type { FollowUpPolicy } from "./domain/follow-up.ts";
import type { Language } from "./domain/language.ts";
import type { RoutingMatrix } from "./domain/routing.ts";
import { createTranslator, loadLocales } from "./i18n/i18n.ts";
import type { Logger } from "./logging/logger.ts";
import { ProviderRepository } from "./partners/provider-repository.ts";
import { ReferralDesk, ReferralService } from "./partners/referral-desk.ts";
import { ReportQuota } from "./policy/report-quota.ts";
import { FieldCipher } from "./security/field-cipher.ts";
import { Hasher } from "./security/hasher.ts";
import {
  type KeyRing,
  keyRingFromEnvironment,
  keyRingFromFile,
  loadOrCreateEmbeddedKeys,
} from "./security/key-ring.ts";
import { type Clock, realSleep, type Sleep, systemClock } from "./services/clock.ts";
import { ConversationService, type ConversationServiceDeps } from "./services/conversation-service.ts";
import { FollowUpScheduler } from "./services/follow-up-scheduler.ts";
import { releaseWaitingCards } from "./services/office-destinations.ts";
import type { AlertKind } from "./services/operator-alerts.ts";
import { type WebAddress, WebAuthStore } from "./web/web-auth.ts";
import { WebDesk } from "./web/web-desk.ts";
import { configuredBaseUrl } from "./web/web-inbox.ts";

/** The assembled bot core, shared by `npm start`, the simulator, the admin CLI and tests. */
export interface App {
  config: AppConfig;
  logger: Logger;
  database: Database;
  cipher: FieldCipher;
  identities: IdentityStore;
  conversations: ConversationStore;
  outbox: OutboxStore;
  attachments: AttachmentStore;
  cases: CaseRepository;
  /** The case aggregate's one writer. */
  caseStore: CaseStore;
  audit: AuditStore;
  offices: OfficeRepository;
  staff: StaffRepository;
  matrix: RoutingMatrix;
  /** Registers who hears of operator alerts raised inside the core (main wires OperatorAlerts here). */
  onOperatorAlert(listener: (kind: AlertKind, details: Record<string, string | number>) => void): void;
  /** Renders locale keys, for messages the app writes outside a conversation (admin actions). */
  translate: (language: Language) => Translate;
  conversation: ConversationService;
  /** Reminders, escalations and check-ins; started by main, run by hand in tests. */
  scheduler: FollowUpScheduler;
  clock: Clock;
  /** Names this process in claims and leases. */
  instanceId: string;
  /** Work only one instance may do at a time (a channel's dispatcher, the WhatsApp socket). */
  leases: LeaseStore;
  /** The daily report limit per chat, and its marks for maintenance to prune. */
  reportQuota: ReportQuota;
  /** The status look-up budget of each reference, across all chats. */
  lookupBudgets: LookupBudgetStore;
  /** Emergency contacts for people abroad: the shipped file and admins' edits. */
  emergencyContacts: EmergencyContactStore;
  /** The partner services cases are referred to (shipped empty; admins import it). */
  providers: ProviderRepository;
  /** Referrals of cases to those partners, each operation in its own transaction. */
  referrals: ReferralService;
  /** The web inbox's login links and sessions. */
  webAuth: WebAuthStore;
  /** Where the web inbox is reached, set by main once its server listens; login links carry it. */
  webAddress: WebAddress;
  /** The staff desk as the web inbox uses it. */
  webDesk: WebDesk;
  close(): Promise<void>;
}

/** Test and benchmark seams: a controlled clock, no real sleeping, in-memory keys. */
export interface AppOverrides {
  clock?: Clock;
  /** Names this process in follow-up claims (default: random). */
  instanceId?: string;
  sleep?: Sleep;
  keys?: KeyRing;
  strictLocales?: boolean;
}

/**
 * The name of this process when none is configured. SQLite serves one machine, so a restart there
 * is the same instance and takes its leases back at once (no wait after a crash); PostgreSQL
 * instances may share a host, so each process gets its own name.
 */
function defaultInstanceId(provider: Database["provider"]): string {
  return provider === "sqlite" ? `host:${hostname()}` : `${hostname()}:${randomUUID()}`;
}

/** Loads the keys the configuration names, generating the embedded default on first run. */
export function loadKeys(config: AppConfig, logger: Logger): KeyRing {
  const source = config.keys;
  if (source.kind === "environment") return keyRingFromEnvironment(source.dataKeys, source.hmacKeys);
  if (source.kind === "key-file") return keyRingFromFile(source.path);
  logger.warn({
    event: "keys.embedded",
    msg: "Using encryption keys generated in the data directory. Production must supply DATA_KEYS and HMAC_KEYS (or HMAC_KEY), or a KEY_FILE kept outside the data directory and its backups.",
  });
  return loadOrCreateEmbeddedKeys(source.dataDir);
}

/** Builds the core from configuration: config -> keys -> database -> stores -> services. */
export async function createApp(config: AppConfig, logger: Logger, overrides: AppOverrides = {}): Promise<App> {
  const keys = overrides.keys ?? loadKeys(config, logger);
  const cipher = new FieldCipher(keys);
  const hasher = new Hasher(keys);
  const database = await openDatabase({
    postgresUrl: config.postgresUrl,
    sqlitePath: config.databasePath,
    synchronous: config.sqliteSynchronous,
    logger,
  });
  const db = database.prisma;
  const clock = overrides.clock ?? systemClock;
  const instanceId = overrides.instanceId ?? config.instanceId ?? defaultInstanceId(database.provider);
  const identities = new IdentityStore(db, cipher, hasher);
  const conversations = new ConversationStore(db, cipher);
  const outbox = new OutboxStore(db, cipher);
  const cases = new CaseRepository(db);
  const caseStore = new CaseStore(db, cipher);
  const audit = new AuditStore(db);
  const attachments = new AttachmentStore(db, cipher, config.attachmentLimits);
  const offices = new OfficeRepository(db);
  const staff = new StaffRepository(db, hasher);
  const reportQuota = new ReportQuota(db, hasher, (identityId) => identities.addressOf(identityId));
  const lookupBudgets = new LookupBudgetStore(db);
  const directory = loadOfficeDirectory();
  const matrix = loadRoutingMatrix(directory);
  await offices.seed(clock.now(), directory);
  const settings: DialogueSettings = {
    maxReportsPerDay: config.maxReportsPerDay,
    maxRelaysPerDay: config.maxRelaysPerDay,
    conversationTtlMs: config.conversationTtlMs,
    defaultLanguage: config.defaultLanguage,
    acceptDeadlinesMs: config.followUps.ackDeadlineMs,
  };
  const translate = createTranslator(loadLocales(), { strict: overrides.strictLocales ?? false });
  const followUps: FollowUpPolicy = config.followUps;
  const alertListeners: Array<(kind: AlertKind, details: Record<string, string | number>) => void> = [];
  const operatorAlert = (kind: AlertKind, details: Record<string, string | number>) => {
    for (const listener of alertListeners) listener(kind, details);
  };
  const emergencyContacts = new EmergencyContactStore(db);
  const webAuth = new WebAuthStore(db);
  // Login links carry it: the configured address now, the bound one once this process's server listens.
  const webAddress: WebAddress = { baseUrl: configuredBaseUrl(config.web) };
  const providers = new ProviderRepository(db);
  const serviceDeps: ConversationServiceDeps = {
    providers,
    db,
    emergencyContacts,
    identities,
    conversations,
    outbox,
    cases,
    caseStore,
    audit,
    offices,
    staff,
    matrix,
    followUps,
    cipher,
    hasher,
    reportQuota,
    lookupBudgets,
    translate,
    settings,
    clock,
    sleep: overrides.sleep ?? realSleep,
    logger,
    webAuth,
    webAddress,
    onStaffEnrolled: () => releaseWaitingCards({ offices, outbox, matrix, clock, logger }),
    maxMessagesPerMinute: config.maxMessagesPerMinute,
    operatorAlert,
  };
  const referrals = new ReferralService({ ...serviceDeps, providers });
  // Steps that touch referrals (a victim withdrawing consent in the chat) run them in their own transaction.
  serviceDeps.referralDesk = (writer, now) => new ReferralDesk({ ...serviceDeps, providers }, writer, now);
  const conversation = new ConversationService(serviceDeps);
  // The web inbox acts through the same desk as the chat: one set of services, two interfaces.
  const webDesk = new WebDesk(serviceDeps);
  const scheduler = new FollowUpScheduler({
    db,
    clock,
    instanceId,
    cases,
    caseStore,
    audit,
    offices,
    staff,
    outbox,
    cipher,
    hasher,
    reportQuota,
    lookupBudgets,
    translate,
    matrix,
    followUps,
    settings,
    sleep: overrides.sleep ?? realSleep,
    logger,
    referrals,
  });
  return {
    config,
    logger,
    database,
    cipher,
    identities,
    conversations,
    outbox,
    attachments,
    cases,
    caseStore,
    audit,
    offices,
    staff,
    matrix,
    translate,
    onOperatorAlert: (listener) => alertListeners.push(listener),
    conversation,
    scheduler,
    clock,
    instanceId,
    leases: new LeaseStore(db),
    reportQuota,
    lookupBudgets,
    emergencyContacts,
    providers,
    referrals,
    webAuth,
    webAddress,
    webDesk,
    close: () => database.close(),
  };
}
