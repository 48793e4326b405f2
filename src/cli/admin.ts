/**
 * Administration: `npm run --silent admin -- <command>`. Listings print JSON with --json
 * (stdout holds only that JSON); logs and warnings go to stderr.
 */
import { once } from "node:events";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { type App, createApp, loadKeys } from "../app.ts";
import { ChannelAddressSchema } from "../channels/types.ts";
import { loadConfig } from "../config.ts";
import { caseDetailsMessage } from "../conversation/notices.ts";
import type { CaseListing } from "../db/case-repository.ts";
import type { Office } from "../directory/office-repository.ts";
import { DEFAULT_INVITE_TTL_MS, partnerOfficeCode, type StaffMember } from "../directory/staff-repository.ts";
import { CASE_STATUSES, CATEGORIES, STAFF_ROLES, type StaffRole, URGENCIES } from "../domain/case.ts";
import { isLanguage } from "../domain/language.ts";
import { parseReference } from "../domain/reference.ts";
import { createTranslator, loadLocales } from "../i18n/i18n.ts";
import { createLogger } from "../logging/logger.ts";
import { provinceByCode } from "../regions/provinces.ts";
import { KeyConfigError } from "../security/key-ring.ts";
import { BackupError, backupSqlite } from "../services/backup.ts";
import { describeRotation, rotateKeys } from "../services/key-rotation.ts";
import { releaseWaitingCards, warnAboutMissingDestinations } from "../services/office-destinations.ts";
import { deactivateStaff, findStaff, reactivateStaff, StaffLookupError } from "../services/staff-admin.ts";
import { caseDetailsOf } from "../services/staff-desk.ts";
import { EMERGENCY_USAGE, type EmergencyValues, emergencyCommand } from "./admin-emergency.ts";
import { EXPORT_USAGE, type ExportValues, exportCommand } from "./admin-export.ts";
import { PROVIDERS_USAGE, type ProviderValues, providersCommand } from "./admin-providers.ts";
import { STATS_USAGE, type StatsValues, statsCommand } from "./admin-stats.ts";
import { runCli } from "./run-cli.ts";
import { UsageError } from "./simulator-args.ts";

const USAGE = `usage: npm run admin -- <command> [--json]

offices list                                   every office, its chat destination and waiting cards
offices show <code>                            one office and its staff
offices set-destination <code> --staff-chats   cards go to each enrolled staff member's own chat
offices set-destination <code> --group <addr>  cards go to one group chat (tg:-100..., wa:...@g.us)
offices set-destination <code> --none          no destination: cards go to the national desk
staff add --name <name> --office <code> --role agent|supervisor|national [--lang id|en] [--expires-hours N]
staff add --name <name> --provider <code> [--lang id|en] [--expires-hours N]   partner staff: referrals to that provider only
staff list                                     every staff member
staff invite <id|name> [--expires-hours N]     a new single-use invite code
staff deactivate <id|name>                     the staff member can no longer act or receive cards; their open cases return to the office queue
staff reactivate <id|name>                     the staff member can act again from the chat they enrolled with
audit [--case REF] [--staff NAME] [--since DATE] [--json]   who viewed or did what, refusals included
cases [list]                                   every case, coded fields only (no personal data)
cases show <reference>                         one case with its details (the view is audited)
followups --dry-run                            the reminders, escalations and check-ins due now, and why
rotate-keys [--batch-size N]                   re-encrypt rows under the current data key, re-hash under the current HMAC key (resumable)
backup <file> [--force]                        an online copy of the SQLite database, safe while the bot runs
${EMERGENCY_USAGE}
${PROVIDERS_USAGE}
${STATS_USAGE}
${EXPORT_USAGE}`;

type Values = {
  json?: boolean | undefined;
  help?: boolean | undefined;
  name?: string | undefined;
  office?: string | undefined;
  role?: string | undefined;
  provider?: string | undefined;
  lang?: string | undefined;
  group?: string | undefined;
  "staff-chats"?: boolean | undefined;
  none?: boolean | undefined;
  "expires-hours"?: string | undefined;
  "dry-run"?: boolean | undefined;
  "batch-size"?: string | undefined;
  force?: boolean | undefined;
  case?: string | undefined;
  staff?: string | undefined;
  since?: string | undefined;
} & EmergencyValues &
  ProviderValues &
  StatsValues &
  ExportValues;

