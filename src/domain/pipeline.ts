/**
 * The open pipeline of a period and the forecast made from it (`/ae pipeline`). Pure: deals with
 * local close dates, closed-won, the quota and the stage probabilities in; figures out.
 *
 * Money is integer cents throughout; ratios are returned exact and rounded only for display
 * (attainment down to a whole percent, coverage down to a tenth: "2.9×" is never shown for 2.96).
 *
 * Which open deals count in a period [startDate, endDate) (local dates of the workspace's fiscal
 * calendar; a deal's close date is the local date in its owner's zone, the day they picked):
 *  - a close date inside the period;
 *  - in the CURRENT period also every open deal whose close date has already passed, however long
 *    ago: it is still open, so if it closes it closes now. It is counted, and reported as overdue
 *    so it is pushed or closed — never silently dropped because its date went by;
 *  - no close date: counted in no period (nothing says when it closes) and reported apart as
 *    undated, in every period's answer, so it gets a date.
 *
 * Figures:
 *  - per stage: count, amount, weighted = stage amount × the stage's probability, rounded half-up
 *    to the cent once per stage line; the weighted total is the sum of the lines;
 *  - per forecast category (forecast.ts): count and amount;
 *  - forecast: won + commit, and won + commit + best case, each ÷ the effective quota (attainment);
 *  - coverage: open pipeline (every counted open deal, unweighted) ÷ quota still to go, where to go
 *    = quota − won. With the quota met (to go ≤ 0) there is nothing left to cover ("met"); without
 *    a quota, or with a zero one, coverage is not measured.
 *
 * A team's roll-up adds its reps' figures line by line (weighted lines too, so the rows add up to
 * the total); its quota is the sum of the quotas set, and its forecast and coverage are computed
 * from the totals like one rep's. Reps without a quota count in the amounts, not in the quota.
 */
import { FORECAST_CATEGORIES, forecastCategoryOf, probabilityOf, weightedCents, type ForecastCategory, type StageProbabilities } from "./forecast.js";
import { OPEN_STAGES } from "./deal-stages.js";
import { nextPeriod, periodContaining, type Period } from "./periods.js";
import { localDateOf, type LocalDate } from "./time.js";

/** Which fiscal quarter `/ae pipeline` looks at: the one containing today, or the one after. */
export type PipelineWhich = "current" | "next";

/** The fiscal quarter of `which`, cut at midnight in the workspace's zone. */
export function pipelinePeriod(which: PipelineWhich, now: Date, zone: string, fiscalYearStartMonth: number): Period {
  const current = periodContaining("quarter", now, zone, fiscalYearStartMonth);
  return which === "current" ? current : nextPeriod(current, zone, fiscalYearStartMonth);
}

/**
 * A deal's close date as the day its owner picked: the local date of the stored instant (the
 * start of that day in the zone it was entered in) in the owner's zone. Judging it in another
 * zone could move a deal closing on the first day of a quarter into the quarter before.
 */
export function closeDateOf(expectedCloseAt: Date | null, ownerZone: string): LocalDate | null {
  return expectedCloseAt === null ? null : localDateOf(expectedCloseAt, ownerZone);
}

export interface PipelineDeal {
  dealId: number;
  amountCents: number;
  stage: string;
  /** The deal's own category; null = the one its stage implies. */
  forecastCategory: string | null;
  /** The expected close as a local date in the owner's zone; null = none set. */
  closeDate: LocalDate | null;
}

export interface RepPipelineInput {
  /** The period's first local date and the first one after it. */
  period: { startDate: LocalDate; endDate: LocalDate };
  /** The period containing today: open deals whose close date has passed are counted in it. */
  current: boolean;
  /** The owner's local today (what "passed" means). */
  today: LocalDate;
  /** The owner's open deals (any close date; this decides which count). */
  deals: readonly PipelineDeal[];
  /** Closed-won in the period. */
  wonCents: number;
  /** The effective quota for the period (quota × ramp); null = none set. */
  quotaCents: number | null;
  probabilities: Readonly<StageProbabilities>;
}

