import { describe, expect, it } from "vitest";
import { periodForLocalDate, type PaceMode } from "../../src/domain/periods.js";
import { quotaProgress, roundCents, type QuotaProgress } from "../../src/domain/quota.js";

const NY = "America/New_York";
// Calendar Q1 2026 in New York: 64 business days (Jan 22 + Feb 20 + Mar 22), 90 calendar days.
const Q1 = periodForLocalDate("quarter", "2026-01-01", NY, 1);
// Mon Feb 16 2026, 12:00 EST. Business days before it: Jan 22 + Feb 2–13 (10) = 32 → share 32/64 = 0.5.
// Calendar days before it: Jan 31 + Feb 1–15 = 46 → share 46/90.
const MID = "2026-02-16T17:00:00Z";
const BEFORE = "2025-12-20T17:00:00Z";
const AFTER = "2026-04-02T16:00:00Z";

type Row = [string, number | null, number | undefined, number, string, PaceMode, Partial<QuotaProgress>];

describe("quotaProgress", () => {
  it.each<Row>([
    // [label, quota, ramp, won, now, mode, expected]
    // $100k quota, half the business days gone → pace 5,000,000; 32 days remain.
    ["exactly on pace", 10_000_000, undefined, 5_000_000, MID, "business", {
      status: "on_pace", effectiveQuotaCents: 10_000_000, attainment: 0.5,
      paceTargetCents: 5_000_000, gapToPaceCents: 0,
      neededPerRemainingDayCents: 156_250, // 5,000,000 / 32
      projectedFinishCents: 10_000_000, projectedAttainment: 1, // 5,000,000 / 0.5
      elapsedDays: 32, remainingDays: 32, totalDays: 64, elapsedShare: 0.5,
    }],
    // Tolerance is 1 % of the 10,000,000 quota = 100,000: 5,100,000 is still on pace …
    ["+1 % boundary is on pace", 10_000_000, 1, 5_100_000, MID, "business", {
      status: "on_pace", gapToPaceCents: -100_000, attainment: 0.51,
      neededPerRemainingDayCents: 153_125, // 4,900,000 / 32
      projectedFinishCents: 10_200_000, // 5,100,000 / 0.5
    }],
    // … one cent more is ahead.
    ["just over +1 % is ahead", 10_000_000, 1, 5_100_001, MID, "business", {
      status: "ahead", gapToPaceCents: -100_001,
      neededPerRemainingDayCents: 153_125, // ceil(4,899,999 / 32 = 153,124.97)
    }],
    ["−1 % boundary is on pace", 10_000_000, 1, 4_900_000, MID, "business", { status: "on_pace", gapToPaceCents: 100_000 }],
    ["behind", 10_000_000, 1, 4_000_000, MID, "business", {
      status: "behind", attainment: 0.4, paceTargetCents: 5_000_000, gapToPaceCents: 1_000_000,
      neededPerRemainingDayCents: 187_500, // 6,000,000 / 32
      projectedFinishCents: 8_000_000, projectedAttainment: 0.8, // 4,000,000 / 0.5
    }],
    ["attained", 10_000_000, 1, 10_000_000, MID, "business", {
      status: "attained", attainment: 1, gapToPaceCents: -5_000_000, neededPerRemainingDayCents: 0,
      projectedFinishCents: 20_000_000, projectedAttainment: 2,
    }],
    // Ramp 0.5: effective 5,000,000, pace 2,500,000.
    ["ramp 0.5, behind", 10_000_000, 0.5, 2_000_000, MID, "business", {
      status: "behind", effectiveQuotaCents: 5_000_000, attainment: 0.4,
      paceTargetCents: 2_500_000, gapToPaceCents: 500_000,
      neededPerRemainingDayCents: 93_750, // 3,000,000 / 32
      projectedFinishCents: 4_000_000, projectedAttainment: 0.8,
    }],
    // Ramp 0.25: effective 2,500,000, pace 1,250,000, tolerance 25,000; gap −50,000 → ahead.
    ["ramp 0.25, ahead", 10_000_000, 0.25, 1_300_000, MID, "business", {
      status: "ahead", effectiveQuotaCents: 2_500_000, attainment: 0.52,
      paceTargetCents: 1_250_000, gapToPaceCents: -50_000,
      neededPerRemainingDayCents: 37_500, // 1,200,000 / 32
    }],
    // Would be behind against the full quota, but the ramped quota is attained.
    ["ramp 0.5, attained", 10_000_000, 0.5, 6_000_000, MID, "business", {
      status: "attained", effectiveQuotaCents: 5_000_000, attainment: 1.2, neededPerRemainingDayCents: 0,
    }],
    // 333 × 0.5 = 166.5 → 167 (half-up); pace 167 × 0.5 = 83.5 → 84; needed ceil(167 / 32 = 5.22) = 6.
    ["ramp rounding", 333, 0.5, 0, MID, "business", {
      status: "behind", effectiveQuotaCents: 167, paceTargetCents: 84, gapToPaceCents: 84,
      neededPerRemainingDayCents: 6, projectedFinishCents: 0, projectedAttainment: 0,
    }],
    // needed per day rounds up: 1000 / 32 = 31.25 → 32.
    ["needed per day rounds up", 1_000, 1, 0, MID, "business", {
      status: "behind", paceTargetCents: 500, neededPerRemainingDayCents: 32,
    }],
    // Calendar mode: share 46/90; pace 9,000,000 × 46/90 = 4,600,000; 44 days left.
    ["calendar pace", 9_000_000, 1, 4_600_000, MID, "calendar", {
      status: "on_pace", paceTargetCents: 4_600_000, gapToPaceCents: 0,
      neededPerRemainingDayCents: 100_000, // 4,400,000 / 44
      projectedFinishCents: 9_000_000, // 4,600,000 / (46/90)
      elapsedDays: 46, remainingDays: 44, totalDays: 90,
    }],
    // Before the quarter: share 0 → pace 0, no run rate yet; the whole quota over 64 days.
    ["before the period", 10_000_000, 1, 0, BEFORE, "business", {
      status: "on_pace", attainment: 0, paceTargetCents: 0, gapToPaceCents: 0,
      neededPerRemainingDayCents: 156_250, // 10,000,000 / 64
      projectedFinishCents: null, projectedAttainment: null,
      elapsedDays: 0, remainingDays: 64, elapsedShare: 0,
    }],
    // After the quarter: share 1, no days left → needed is null; projection = actual.
    ["after the period", 10_000_000, 1, 9_000_000, AFTER, "business", {
      status: "behind", attainment: 0.9, paceTargetCents: 10_000_000, gapToPaceCents: 1_000_000,
      neededPerRemainingDayCents: null, projectedFinishCents: 9_000_000, projectedAttainment: 0.9,
      elapsedDays: 64, remainingDays: 0, elapsedShare: 1,
    }],
    // Zero quota: nothing to attain, attainment undefined, run rate still reported.
    ["zero quota", 0, 1, 5_000_000, MID, "business", {
      status: "zero_quota", effectiveQuotaCents: 0, attainment: null, paceTargetCents: 0,
      gapToPaceCents: -5_000_000, neededPerRemainingDayCents: 0,
      projectedFinishCents: 10_000_000, projectedAttainment: null,
    }],
    ["zero quota, ramped", 0, 0.5, 0, MID, "business", { status: "zero_quota", effectiveQuotaCents: 0, attainment: null }],
    // Missing quota: only the run rate (5,000,000 / 0.5).
    ["missing quota", null, undefined, 5_000_000, MID, "business", {
      status: "no_quota", effectiveQuotaCents: null, attainment: null, paceTargetCents: null,
      gapToPaceCents: null, neededPerRemainingDayCents: null,
      projectedFinishCents: 10_000_000, projectedAttainment: null,
      elapsedDays: 32, remainingDays: 32,
    }],
  ])("%s", (_label, quotaCents, rampFactor, wonCents, now, paceMode, expected) => {
    const r = quotaProgress({ quotaCents, rampFactor, wonCents, period: Q1, now: new Date(now), zone: NY, paceMode });
    expect(r).toMatchObject(expected);
  });

  it("counts holidays in business pace", () => {
    // Holiday Mon Jan 19: total 63, elapsed 31 (32 − 1), remaining 32.
    const r = quotaProgress({
      quotaCents: 6_300_000, wonCents: 3_100_000, period: Q1, now: new Date(MID), zone: NY,
      paceMode: "business", holidays: new Set(["2026-01-19"]),
    });
    // pace = 6,300,000 × 31/63 = 3,100,000; needed = 3,200,000 / 32 = 100,000.
    expect(r).toMatchObject({ elapsedDays: 31, totalDays: 63, remainingDays: 32, paceTargetCents: 3_100_000,
      status: "on_pace", neededPerRemainingDayCents: 100_000 });
  });

  it.each([0, -0.5, 1.01, Number.NaN])("rejects ramp factor %s", (rampFactor) => {
    expect(() =>
      quotaProgress({ quotaCents: 100, rampFactor, wonCents: 0, period: Q1, now: new Date(MID), zone: NY, paceMode: "business" }),
    ).toThrow(RangeError);
  });

  it.each([
    [-1, 0],
    [100, -5],
    [100.5, 0],
  ])("rejects quota %s / won %s", (quotaCents, wonCents) => {
    expect(() =>
      quotaProgress({ quotaCents, wonCents, period: Q1, now: new Date(MID), zone: NY, paceMode: "business" }),
    ).toThrow(RangeError);
  });
});

describe("roundCents", () => {
  it.each([
    // [value, expected]
    [0.5, 1], // half-up
    [166.5, 167],
    [2.4999, 2],
    [0.07 * 50, 4], // 3.5000000000000004 in binary → 4
    [1.1 * 1_000_000, 1_100_000], // 1,100,000.0000000002 → 1,100,000
    [0.1 * 3 * 5, 2], // 1.5000000000000002 → 2
    [0, 0],
  ])("%s → %i", (value, expected) => {
    expect(roundCents(value)).toBe(expected);
  });
});