/** Who runs this command, as the audit log names them: the OS user it claims to run as. */
function adminActor(): string {
  let user = process.env.SUDO_USER ?? process.env.USER ?? "";
  try {
    user ||= userInfo().username;
  } catch {
    // No passwd entry (a bare container): the environment is all there is.
  }
  return `admin:${user || "unknown"}`;
}

/** A date and time in an office's own zone, named (WIB, WITA, WIT): "2026-12-01 14:00 WIB". */
function officeTime(at: Date, office: Office | null): string {
  const zone = (office?.provinceCode ? provinceByCode(office.provinceCode)?.timeZone : undefined) ?? "Asia/Jakarta";
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const name = { "Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT" }[zone] ?? zone;
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")} ${name}`;
}

function out(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}
/** Writes to stdout and waits while the reader is behind, so a long listing never piles up in memory. */
async function outPaced(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, "drain");
}
function json(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return fixedTable(header, rows, widths);
}

/** Rows in columns of the given widths (a longer cell pushes the rest of its row), with the header if given. */
function fixedTable(header: string[] | null, rows: string[][], widths: readonly number[]): string {
  return (header ? [header, ...rows] : rows)
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const CASE_TABLE_HEADER = ["REFERENCE", "STATUS", "URGENCY", "CATEGORY", "PLACE", "OFFICE", "LANG", "CREATED"];

/** Column widths of `cases` known before any case is read (the listing is written as it is read). */
function caseTableWidths(officeCodes: readonly string[]): number[] {
  const longest = (values: readonly string[]) => Math.max(...values.map((v) => v.length));
  const cells: ReadonlyArray<readonly string[]> = [
    ["XXXX-XXXX-XXXX"],
    CASE_STATUSES,
    URGENCIES,
    CATEGORIES,
    ["abroad:XX"],
    [...officeCodes, "-"],
    ["id"],
    ["2026-01-01 00:00"],
  ];
  return CASE_TABLE_HEADER.map((h, i) => Math.max(h.length, longest(cells[i] ?? [])));
}

/** The machine-readable form of a case in `cases --json`. */
export function caseToJson(row: CaseListing): Record<string, unknown> {
  return {
    reference: row.reference,
    status: row.status,
    assistanceStage: row.assistanceStage,
    urgency: row.urgency,
    category: row.category,
    reporterRole: row.reporterRole,
    provinceCode: row.provinceCode,
    regencyCode: row.regencyCode,
    country: row.country,
    homeProvinceCode: row.homeProvinceCode,
    victimNationality: row.victimNationality,
    victimCountry: row.victimCountry,
    officeCode: row.officeCode,
    copiedTo: row.copiedTo,
    language: row.language,
    lookupFlagged: row.lookupFlagged,
    createdAt: row.createdAt.toISOString(),
  };
}

async function officeJson(app: App, office: Office, waiting: Map<string, number>) {
  const recipients = await app.offices.recipientsOf(office.code);
  const address =
    office.destinationKind === "GROUP" && office.destinationIdentityId
      ? await app.identities.addressOf(office.destinationIdentityId)
      : null;
  return {
    code: office.code,
    kind: office.kind,
    name: office.name,
    provinceCode: office.provinceCode,
    destination: { kind: office.destinationKind, address, chats: recipients.length },
    active: recipients.length > 0,
    waiting: waiting.get(office.code) ?? 0,
  };
}

function staffJson(member: StaffMember) {
  return {
    id: member.id,
    name: member.name,
    officeCode: member.officeCode,
    role: member.role,
    providerCode: member.providerCode,
    language: member.language,
    active: member.active,
    enrolled: member.identityId !== null,
    createdAt: member.createdAt.toISOString(),
  };
}

/** `staff add --provider`: a provider's staff member, who answers referrals to it and reaches no office's cases. */
async function addPartnerStaff(app: App, values: Values, now: Date): Promise<void> {
  if (values.office !== undefined || (values.role !== undefined && values.role.toUpperCase() !== "PARTNER"))
    throw new UsageError(
      "--provider: partner staff belong to a provider, not an office (leave out --office and --role)",
    );
  const code = (values.provider ?? "").trim().toUpperCase();
  const provider = code ? await app.providers.get(code) : null;
  if (!provider) throw new UsageError(`unknown provider: ${values.provider} (see npm run admin -- providers list)`);
  if (!provider.active) throw new UsageError(`provider ${provider.code} is deactivated: reactivate it first`);
  const language = values.lang ?? "id";
  if (!isLanguage(language)) throw new UsageError('--lang: expected "id" or "en"');
  const ttl = inviteTtl(values);
  const member = await app.staff.add(
    {
      name: (values.name ?? "").trim(),
      officeCode: partnerOfficeCode(provider.code),
      role: "PARTNER",
      language,
      providerCode: provider.code,
    },
    now,
  );
  const invite = await app.staff.createInvite(member.id, now, ttl);
  await app.audit.record(
    { actor: adminActor(), action: "staff.added", detail: `${member.id} ${provider.code} PARTNER` },
    now,
  )(app.database.prisma);
  if (values.json)
    return json({ ...staffJson(member), invite: { code: invite.code, expiresAt: invite.expiresAt.toISOString() } });
  out(
    `Added ${member.name} (partner staff, ${provider.name}) as ${member.id}.\nInvite code: ${invite.code} (single use, expires ${officeTime(invite.expiresAt, null)}).\nIn their chat with the bot they type: /staff ${invite.code}`,
  );
}

async function requireOffice(app: App, code: string | undefined): Promise<Office> {
  if (!code) throw new UsageError(`an office code is needed\n${USAGE}`);
  const office = await app.offices.get(code);
  if (!office) throw new UsageError(`unknown office: ${code} (see npm run admin -- offices list)`);
  return office;
}

async function requireStaff(app: App, idOrName: string | undefined): Promise<StaffMember> {
  if (!idOrName) throw new UsageError(`a staff id or name is needed\n${USAGE}`);
  try {
    return await findStaff(app, idOrName);
  } catch (error) {
    if (error instanceof StaffLookupError) throw new UsageError(error.message);
    throw error;
  }
}

function inviteTtl(values: Values): number {
  if (values["expires-hours"] === undefined) return DEFAULT_INVITE_TTL_MS;
  const hours = Number(values["expires-hours"]);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30)
    throw new UsageError("--expires-hours: expected a number of hours from 1 to 720");
  return hours * 60 * 60_000;
}

