/**
 * Forecast categories and stage probabilities. Pure.
 *
 * Forecast category: the rep's call on an open deal, as in a forecast meeting.
 *  - `commit`: the rep would bet on it closing in the period.
 *  - `best_case`: it could close in the period if things go well.
 *  - `pipeline`: open, but not expected to close in the period.
 * A deal without a category of its own (`forecastCategory` null) takes the one its stage implies
 * (`categoryFromStage`): prospect and qualified → pipeline, proposal and negotiation → best case.
 * Commit is never implied: it is a promise only the rep (or their manager) makes, so a deal is
 * only ever commit because someone said so. The implied category follows the stage as it moves;
 * a chosen one sticks until it is changed (or cleared back to `auto`).
 *
 * Stage probability: how likely a deal in that stage is to close, a whole percent per open stage,
 * set per workspace (defaults below). The weighted amount of a deal is amount × probability.
 */
import { normalizeName } from "./names.js";
import { isOpenStage, type OpenStage } from "./deal-stages.js";

export const FORECAST_CATEGORIES = ["commit", "best_case", "pipeline"] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

export function isForecastCategory(value: string): value is ForecastCategory {
  return (FORECAST_CATEGORIES as readonly string[]).includes(value);
}

/**
 * The words accepted for each category (after lowercasing, removing accents and joining words
 * with "_"), English and German. German sales teams say "Commit" as often as "Zusage"; Salesforce's
 * German forecast categories are "Zusage", "Bester Fall" and "Pipeline". `auto` clears a deal's own
 * category so the stage decides again.
 */
const CATEGORY_WORDS: Readonly<Record<string, ForecastCategory | "auto">> = {
  commit: "commit",
  committed: "commit",
  zusage: "commit",
  zugesagt: "commit",
  best_case: "best_case",
  bestcase: "best_case",
  best: "best_case",
  upside: "best_case",
  bester_fall: "best_case",
  besterfall: "best_case",
  bestfall: "best_case",
  pipeline: "pipeline",
  pipe: "pipeline",
  auto: "auto",
  automatic: "auto",
  automatisch: "auto",
};

/** What a typed category means: a category, `auto` (from the stage again), or null when unknown. */
export function parseForecastCategory(text: string): ForecastCategory | "auto" | null {
  const key = normalizeName(text).replace(/[\s_-]+/gu, "_").replace(/^_|_$/g, "");
  return Object.hasOwn(CATEGORY_WORDS, key) ? CATEGORY_WORDS[key]! : null;
}

/** The category a stage implies when the deal has none of its own (never commit, see above). */
export function categoryFromStage(stage: string): ForecastCategory {
  return stage === "proposal" || stage === "negotiation" ? "best_case" : "pipeline";
}

/** The category a deal counts under: its own, else the one its stage implies. */
export function forecastCategoryOf(deal: { stage: string; forecastCategory: string | null }): ForecastCategory {
  return deal.forecastCategory !== null && isForecastCategory(deal.forecastCategory) ? deal.forecastCategory : categoryFromStage(deal.stage);
}

/** Whole percent (0–100) per open stage. */
export type StageProbabilities = Record<OpenStage, number>;

/**
 * The defaults: roughly the share of deals at each stage that go on to close in a typical B2B
 * funnel — one in ten prospects, a quarter of qualified deals, half of those with a proposal out,
 * three in four in negotiation. A workspace replaces them with its own win rates.
 */
export const DEFAULT_STAGE_PROBABILITIES: Readonly<StageProbabilities> = Object.freeze({ prospect: 10, qualified: 25, proposal: 50, negotiation: 75 });

/** A stage's probability in whole percent; 0 for a stage that is not an open one. */
export function probabilityOf(probabilities: Readonly<StageProbabilities>, stage: string): number {
  return isOpenStage(stage) ? probabilities[stage] : 0;
}

/**
 * amount × percent / 100, rounded half-up to the cent, exactly: amount = 100q + r gives q × percent
 * whole cents plus r × percent / 100 (r < 100), so no product ever leaves the safe integers.
 */
export function weightedCents(amountCents: number, percent: number): number {
  const q = Math.floor(amountCents / 100);
  const r = amountCents - q * 100;
  return q * percent + Math.floor((r * percent + 50) / 100);
}