export interface Bucket {
  count: number;
  amountCents: number;
}

/** Deals to act on (overdue, undated): how many, how much, and which (by deal number). */
export interface DealList extends Bucket {
  dealIds: number[];
}

export interface StageLine extends Bucket {
  stage: string;
  /** Whole percent (0 for a stage that is not one of ours). */
  probability: number;
  weightedCents: number;
}

export interface Forecast {
  /** won + commit */
  commitCents: number;
  /** won + commit + best case */
  bestCaseCents: number;
  /** commitCents ÷ quota; null without a positive quota. */
  commitAttainment: number | null;
  bestCaseAttainment: number | null;
}

export type Coverage =
  /** open ÷ to go, with to go = quota − won > 0. */
  | { kind: "ratio"; ratio: number; toGoCents: number }
  /** Won has reached the quota: nothing left to cover (overCents ≥ 0 above it). */
  | { kind: "met"; overCents: number }
  | { kind: "no_quota" }
  | { kind: "zero_quota" };

export interface PipelineFigures {
  /** Every open stage in order (empty ones included), then any other stage found, by name. */
  stages: StageLine[];
  categories: Record<ForecastCategory, Bucket>;
  /** Every counted open deal. */
  open: Bucket & { weightedCents: number };
  /** Counted deals whose close date is before today (part of `open`). */
  overdue: DealList;
  /** Open deals without a close date (not part of `open`). */
  undated: DealList;
  wonCents: number;
  quotaCents: number | null;
  forecast: Forecast;
  coverage: Coverage;
}

function emptyBucket(): Bucket {
  return { count: 0, amountCents: 0 };
}

function add(bucket: Bucket, amountCents: number): void {
  bucket.count++;
  bucket.amountCents += amountCents;
}

function emptyList(): DealList {
  return { count: 0, amountCents: 0, dealIds: [] };
}

function addDeal(list: DealList, deal: PipelineDeal): void {
  add(list, deal.amountCents);
  list.dealIds.push(deal.dealId);
}

function addList(into: DealList, from: DealList): void {
  into.count += from.count;
  into.amountCents += from.amountCents;
  into.dealIds.push(...from.dealIds);
}

function emptyCategories(): Record<ForecastCategory, Bucket> {
  return { commit: emptyBucket(), best_case: emptyBucket(), pipeline: emptyBucket() };
}

/** Whether an open deal counts in the period (see the file comment). */
export function countsInPeriod(closeDate: LocalDate | null, period: RepPipelineInput["period"], current: boolean): boolean {
  if (closeDate === null) return false;
  if (closeDate >= period.startDate && closeDate < period.endDate) return true;
  return current && closeDate < period.startDate;
}

function forecastOf(wonCents: number, categories: Record<ForecastCategory, Bucket>, quotaCents: number | null): Forecast {
  const commitCents = wonCents + categories.commit.amountCents;
  const bestCaseCents = commitCents + categories.best_case.amountCents;
  const positive = quotaCents !== null && quotaCents > 0;
  return {
    commitCents,
    bestCaseCents,
    commitAttainment: positive ? commitCents / quotaCents : null,
    bestCaseAttainment: positive ? bestCaseCents / quotaCents : null,
  };
}

function coverageOf(openCents: number, wonCents: number, quotaCents: number | null): Coverage {
  if (quotaCents === null) return { kind: "no_quota" };
  if (quotaCents <= 0) return { kind: "zero_quota" };
  const toGoCents = quotaCents - wonCents;
  if (toGoCents <= 0) return { kind: "met", overCents: wonCents - quotaCents };
  return { kind: "ratio", ratio: openCents / toGoCents, toGoCents };
}

/**
 * The stage lines in order. A rep's line is weighted once (its amount × the probability); a team's
 * line adds its reps' weighted lines (`summed`), so the rows of a roll-up add up to its total.
 */
