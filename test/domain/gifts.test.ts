import { describe, expect, it } from "vitest";
import {
  checkGift,
  effectiveLimitCents,
  finraLimitCents,
  giftWindow,
  type GiftCheck,
  type GiftKind,
  type GiftYearMode,
  type PriorGift,
} from "../../src/domain/gifts.js";

const gift = (amountCents: number, givenOn: string, kind: GiftKind = "gift"): PriorGift => ({ amountCents, givenOn, kind });

describe("finraLimitCents", () => {
  it.each([
    ["2025-12-31", 10_000],
    ["2026-03-29", 10_000], // last day of the $100 limit
    ["2026-03-30", 30_000], // Regulatory Notice 26-05 takes effect
    ["2026-03-31", 30_000],
    ["2027-01-01", 30_000],
  ])("%s → %i", (date, limit) => {
    expect(finraLimitCents(date)).toBe(limit);
  });

  it("rejects a malformed date", () => {
    expect(() => finraLimitCents("2026-3-30")).toThrow(RangeError);
  });
});

describe("effectiveLimitCents", () => {
  it.each<[string, number | null, number]>([
    // [date, firm limit, expected = min(FINRA, firm)]
    ["2026-04-01", null, 30_000],
    ["2026-04-01", 25_000, 25_000], // firm stricter than $300
    ["2026-03-01", 25_000, 10_000], // FINRA $100 stricter before Mar 30
    ["2026-04-01", 50_000, 30_000], // a firm cannot raise the FINRA limit
    ["2026-04-01", 0, 0], // firm bans gifts
  ])("%s with firm limit %s → %i", (date, firm, expected) => {
    expect(effectiveLimitCents(date, firm)).toBe(expected);
  });
});

describe("giftWindow", () => {
  it.each<[string, GiftYearMode, string, string]>([
    // [given on, mode, from, to (exclusive)]
    ["2026-03-15", "calendar", "2026-01-01", "2026-03-16"],
    ["2026-12-31", "calendar", "2026-01-01", "2027-01-01"],
    ["2026-01-01", "calendar", "2026-01-01", "2026-01-02"],
    // Rolling: 2026-03-15 − 1 year = 2025-03-15, + 1 day.
    ["2026-03-15", "rolling", "2025-03-16", "2026-03-16"],
    ["2027-01-01", "rolling", "2026-01-02", "2027-01-02"],
    // Leap day: 2028-02-29 − 1 year clamps to 2027-02-28, + 1 → 2027-03-01 (12 months ending Feb 29).
    ["2028-02-29", "rolling", "2027-03-01", "2028-03-01"],
    // 2029-02-28 − 1 year = 2028-02-28, + 1 → Feb 29 2028 is inside the window.
    ["2029-02-28", "rolling", "2028-02-29", "2029-03-01"],
  ])("%s %s → [%s, %s)", (givenOn, mode, fromDate, toDateExclusive) => {
    expect(giftWindow(givenOn, mode)).toEqual({ fromDate, toDateExclusive });
  });
});

type Row = [string, PriorGift[], number, string, GiftYearMode, number | null, Omit<GiftCheck, "window">];

