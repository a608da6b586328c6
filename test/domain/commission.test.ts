import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  commissionEstimate,
  commissionFor,
  marginalCommission,
  type CommissionTier,
  type CompPlan,
} from "../../src/domain/commission.js";

const FLAT: CompPlan = { baseSalaryCents: 0, commissionRate: 0.1, acceleratorMultiplier: 1, bonuses: [] };
const ACCEL: CompPlan = { baseSalaryCents: 0, commissionRate: 0.1, acceleratorMultiplier: 2, bonuses: [] };
const DECEL: CompPlan = {
  baseSalaryCents: 0,
  commissionRate: 0.1,
  acceleratorMultiplier: 1.5,
  deceleratorThreshold: 0.5,
  deceleratorMultiplier: 0.5,
  bonuses: [],
};
// Bonuses deliberately unsorted: the code must not depend on their order.
const BONUS: CompPlan = {
  baseSalaryCents: 2_000_000,
  commissionRate: 0.1,
  acceleratorMultiplier: 2,
  bonuses: [
    { attainment: 1.25, amountCents: 1_000_000 },
    { attainment: 1.0, amountCents: 500_000 },
  ],
};
const ODD_BONUS: CompPlan = {
  baseSalaryCents: 0,
  commissionRate: 0.05,
  acceleratorMultiplier: 1,
  bonuses: [{ attainment: 1.1, amountCents: 10_000 }],
};
const Q = 10_000_000; // $100k quota

type Line = [CommissionTier, number, number]; // [tier, revenue, commission]

