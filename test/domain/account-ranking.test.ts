import { describe, expect, it } from "vitest";
import { rankAccounts, type RankableAccount } from "../../src/domain/account-ranking.js";

const NOW = new Date("2026-03-04T12:00:00Z");
const DAY = 86_400_000;
const thresholds = { key: 7, growth: 14, standard: 30 };

function account(id: number, name: string, tier: RankableAccount["tier"], valueCents: number, daysAgo: number | null, extra: Partial<RankableAccount> = {}): RankableAccount {
  return {
    id,
    name,
    tier,
    annualValueCents: valueCents,
    createdAt: new Date(NOW.getTime() - 400 * DAY),
    lastTouchAt: daysAgo === null ? null : new Date(NOW.getTime() - daysAgo * DAY),
    snoozedUntil: null,
    archived: false,
    ...extra,
  };
}

describe("rankAccounts", () => {
  it("puts neglected accounts first (by neglect score), then the rest by value", () => {
    const ranked = rankAccounts(
      [
        account(1, "Fresh Big", "key", 10_000_000, 1),
        account(2, "Neglected Small", "standard", 100_000, 40),
        account(3, "Neglected Key", "key", 5_000_000, 10),
        account(4, "Fresh Small", "growth", 50_000, 2),
        account(5, "Never touched", "standard", 0, null), // created 400 days ago: 400/30 days overdue
      ],
      thresholds,
      NOW,
    );
    expect(ranked.map((r) => r.account.name)).toEqual(["Neglected Key", "Never touched", "Neglected Small", "Fresh Big", "Fresh Small"]);
    expect(ranked[0]).toMatchObject({ daysSinceTouch: 10, thresholdDays: 7, overdueDays: 3 });
    expect(ranked[3]).toMatchObject({ overdueDays: null, daysSinceTouch: 1 });
  });

  it("leaves archived accounts out and ranks snoozed ones with the rest", () => {
    const ranked = rankAccounts(
      [
        account(1, "Archived", "key", 1, 99, { archived: true }),
        account(2, "Snoozed", "key", 9_000_000, 30, { snoozedUntil: new Date(NOW.getTime() + DAY) }),
        account(3, "Overdue", "standard", 1, 31),
      ],
      thresholds,
      NOW,
    );
    expect(ranked.map((r) => [r.account.name, r.overdueDays])).toEqual([
      ["Overdue", 1],
      ["Snoozed", null],
    ]);
  });

  it("breaks value ties by closeness to the threshold, then name, then id", () => {
    const ranked = rankAccounts(
      [account(1, "B", "standard", 100, 5), account(2, "A", "standard", 100, 5), account(3, "C", "standard", 100, 20)],
      thresholds,
      NOW,
    );
    expect(ranked.map((r) => r.account.id)).toEqual([3, 2, 1]);
  });
});
