/**
 * The daily digest as a view model: what one user's reminder says. Pure.
 *
 * Sections (each only when it has something to say; all empty → the digest is empty and nothing
 * is sent):
 *  1. Neglected accounts: `neglectedAccounts` (tier thresholds, value × overdue ranking); the top
 *     `neglectedTop` are shown, the rest counted.
 *  2. Quota gap: only when the user is behind linear pace (quota status "behind").
 *  3. Follow-ups: open, not snoozed past `now`, due before the end of the user's local today;
 *     overdue (due before today) first, oldest first, then today's. At most `followUpLimit` shown.
 *  4. Deals that need attention: open deals past their close date, closing soon on an untouched
 *     account, or stalled in a stage (deal-attention.ts); the top `dealTop` shown, the rest counted.
 */
import { dealsNeedingAttention, DEFAULT_DEAL_ATTENTION, type DealAttentionInput, type DealAttentionRow, type DealAttentionThresholds } from "./deal-attention.js";
import { neglectedAccounts, topWithRest, type NeglectAccount, type NeglectItem, type NeglectThresholds } from "./neglect.js";
import type { QuotaProgress } from "./quota.js";
import type { Period } from "./periods.js";
import { localDateOf, localDayRange, localDaysBetween, type LocalDate } from "./time.js";

export const DIGEST_NEGLECTED_TOP = 5;
export const DIGEST_FOLLOW_UP_LIMIT = 10;

export interface ReminderAccount extends NeglectAccount {
  accountId: number;
}

export interface ReminderFollowUpInput {
  id: number;
  title: string;
  accountId: number;
  accountName: string;
  dueAt: Date;
  snoozedUntil: Date | null;
}

export interface ReminderQuotaInput {
  progress: QuotaProgress;
  /** The quota period; shown with periodName() in the reader's language. */
  period: Period;
}

export interface ReminderInput {
  now: Date;
  zone: string;
  accounts: readonly ReminderAccount[];
  thresholds: Readonly<NeglectThresholds>;
  followUps: readonly ReminderFollowUpInput[];
  quota: ReminderQuotaInput | null;
  /** Open deals that may need attention (the domain decides which do). */
  deals?: readonly DealAttentionInput[];
  dealThresholds?: Readonly<DealAttentionThresholds>;
  neglectedTop?: number;
  followUpLimit?: number;
  dealTop?: number;
}

export interface NeglectedRow {
  accountId: number;
  name: string;
  tier: ReminderAccount["tier"];
  annualValueCents: number;
  daysSinceTouch: number;
  thresholdDays: number;
  overdueDays: number;
  /** True when the account was never touched (days count from when it was added). */
  neverTouched: boolean;
}

export interface FollowUpRow {
  id: number;
  title: string;
  accountId: number;
  accountName: string;
  /** Local due date in the user's zone. */
  dueDate: LocalDate;
  /** Whole local days overdue (0 = due today). */
  daysOverdue: number;
}

export interface QuotaGap {
  period: Period;
  wonCents: number;
  effectiveQuotaCents: number;
  attainment: number;
  paceTargetCents: number;
  /** How far behind linear pace (positive cents). */
  behindByCents: number;
  neededPerRemainingDayCents: number | null;
  remainingDays: number;
  projectedFinishCents: number | null;
  projectedAttainment: number | null;
}

export interface ReminderView {
  localDate: LocalDate;
  neglected: { rows: NeglectedRow[]; restCount: number };
  quotaGap: QuotaGap | null;
  followUps: { rows: FollowUpRow[]; restCount: number };
  deals: { rows: DealAttentionRow[]; restCount: number };
}

/** One neglected account as the rep's reminder and the manager's digest show it. */
export function neglectedRow(item: NeglectItem<ReminderAccount>): NeglectedRow {
  return {
    accountId: item.account.accountId,
    name: item.account.name,
    tier: item.account.tier,
    annualValueCents: item.account.annualValueCents,
    daysSinceTouch: item.daysSinceTouch,
    thresholdDays: item.thresholdDays,
    overdueDays: item.overdueDays,
    neverTouched: item.account.lastTouchAt === null,
  };
}