describe("commissionFor", () => {
  it.each<[string, CompPlan, number | null, number, number, number, Line[]]>([
    // [label, plan, quota, won, commission, bonus, breakdown]
    ["flat, below quota", FLAT, Q, 5_000_000, 500_000, 0, [["base", 5_000_000, 500_000]]], // 5M × 10 %
    // Accelerator 1 = none: one base line even above quota. 12M × 10 %.
    ["flat, above quota", FLAT, Q, 12_000_000, 1_200_000, 0, [["base", 12_000_000, 1_200_000]]],
    ["accel, below quota", ACCEL, Q, 9_000_000, 900_000, 0, [["base", 9_000_000, 900_000]]],
    ["accel, exactly quota", ACCEL, Q, 10_000_000, 1_000_000, 0, [["base", 10_000_000, 1_000_000]]],
    // 10M × 10 % = 1,000,000 + 2M × 20 % = 400,000 → 1,400,000.
    ["accel, above quota", ACCEL, Q, 12_000_000, 1_400_000, 0, [
      ["base", 10_000_000, 1_000_000], ["accelerated", 2_000_000, 400_000]]],
    // Attainment 40 % < 50 %: all revenue at 10 % × 0.5 = 5 % → 4M × 5 % = 200,000.
    ["decel, below threshold", DECEL, Q, 4_000_000, 200_000, 0, [["decelerated", 4_000_000, 200_000]]],
    // 4,999,999 × 5 % = 249,999.95 → 250,000.
    ["decel, one cent below threshold", DECEL, Q, 4_999_999, 250_000, 0, [["decelerated", 4_999_999, 250_000]]],
    // At 50 % the decelerator is gone: 5M × 10 % = 500,000 (the cliff).
    ["decel, at threshold", DECEL, Q, 5_000_000, 500_000, 0, [["base", 5_000_000, 500_000]]],
    // 10M × 10 % = 1,000,000 + 1M × 15 % = 150,000.
    ["decel plan, above quota", DECEL, Q, 11_000_000, 1_150_000, 0, [
      ["base", 10_000_000, 1_000_000], ["accelerated", 1_000_000, 150_000]]],
    ["decel plan, nothing won", DECEL, Q, 0, 0, 0, []],
    // 9,999,999 × 10 % = 999,999.9 → 1,000,000; 99.99999 % < 100 % → no bonus.
    ["bonus, a cent short", BONUS, Q, 9_999_999, 1_000_000, 0, [["base", 9_999_999, 1_000_000]]],
    // 100 % → commission 1,000,000 + bonus 500,000.
    ["bonus at 100 %", BONUS, Q, 10_000_000, 1_000_000, 500_000, [["base", 10_000_000, 1_000_000]]],
    // 125 %: 1,000,000 + 2.5M × 20 % = 500,000 → 1,500,000; bonuses 500,000 + 1,000,000 stack.
    ["bonus at 125 %", BONUS, Q, 12_500_000, 1_500_000, 1_500_000, [
      ["base", 10_000_000, 1_000_000], ["accelerated", 2_500_000, 500_000]]],
    // No quota: base rate on everything, no accelerator, no bonus. 12M × 10 %.
    ["no quota", BONUS, null, 12_000_000, 1_200_000, 0, [["base", 12_000_000, 1_200_000]]],
    ["zero quota", BONUS, 0, 12_000_000, 1_200_000, 0, [["base", 12_000_000, 1_200_000]]],
    // 1.1 × 1,000,000 is 1,100,000.0000000002 in binary; the bonus must still be earned at 1,100,000.
    // 1.1M × 5 % = 55,000.
    ["float-safe bonus threshold", ODD_BONUS, 1_000_000, 1_100_000, 55_000, 10_000, [["base", 1_100_000, 55_000]]],
    // Rounding: 12,345 × 7 % = 864.15 → 864.
    ["rounds to cents", { ...FLAT, commissionRate: 0.07 }, null, 12_345, 864, 0, [["base", 12_345, 864]]],
    // Tiny quota to show line allocation: 15 × 10 % = 1.5, 5 × 15 % = 0.75; total 2.25 → 2.
    // Floors 1 + 0 = 1, one cent left goes to the larger remainder (0.75) → lines 1 + 1.
    ["largest-remainder lines", { ...FLAT, acceleratorMultiplier: 1.5 }, 15, 20, 2, 0, [
      ["base", 15, 1], ["accelerated", 5, 1]]],
  ])("%s", (_label, plan, quota, won, commission, bonus, lines) => {
    const r = commissionFor(plan, quota, won);
    expect(r.commissionCents).toBe(commission);
    expect(r.bonusCents).toBe(bonus);
    expect(r.totalVariableCents).toBe(commission + bonus);
    expect(r.totalCompCents).toBe(plan.baseSalaryCents + commission + bonus);
    expect(r.breakdown.map((l): Line => [l.tier, l.revenueCents, l.commissionCents])).toEqual(lines);
  });

  it("breakdown lines carry their revenue ranges and rates", () => {
    const r = commissionFor(ACCEL, Q, 12_000_000);
    expect(r.attainment).toBe(1.2);
    expect(r.breakdown).toEqual([
      { tier: "base", fromCents: 0, toCents: 10_000_000, revenueCents: 10_000_000, rate: 0.1, commissionCents: 1_000_000 },
      { tier: "accelerated", fromCents: 10_000_000, toCents: 12_000_000, revenueCents: 2_000_000, rate: 0.2, commissionCents: 400_000 },
    ]);
  });

  it.each<[string, CompPlan]>([
    ["threshold above 1", { ...DECEL, deceleratorThreshold: 1.2 }],
    ["threshold without multiplier", { ...DECEL, deceleratorMultiplier: null }],
    ["negative rate", { ...FLAT, commissionRate: -0.1 }],
    ["fractional bonus cents", { ...FLAT, bonuses: [{ attainment: 1, amountCents: 0.5 }] }],
  ])("rejects a plan with %s", (_label, plan) => {
    expect(() => commissionFor(plan, Q, 1)).toThrow(RangeError);
  });

  it("is non-decreasing in revenue and its lines add up (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(FLAT, ACCEL, DECEL, BONUS, ODD_BONUS),
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        (plan, quota, won, extra) => {
          const a = commissionFor(plan, quota, won);
          const b = commissionFor(plan, quota, won + extra);
          expect(b.totalVariableCents).toBeGreaterThanOrEqual(a.totalVariableCents);
          expect(a.breakdown.reduce((s, l) => s + l.commissionCents, 0)).toBe(a.commissionCents);
        },
      ),
      { seed: 3220, numRuns: 500 }, // fixed seed: CI runs must be reproducible
    );
  });
});