async function offices(app: App, args: string[], values: Values): Promise<void> {
  const [sub, code] = args;
  const waiting = await app.outbox.waitingByOffice();
  if (sub === undefined || sub === "list") {
    const all = await Promise.all((await app.offices.list()).map((o) => officeJson(app, o, waiting)));
    await warnAboutMissingDestinations(app);
    if (values.json) return json(all);
    out(
      table(
        ["CODE", "DESTINATION", "WAITING", "NAME"],
        all.map((o) => [
          o.code,
          o.destination.kind === "NONE"
            ? "-"
            : `${o.destination.kind.toLowerCase()}${o.active ? "" : " (no chat yet)"}`,
          String(o.waiting),
          o.name,
        ]),
      ),
    );
    const inactive = all.filter((o) => !o.active).length;
    if (inactive > 0)
      process.stderr.write(`Warning: ${inactive} of ${all.length} offices have no active chat destination.\n`);
    return;
  }
  const office = await requireOffice(app, code);
  if (sub === "show") {
    const staff = (await app.staff.list()).filter((s) => s.officeCode === office.code).map(staffJson);
    const view = { ...(await officeJson(app, office, waiting)), staff };
    if (values.json) return json(view);
    out(
      [
        `${view.code}  ${view.name}`,
        `destination: ${view.destination.kind}${view.destination.address ? ` ${view.destination.address}` : ""} (${view.destination.chats} chat(s))`,
        `waiting cards: ${view.waiting}`,
        "staff:",
        ...(staff.length > 0
          ? staff.map(
              (s) =>
                `  ${s.id}  ${s.name}  ${s.role}${s.active ? "" : " (inactive)"}${s.enrolled ? "" : " (not enrolled)"}`,
            )
          : ["  none"]),
      ].join("\n"),
    );
    return;
  }
  if (sub === "set-destination") {
    const chosen = [values.group !== undefined, values["staff-chats"] === true, values.none === true].filter(
      Boolean,
    ).length;
    if (chosen !== 1) throw new UsageError(`choose exactly one of --group <address>, --staff-chats, --none\n${USAGE}`);
    const now = app.clock.now();
    if (values.group !== undefined) {
      const address = ChannelAddressSchema.safeParse(values.group);
      if (!address.success)
        throw new UsageError("--group: expected a chat address such as tg:-1001234567890 or wa:1203...@g.us");
      const identity = await app.identities.resolve(address.data, now);
      await app.offices.setDestination(office.code, "GROUP", identity.id, now);
    } else {
      await app.offices.setDestination(office.code, values.none ? "NONE" : "STAFF_CHATS", null, now);
    }
    await app.audit.record(
      {
        actor: adminActor(),
        action: "office.destination_set",
        detail: `${office.code} ${values.group !== undefined ? "GROUP" : values.none ? "NONE" : "STAFF_CHATS"}`,
      },
      now,
    )(app.database.prisma);
    const released = await releaseWaitingCards(app);
    const view = await officeJson(
      app,
      (await app.offices.get(office.code)) as Office,
      await app.outbox.waitingByOffice(),
    );
    if (values.json) return json({ ...view, released });
    out(
      `${office.code}: destination ${view.destination.kind}${view.active ? "" : " (no chat yet: enrol staff with an invite code)"}; ${released} waiting card(s) released`,
    );
    return;
  }
  throw new UsageError(`unknown command: offices ${sub}\n${USAGE}`);
}

