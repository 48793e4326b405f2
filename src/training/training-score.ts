import type { Translate } from "../conversation/ports.ts";
import type { ServiceType } from "../domain/case-services.ts";
import type { TrainingScenario } from "./training-scenarios.ts";

/** What a trainee did with a scenario's case, read from the training database. */
export interface TrainingFacts {
  /** When the case was first accepted; null while it is not. */
  acceptedAt: Date | null;
  /** The acceptance deadline of the office the case reached. */
  acceptDeadline: Date;
  /** The services recorded on the case, in order. */
  services: readonly ServiceType[];
  /** Messages staff wrote to the reporter (`/balas`, the web's reply). */
  repliesToReporter: number;
  /** Everything that went to the reporter's chat once the trainee took over: replies, status news, a new PIN. */
  messagesToReporterChat: number;
  /** When the report's details (its story and contact) were opened. */
  detailViews: readonly Date[];
}

/** The four things a scenario is scored on, in the order shown. */
export const SCORE_ITEMS = ["acceptedInTime", "rightServices", "reporterReply", "detailsOnlyWhenNeeded"] as const;
/** One of SCORE_ITEMS. */
export type ScoreItem = (typeof SCORE_ITEMS)[number];

/** A scenario's score: each item passed or not, and the points. */
export interface ScoreCard {
  scenarioId: string;
  items: ReadonlyArray<{ item: ScoreItem; passed: boolean }>;
  points: number;
  total: number;
}

/**
 * Scores one scenario: accepted before the deadline; every expected service recorded and none
 * that does not fit; the reporter written to (or, when their phone is in other hands, not); and
 * the details opened only once the case was taken on (reading a case you have not accepted is
 * opening it without need).
 */
export function scoreScenario(scenario: TrainingScenario, facts: TrainingFacts): ScoreCard {
  const recorded = new Set(facts.services);
  const fitting = new Set<ServiceType>([...scenario.expectedServices, ...scenario.alsoRight]);
  const accepted = facts.acceptedAt;
  const passed: Record<ScoreItem, boolean> = {
    acceptedInTime: accepted !== null && accepted.getTime() <= facts.acceptDeadline.getTime(),
    rightServices:
      scenario.expectedServices.every((s) => recorded.has(s)) && [...recorded].every((s) => fitting.has(s)),
    reporterReply:
      scenario.replyToReporter === "required" ? facts.repliesToReporter > 0 : facts.messagesToReporterChat === 0,
    detailsOnlyWhenNeeded: facts.detailViews.every((at) => accepted !== null && at.getTime() >= accepted.getTime()),
  };
  const items = SCORE_ITEMS.map((item) => ({ item, passed: passed[item] }));
  return {
    scenarioId: scenario.id,
    items,
    points: items.filter((i) => i.passed).length,
    total: items.length,
  };
}

/** The score as the trainee reads it: the points, each item ticked or not, and what to do about a miss. */
export function scoreText(t: Translate, scenario: TrainingScenario, card: ScoreCard): string {
  const lines = [
    t("training:score.title", {
      scenario: t(`training:scenario.${scenario.key}.title`),
      points: card.points,
      total: card.total,
    }),
  ];
  for (const { item, passed } of card.items) {
    const key = item === "reporterReply" ? `${item}.${scenario.replyToReporter}` : item;
    lines.push(`${passed ? "✓" : "✗"} ${t(`training:score.item.${key}.${passed ? "pass" : "miss"}`)}`);
  }
  return lines.join("\n");
}
