/**
 * The caseload figures of `npm run bench`: a database holding many cases (100,000 by default,
 * three years of reports across every office), then through the engine as people use it a status
 * check ("cek REFERENCE PIN" from a chat that never asked before) and the first page of `/kasus`
 * for staff of every scope, and `npm run admin -- cases --json` run as a process over a tenth,
 * half and all of the cases, to show that it streams (its peak memory stops growing with the cases).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type App, createApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { AGE_GROUPS, CATEGORIES, type CaseStatus, type StaffRole } from "../domain/case.ts";
import { generatePin, generateReference } from "../domain/reference.ts";
import { createLogger } from "../logging/logger.ts";
import { PROJECT_ROOT } from "../project-paths.ts";
import { Hasher } from "../security/hasher.ts";
import { loadOrCreateEmbeddedKeys } from "../security/key-ring.ts";
import { percentile } from "./percentile.ts";
import { peakRssMbOf } from "./telegram-race.ts";

/** One benchmark figure. */
interface Figure {
  value: number;
  unit: string;
}

const DAY_MS = 86_400_000;
/** Reports of the last three years, evenly spread. */
const SPAN_MS = 3 * 365 * DAY_MS;
/** Provinces that send more reports (trafficking's sending regions) weigh more. */
const HEAVY_PROVINCES = ["35", "32", "33", "53", "52", "12", "61"];

/** A deterministic generator, so runs seed the same caseload. */
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A case's status by its age: most old cases are closed, new ones wait or are being worked. */
function statusFor(ageMs: number, r: number): CaseStatus {
  if (ageMs > 180 * DAY_MS) return r < 0.92 ? "CLOSED" : r < 0.97 ? "MONITORING" : "ASSISTANCE";
  if (ageMs > 30 * DAY_MS) return r < 0.5 ? "CLOSED" : r < 0.7 ? "MONITORING" : r < 0.9 ? "ASSISTANCE" : "ASSESSMENT";
  return r < 0.3 ? "ROUTED" : r < 0.5 ? "ACKNOWLEDGED" : r < 0.7 ? "ASSESSMENT" : r < 0.9 ? "ASSISTANCE" : "CLOSED";
}

/** A case the bench can look up: its reference and PIN. */
interface SeededCase {
  reference: string;
  pin: string;
}

/**
 * Writes `count` cases with prepared statements (the engine would take minutes), each with a real
 * PIN hash, an office of its province, staff assigned once accepted, and a copy to a second
 * office for one in twelve. Returns a sample to look up.
 */