async function staff(app: App, args: string[], values: Values): Promise<void> {
  const [sub, id] = args;
  const now = app.clock.now();
  if (sub === undefined || sub === "list") {
    const all = (await app.staff.list()).map(staffJson);
    if (values.json) return json(all);
    out(
      table(
        ["ID", "NAME", "OFFICE", "ROLE", "STATE"],
        all.map((s) => [
          s.id,
          s.name,
          s.officeCode,
          s.role,
          s.active ? (s.enrolled ? "enrolled" : "invited") : "inactive",
        ]),
      ),
    );
    return;
  }
  if (sub === "add") {
    if (!values.name?.trim()) throw new UsageError(`--name is needed\n${USAGE}`);
    if (values.provider !== undefined) return addPartnerStaff(app, values, now);
    const office = await requireOffice(app, values.office);
    const role = (values.role ?? "").toUpperCase();
    // A partner belongs to a provider, never to an office: with an office code it would be neither.
    if (!(STAFF_ROLES as readonly string[]).includes(role) || role === "PARTNER")
      throw new UsageError(
        "--role: expected agent, supervisor or national (partner staff are added with --provider <code>, without --office)",
      );
    const language = values.lang ?? "id";
    if (!isLanguage(language)) throw new UsageError('--lang: expected "id" or "en"');
    const ttl = inviteTtl(values);
    const member = await app.staff.add(
      { name: values.name.trim(), officeCode: office.code, role: role as StaffRole, language },
      now,
    );
    const invite = await app.staff.createInvite(member.id, now, ttl);
    await app.audit.record(
      { actor: adminActor(), action: "staff.added", detail: `${member.id} ${office.code} ${role}` },
      now,
    )(app.database.prisma);
    if (values.json)
      return json({ ...staffJson(member), invite: { code: invite.code, expiresAt: invite.expiresAt.toISOString() } });
    out(
      `Added ${member.name} (${member.role.toLowerCase()}, ${office.code}) as ${member.id}.\nInvite code: ${invite.code} (single use, expires ${officeTime(invite.expiresAt, office)}).\nIn their chat with the bot they type: /staff ${invite.code}`,
    );
    return;
  }
  const member = await requireStaff(app, id);
  if (sub === "invite") {
    const invite = await app.staff.createInvite(member.id, now, inviteTtl(values));
    await app.audit.record(
      { actor: adminActor(), action: "staff.invited", detail: member.id },
      now,
    )(app.database.prisma);
    if (values.json)
      return json({ id: member.id, invite: { code: invite.code, expiresAt: invite.expiresAt.toISOString() } });
    const office = await app.offices.get(member.officeCode);
    out(
      `Invite code for ${member.name}: ${invite.code} (single use, expires ${officeTime(invite.expiresAt, office)}).`,
    );
    return;
  }
  if (sub === "deactivate") {
    const returned = await deactivateStaff(app, member, adminActor(), now);
    if (values.json) return json({ ...staffJson(member), active: false, returnedCases: returned });
    out(
      `${member.name} (${member.id}) is deactivated.${returned.length > 0 ? ` ${returned.length} open case(s) returned to the office queue: ${returned.join(", ")}.` : ""}`,
    );
    return;
  }
  if (sub === "reactivate") {
    await reactivateStaff(app, member, adminActor(), now);
    if (values.json) return json({ ...staffJson(member), active: true });
    out(
      `${member.name} (${member.id}) is active again${member.identityId ? " and can act from the chat they enrolled with" : "; send them an invite code"}.`,
    );
    return;
  }
  throw new UsageError(`unknown command: staff ${sub}\n${USAGE}`);
}

