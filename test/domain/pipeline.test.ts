import { describe, expect, it } from "vitest";
import {
  categoryFromStage,
  DEFAULT_STAGE_PROBABILITIES,
  forecastCategoryOf,
  parseForecastCategory,
  weightedCents,
} from "../../src/domain/forecast.js";
import {
  closeDateOf,
  countsInPeriod,
  coverageTenths,
  pipelinePeriod,
  repPipeline,
  teamPipeline,
  type PipelineDeal,
  type RepPipelineInput,
} from "../../src/domain/pipeline.js";
import { startOfLocalDate } from "../../src/domain/time.js";

describe("forecast categories", () => {
  it.each([
    ["commit", "commit"],
    ["Commit", "commit"],
    ["zusage", "commit"],
    ["Zugesagt", "commit"],
    ["best_case", "best_case"],
    ["bestcase", "best_case"],
    ["best-case", "best_case"],
    ["Best Case", "best_case"],
    ["best", "best_case"],
    ["bester Fall", "best_case"],
    ["Bester_Fall", "best_case"],
    ["pipeline", "pipeline"],
    ["PIPE", "pipeline"],
    ["auto", "auto"],
    ["automatisch", "auto"],
    ["maybe", null],
    ["", null],
    ["best worst", null],
    ["__proto__", null],
    ["constructor", null],
  ])("reads %j as %j", (text, expected) => {
    expect(parseForecastCategory(text)).toBe(expected);
  });

  it.each([
    ["prospect", "pipeline"],
    ["qualified", "pipeline"],
    ["proposal", "best_case"],
    ["negotiation", "best_case"],
    ["something-from-a-crm", "pipeline"],
  ])("a %s deal without a category of its own is %s (commit is never implied)", (stage, category) => {
    expect(categoryFromStage(stage)).toBe(category);
    expect(forecastCategoryOf({ stage, forecastCategory: null })).toBe(category);
  });

  it("a deal's own category wins over its stage; a stored value that is not a category falls back to the stage", () => {
    expect(forecastCategoryOf({ stage: "prospect", forecastCategory: "commit" })).toBe("commit");
    expect(forecastCategoryOf({ stage: "negotiation", forecastCategory: "pipeline" })).toBe("pipeline");
    expect(forecastCategoryOf({ stage: "negotiation", forecastCategory: "xyz" })).toBe("best_case");
  });
});

describe("weightedCents: amount × percent / 100, half-up, exact", () => {
  it.each([
    [0, 50, 0],
    [1, 49, 0], // 0.49 → 0
    [1, 50, 1], // 0.5 → 1
    [99, 50, 50], // 49.5 → 50
    [1_000_050, 25, 250_013], // $10,000.50 × 25 % = $2,500.125 → $2,500.13
    [333_333, 10, 33_333], // $3,333.33 × 10 % = $333.333 → $333.33
    [100_000_000_000_000, 75, 75_000_000_000_000], // the largest amount: no float error
    [12_345, 100, 12_345],
    [12_345, 0, 0],
  ])("%i cents × %i %% = %i cents", (amount, percent, expected) => {
    expect(weightedCents(amount, percent)).toBe(expected);
  });
});

const PERIOD = { startDate: "2026-10-01", endDate: "2027-01-01" }; // Q4 FY2026, fiscal year = calendar year
const TODAY = "2026-11-16";

function deal(id: number, cents: number, stage: string, closeDate: string | null, forecastCategory: string | null = null): PipelineDeal {
  return { dealId: id, amountCents: cents, stage, closeDate, forecastCategory };
}

/** Dana's book on Mon 2026-11-16 (numbers worked by hand in the comments). */
const DANA: PipelineDeal[] = [
  deal(1, 40_000_00, "negotiation", "2026-12-10", "commit"),
  deal(2, 25_000_00, "proposal", "2026-11-30"), // → best case (stage)
  deal(3, 10_000_50, "qualified", "2026-12-20"), // → pipeline (stage)
  deal(4, 8_000_00, "prospect", "2026-12-31", "best_case"), // the period's last day
  deal(5, 12_000_00, "proposal", "2026-09-15", "commit"), // last quarter's date: overdue, counted now
  deal(6, 5_000_00, "negotiation", "2026-11-10"), // in the quarter, already passed: overdue
  deal(7, 30_000_00, "qualified", "2027-01-01"), // the next quarter's first day
  deal(8, 7_000_00, "prospect", null), // no close date
];

