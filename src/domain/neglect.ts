/**
 * Which accounts have gone too long without a touch, most urgent first.
 *
 * Rules:
 *  - Days since touch are whole elapsed 24-hour periods since lastTouchAt, or since
 *    createdAt for an account never touched (a touch "in the future" counts as 0 days).
 *  - An account is neglected once daysSinceTouch ≥ its tier's threshold; overdueDays is
 *    daysSinceTouch − threshold (0 on the day it becomes due).
 *  - Archived accounts and accounts snoozed until after `now` are left out.
 *  - score = max(annualValueCents, NEGLECT_VALUE_FLOOR_CENTS) × daysSinceTouch / thresholdDays.
 *    The value floor lets zero-value accounts still rank by how overdue they are; dividing
 *    by the threshold makes "twice the allowed gap" weigh the same for every tier.
 *  - Order: score desc, then tier (key, growth, standard), then overdueDays desc, then name,
 *    then id — so equal scores put key accounts first and the order is deterministic.
 */

export type AccountTier = "key" | "growth" | "standard";

export interface NeglectAccount {
  id: string;
  name: string;
  tier: AccountTier;
  annualValueCents: number;
  createdAt: Date;
  lastTouchAt: Date | null;
  snoozedUntil: Date | null;
  archived: boolean;
}

export type NeglectThresholds = Record<AccountTier, number>;

export interface NeglectItem<A extends NeglectAccount = NeglectAccount> {
  account: A;
  daysSinceTouch: number;
  thresholdDays: number;
  overdueDays: number;
  score: number;
}

export const DEFAULT_NEGLECT_THRESHOLDS: Readonly<NeglectThresholds> = Object.freeze({
  key: 7,
  growth: 14,
  standard: 30,
});

/** $1,000 a year: below this every account weighs the same, so urgency alone ranks them. */
export const NEGLECT_VALUE_FLOOR_CENTS = 100_000;

const DAY_MS = 86_400_000;
const TIER_ORDER: Record<AccountTier, number> = { key: 0, growth: 1, standard: 2 };

export function daysSinceTouch(account: Pick<NeglectAccount, "createdAt" | "lastTouchAt">, now: Date): number {
  const since = account.lastTouchAt ?? account.createdAt;
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}

export function neglectedAccounts<A extends NeglectAccount>(
  accounts: readonly A[],
  thresholds: Readonly<NeglectThresholds>,
  now: Date,
): NeglectItem<A>[] {
  const items: NeglectItem<A>[] = [];
  for (const account of accounts) {
    if (account.archived) continue;
    if (account.snoozedUntil !== null && account.snoozedUntil.getTime() > now.getTime()) continue;
    // A misconfigured threshold of 0 or less would divide by zero; one day is the minimum.
    const thresholdDays = Math.max(1, Math.floor(thresholds[account.tier]));
    const days = daysSinceTouch(account, now);
    if (days < thresholdDays) continue;
    const value = Math.max(account.annualValueCents, NEGLECT_VALUE_FLOOR_CENTS);
    items.push({
      account,
      daysSinceTouch: days,
      thresholdDays,
      overdueDays: days - thresholdDays,
      score: (value * days) / thresholdDays,
    });
  }
  return items.sort(
    (a, b) =>
      b.score - a.score ||
      TIER_ORDER[a.account.tier] - TIER_ORDER[b.account.tier] ||
      b.overdueDays - a.overdueDays ||
      compareText(a.account.name, b.account.name) ||
      compareText(a.account.id, b.account.id),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function topWithRest<T>(items: readonly T[], n: number): { top: T[]; restCount: number } {
  const count = Math.max(0, Math.floor(n));
  const top = items.slice(0, count);
  return { top, restCount: items.length - top.length };
}