function seedCaseload(
  file: string,
  hasher: Hasher,
  keyId: string,
  offices: readonly string[],
  staffByOffice: ReadonlyMap<string, readonly string[]>,
  from: number,
  count: number,
  total: number,
  now: number,
  progress: (text: string) => void,
): SeededCase[] {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const insertCase = db.prepare(
    `INSERT INTO cases (id, reference, pinHash, status, urgency, category, indicators, reporterRole, provinceCode, victimAgeGroup, victimGender, victimCount, contactPreference, consentToShare, language, officeCode, assignedStaffId, assignedAt, lookupFlagged, version, keyId, createdAt, updatedAt, routedAt, acknowledgedAt, serviceStartedAt, closedAt, lastActivityAt)
     VALUES (?, ?, ?, ?, ?, ?, '{}', 'FAMILY', ?, ?, ?, 'ONE', 'NONE', 1, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCopy = db.prepare(`INSERT INTO case_copies (caseId, officeCode, createdAt) VALUES (?, ?, ?)`);
  const random = seededRandom(from + 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const provinceOffices = offices.filter((code) => /-\d{2}$/.test(code));
  const sample: SeededCase[] = [];
  const batch = db.transaction((start: number, end: number) => {
    for (let i = start; i < end; i++) {
      // Spread over the span by the case's place in the whole caseload, so both seedings interleave.
      const createdAt = now - SPAN_MS + Math.floor(((i + 0.5) / total) * SPAN_MS);
      const status = statusFor(now - createdAt, random());
      const province = random() < 0.5 ? pick(HEAVY_PROVINCES) : (pick(provinceOffices).slice(-2) as string);
      const ageGroup = random() < 0.3 ? "CHILD" : pick(AGE_GROUPS);
      const office = random() < 0.1 ? pick(offices) : `${ageGroup === "CHILD" ? "UPTDPPA" : "DINSOS"}-${province}`;
      const officeCode = offices.includes(office) ? office : pick(offices);
      const accepted = status !== "RECEIVED" && status !== "ROUTED";
      const staff = staffByOffice.get(officeCode) ?? [];
      const assignee = accepted && staff.length > 0 ? pick(staff) : null;
      const reference = generateReference();
      const pin = generatePin();
      if (i % 97 === 0) sample.push({ reference, pin });
      // The text Prisma writes for a DateTime on SQLite (dates compare as text there).
      const at = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace("Z", "+00:00"));
      const routedAt = createdAt + 1000;
      const acceptedAt = accepted ? routedAt + Math.floor(random() * DAY_MS) : null;
      const serviceAt =
        status === "ASSISTANCE" || status === "MONITORING" || status === "CLOSED"
          ? (acceptedAt ?? routedAt) + 3 * DAY_MS
          : null;
      const closedAt = status === "CLOSED" ? createdAt + 20 * DAY_MS : null;
      const updatedAt = Math.min(now, closedAt ?? serviceAt ?? acceptedAt ?? routedAt);
      const caseId = randomUUID();
      insertCase.run(
        caseId,
        reference,
        hasher.pin(reference, pin),
        status,
        random() < 0.15 ? "URGENT" : "NORMAL",
        pick(CATEGORIES),
        province,
        ageGroup,
        random() < 0.6 ? "FEMALE" : "MALE",
        random() < 0.8 ? "id" : "en",
        officeCode,
        assignee,
        at(assignee ? acceptedAt : null),
        keyId,
        at(createdAt),
        at(updatedAt),
        at(routedAt),
        at(acceptedAt),
        at(serviceAt),
        at(closedAt),
        at(updatedAt),
      );
      if (random() < 1 / 12) {
        const copy = pick(offices);
        if (copy !== officeCode) insertCopy.run(caseId, copy, at(routedAt));
      }
    }
  });
  const step = 10_000;
  for (let start = from; start < from + count; start += step) {
    batch(start, Math.min(from + count, start + step));
    progress(`caseload: ${Math.min(from + count, start + step)}/${total} cases stored`);
  }
  db.pragma("optimize");
  db.close();
  return sample;
}

/** Runs `npm run admin -- cases --json` as the script does (its flags too), counting the cases it prints and its peak memory. */
async function adminCasesJson(dataDir: string): Promise<{ cases: number; peakRssMb: number; seconds: number }> {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
    scripts: { admin: string };
  };
  const started = performance.now();
  // The admin script's own command (it execs node, so the process measured is the listing's).
  const child = spawn("sh", ["-c", `${pkg.scripts.admin} cases --json`], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      LOG_LEVEL: "error",
      KEY_FILE: "",
      DATA_KEYS: "",
      HMAC_KEY: "",
      HMAC_KEYS: "",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let peak = 0;
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    try {
      const now = peakRssMbOf(child.pid);
      // A process that has exited but not been reaped has no VmHWM line any more.
      if (Number.isFinite(now)) peak = Math.max(peak, now);
    } catch {
      // Gone already: its last reading stands.
    }
  }, 10);
  // Counted as it arrives, never kept: the bench must not be what holds the listing.
  // The tail kept is shorter than the key, so a key counted in one chunk is never counted again.
  const key = '"reference":';
  let references = 0;
  let tail = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    const text = tail + chunk;
    references += text.split(key).length - 1;
    tail = text.slice(-(key.length - 1));
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  clearInterval(poll);
  if (code !== 0) throw new Error(`admin cases --json exited with ${code}`);
  return { cases: references, peakRssMb: peak, seconds: (performance.now() - started) / 1000 };
}

/** Handles one chat line through the engine and returns how long the step took. */
async function timedStep(app: App, address: `term:${string}`, text: string): Promise<{ ms: number; replies: number }> {
  const started = performance.now();
  const outcome = await app.conversation.handle({
    address,
    messageId: randomUUID(),
    receivedAt: new Date(),
    text,
    languageHint: "id",
  });
  return { ms: performance.now() - started, replies: outcome.replies };
}

/** Seeds the caseload in `dir` and measures the status check, the case list and the admin listing over it. */
export async function benchCaseload(
  dir: string,
  options: { cases: number; progress: (text: string) => void },
): Promise<Record<string, Figure>> {
  const { cases: total, progress } = options;
  const dataDir = path.join(dir, "caseload");
  const config = loadConfig({ DATA_DIR: dataDir });
  const keys = loadOrCreateEmbeddedKeys(dataDir);
  const hasher = new Hasher(keys);
  const app = await createApp(config, createLogger("silent"), { keys, sleep: async () => {} });
  const now = Date.now();
  const offices = (await app.offices.list()).map((o) => o.code);
  // Staff of every office (names for the list), and the three scopes that ask for the list.
  const staffByOffice = new Map<string, string[]>();
  for (const code of offices) {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (
          await app.staff.add(
            { name: `Staf ${code} ${i + 1}`, officeCode: code, role: "AGENT", language: "id" },
            new Date(now),
          )
        ).id,
      );
    staffByOffice.set(code, ids);
  }
  const viewers: Array<{ address: `term:${string}`; role: StaffRole; officeCode: string }> = [
    { address: "term:bench-national", role: "NATIONAL", officeCode: "NATIONAL" },
    { address: "term:bench-supervisor", role: "SUPERVISOR", officeCode: "DINSOS-35" },
    { address: "term:bench-agent", role: "AGENT", officeCode: "UPTDPPA-32" },
  ];
  for (const viewer of viewers) {
    const member = await app.staff.add(
      { name: `Bench ${viewer.role}`, officeCode: viewer.officeCode, role: viewer.role, language: "id" },
      new Date(now),
    );
    const invite = await app.staff.createInvite(member.id, new Date(now));
    await app.offices.setDestination(viewer.officeCode, "STAFF_CHATS", null, new Date(now));
    await timedStep(app, viewer.address, `/staff ${invite.code}`);
  }
  const keyId = app.cipher.currentKeyId;
  // Stored in three steps, the listing run after each: a tenth, half, and all of the cases.
  const steps = [Math.max(1, Math.floor(total / 10)), Math.max(1, Math.floor(total / 2)), total];
  progress(`caseload: ${total} cases, three years across ${offices.length} offices`);
  const sample: SeededCase[] = [];
  const listings: Array<{ cases: number; peakRssMb: number; seconds: number }> = [];
  let stored = 0;
  for (const upTo of steps) {
    const seeded = seedCaseload(
      config.databasePath,
      hasher,
      keyId,
      offices,
      staffByOffice,
      stored,
      upTo - stored,
      total,
      now,
      progress,
    );
    sample.push(...seeded);
    stored = upTo;
    progress(`caseload: admin cases --json over ${upTo} cases`);
    const listing = await adminCasesJson(dataDir);
    if (listing.cases !== upTo) throw new Error(`admin cases --json listed ${listing.cases} cases, expected ${upTo}`);
    listings.push(listing);
  }
  const [tenth, half, all] = listings as [
    (typeof listings)[number],
    (typeof listings)[number],
    (typeof listings)[number],
  ];

  const lookups = Math.min(sample.length, 300);
  progress(`caseload: ${lookups} status checks and 300 case lists through the engine`);
  // The first rounds are not measured: they compile the code paths (as in a bot that has run a while).
  const warmup = 20;
  const lookupMs: number[] = [];
  for (let i = 0; i < warmup + lookups; i++) {
    const { reference, pin } = sample[(i * 7919) % sample.length] as SeededCase;
    const step = await timedStep(app, `term:bench-lookup-${i}`, `cek ${reference} ${pin}`);
    if (step.replies === 0) throw new Error("a status check got no reply");
    if (i >= warmup) lookupMs.push(step.ms);
  }
  const listMs: number[] = [];
  const filters = ["/kasus", "/kasus saya", "/kasus baru", "/kasus terlambat", "/kasus jatim"];
  for (let i = 0; i < warmup + 300; i++) {
    const viewer = viewers[i % viewers.length] as (typeof viewers)[number];
    const filter = filters[Math.floor(i / viewers.length) % filters.length] as string;
    const step = await timedStep(app, viewer.address, filter);
    if (step.replies === 0) throw new Error("a case list got no reply");
    if (i >= warmup) listMs.push(step.ms);
  }
  await app.close();
  lookupMs.sort((a, b) => a - b);
  listMs.sort((a, b) => a - b);
  const ms = (n: number) => Number(n.toFixed(3));
  return {
    caseload_cases: { value: total, unit: "cases" },
    status_lookup_p50_ms: { value: ms(percentile(lookupMs, 50)), unit: "ms" },
    status_lookup_p99_ms: { value: ms(percentile(lookupMs, 99)), unit: "ms (target < 20)" },
    case_list_first_page_p50_ms: { value: ms(percentile(listMs, 50)), unit: "ms" },
    case_list_first_page_p99_ms: { value: ms(percentile(listMs, 99)), unit: "ms (target < 50)" },
    admin_cases_json_s: { value: Number(all.seconds.toFixed(2)), unit: "s" },
    admin_cases_json_peak_rss_mb_tenth: { value: Number(tenth.peakRssMb.toFixed(1)), unit: "MB" },
    admin_cases_json_peak_rss_mb_half: { value: Number(half.peakRssMb.toFixed(1)), unit: "MB" },
    admin_cases_json_peak_rss_mb: { value: Number(all.peakRssMb.toFixed(1)), unit: "MB" },
    admin_cases_json_rss_growth_mb: {
      value: Number((all.peakRssMb - half.peakRssMb).toFixed(1)),
      unit: "MB from half to all cases (constant memory: near 0)",
    },
  };
}