describe("marginalCommission: deals crossing thresholds", () => {
  it.each<[string, CompPlan, number, number, number, number, number[]]>([
    // [label, plan, won before, deal, commission, bonus, unlocked thresholds]
    // 95 % → 110 %: 500,000 below quota at 10 % = 50,000 + 1,000,000 above at 20 % = 200,000;
    // plus the 100 % bonus 500,000. (Totals: before 950,000; after 1,200,000 + 500,000.)
    ["95 % → 110 %", BONUS, 9_500_000, 1_500_000, 250_000, 500_000, [1]],
    // 90 % → 130 %: 1M × 10 % + 3M × 20 % = 700,000; both bonuses 1,500,000.
    ["90 % → 130 %", BONUS, 9_000_000, 4_000_000, 700_000, 1_500_000, [1, 1.25]],
    // Entirely above quota: 1M × 20 % = 200,000; 110 % → 120 % unlocks nothing.
    ["110 % → 120 %", BONUS, 11_000_000, 1_000_000, 200_000, 0, []],
    // 40 % → 60 % lifts the decelerator: before 4M × 5 % = 200,000, after 6M × 10 % = 600,000.
    ["crossing the decelerator threshold", DECEL, 4_000_000, 2_000_000, 400_000, 0, []],
    // 30 % → 40 % stays decelerated: 1M × 5 % = 50,000.
    ["below the decelerator threshold", DECEL, 3_000_000, 1_000_000, 50_000, 0, []],
  ])("%s", (_label, plan, before, deal, commission, bonus, unlocked) => {
    const m = marginalCommission(plan, Q, before, deal);
    expect(m.commissionCents).toBe(commission);
    expect(m.bonusCents).toBe(bonus);
    expect(m.totalVariableCents).toBe(commission + bonus);
    expect(m.bonusesUnlocked.map((b) => b.attainment)).toEqual(unlocked);
  });

  it("a period's deals add up to the period total", () => {
    const deals = [3_333_333, 2_500_001, 4_166_666, 1_500_000];
    let won = 0;
    let sum = 0;
    for (const d of deals) {
      sum += marginalCommission(BONUS, Q, won, d).totalVariableCents;
      won += d;
    }
    expect(sum).toBe(commissionFor(BONUS, Q, won).totalVariableCents);
  });
});

describe("commissionEstimate", () => {
  it.each<[string, number | null, number, number | null, number, number | null, [number, number, number] | null]>([
    // [label, quota, won to date, projected won, earned total, projected total, next bonus]
    // Earned 950,000. Projected 11M: 1,200,000 + 500,000. Next: 100 % at 10M − 9.5M = 500,000.
    ["at 95 %", Q, 9_500_000, 11_000_000, 950_000, 1_700_000, [1, 500_000, 500_000]],
    // Exactly 100 % earns that bonus, so the next is 125 %: 12.5M − 10M = 2.5M.
    ["at 100 %", Q, 10_000_000, 10_000_000, 1_500_000, 1_500_000, [1.25, 1_000_000, 2_500_000]],
    // Earned 1,200,000 + 500,000. Projected 14M: 1,000,000 + 4M × 20 % + 1,500,000 = 3,300,000.
    ["at 110 %", Q, 11_000_000, 14_000_000, 1_700_000, 3_300_000, [1.25, 1_000_000, 1_500_000]],
    // All bonuses earned; no projection yet.
    ["all bonuses earned", Q, 12_500_000, null, 3_000_000, null, null],
    // No quota: no bonus to chase.
    ["no quota", null, 5_000_000, 10_000_000, 500_000, 1_000_000, null],
  ])("%s", (_label, quota, won, projected, earned, projectedTotal, next) => {
    const e = commissionEstimate(BONUS, quota, won, projected);
    expect(e.earnedToDate.totalVariableCents).toBe(earned);
    expect(e.projected?.totalVariableCents ?? null).toBe(projectedTotal);
    expect(e.nextBonus).toEqual(
      next === null ? null : { attainment: next[0], amountCents: next[1], revenueNeededCents: next[2] },
    );
  });
});