describe("checkGift", () => {
  it.each<Row>([
    // [label, prior gifts, new amount, given on, mode, firm limit, expected]
    // New gift on/after Mar 30 → $300 limit: 9,000 + 15,000 = 24,000 ≤ 30,000; 6,000 left.
    ["$90 (Mar 1) + $150 (Apr 10) under the new $300", [gift(9_000, "2026-03-01")], 15_000, "2026-04-10", "calendar", null,
      { limitCents: 30_000, priorTotalCents: 9_000, totalAfterCents: 24_000, exceeds: false, remainingCents: 6_000, overByCents: 0 }],
    // Before Mar 30 → $100: 9,000 + 2,000 = 11,000 > 10,000, over by 1,000.
    ["$90 + $20 on Mar 15 exceeds $100", [gift(9_000, "2026-03-01")], 2_000, "2026-03-15", "calendar", null,
      { limitCents: 10_000, priorTotalCents: 9_000, totalAfterCents: 11_000, exceeds: true, remainingCents: 0, overByCents: 1_000 }],
    // Same $20 on Mar 30 (the first $300 day) is fine: 11,000 ≤ 30,000.
    ["$90 + $20 on Mar 30 is fine", [gift(9_000, "2026-03-01")], 2_000, "2026-03-30", "calendar", null,
      { limitCents: 30_000, priorTotalCents: 9_000, totalAfterCents: 11_000, exceeds: false, remainingCents: 19_000, overByCents: 0 }],
    // Reaching the limit exactly is allowed: 9,000 + 1,000 = 10,000.
    ["exactly at the limit", [gift(9_000, "2026-03-01")], 1_000, "2026-03-15", "calendar", null,
      { limitCents: 10_000, priorTotalCents: 9_000, totalAfterCents: 10_000, exceeds: false, remainingCents: 0, overByCents: 0 }],
    // Entertainment never counts: prior 0 (50,000 ignored), 0 + 5,000.
    ["entertainment not counted", [gift(50_000, "2026-04-01", "entertainment")], 5_000, "2026-05-01", "calendar", null,
      { limitCents: 30_000, priorTotalCents: 0, totalAfterCents: 5_000, exceeds: false, remainingCents: 25_000, overByCents: 0 }],
    // Rolling: Dec 10 2026 is within 12 months of Feb 10 2027 → 20,000 + 15,000 = 35,000 > 30,000.
    ["rolling: Dec 2026 + Feb 2027 together", [gift(20_000, "2026-12-10")], 15_000, "2027-02-10", "rolling", null,
      { limitCents: 30_000, priorTotalCents: 20_000, totalAfterCents: 35_000, exceeds: true, remainingCents: 0, overByCents: 5_000 }],
    // Calendar: 2027 starts fresh → 0 + 15,000.
    ["calendar: Dec 2026 + Feb 2027 apart", [gift(20_000, "2026-12-10")], 15_000, "2027-02-10", "calendar", null,
      { limitCents: 30_000, priorTotalCents: 0, totalAfterCents: 15_000, exceeds: false, remainingCents: 15_000, overByCents: 0 }],
    // Rolling window for 2027-02-10 is [2026-02-11, 2027-02-11): Feb 11 counts (10,000), Feb 10 does not.
    ["rolling window edges", [gift(7_000, "2026-02-10"), gift(10_000, "2026-02-11")], 1_000, "2027-02-10", "rolling", null,
      { limitCents: 30_000, priorTotalCents: 10_000, totalAfterCents: 11_000, exceeds: false, remainingCents: 19_000, overByCents: 0 }],
    // Same-day prior gift counts; later-dated gift (Jun 1) is outside [.., May 2). 12,000 + 5,000.
    ["same day counts, later does not", [gift(12_000, "2026-05-01"), gift(20_000, "2026-06-01")], 5_000, "2026-05-01", "calendar", null,
      { limitCents: 30_000, priorTotalCents: 12_000, totalAfterCents: 17_000, exceeds: false, remainingCents: 13_000, overByCents: 0 }],
    // Firm limit $250: 20,000 + 6,000 = 26,000 > 25,000.
    ["firm limit stricter", [gift(20_000, "2026-06-01")], 6_000, "2026-07-01", "calendar", 25_000,
      { limitCents: 25_000, priorTotalCents: 20_000, totalAfterCents: 26_000, exceeds: true, remainingCents: 0, overByCents: 1_000 }],
    // Earlier $100-era gifts count toward the $300 cap in force on the new date: 8,000 + 9,000 + 14,000 = 31,000.
    ["old-limit gifts count under the new cap", [gift(8_000, "2026-01-15"), gift(9_000, "2026-03-20")], 14_000, "2026-04-15", "calendar", null,
      { limitCents: 30_000, priorTotalCents: 17_000, totalAfterCents: 31_000, exceeds: true, remainingCents: 0, overByCents: 1_000 }],
    // Previous calendar year ignored in calendar mode: only the Jan 5 2026 gift (3,000) counts.
    ["previous year ignored (calendar)", [gift(9_000, "2025-12-31"), gift(3_000, "2026-01-05")], 7_000, "2026-01-20", "calendar", null,
      { limitCents: 10_000, priorTotalCents: 3_000, totalAfterCents: 10_000, exceeds: false, remainingCents: 0, overByCents: 0 }],
    // …but in rolling mode Dec 31 2025 is within 12 months: 12,000 + 7,000 = 19,000 > 10,000.
    ["previous year counted (rolling)", [gift(9_000, "2025-12-31"), gift(3_000, "2026-01-05")], 7_000, "2026-01-20", "rolling", null,
      { limitCents: 10_000, priorTotalCents: 12_000, totalAfterCents: 19_000, exceeds: true, remainingCents: 0, overByCents: 9_000 }],
  ])("%s", (_label, priorGifts, newAmountCents, givenOn, mode, firmLimitCents, expected) => {
    const r = checkGift({ newAmountCents, givenOn, priorGifts, mode, firmLimitCents });
    const { window: _window, ...rest } = r;
    expect(rest).toEqual(expected);
  });

  it("a new entertainment item never exceeds, even when prior gifts already did", () => {
    const r = checkGift({
      newAmountCents: 40_000, givenOn: "2026-05-01", newKind: "entertainment",
      priorGifts: [gift(35_000, "2026-04-01")], mode: "calendar", firmLimitCents: null,
    });
    // prior 35,000 (an approved override), entertainment adds 0.
    expect(r).toMatchObject({ priorTotalCents: 35_000, totalAfterCents: 35_000, exceeds: false, remainingCents: 0, overByCents: 0 });
  });

  it("returns the window it used", () => {
    const r = checkGift({ newAmountCents: 1, givenOn: "2027-02-10", priorGifts: [], mode: "rolling", firmLimitCents: null });
    expect(r.window).toEqual({ fromDate: "2026-02-11", toDateExclusive: "2027-02-11" });
  });

  it.each([-1, 1.5])("rejects amount %s", (newAmountCents) => {
    expect(() => checkGift({ newAmountCents, givenOn: "2026-05-01", priorGifts: [], mode: "calendar", firmLimitCents: null })).toThrow(
      RangeError,
    );
  });
});
