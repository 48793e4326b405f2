import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { duressPinFor, findScenario, type TrainingScenario } from "../../src/training/training-scenarios.ts";
import { scoreScenario, type TrainingFacts } from "../../src/training/training-score.ts";
import {
  readScores,
  recordScore,
  resetTrainee,
  summariseScores,
  TraineeName,
  trainingAppConfig,
} from "../../src/training/training-session.ts";
import { trainingUrlOf } from "../../src/web/web-inbox.ts";

const child = findScenario("nunukan-anak") as TrainingScenario;
const duress = findScenario("PIN-Darurat ") as TrainingScenario;
const at = (minutes: number) => new Date(Date.UTC(2026, 11, 6, 1, minutes));

/** What a careful trainee did with the child scenario: every item earned. */
const careful: TrainingFacts = {
  acceptedAt: at(10),
  acceptDeadline: at(30),
  services: ["SHELTER", "HEALTH", "RETURN_TRAVEL", "PSYCHOSOCIAL"],
  repliesToReporter: 1,
  messagesToReporterChat: 2,
  detailViews: [at(11), at(40)],
};

const missed = (facts: TrainingFacts, scenario = child) =>
  scoreScenario(scenario, facts)
    .items.filter((i) => !i.passed)
    .map((i) => i.item);

describe("scoring a training scenario", () => {
  it("gives every point for accepting in time, the right services, a word to the reporter and details read after accepting", () => {
    expect(scoreScenario(child, careful)).toMatchObject({ scenarioId: "nunukan-anak", points: 4, total: 4 });
  });

  it("takes the acceptance point for a late or missing acceptance (the deadline itself still counts)", () => {
    expect(missed({ ...careful, acceptedAt: at(30), detailViews: [at(31)] })).toEqual([]);
    expect(missed({ ...careful, acceptedAt: at(31), detailViews: [] })).toEqual(["acceptedInTime"]);
    expect(missed({ ...careful, acceptedAt: null, detailViews: [] })).toEqual(["acceptedInTime"]);
  });

  it("takes the services point for a needed service left out, or one that does not fit the case", () => {
    expect(missed({ ...careful, services: ["SHELTER", "HEALTH"] })).toEqual(["rightServices"]);
    expect(missed({ ...careful, services: [...careful.services, "EDUCATION"] })).toEqual(["rightServices"]);
    // The same service twice is still right.
    expect(missed({ ...careful, services: [...careful.services, "SHELTER"] })).toEqual([]);
  });

  it("wants a reply where the reporter waits, and silence where their phone is in other hands", () => {
    expect(missed({ ...careful, repliesToReporter: 0 })).toEqual(["reporterReply"]);
    const duressFacts = { ...careful, services: ["COMPLAINT_HANDLING" as const], repliesToReporter: 0 };
    expect(missed({ ...duressFacts, messagesToReporterChat: 0 }, duress)).toEqual([]);
    // A new PIN sent to the chat gives the case away as surely as a reply.
    expect(missed({ ...duressFacts, messagesToReporterChat: 1 }, duress)).toEqual(["reporterReply"]);
  });

  it("counts details opened before accepting, or without ever accepting, as opened without need", () => {
    expect(missed({ ...careful, detailViews: [at(9), at(11)] })).toEqual(["detailsOnlyWhenNeeded"]);
    expect(missed({ ...careful, acceptedAt: null, detailViews: [at(9)] })).toEqual([
      "acceptedInTime",
      "detailsOnlyWhenNeeded",
    ]);
    expect(missed({ ...careful, detailViews: [at(10)] })).toEqual([]);
  });

  it("picks a duress PIN that is never the report's own PIN", () => {
    for (const pin of ["000000", "499999", "500000", "999999", "123456"]) {
      expect(duressPinFor(pin)).toMatch(/^\d{6}$/);
      expect(duressPinFor(pin)).not.toBe(pin);
    }
  });
});