function dana(o: Partial<RepPipelineInput> = {}): RepPipelineInput {
  return { period: PERIOD, current: true, today: TODAY, deals: DANA, wonCents: 20_000_00, quotaCents: 150_000_00, probabilities: DEFAULT_STAGE_PROBABILITIES, ...o };
}

describe("which open deals count in a period", () => {
  it.each<[string, string | null, boolean, boolean]>([
    ["inside", "2026-11-30", true, true],
    ["the first day", "2026-10-01", true, true],
    ["the last day", "2026-12-31", true, true],
    ["the next period's first day (half-open)", "2027-01-01", true, false],
    ["passed, in an earlier period: counted in the current one", "2026-09-15", true, true],
    ["passed, in an earlier period: not in the next one", "2026-09-15", false, false],
    ["no close date: in none", null, true, false],
  ])("%s (%s, current: %s) → %s", (_name, close, current, expected) => {
    expect(countsInPeriod(close, PERIOD, current)).toBe(expected);
  });
});

describe("repPipeline (Dana, Q4 FY2026, today 2026-11-16, quota $150,000, won $20,000, 10/25/50/75 %)", () => {
  const p = repPipeline(dana());

  it("adds up each stage: count, amount and weighted amount rounded once per line", () => {
    expect(p.stages).toEqual([
      { stage: "prospect", count: 1, amountCents: 8_000_00, probability: 10, weightedCents: 800_00 },
      // $10,000.50 × 25 % = $2,500.125 → $2,500.13
      { stage: "qualified", count: 1, amountCents: 10_000_50, probability: 25, weightedCents: 2_500_13 },
      // $25,000 + $12,000 = $37,000 × 50 % = $18,500
      { stage: "proposal", count: 2, amountCents: 37_000_00, probability: 50, weightedCents: 18_500_00 },
      // $40,000 + $5,000 = $45,000 × 75 % = $33,750
      { stage: "negotiation", count: 2, amountCents: 45_000_00, probability: 75, weightedCents: 33_750_00 },
    ]);
    // 6 deals: $8,000 + $10,000.50 + $37,000 + $45,000; weighted $800 + $2,500.13 + $18,500 + $33,750.
    expect(p.open).toEqual({ count: 6, amountCents: 100_000_50, weightedCents: 55_550_13 });
  });

  it("splits the same deals by forecast category", () => {
    expect(p.categories).toEqual({
      commit: { count: 2, amountCents: 52_000_00 }, // #1 $40,000 + #5 $12,000
      best_case: { count: 3, amountCents: 38_000_00 }, // #2 $25,000 + #4 $8,000 + #6 $5,000
      pipeline: { count: 1, amountCents: 10_000_50 }, // #3
    });
  });

  it("counts passed close dates as overdue (in the total), and undated deals apart (not in it)", () => {
    expect(p.overdue).toEqual({ count: 2, amountCents: 17_000_00, dealIds: [5, 6] }); // #5 $12,000 + #6 $5,000
    expect(p.undated).toEqual({ count: 1, amountCents: 7_000_00, dealIds: [8] });
  });

  it("forecasts won + commit and won + commit + best case against quota", () => {
    // $20,000 + $52,000 = $72,000 = 48 % of $150,000; + $38,000 = $110,000 = 73.3 %.
    expect(p.forecast).toEqual({ commitCents: 72_000_00, bestCaseCents: 110_000_00, commitAttainment: 0.48, bestCaseAttainment: 110 / 150 });
  });

  it("covers the quota still to go with the open pipeline", () => {
    // to go $150,000 − $20,000 = $130,000; $100,000.50 / $130,000 = 0.769… → shown 0.7×
    expect(p.coverage).toEqual({ kind: "ratio", ratio: 100_000_50 / 130_000_00, toGoCents: 130_000_00 });
    if (p.coverage.kind === "ratio") expect(coverageTenths(p.coverage.ratio)).toBe(0.7);
  });

  it("the next quarter holds only deal #7: nothing overdue, and without a quota no attainment or coverage", () => {
    const next = repPipeline(dana({ period: { startDate: "2027-01-01", endDate: "2027-04-01" }, current: false, wonCents: 0, quotaCents: null }));
    expect(next.open).toEqual({ count: 1, amountCents: 30_000_00, weightedCents: 7_500_00 });
    expect(next.categories.pipeline).toEqual({ count: 1, amountCents: 30_000_00 });
    expect(next.overdue).toEqual({ count: 0, amountCents: 0, dealIds: [] });
    expect(next.undated).toEqual({ count: 1, amountCents: 7_000_00, dealIds: [8] });
    expect(next.forecast).toEqual({ commitCents: 0, bestCaseCents: 0, commitAttainment: null, bestCaseAttainment: null });
    expect(next.coverage).toEqual({ kind: "no_quota" });
  });

  it.each<[string, Partial<RepPipelineInput>, unknown]>([
    ["quota met: nothing to cover", { wonCents: 160_000_00 }, { kind: "met", overCents: 10_000_00 }],
    ["won exactly the quota: met", { wonCents: 150_000_00 }, { kind: "met", overCents: 0 }],
    ["a zero quota is not measured", { quotaCents: 0 }, { kind: "zero_quota" }],
    ["no quota", { quotaCents: null }, { kind: "no_quota" }],
    // to go $1: $100,000.50 / $1 = 100,000.5×
    ["$1 to go", { wonCents: 149_999_00 }, { kind: "ratio", ratio: 100_000_50 / 100, toGoCents: 100 }],
  ])("coverage: %s", (_name, o, expected) => {
    expect(repPipeline(dana(o)).coverage).toEqual(expected);
  });

  it("a zero quota gives no attainment; the sums are still there", () => {
    expect(repPipeline(dana({ quotaCents: 0 })).forecast).toEqual({ commitCents: 72_000_00, bestCaseCents: 110_000_00, commitAttainment: null, bestCaseAttainment: null });
  });

  it("uses the workspace's probabilities, and lists a stage it does not know with 0 %", () => {
    const p2 = repPipeline(dana({ deals: [...DANA, deal(9, 1_000_00, "discovery", "2026-12-01")], probabilities: { prospect: 5, qualified: 20, proposal: 40, negotiation: 90 } }));
    expect(p2.stages.map((s) => [s.stage, s.probability, s.weightedCents])).toEqual([
      ["prospect", 5, 400_00],
      ["qualified", 20, 2_000_10], // $10,000.50 × 20 % = $2,000.10
      ["proposal", 40, 14_800_00],
      ["negotiation", 90, 40_500_00],
      ["discovery", 0, 0],
    ]);
    expect(p2.open.count).toBe(7);
    expect(p2.categories.pipeline.count).toBe(2);
  });
});

