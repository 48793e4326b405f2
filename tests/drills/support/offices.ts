import { runNpm } from "../../support/run-command.ts";

/** Province button labels and codes the drills report from (their offices: UPTDPPA-<code>, DINSOS-<code>). */
export const DRILL_PROVINCES = [
  { label: "Sumatera Utara", code: "12" },
  { label: "Jawa Barat", code: "32" },
  { label: "Jawa Timur", code: "35" },
  { label: "Bali", code: "51" },
  { label: "Sulawesi Selatan", code: "73" },
] as const;

/** The office a drill report is routed to: girls to UPTDPPA, men to DINSOS, of the province. */
export function officeFor(provinceCode: string, victim: "girl" | "man"): string {
  return `${victim === "girl" ? "UPTDPPA" : "DINSOS"}-${provinceCode}`;
}

/**
 * Gives offices a Telegram group as destination with the admin CLI, as an operator would:
 * the first alone (on a fresh data directory that run creates the keys, and two first runs at
 * once would race for the key file), then two at a time (each run starts a node process).
 */
export async function sendCardsToGroups(
  env: Record<string, string>,
  groups: ReadonlyMap<string, number>,
): Promise<void> {
  const setOne = async ([office, chatId]: [string, number]) => {
    const result = await runNpm("admin", ["offices", "set-destination", office, "--group", `tg:${chatId}`], "", env);
    if (result.code !== 0) throw new Error(`set-destination ${office} failed:\n${result.stderr}`);
  };
  const [first, ...rest] = [...groups.entries()];
  if (first) await setOne(first);
  const work = async () => {
    for (let entry = rest.shift(); entry; entry = rest.shift()) await setOne(entry);
  };
  await Promise.all([work(), work()]);
}