async function cases(app: App, args: string[], values: Values): Promise<void> {
  const [sub, reference] = args;
  if (sub === undefined || sub === "list") {
    // Written a page at a time: any number of cases lists in the same memory.
    let count = 0;
    if (values.json) {
      for await (const page of app.cases.listPages()) {
        const items = page.map((row) => `  ${JSON.stringify(caseToJson(row), null, 2).replaceAll("\n", "\n  ")}`);
        await outPaced(`${count === 0 ? "[\n" : ",\n"}${items.join(",\n")}`);
        count += page.length;
      }
      // The same text as one JSON.stringify(list, null, 2) of every case.
      return out(count === 0 ? "[]" : "\n]");
    }
    const widths = caseTableWidths((await app.offices.list()).map((o) => o.code));
    for await (const page of app.cases.listPages()) {
      const rows = page.map((r) => [
        r.reference,
        r.status,
        r.urgency,
        r.category,
        r.provinceCode ?? (r.country ? `abroad:${r.country}` : "-"),
        r.officeCode ?? "-",
        r.language,
        r.createdAt.toISOString().slice(0, 16).replace("T", " "),
      ]);
      await outPaced(`${fixedTable(count === 0 ? CASE_TABLE_HEADER : null, rows, widths)}\n`);
      count += page.length;
    }
    out(count === 0 ? "No cases yet." : `\n${count} case(s)`);
    return;
  }
  if (sub === "show") {
    const parsed = reference ? parseReference(reference) : null;
    if (!parsed) throw new UsageError("cases show: expected a reference such as K7QM-4TZP-9XWR");
    const row = await app.caseStore.load(parsed);
    if (!row) throw new UsageError(`unknown case: ${parsed}`);
    const details = await caseDetailsOf(app, row);
    await app.database.prisma.auditLog.create({
      data: {
        actor: adminActor(),
        action: "case.details_viewed",
        caseId: row.id,
        detail: "admin cases show",
        createdAt: app.clock.now(),
      },
    });
    if (values.json)
      return json({
        ...details,
        createdAt: details.createdAt.toISOString(),
        messages: details.messages.map((m) => ({ ...m, at: m.at.toISOString() })),
      });
    const t = createTranslator(loadLocales())("en");
    out(caseDetailsMessage(t, details, (d) => d.toISOString().slice(0, 16).replace("T", " ")).text);
    return;
  }
  throw new UsageError(`unknown command: cases ${sub}\n${USAGE}`);
}