describe("teamPipeline (Dana + Bo + Cy, who has no quota)", () => {
  const danaP = repPipeline(dana());
  // Bo: one qualified deal of $1,000.50 (× 25 % = $250.125 → $250.13), won $10,000, quota $50,000.
  const bo = repPipeline(dana({ deals: [deal(20, 1_000_50, "qualified", "2026-12-01")], wonCents: 10_000_00, quotaCents: 50_000_00 }));
  // Cy: a $10,000 negotiation deal he commits, won $5,000, no quota.
  const cy = repPipeline(dana({ deals: [deal(30, 10_000_00, "negotiation", "2026-12-15", "commit")], wonCents: 5_000_00, quotaCents: null }));
  const team = teamPipeline([danaP, bo, cy], DEFAULT_STAGE_PROBABILITIES);

  it("adds the reps' lines: each weighted line is the sum of the reps' rounded lines, so rows add up", () => {
    expect(team.stages).toEqual([
      { stage: "prospect", count: 1, amountCents: 8_000_00, probability: 10, weightedCents: 800_00 },
      // $2,500.13 + $250.13 = $2,750.26 (weighting the sum, $11,001 × 25 %, would give $2,750.25)
      { stage: "qualified", count: 2, amountCents: 11_001_00, probability: 25, weightedCents: 2_750_26 },
      { stage: "proposal", count: 2, amountCents: 37_000_00, probability: 50, weightedCents: 18_500_00 },
      // $33,750 + $7,500
      { stage: "negotiation", count: 3, amountCents: 55_000_00, probability: 75, weightedCents: 41_250_00 },
    ]);
    expect(team.open).toEqual({ count: 8, amountCents: 111_001_00, weightedCents: 63_300_26 });
    expect(team.categories).toEqual({
      commit: { count: 3, amountCents: 62_000_00 },
      best_case: { count: 3, amountCents: 38_000_00 },
      pipeline: { count: 2, amountCents: 11_001_00 },
    });
  });

  it("its quota is the sum of the quotas set; forecast and coverage come from the totals", () => {
    expect(team.wonCents).toBe(35_000_00);
    expect(team.quotaCents).toBe(200_000_00);
    // won $35,000 + commit $62,000 = $97,000 = 48.5 % of $200,000; + best case $38,000 = $135,000 = 67.5 %
    expect(team.forecast).toEqual({ commitCents: 97_000_00, bestCaseCents: 135_000_00, commitAttainment: 0.485, bestCaseAttainment: 0.675 });
    // to go $200,000 − $35,000 = $165,000; $111,001 / $165,000 = 0.672… → 0.6×
    expect(team.coverage).toEqual({ kind: "ratio", ratio: 111_001_00 / 165_000_00, toGoCents: 165_000_00 });
    expect(team.overdue).toEqual({ count: 2, amountCents: 17_000_00, dealIds: [5, 6] });
    expect(team.undated).toEqual({ count: 1, amountCents: 7_000_00, dealIds: [8] });
  });

  it("a team where nobody has a quota has none", () => {
    const none = teamPipeline([cy, cy], DEFAULT_STAGE_PROBABILITIES);
    expect(none.quotaCents).toBeNull();
    expect(none.coverage).toEqual({ kind: "no_quota" });
    expect(none.forecast.commitAttainment).toBeNull();
    expect(teamPipeline([], DEFAULT_STAGE_PROBABILITIES).open).toEqual({ count: 0, amountCents: 0, weightedCents: 0 });
  });
});