function stageLines(byStage: ReadonlyMap<string, Bucket & { weightedCents?: number }>, probabilities: Readonly<StageProbabilities>, summed: boolean): StageLine[] {
  const others = [...byStage.keys()].filter((s) => !(OPEN_STAGES as readonly string[]).includes(s)).sort();
  return [...OPEN_STAGES, ...others].map((stage) => {
    const b = byStage.get(stage);
    const probability = probabilityOf(probabilities, stage);
    const amountCents = b?.amountCents ?? 0;
    return {
      stage,
      count: b?.count ?? 0,
      amountCents,
      probability,
      weightedCents: summed ? (b?.weightedCents ?? 0) : weightedCents(amountCents, probability),
    };
  });
}

function assembled(parts: {
  stages: StageLine[];
  categories: Record<ForecastCategory, Bucket>;
  overdue: DealList;
  undated: DealList;
  wonCents: number;
  quotaCents: number | null;
}): PipelineFigures {
  const open = parts.stages.reduce((o, l) => ({ count: o.count + l.count, amountCents: o.amountCents + l.amountCents, weightedCents: o.weightedCents + l.weightedCents }), {
    count: 0,
    amountCents: 0,
    weightedCents: 0,
  });
  return {
    ...parts,
    open,
    forecast: forecastOf(parts.wonCents, parts.categories, parts.quotaCents),
    coverage: coverageOf(open.amountCents, parts.wonCents, parts.quotaCents),
  };
}

/** One rep's pipeline and forecast for a period. */
export function repPipeline(input: RepPipelineInput): PipelineFigures {
  const byStage = new Map<string, Bucket>();
  const categories = emptyCategories();
  const overdue = emptyList();
  const undated = emptyList();
  for (const d of input.deals) {
    if (d.closeDate === null) {
      addDeal(undated, d);
      continue;
    }
    if (!countsInPeriod(d.closeDate, input.period, input.current)) continue;
    const line = byStage.get(d.stage) ?? emptyBucket();
    add(line, d.amountCents);
    byStage.set(d.stage, line);
    add(categories[forecastCategoryOf(d)], d.amountCents);
    if (d.closeDate < input.today) addDeal(overdue, d);
  }
  return assembled({
    stages: stageLines(byStage, input.probabilities, false),
    categories,
    overdue,
    undated,
    wonCents: input.wonCents,
    quotaCents: input.quotaCents,
  });
}

/**
 * A team's roll-up: its reps' figures added line by line; quota = the sum of the quotas set (null
 * when none is). `probabilities` only labels the stage lines (the reps' lines are already weighted).
 */
export function teamPipeline(reps: readonly PipelineFigures[], probabilities: Readonly<StageProbabilities>): PipelineFigures {
  const byStage = new Map<string, Bucket & { weightedCents: number }>();
  const categories = emptyCategories();
  const overdue = emptyList();
  const undated = emptyList();
  let wonCents = 0;
  let quotaCents: number | null = null;
  for (const r of reps) {
    for (const l of r.stages) {
      const line = byStage.get(l.stage) ?? { ...emptyBucket(), weightedCents: 0 };
      line.count += l.count;
      line.amountCents += l.amountCents;
      line.weightedCents += l.weightedCents;
      byStage.set(l.stage, line);
    }
    for (const c of FORECAST_CATEGORIES) {
      categories[c].count += r.categories[c].count;
      categories[c].amountCents += r.categories[c].amountCents;
    }
    addList(overdue, r.overdue);
    addList(undated, r.undated);
    wonCents += r.wonCents;
    if (r.quotaCents !== null) quotaCents = (quotaCents ?? 0) + r.quotaCents;
  }
  overdue.dealIds.sort((a, b) => a - b);
  undated.dealIds.sort((a, b) => a - b);
  return assembled({ stages: stageLines(byStage, probabilities, true), categories, overdue, undated, wonCents, quotaCents });
}

/** Coverage rounded DOWN to a tenth (2.96 → 2.9), so "3.0×" appears only once it is really reached. */
export function coverageTenths(ratio: number): number {
  return Math.floor(ratio * 10 + 1e-9) / 10;
}
