import { beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../src/domain/staff-actions.ts";
import { getPlaceResolver } from "../../src/regions/index.ts";
import { EngineChat } from "../support/engine-chat.ts";
import { FakeDesk, FakeStaffDesk } from "../support/fake-desk.ts";

/** The longest text a channel delivers (InboundMessageSchema): WhatsApp allows 65,536 characters. */
const LONG = 65_536;
/** What one message may cost the process, whatever the conversation waits for (issue 13, item 7). */
const BUDGET_MS = 20;

const fill = (head: string, unit: string) => (head + unit.repeat(Math.ceil(LONG / unit.length))).slice(0, LONG);

/** Long messages shaped to hit each matcher where it is slowest. */
const PAYLOADS: Record<string, string> = {
  // Place words and level hints: the resolver tries every span of them.
  places: fill("", "kab malang desa sukamaju jawa timur kota kupang kec cibungbulang "),
  // A number, then white space that never ends in a number's way: backtracking in "1 ." patterns.
  numberThenSpaces: `1${" ".repeat(LONG - 2)}x`,
  // Country and province names everywhere: substring scans over every name.
  countries: fill("", "malaysia arab saudi hong kong taiwan jawa barat nusa tenggara "),
  // A command word followed by reference-like tokens.
  statusCommand: fill("status ", "K7QM 4TZP 9XWR "),
  // Staff commands whose argument is long: the reference is read from the start only.
  staffNote: fill("/catatan K7QM-4TZP-9XWR ", "x "),
  staffClose: fill("/tutup K7QM-4TZP-9XWR ", "tidak "),
  // One unbroken word.
  oneWord: "a".repeat(LONG),
};

const STAFF: StaffActor = {
  id: "staff-1",
  name: "Ani",
  officeCode: "UPTDPPA-35",
  role: "AGENT",
  active: true,
  language: "id",
};

const TO_PLACE = ["halo", "lapor", "tidak", "2", "1", "1", "2", "1", "1"];
const TO_STORY = [...TO_PLACE, "jatim", "ya", "dewasa", "1", "1"];
const TO_CONSENT = [...TO_STORY, "Cerita singkat.", "2", "081211112222"];

/** How to bring a fresh chat to each point where a message is read, and who is writing. */
const STATES: Record<string, { lines: string[]; setup?: (chat: EngineChat) => void }> = {
  "first contact": { lines: [] },
  idle: { lines: ["halo"] },
  "idle with a sent report (relayed to the office)": { lines: [...TO_CONSENT, "1", "1", "1"] },
  danger: { lines: ["halo", "lapor"] },
  role: { lines: ["halo", "lapor", "tidak"] },
  category: { lines: ["halo", "lapor", "tidak", "2"] },
  indicator: { lines: ["halo", "lapor", "tidak", "2", "1"] },
  place: { lines: TO_PLACE },
  "place pick": { lines: [...TO_PLACE, "kupang"] },
  "place narrow": { lines: [...TO_PLACE, "sidomulyo"] },
  "place confirm": { lines: [...TO_PLACE, "jatim"] },
  "place list": { lines: [...TO_PLACE, "3"] },
  country: { lines: [...TO_PLACE, "1"] },
  "home province": { lines: [...TO_PLACE, "1", "malaysia"] },
  "victim age": { lines: [...TO_PLACE, "jatim", "ya"] },
  story: { lines: TO_STORY },
  contact: { lines: [...TO_STORY, "Cerita singkat."] },
  "contact number": { lines: [...TO_STORY, "Cerita singkat.", "2"] },
  consent: { lines: TO_CONSENT },
  "consent declined": { lines: [...TO_CONSENT, "2"] },
  summary: { lines: [...TO_CONSENT, "1"] },
  edit: { lines: [...TO_CONSENT, "1", "2"] },
  "status reference": { lines: ["halo", "status"] },
  "status PIN": { lines: ["halo", "status", "K7QM-4TZP-9XWR"] },
  language: { lines: ["halo", "bahasa"] },
  "privacy menu": { lines: [...TO_CONSENT, "1", "1", "privasi"] },
  "erase question after hapus": { lines: [...TO_CONSENT, "1", "1", "hapus"] },
  "staff in a private chat": {
    lines: [],
    setup: (chat) => {
      chat.staff = STAFF;
    },
  },
  "staff in a group": {
    lines: [],
    setup: (chat) => {
      chat.staff = STAFF;
      chat.inGroup = true;
    },
  },
  "reporter in a group": {
    lines: [],
    setup: (chat) => {
      chat.inGroup = true;
    },
  },
};

async function chatAt(state: (typeof STATES)[string]): Promise<EngineChat> {
  const chat = new EngineChat({ desk: new FakeDesk(), staffDesk: new FakeStaffDesk() });
  state.setup?.(chat);
  await chat.sendAll(...state.lines);
  return chat;
}

/** The CPU time of this thread where Node can tell (23.9 and later), else of the whole process. */
const cpuUsage: (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage =
  (process as { threadCpuUsage?: (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage }).threadCpuUsage?.bind(process) ??
  process.cpuUsage.bind(process);

/**
 * CPU time while the engine handles one message: not wall time, which a busy machine stretches
 * however little the handling costs; and of the main thread where Node can tell, as the
 * collector's and compiler's helper threads run beside it and count in the process's time.
 */
async function cpuMsOf(run: () => Promise<unknown>): Promise<number> {
  const before = cpuUsage();
  await run();
  const used = cpuUsage(before);
  return (used.user + used.system) / 1000;
}

describe("a 64 kB message", () => {
  beforeAll(() => {
    // The place data loads on first use; that is start-up, not the cost of a message.
    getPlaceResolver().resolveText("kab malang");
  });

  it(`costs under ${BUDGET_MS} ms of CPU whatever the conversation is waiting for`, {
    timeout: 10 * 60_000,
  }, async () => {
    const costly: string[] = [];
    for (const [stateName, state] of Object.entries(STATES)) {
      for (const [payloadName, text] of Object.entries(PAYLOADS)) {
        // First run warms the code up (and loads village names if a path needs them).
        await (await chatAt(state)).send(text);
        // The smallest of five runs, so that a garbage collection (or, on a busy machine, a cold
        // cache) falling into one does not count as the message's cost.
        let best = Number.POSITIVE_INFINITY;
        for (let run = 0; run < 5; run++) {
          const chat = await chatAt(state);
          best = Math.min(best, await cpuMsOf(() => chat.send(text)));
        }
        if (best >= BUDGET_MS) costly.push(`${stateName} / ${payloadName}: ${best.toFixed(1)} ms`);
      }
    }
    expect(costly.length, `over ${BUDGET_MS} ms:\n${costly.join("\n")}`).toBe(0);
  });

  it("is kept whole as the story, and relayed whole to the office outside a flow", async () => {
    const story = fill("Kakak saya dibawa ke Malaysia. ", "Dia tidak boleh pulang dan paspornya ditahan. ");
    const desk = new FakeDesk();
    const chat = new EngineChat({ desk });
    await chat.sendAll(...TO_STORY, story, "2", "081211112222", "1", "1");
    // Compared without printing 64 kB on failure.
    const narrative = desk.only().report.narrative ?? "";
    expect(narrative.length).toBe(story.trim().length);
    expect(narrative === story.trim()).toBe(true);

    const relay = fill("Ada kabar baru dari kakak saya. ", "Dia dipindahkan ke tempat lain. ");
    await chat.send(relay);
    expect(desk.relays.at(-1)?.text === relay.trim()).toBe(true);
  });

  it("reaches the staff desk whole as a staff note, its reference read from the first words", async () => {
    const staffDesk = new FakeStaffDesk();
    const chat = new EngineChat({ staffDesk, staff: STAFF });
    const note = fill("Korban sudah dihubungi.\n", "Keluarga minta pendampingan lanjutan. ");
    await chat.send(`/catatan k7qm 4tzp 9xwr ${note}`);
    const action = staffDesk.actions[0];
    expect(action?.kind).toBe("note");
    expect(action?.reference).toBe("K7QM-4TZP-9XWR");
    // White space runs become single spaces, as for any note.
    const expected = note.trim().replace(/\s+/g, " ");
    expect(action?.kind === "note" && action.text === expected).toBe(true);
  });

  it("is not taken for a command, a choice, a place or a PIN because of what it starts with", async () => {
    const chat = new EngineChat();
    await chat.sendAll(...TO_PLACE);
    // A place is read from the first 200 characters: a long message that starts with one still names it.
    await chat.send(`Jawa Timur, ${"saya tidak tahu alamat lengkapnya, ".repeat(2000)}`);
    expect(chat.lastText()).toContain("Tempatnya: Jawa Timur. Benar?");
    // A choice, a command or a PIN is a short message: the same word at the start of a long one is none of them.
    await chat.send(`ya ${"x".repeat(300)}`);
    expect(chat.lastText()).toContain("Tempatnya: Jawa Timur. Benar?");
    const status = new EngineChat();
    await status.send(`batal ${"x".repeat(300)}`);
    expect(status.lastText()).not.toContain("Tidak ada yang perlu dibatalkan");
  });
});