describe("the training process's configuration", () => {
  const production = {
    DATA_DIR: "/srv/tppo",
    DATABASE_URL: "postgresql://bot:secret@db.example:5432/bot",
    DATA_KEYS: "k1:AAAA",
    HMAC_KEYS: "h1:BBBB",
    WEB_BASE_URL: "https://inbox.example.org",
    ADMIN_ALERT_CHAT: "tg:-1001234567890",
    HEALTH_PORT: "9090",
  };

  it("runs on a SQLite file of its own per trainee and scenario, with its own keys, no alerts and a training inbox", () => {
    const config = trainingAppConfig(loadConfig(production), "ani", child);
    expect(config).toMatchObject({
      postgresUrl: null,
      databasePath: "/srv/tppo/training/ani--nunukan-anak.db",
      keys: { kind: "embedded", dataDir: "/srv/tppo/training" },
      telegram: null,
      whatsapp: null,
      healthPort: null,
      alerts: { adminChat: null },
      web: { port: 8082, baseUrl: null, training: true },
    });
    const elsewhere = loadConfig({ ...production, TRAINING_DATA_DIR: "/var/lib/latihan", TRAINING_WEB_PORT: "9100" });
    expect(trainingAppConfig(elsewhere, "budi", child)).toMatchObject({
      databasePath: "/var/lib/latihan/budi--nunukan-anak.db",
      web: { port: 9100 },
    });
  });

  it("refuses a real channel's token or WhatsApp, naming what is set", () => {
    expect(() => trainingAppConfig(loadConfig({ ...production, TELEGRAM_BOT_TOKEN: "123:abc" }), "ani", child)).toThrow(
      new ConfigError(
        "Training mode refuses to start: TELEGRAM_BOT_TOKEN is set. Training never talks to Telegram or WhatsApp and never opens the real database; start it without the real bot's channel settings.",
      ),
    );
    expect(() =>
      trainingAppConfig(
        loadConfig({ ...production, TELEGRAM_BOT_TOKEN: "123:abc", WHATSAPP_ENABLED: "true" }),
        "ani",
        child,
      ),
    ).toThrow(/TELEGRAM_BOT_TOKEN and WHATSAPP_ENABLED=true are set/);
  });

  it("refuses a training directory that holds the real database", () => {
    const config = loadConfig({ DATA_DIR: "/srv/tppo", DATABASE_URL: "file:/srv/latihan/ani--nunukan-anak.db" });
    expect(() =>
      trainingAppConfig({ ...config, training: { ...config.training, dataDir: "/srv/latihan" } }, "ani", child),
    ).toThrow(/TRAINING_DATA_DIR is the real data directory \(or the real database's folder\)/);
  });

  it("refuses a training directory that is the real data directory, a port that is the real inbox's, and the reporter's name", () => {
    expect(() =>
      trainingAppConfig(loadConfig({ DATA_DIR: "/srv/tppo", TRAINING_DATA_DIR: "/srv/tppo" }), "ani", child),
    ).toThrow(/TRAINING_DATA_DIR is the real data directory/);
    expect(() =>
      resetTrainee(loadConfig({ DATA_DIR: "/srv/tppo", TRAINING_DATA_DIR: "/srv/tppo/" }), "ani", null),
    ).toThrow(/TRAINING_DATA_DIR is the real data directory/);
    expect(() =>
      trainingAppConfig(
        loadConfig({ DATA_DIR: "/srv/tppo", WEB_PORT: "9000", TRAINING_WEB_PORT: "9000" }),
        "ani",
        child,
      ),
    ).toThrow(/TRAINING_WEB_PORT is the real inbox's WEB_PORT/);
    expect(TraineeName.safeParse("pelapor-latihan").success).toBe(false);
    expect(TraineeName.safeParse("ani.w-2").success).toBe(true);
  });

  it("links the real inbox to the training inbox: its address when set, the same host locally, else nowhere", () => {
    const local = loadConfig({});
    expect(trainingUrlOf(local, local.web ?? { host: "", port: 0, baseUrl: null, required: false })).toBe(
      "http://127.0.0.1:8082",
    );
    const served = loadConfig({ WEB_BASE_URL: "https://inbox.example.org", WEB_ENABLED: "true" });
    expect(trainingUrlOf(served, served.web ?? { host: "", port: 0, baseUrl: null, required: false })).toBeNull();
    const named = loadConfig({ WEB_ENABLED: "true", TRAINING_BASE_URL: "https://latihan.example.org/" });
    expect(trainingUrlOf(named, named.web ?? { host: "", port: 0, baseUrl: null, required: false })).toBe(
      "https://latihan.example.org",
    );
  });
});

describe("resets and the trainer's summary", () => {
  it("a reset removes one trainee's databases (one scenario's or all), never another trainee's, the keys or the score log", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tppo-training-unit-"));
    const config = loadConfig({ DATA_DIR: dir });
    expect(resetTrainee(config, "ani", null)).toBe(0);
    const training = config.training.dataDir;
    mkdirSync(training);
    writeFileSync(path.join(dir, "ani--nunukan-anak.db"), "");
    for (const file of [
      "ani--nunukan-anak.db",
      "ani--nunukan-anak.db-wal",
      "ani--pin-darurat.db",
      "ani---nunukan-anak.db",
      "ani--x--pin-darurat.db",
      "anita--nunukan-anak.db",
      "scores.jsonl",
      "keys.json",
    ]) {
      writeFileSync(path.join(training, file), "");
    }
    const others = [
      "ani---nunukan-anak.db",
      "ani--x--pin-darurat.db",
      "anita--nunukan-anak.db",
      "keys.json",
      "scores.jsonl",
    ];
    expect(resetTrainee(config, "ani", child)).toBe(1);
    expect(readdirSync(training).sort()).toEqual(["ani--pin-darurat.db", ...others].sort());
    expect(resetTrainee(config, "ani", null)).toBe(1);
    expect(readdirSync(training).sort()).toEqual(others.sort());
    // Only the training directory is looked at: a file of that name beside it stays.
    expect(readdirSync(dir)).toContain("ani--nunukan-anak.db");
  });

  it("summarises the score log per trainee and scenario: attempts, best, latest and what the latest missed", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tppo-training-unit-"));
    const config = loadConfig({ DATA_DIR: dir });
    const card = (points: number, missedItems: string[]) => ({
      scenarioId: "nunukan-anak",
      points,
      total: 4,
      items: ["acceptedInTime", "rightServices", "reporterReply", "detailsOnlyWhenNeeded"].map((item) => ({
        item: item as "acceptedInTime",
        passed: !missedItems.includes(item),
      })),
    });
    recordScore(config, "budi", card(2, ["rightServices", "reporterReply"]), at(1), true);
    recordScore(config, "ani", card(4, []), at(2), true);
    // Budi goes on with the same attempt in a second sitting, then begins another.
    recordScore(config, "budi", card(3, ["reporterReply"]), at(3), false);
    recordScore(config, "budi", card(1, ["rightServices", "reporterReply", "acceptedInTime"]), at(4), true);
    writeFileSync(path.join(config.training.dataDir, "scores.jsonl"), "not json\n", { flag: "a" });
    const { records, skipped } = readScores(config);
    expect(skipped).toBe(1);
    expect(summariseScores(records)).toEqual([
      expect.objectContaining({ trainee: "ani", attempts: 1, best: 4, latest: 4, latestMissed: [] }),
      expect.objectContaining({
        trainee: "budi",
        attempts: 2,
        best: 3,
        latest: 1,
        latestMissed: ["acceptedInTime", "rightServices", "reporterReply"],
      }),
    ]);
  });
});