describe("coverageTenths rounds down to a tenth", () => {
  it.each([
    [0.769, 0.7],
    [2.96, 2.9],
    [3, 3],
    [0.1 * 3, 0.3], // 0.30000000000000004
    [2.9999999, 2.9],
    [0, 0],
  ])("%f → %f", (ratio, expected) => {
    expect(coverageTenths(ratio)).toBe(expected);
  });
});

describe("the period and the close date, across a fiscal year starting in February and a DST change", () => {
  const NY = "America/New_York";
  // Sat 2026-10-31 12:00 in New York (EDT). With February as the fiscal start, Q3 FY2027 is Aug–Oct.
  const NOW = new Date("2026-10-31T16:00:00Z");

  it.each<[string, Date, number, string, string, string]>([
    ["current, fiscal start Feb", NOW, 2, "current", "2026-08-01", "2026-11-01"],
    // Q4 FY2027 = Nov–Jan: it starts on 2026-11-01, the day DST ends in New York.
    ["next, fiscal start Feb (across the year end)", NOW, 2, "next", "2026-11-01", "2027-02-01"],
    ["current, fiscal start Apr", NOW, 4, "current", "2026-10-01", "2027-01-01"],
    ["next, fiscal start Nov (Nov–Jan is Q1 FY2027)", NOW, 11, "next", "2026-11-01", "2027-02-01"],
    // 23:30 EDT on Oct 31 is Nov 1 in UTC: still Q3 in the workspace's zone.
    ["late evening of the quarter's last day", new Date("2026-11-01T03:30:00Z"), 2, "current", "2026-08-01", "2026-11-01"],
  ])("%s", (_name, now, fiscalStart, which, startDate, endDate) => {
    const period = pipelinePeriod(which === "next" ? "next" : "current", now, NY, fiscalStart);
    expect([period.startDate, period.endDate]).toEqual([startDate, endDate]);
  });

  it("cuts Q4 FY2027 at local midnight: 04:00 UTC before the DST change, 05:00 UTC after it", () => {
    const q4 = pipelinePeriod("next", NOW, NY, 2);
    expect(q4.start.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(q4.end.toISOString()).toBe("2027-02-01T05:00:00.000Z");
    expect(q4.label).toBe("Q4 FY2027");
  });

  it.each<[string, Date | null, string, string | null, boolean, boolean]>([
    // Stored as the start of the day in the owner's zone (as /ae deal close: does).
    ["Nov 1 in New York: the first day of Q4, not Q3", startOfLocalDate("2026-11-01", NY), NY, "2026-11-01", false, true],
    ["Oct 31 in New York: Q3's last day", startOfLocalDate("2026-10-31", NY), NY, "2026-10-31", true, false],
    // 2026-10-31T16:00Z — still Oct 31 in New York, but the Singapore owner picked Nov 1.
    ["Nov 1 in Singapore is judged by its owner's day", startOfLocalDate("2026-11-01", "Asia/Singapore"), "Asia/Singapore", "2026-11-01", false, true],
    ["no close date", null, NY, null, false, false],
  ])("%s", (_name, instant, zone, local, inQ3, inQ4) => {
    const close = closeDateOf(instant, zone);
    expect(close).toBe(local);
    expect(countsInPeriod(close, { startDate: "2026-08-01", endDate: "2026-11-01" }, false)).toBe(inQ3);
    expect(countsInPeriod(close, { startDate: "2026-11-01", endDate: "2027-02-01" }, false)).toBe(inQ4);
  });
});