export function buildReminder(input: ReminderInput): ReminderView {
  const { now, zone } = input;
  const localDate = localDateOf(now, zone);
  const neglected = neglectedAccounts(input.accounts, input.thresholds, now);
  const { top, restCount } = topWithRest(neglected, input.neglectedTop ?? DIGEST_NEGLECTED_TOP);
  const rows = top.map(neglectedRow);

  const today = localDayRange(now, zone);
  const due = input.followUps
    .filter((f) => f.dueAt.getTime() < today.end.getTime())
    .filter((f) => f.snoozedUntil === null || f.snoozedUntil.getTime() <= now.getTime())
    .map((f): FollowUpRow => {
      const dueDate = localDateOf(f.dueAt, zone);
      return {
        id: f.id,
        title: f.title,
        accountId: f.accountId,
        accountName: f.accountName,
        dueDate,
        daysOverdue: Math.max(0, localDaysBetween(dueDate, localDate)),
      };
    })
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.accountName.localeCompare(b.accountName) || a.id - b.id);
  const followUps = topWithRest(due, input.followUpLimit ?? DIGEST_FOLLOW_UP_LIMIT);

  return {
    localDate,
    neglected: { rows, restCount },
    quotaGap: quotaGapOf(input.quota),
    followUps: { rows: followUps.top, restCount: followUps.restCount },
    deals: dealsNeedingAttention(input.deals ?? [], input.dealThresholds ?? DEFAULT_DEAL_ATTENTION, now, zone, input.dealTop),
  };
}

/** The quota section: only when behind linear pace with a positive quota. */
export function quotaGapOf(quota: ReminderQuotaInput | null): QuotaGap | null {
  if (!quota) return null;
  const p = quota.progress;
  if (p.status !== "behind" || p.effectiveQuotaCents === null || p.paceTargetCents === null || p.gapToPaceCents === null) return null;
  const won = p.paceTargetCents - p.gapToPaceCents;
  return {
    period: quota.period,
    wonCents: won,
    effectiveQuotaCents: p.effectiveQuotaCents,
    attainment: p.attainment ?? 0,
    paceTargetCents: p.paceTargetCents,
    behindByCents: p.gapToPaceCents,
    neededPerRemainingDayCents: p.neededPerRemainingDayCents,
    remainingDays: p.remainingDays,
    projectedFinishCents: p.projectedFinishCents,
    projectedAttainment: p.projectedAttainment,
  };
}

export function isReminderEmpty(view: ReminderView): boolean {
  return view.neglected.rows.length === 0 && view.quotaGap === null && view.followUps.rows.length === 0 && view.deals.rows.length === 0;
}


/** A rep in the manager digest: behind linear pace this period. */
export interface RepBehind {
  userId: number;
  slackUserId: string;
  name: string;
  gap: QuotaGap;
}

/** A key account neglected in a manager's team. */
export interface TeamNeglected extends NeglectedRow {
  ownerSlackUserId: string;
  ownerName: string;
}

/** A member of the manager's teams whom Slack reported deactivated, still owning live accounts. */
export interface DepartedOwner {
  slackUserId: string;
  name: string | null;
  /** The local date Slack reported them gone (null when not known). */
  since: LocalDate | null;
  accounts: number;
}

/** A slipping deal in a manager's team: as its owner's reminder judges it, with the owner. */
export interface TeamSlippingDeal extends DealAttentionRow {
  ownerSlackUserId: string;
  ownerName: string;
}

export interface ManagerDigestView {
  /** The Monday the digest belongs to. */
  weekOf: LocalDate;
  repsBehind: RepBehind[];
  keyAccounts: { rows: TeamNeglected[]; restCount: number };
  /** The team's deals that need attention (the reminder's rules, per rep), ranked across the team. */
  slippingDeals: { rows: TeamSlippingDeal[]; restCount: number };
  /** Books that need a new owner: their owner left Slack. */
  departed: DepartedOwner[];
}

export const MANAGER_KEY_ACCOUNTS_TOP = 10;
/** Slipping deals shown in the manager's digest; the rest are counted. */
export const MANAGER_SLIPPING_DEALS_TOP = 10;

export function isManagerDigestEmpty(view: ManagerDigestView): boolean {
  return view.repsBehind.length === 0 && view.keyAccounts.rows.length === 0 && view.slippingDeals.rows.length === 0 && view.departed.length === 0;
}
