import type { FakeTelegramServer, SentMessage } from "../../support/fake-telegram-server.ts";
import { DRILL_PROVINCES } from "./offices.ts";

/** Who the victim is and where, which decides the office (and so the staff group) a card goes to. */
export interface ReportPlan {
  /** A province button label, such as "Jawa Timur". */
  province: string;
  /** Child and female: UPTDPPA-<province>; adult and male: DINSOS-<province>. */
  victim: "girl" | "man";
  story: string;
}

type Step = { kind: "text"; text: string; expect: string } | { kind: "press"; label: string; expect: string };

/** The buttons and answers of one whole report in Indonesian, each with words of the reply it should bring. */
export function reportSteps(plan: ReportPlan): Step[] {
  const girl = plan.victim === "girl";
  return [
    { kind: "text", text: "halo", expect: "Halo, terima kasih sudah menghubungi kami" },
    { kind: "press", label: "Buat laporan", expect: "apakah ada orang yang dalam bahaya" },
    { kind: "press", label: "Tidak", expect: "Siapa yang membuat laporan ini?" },
    { kind: "press", label: "Keluarga korban", expect: "Apa yang sedang terjadi?" },
    { kind: "press", label: "Kerja paksa", expect: "dokumen korban ditahan" },
    { kind: "press", label: "Lewati pertanyaan-pertanyaan ini", expect: "Di mana hal ini terjadi?" },
    { kind: "press", label: "Pilih provinsi dari daftar", expect: "Provinsinya di pulau mana?" },
    // A province typed by its name is taken on the island page, whichever island it is on.
    { kind: "text", text: plan.province, expect: "Berapa usia korban?" },
    { kind: "press", label: girl ? "Anak (di bawah 18 tahun)" : "Dewasa (18 tahun ke atas)", expect: "jenis kelamin" },
    { kind: "press", label: girl ? "Perempuan" : "Laki-laki", expect: "Berapa orang" },
    { kind: "press", label: "Satu orang", expect: "Ceritakan apa yang terjadi" },
    { kind: "text", text: plan.story, expect: "Bolehkah petugas menghubungi Anda" },
    { kind: "press", label: "Ya, lewat chat ini", expect: "Bolehkah laporan ini kami teruskan" },
    { kind: "press", label: "Ya, saya setuju", expect: "Mohon periksa jawaban Anda" },
    { kind: "press", label: "Kirim laporan", expect: "Nomor laporan:" },
  ];
}

/** How a driver behaves while the bot is slow, dead or lost its update. */
export interface DriverOptions {
  fake: FakeTelegramServer;
  /** How long to wait for a reply before asking `onSilence` what to do. */
  patienceMs: number;
  /** When the whole report must be done by (ms since epoch). */
  deadline: number;
  /**
   * After a silence: "wait" longer, or "repeat" the action as a person would when the bot never
   * got it (a new update; the old one is gone). Default: always wait.
   */
  onSilence?: (updateId: number) => Promise<"wait" | "repeat">;
  /** Called once the step's reply arrived, with the number of steps done. */
  onStep?: (done: number) => void;
}

/** What one chat's report came to. */
export interface DrivenReport {
  chatId: number;
  reference: string;
  /** Actions the person had to repeat because the bot never got them. */
  repeats: number;
}

/**
 * Plays one person through a whole report over the fake Bot API, waiting for each reply before
 * the next answer (a person reads, then taps). Buttons are pressed on the message that asked.
 */
export async function driveReport(chatId: number, plan: ReportPlan, options: DriverOptions): Promise<DrivenReport> {
  const { fake } = options;
  let asked: SentMessage | null = null;
  let repeats = 0;
  const steps = reportSteps(plan);
  for (const [index, step] of steps.entries()) {
    const before = fake.messagesTo(chatId).length;
    const act = (): number => {
      if (step.kind === "text") return fake.userText(chatId, step.text);
      if (!asked) throw new Error("a button step needs the message that asked");
      return fake.press(chatId, asked, step.label);
    };
    let updateId = act();
    for (;;) {
      const wait = Math.min(options.patienceMs, options.deadline - Date.now());
      if (wait <= 0) {
        throw new Error(`chat ${chatId} got no reply containing "${step.expect}" (step ${index + 1}) in time`);
      }
      const reply = await fake.nextMessage(chatId, (m) => m.text.includes(step.expect), before, wait);
      if (reply) {
        asked = reply;
        break;
      }
      if ((await options.onSilence?.(updateId)) === "repeat") {
        repeats++;
        updateId = act();
      }
    }
    options.onStep?.(index + 1);
  }
  const reference = /Nomor laporan: (\S+)/.exec(asked?.text ?? "")?.[1];
  if (!reference) throw new Error(`chat ${chatId} finished without a reference`);
  return { chatId, reference, repeats };
}

/** Many people reporting at once: their reports as they finish, and how many have a reference so far. */
export interface ReportCrowd {
  /** Every report; rejects with the first chat that failed. */
  reports: Promise<DrivenReport[]>;
  confirmed: () => number;
}

/**
 * Starts `count` people on a report, one every `staggerMs`, from chat `firstChat` on, across the
 * drill provinces with girls and men in turn (so cards reach every drill office).
 */
export function driveManyReports(
  count: number,
  crowd: { firstChat: number; staggerMs: number; story: (index: number) => string },
  options: DriverOptions,
): ReportCrowd {
  let confirmed = 0;
  const drivers = Array.from({ length: count }, async (_, i) => {
    const province = DRILL_PROVINCES[i % DRILL_PROVINCES.length] as (typeof DRILL_PROVINCES)[number];
    const victim = Math.floor(i / DRILL_PROVINCES.length) % 2 === 0 ? "girl" : "man";
    await new Promise((r) => setTimeout(r, i * crowd.staggerMs));
    const report = await driveReport(
      crowd.firstChat + i,
      { province: province.label, victim, story: crowd.story(i) },
      options,
    );
    confirmed++;
    return report;
  });
  // Failures surface through `reports`; this only keeps Node from calling each one unhandled.
  for (const driver of drivers) driver.catch(() => {});
  return { reports: Promise.all(drivers), confirmed: () => confirmed };
}