async function followups(app: App, _args: string[], values: Values): Promise<void> {
  if (!values["dry-run"])
    throw new UsageError(`followups: only --dry-run is offered; the running bot sends them\n${USAGE}`);
  const now = app.clock.now();
  const due = await app.scheduler.preview(now);
  if (values.json) {
    return json(
      due.map((d) => ({ reference: d.reference, kind: d.kind, dueAt: d.dueAt.toISOString(), action: d.action })),
    );
  }
  if (due.length === 0) return out("Nothing is due now.");
  const describe = (d: (typeof due)[number]) => {
    const a = d.action;
    switch (a.kind) {
      case "skip":
        return `skip: ${a.why}`;
      case "postpone":
        return `wait until ${a.until.toISOString()}: ${a.why}`;
      case "remind-office":
        return `remind ${a.officeCode}: not accepted at half the deadline`;
      case "escalate":
        return "escalate: not accepted by the deadline";
      case "notify-staff":
        return `tell the ${a.to} of ${a.officeCode}`;
      case "ask-reporter":
        return "ask the reporter in their chat";
    }
  };
  out(
    table(
      ["REFERENCE", "FOLLOW-UP", "DUE", "WOULD"],
      due.map((d) => [d.reference, d.kind, d.dueAt.toISOString().slice(0, 16).replace("T", " "), describe(d)]),
    ),
  );
}

async function audit(app: App, args: string[], values: Values): Promise<void> {
  if (args.length > 0) throw new UsageError(`audit takes options only\n${USAGE}`);
  let caseId: string | undefined;
  if (values.case !== undefined) {
    const reference = parseReference(values.case);
    const row = reference ? await app.caseStore.load(reference) : null;
    if (!row) throw new UsageError(`unknown case: ${values.case}`);
    caseId = row.id;
  }
  const actors: string[] = [];
  if (values.staff !== undefined) {
    const member = await requireStaff(app, values.staff);
    actors.push(`staff:${member.id}`, ...(member.identityId ? [`identity:${member.identityId}`] : []));
  }
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(/^\d{4}-\d{2}-\d{2}$/.test(values.since) ? `${values.since}T00:00:00+07:00` : values.since);
    if (Number.isNaN(since.getTime())) throw new UsageError("--since: expected a date such as 2026-11-28");
  }
  const rows = await app.audit.list({
    ...(caseId ? { caseId } : {}),
    ...(actors.length > 0 ? { actors } : {}),
    ...(since ? { since } : {}),
  });
  const references = new Map(
    (
      await app.database.prisma.case.findMany({
        where: { id: { in: [...new Set(rows.flatMap((r) => (r.caseId ? [r.caseId] : [])))] } },
        select: { id: true, reference: true },
      })
    ).map((c) => [c.id, c.reference]),
  );
  const names = new Map((await app.staff.list()).map((m) => [`staff:${m.id}`, m.name]));
  const view = rows.map((r) => ({
    at: r.createdAt.toISOString(),
    actor: r.actor,
    staffName: names.get(r.actor) ?? null,
    action: r.action,
    reference: r.caseId ? (references.get(r.caseId) ?? null) : null,
    detail: r.detail,
  }));
  if (values.json) return json(view);
  if (view.length === 0) return out("No audit rows match.");
  out(
    table(
      ["TIME (UTC)", "ACTOR", "ACTION", "CASE", "DETAIL"],
      view.map((v) => [
        v.at.slice(0, 19).replace("T", " "),
        v.staffName ? `${v.staffName} (${v.actor})` : v.actor,
        v.action,
        v.reference ?? "-",
        v.detail ?? "",
      ]),
    ),
  );
}

async function rotateKeysCommand(args: string[], values: Values): Promise<void> {
  if (args.length > 0) throw new UsageError(`rotate-keys takes no arguments\n${USAGE}`);
  const batchSize = values["batch-size"] === undefined ? 200 : Number(values["batch-size"]);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new UsageError("--batch-size: expected a whole number of rows from 1 to 10000");
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const keys = loadKeys(config, logger);
  const app = await createApp(config, logger, { keys });
  try {
    const summary = await rotateKeys({
      db: app.database.prisma,
      keys,
      now: app.clock.now(),
      batchSize,
      onProgress: (p) => process.stderr.write(`${p.table}: ${p.done}/${p.pending} ${p.verb}\n`),
    });
    if (values.json) json(summary);
    else out(describeRotation(summary, keys).join("\n"));
    const failed = summary.tables.reduce((n, t) => n + t.failed, 0);
    if (failed > 0) {
      throw new KeyConfigError(
        `rotate-keys: ${failed} row(s) could not be opened (${summary.errors.join("; ")}); they keep their old key. Add the missing data keys and run it again.`,
      );
    }
  } finally {
    await app.close();
  }
}

