import { describe, expect, it } from "vitest";
import {
  DEFAULT_NEGLECT_THRESHOLDS,
  NEGLECT_VALUE_FLOOR_CENTS,
  daysSinceTouch,
  neglectedAccounts,
  topWithRest,
  type NeglectAccount,
} from "../../src/domain/neglect.js";

const NOW = new Date("2026-03-10T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * DAY);

function account(overrides: Partial<NeglectAccount> & { id: string }): NeglectAccount {
  return {
    name: overrides.id,
    tier: "standard",
    annualValueCents: 0,
    createdAt: daysAgo(365),
    lastTouchAt: null,
    snoozedUntil: null,
    archived: false,
    ...overrides,
  };
}

type Expected = { daysSinceTouch: number; thresholdDays: number; overdueDays: number; score: number } | null;

describe("neglectedAccounts: who is included", () => {
  it.each<[string, Partial<NeglectAccount>, Expected]>([
    ["key, touched exactly 7 days ago → due", { tier: "key", annualValueCents: 5_000_000, lastTouchAt: daysAgo(7) },
      { daysSinceTouch: 7, thresholdDays: 7, overdueDays: 0, score: 5_000_000 }],
    ["key, touched 6.9 days ago → not yet", { tier: "key", lastTouchAt: daysAgo(6.9) }, null],
    ["key, touched 10.5 days ago → 10 whole days", { tier: "key", annualValueCents: 700_000, lastTouchAt: daysAgo(10.5) },
      { daysSinceTouch: 10, thresholdDays: 7, overdueDays: 3, score: 1_000_000 }],
    ["growth, 13 days → not yet", { tier: "growth", lastTouchAt: daysAgo(13) }, null],
    ["growth, 21 days", { tier: "growth", annualValueCents: 2_000_000, lastTouchAt: daysAgo(21) },
      { daysSinceTouch: 21, thresholdDays: 14, overdueDays: 7, score: 3_000_000 }],
    ["standard, never touched: counts from createdAt", { createdAt: daysAgo(45), annualValueCents: 20_000_000 },
      { daysSinceTouch: 45, thresholdDays: 30, overdueDays: 15, score: 30_000_000 }],
    ["standard, created 10 days ago, never touched → not yet", { createdAt: daysAgo(10) }, null],
    ["zero value still ranks, via the floor", { tier: "key", lastTouchAt: daysAgo(14) },
      { daysSinceTouch: 14, thresholdDays: 7, overdueDays: 7, score: 2 * NEGLECT_VALUE_FLOOR_CENTS }],
    ["negative value is treated as the floor", { tier: "key", annualValueCents: -5, lastTouchAt: daysAgo(7) },
      { daysSinceTouch: 7, thresholdDays: 7, overdueDays: 0, score: NEGLECT_VALUE_FLOOR_CENTS }],
    ["archived → excluded", { tier: "key", lastTouchAt: daysAgo(100), archived: true }, null],
    ["snoozed until tomorrow → excluded", { tier: "key", lastTouchAt: daysAgo(100), snoozedUntil: daysAgo(-1) }, null],
    ["snooze ended yesterday → included", { tier: "key", lastTouchAt: daysAgo(14), snoozedUntil: daysAgo(1) },
      { daysSinceTouch: 14, thresholdDays: 7, overdueDays: 7, score: 2 * NEGLECT_VALUE_FLOOR_CENTS }],
    ["snooze ending exactly now → included", { tier: "key", lastTouchAt: daysAgo(7), snoozedUntil: NOW },
      { daysSinceTouch: 7, thresholdDays: 7, overdueDays: 0, score: NEGLECT_VALUE_FLOOR_CENTS }],
    ["touch in the future (clock skew) → 0 days", { tier: "key", lastTouchAt: daysAgo(-2) }, null],
  ])("%s", (_label, overrides, expected) => {
    const acc = account({ id: "a", ...overrides });
    const items = neglectedAccounts([acc], DEFAULT_NEGLECT_THRESHOLDS, NOW);
    if (expected === null) {
      expect(items).toEqual([]);
    } else {
      expect(items).toEqual([{ account: acc, ...expected }]);
    }
  });

  it.each<[string, { key: number; growth: number; standard: number }, Partial<NeglectAccount>, number | null]>([
    ["custom key threshold of 3 days", { key: 3, growth: 14, standard: 30 }, { tier: "key", lastTouchAt: daysAgo(3) }, 0],
    ["custom standard threshold of 60 days", { key: 7, growth: 14, standard: 60 }, { lastTouchAt: daysAgo(45) }, null],
    ["a threshold of 0 is treated as 1 day", { key: 0, growth: 14, standard: 30 }, { tier: "key", lastTouchAt: daysAgo(2) }, 1],
  ])("%s", (_label, thresholds, overrides, overdue) => {
    const items = neglectedAccounts([account({ id: "a", ...overrides })], thresholds, NOW);
    expect(items.map((i) => i.overdueDays)).toEqual(overdue === null ? [] : [overdue]);
  });
});

describe("neglectedAccounts: ranking", () => {
  it("orders by score, then tier (key first), then overdue days, then name", () => {
    const accounts = [
      // score = max(value, 100_000) × days / threshold
      account({ id: "F", tier: "standard", annualValueCents: 100_000, lastTouchAt: daysAgo(60) }), // 200_000
      account({ id: "C", tier: "growth", annualValueCents: 0, lastTouchAt: daysAgo(28) }), // 200_000
      account({ id: "A", tier: "key", annualValueCents: 5_000_000, lastTouchAt: daysAgo(14) }), // 10_000_000
      account({ id: "D", tier: "standard", annualValueCents: 0, lastTouchAt: daysAgo(90) }), // 300_000
      account({ id: "E", tier: "key", annualValueCents: 0, lastTouchAt: daysAgo(14) }), // 200_000
      account({ id: "B", tier: "standard", annualValueCents: 20_000_000, createdAt: daysAgo(45) }), // 30_000_000
      account({ id: "X", tier: "key", annualValueCents: 99_000_000, lastTouchAt: daysAgo(1) }), // not due
      account({ id: "Z", tier: "key", annualValueCents: 99_000_000, lastTouchAt: daysAgo(30), archived: true }),
    ];
    const items = neglectedAccounts(accounts, DEFAULT_NEGLECT_THRESHOLDS, NOW);
    expect(items.map((i) => [i.account.id, i.score])).toEqual([
      ["B", 30_000_000],
      ["A", 10_000_000],
      ["D", 300_000],
      ["E", 200_000], // ties: key …
      ["C", 200_000], // … then growth …
      ["F", 200_000], // … then standard
    ]);
  });

  it("breaks full ties by overdue days, then name, then id", () => {
    const accounts = [
      account({ id: "2", name: "Beta", tier: "key", lastTouchAt: daysAgo(14) }),
      account({ id: "3", name: "Alpha", tier: "key", lastTouchAt: daysAgo(14) }),
      account({ id: "1", name: "Alpha", tier: "key", lastTouchAt: daysAgo(14) }),
      // same score as the others (200_000 × 7 / 7) but only 0 days overdue
      account({ id: "4", name: "Aardvark", tier: "key", annualValueCents: 200_000, lastTouchAt: daysAgo(7) }),
    ];
    const items = neglectedAccounts(accounts, DEFAULT_NEGLECT_THRESHOLDS, NOW);
    expect(items.map((i) => i.account.id)).toEqual(["1", "3", "2", "4"]);
  });

  it("keeps the caller's account type", () => {
    const extended = { ...account({ id: "a", tier: "key", lastTouchAt: daysAgo(8) }), owner: "U1" };
    const [item] = neglectedAccounts([extended], DEFAULT_NEGLECT_THRESHOLDS, NOW);
    expect(item?.account.owner).toBe("U1");
  });
});

describe("daysSinceTouch", () => {
  it.each<[Date | null, Date, number]>([
    [daysAgo(0), daysAgo(10), 0],
    [daysAgo(0.99), daysAgo(10), 0],
    [daysAgo(1), daysAgo(10), 1],
    [null, daysAgo(10), 10],
    [daysAgo(-3), daysAgo(10), 0],
  ])("lastTouchAt %s, createdAt %s → %i", (lastTouchAt, createdAt, expected) => {
    expect(daysSinceTouch({ lastTouchAt, createdAt }, NOW)).toBe(expected);
  });
});

describe("topWithRest", () => {
  const items = ["a", "b", "c", "d", "e"];
  it.each<[readonly string[], number, string[], number]>([
    [items, 3, ["a", "b", "c"], 2],
    [items, 5, items, 0],
    [items, 10, items, 0],
    [items, 0, [], 5],
    [items, -1, [], 5],
    [items, 2.7, ["a", "b"], 3],
    [[], 3, [], 0],
  ])("%j, n=%d", (list, n, top, restCount) => {
    expect(topWithRest(list, n)).toEqual({ top, restCount });
  });
});
