/**
 * The order of `/ae accounts`: most at-risk first, then most valuable.
 *
 *  1. Neglected accounts (see neglect.ts), in neglect order (score = value × days / threshold).
 *  2. Every other account (not yet due, or snoozed), by annual value descending, then by how close
 *     it is to its threshold (days since touch / threshold, descending), then name, then id.
 * Archived accounts are left out.
 */
import { daysSinceTouch, neglectedAccounts, type AccountTier, type NeglectAccount, type NeglectThresholds } from "./neglect.js";

export interface RankableAccount {
  id: number;
  name: string;
  tier: AccountTier;
  annualValueCents: number;
  createdAt: Date;
  lastTouchAt: Date | null;
  snoozedUntil: Date | null;
  archived: boolean;
}

export interface RankedAccount<A extends RankableAccount> {
  account: A;
  daysSinceTouch: number;
  thresholdDays: number;
  /** Days past the tier's threshold; null when the account is not neglected (or snoozed). */
  overdueDays: number | null;
}

export function rankAccounts<A extends RankableAccount>(
  accounts: readonly A[],
  thresholds: Readonly<NeglectThresholds>,
  now: Date,
): RankedAccount<A>[] {
  const live = accounts.filter((a) => !a.archived);
  const wrapped = live.map((a) => ({ ...toNeglect(a), original: a }));
  const neglected = neglectedAccounts(wrapped, thresholds, now);
  const neglectedIds = new Set(neglected.map((n) => n.account.original.id));
  const head: RankedAccount<A>[] = neglected.map((n) => ({
    account: n.account.original,
    daysSinceTouch: n.daysSinceTouch,
    thresholdDays: n.thresholdDays,
    overdueDays: n.overdueDays,
  }));
  const tail = live
    .filter((a) => !neglectedIds.has(a.id))
    .map((a) => {
      const thresholdDays = Math.max(1, Math.floor(thresholds[a.tier]));
      return { account: a, daysSinceTouch: daysSinceTouch(a, now), thresholdDays, overdueDays: null };
    })
    .sort(
      (x, y) =>
        y.account.annualValueCents - x.account.annualValueCents ||
        y.daysSinceTouch / y.thresholdDays - x.daysSinceTouch / x.thresholdDays ||
        compareText(x.account.name, y.account.name) ||
        x.account.id - y.account.id,
    );
  return [...head, ...tail];
}

function toNeglect(a: RankableAccount): NeglectAccount {
  return {
    id: String(a.id),
    name: a.name,
    tier: a.tier,
    annualValueCents: a.annualValueCents,
    createdAt: a.createdAt,
    lastTouchAt: a.lastTouchAt,
    snoozedUntil: a.snoozedUntil,
    archived: a.archived,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