async function backup(args: string[], values: Values): Promise<void> {
  const [file, ...extra] = args;
  if (!file || extra.length > 0) throw new UsageError(`backup: expected one file name\n${USAGE}`);
  const config = loadConfig();
  if (config.postgresUrl) {
    throw new UsageError(
      'backup: DATABASE_URL is PostgreSQL; back it up with pg_dump instead, e.g. pg_dump --format=custom --file=tppo.dump "$DATABASE_URL" (see README, PostgreSQL)',
    );
  }
  let lastShown = -1;
  try {
    const result = await backupSqlite({
      source: config.databasePath,
      destination: file,
      force: values.force === true,
      onProgress: ({ totalPages, remainingPages }) => {
        const percent = totalPages === 0 ? 100 : Math.floor(((totalPages - remainingPages) / totalPages) * 100);
        if (percent === lastShown) return;
        lastShown = percent;
        process.stderr.write(`backup: ${percent}% (${totalPages - remainingPages}/${totalPages} pages)\n`);
      },
    });
    if (values.json) return json(result);
    const counted = Object.entries(result.rows)
      .map(([table, n]) => `${n} ${table}`)
      .join(", ");
    out(
      `Backed up ${config.databasePath} to ${result.file}: ${result.bytes} bytes, ${result.pages} pages in ${result.durationMs} ms; checked (${counted}). It holds ciphertext only: keep the keys elsewhere.`,
    );
  } catch (error) {
    if (error instanceof BackupError) throw new UsageError(error.message);
    throw error;
  }
}

runCli(async () => {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: {
        json: { type: "boolean" },
        help: { type: "boolean" },
        name: { type: "string" },
        office: { type: "string" },
        role: { type: "string" },
        provider: { type: "string" },
        lang: { type: "string" },
        group: { type: "string" },
        "staff-chats": { type: "boolean" },
        none: { type: "boolean" },
        "expires-hours": { type: "string" },
        "dry-run": { type: "boolean" },
        "batch-size": { type: "string" },
        force: { type: "boolean" },
        case: { type: "string" },
        staff: { type: "string" },
        since: { type: "string" },
        mission: { type: "string" },
        number: { type: "string", multiple: true },
        local: { type: "string" },
        source: { type: "string" },
        date: { type: "string" },
        publisher: { type: "string" },
        whatsapp: { type: "boolean" },
        by: { type: "string" },
        service: { type: "string", multiple: true },
        place: { type: "string" },
        all: { type: "boolean" },
        "review-months": { type: "string" },
        month: { type: "string" },
        province: { type: "string" },
        csv: { type: "boolean" },
        year: { type: "string" },
      },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) return out(USAGE);
  // Neither opens the app the usual way: a backup only reads the file, a rotation needs the key ring.
  if (command === "backup") return backup(rest, parsed.values);
  if (command === "rotate-keys") return rotateKeysCommand(rest, parsed.values);
  const handlers: Record<string, (app: App, args: string[], values: Values) => Promise<void>> = {
    offices,
    staff,
    cases,
    followups,
    audit,
    emergency: emergencyCommand,
    providers: (app, args, values) => providersCommand(app, args, values, adminActor()),
    stats: statsCommand,
    export: (app, args, values) => exportCommand(app, args, values, adminActor()),
  };
  const handler = handlers[command];
  if (!handler) throw new UsageError(`unknown command: ${command}\n${USAGE}`);
  const config = loadConfig();
  const app = await createApp(config, createLogger(config.logLevel));
  try {
    await handler(app, rest, parsed.values);
  } finally {
    await app.close();
  }
});
