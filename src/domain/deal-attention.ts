/**
 * Which open deals need attention, and in what order. Pure: deals, thresholds, `now` and the
 * user's zone in; ranked rows out.
 *
 * All days are whole calendar days in the user's zone, counted between local dates (so a DST
 * change, a 23- or 25-hour day, never shifts a count). `today` is the user's local date at `now`.
 *
 * An open deal needs attention for one or more of these reasons, each with its *lateness* in days
 * (always ≥ 1 when the reason applies):
 *  - `past_close`: its close date is before today. Lateness = days past the close date
 *    (closed yesterday → 1). A deal closing today is not late.
 *  - `close_soon`: its close date falls in the window [today, today + closeSoonDays) AND its
 *    account has had no touch for at least noTouchDays (today − the local date of the last touch,
 *    or of the account's creation when never touched). Lateness = days into the window =
 *    closeSoonDays − days until the close date (closing today → 7 with the default window;
 *    closing in 6 days → 1).
 *  - `stalled`: its stage has not changed for longer than stallDays: days in stage (today − the
 *    local date the stage was entered) > stallDays. Lateness = days in stage − stallDays.
 *
 * A deal matching several reasons is shown once, under the reason with the greatest lateness
 * (ties: past_close, then close_soon, then stalled). Rank = amount × lateness, highest first;
 * ties by lateness, then by deal id (oldest first), so the order is total and stable.
 */
import { topWithRest } from "./neglect.js";
import { addLocalDays, localDateOf, localDaysBetween, type LocalDate } from "./time.js";

export interface DealAttentionThresholds {
  /** Stalled after more than this many days in one stage. */
  stallDays: number;
  /** The close-soon window: today and the following closeSoonDays − 1 days. */
  closeSoonDays: number;
  /** Days without a touch on the account that make a closing-soon deal need attention. */
  noTouchDays: number;
}

export const DEFAULT_DEAL_ATTENTION: Readonly<DealAttentionThresholds> = Object.freeze({ stallDays: 30, closeSoonDays: 7, noTouchDays: 7 });

/** Rows shown in the reminder; the rest are counted. */
export const DEAL_ATTENTION_TOP = 5;

export type DealAttentionReason = "past_close" | "close_soon" | "stalled";
const PRIORITY: readonly DealAttentionReason[] = ["past_close", "close_soon", "stalled"];

/** Which deal: what a reminder row names. */
export interface DealIdentity {
  dealId: number;
  accountId: number;
  accountName: string;
  title: string | null;
  amountCents: number;
  stage: string;
}

export interface DealAttentionInput extends DealIdentity {
  expectedCloseAt: Date | null;
  /** When the deal entered its current stage (stageChangedAt, else the deal's createdAt). */
  stageSince: Date;
  /** The account's last touch, or its creation when never touched. */
  accountTouchedAt: Date;
}

export interface DealAttentionRow extends DealIdentity {
  reason: DealAttentionReason;
  /** Days late for `reason` (see the file comment); ≥ 1. */
  lateDays: number;
  /** amountCents × lateDays. */
  score: number;
  /** The local close date, when the deal has one. */
  closeDate: LocalDate | null;
  daysInStage: number;
  daysSinceTouch: number;
}

/** A deal's dates as local dates in the reader's zone, and the day counts from them to today. */
interface LocalView {
  closeDate: LocalDate | null;
  daysInStage: number;
  daysSinceTouch: number;
}

function localView(deal: Pick<DealAttentionInput, "expectedCloseAt" | "stageSince" | "accountTouchedAt">, today: LocalDate, zone: string): LocalView {
  return {
    closeDate: deal.expectedCloseAt ? localDateOf(deal.expectedCloseAt, zone) : null,
    daysInStage: localDaysBetween(localDateOf(deal.stageSince, zone), today),
    daysSinceTouch: localDaysBetween(localDateOf(deal.accountTouchedAt, zone), today),
  };
}

function reasonsOf(v: LocalView, thresholds: Readonly<DealAttentionThresholds>, today: LocalDate): { reason: DealAttentionReason; lateDays: number }[] {
  const out: { reason: DealAttentionReason; lateDays: number }[] = [];
  if (v.closeDate !== null) {
    const untilClose = localDaysBetween(today, v.closeDate);
    if (untilClose < 0) out.push({ reason: "past_close", lateDays: -untilClose });
    else if (untilClose < thresholds.closeSoonDays && v.daysSinceTouch >= thresholds.noTouchDays) {
      out.push({ reason: "close_soon", lateDays: thresholds.closeSoonDays - untilClose });
    }
  }
  if (v.daysInStage > thresholds.stallDays) out.push({ reason: "stalled", lateDays: v.daysInStage - thresholds.stallDays });
  return out;
}

/** Each reason that applies to one deal, with its lateness. */
export function attentionReasons(
  deal: Pick<DealAttentionInput, "expectedCloseAt" | "stageSince" | "accountTouchedAt">,
  thresholds: Readonly<DealAttentionThresholds>,
  today: LocalDate,
  zone: string,
): { reason: DealAttentionReason; lateDays: number }[] {
  return reasonsOf(localView(deal, today, zone), thresholds, today);
}

/** The open deals needing attention, ranked; the top `top` shown and the rest counted. */
export function dealsNeedingAttention(
  deals: readonly DealAttentionInput[],
  thresholds: Readonly<DealAttentionThresholds>,
  now: Date,
  zone: string,
  top: number = DEAL_ATTENTION_TOP,
): { rows: DealAttentionRow[]; restCount: number } {
  const today = localDateOf(now, zone);
  const rows = deals.flatMap((d): DealAttentionRow[] => {
    // Each local date is computed once per deal (thousands per reminder batch).
    const v = localView(d, today, zone);
    const reasons = reasonsOf(v, thresholds, today);
    if (reasons.length === 0) return [];
    // Greatest lateness wins; PRIORITY order breaks ties (reasons are pushed in that order).
    const worst = reasons.reduce((a, b) => (b.lateDays > a.lateDays ? b : a));
    return [
      {
        dealId: d.dealId,
        accountId: d.accountId,
        accountName: d.accountName,
        title: d.title,
        amountCents: d.amountCents,
        stage: d.stage,
        reason: worst.reason,
        lateDays: worst.lateDays,
        score: d.amountCents * worst.lateDays,
        ...v,
      },
    ];
  });
  return rankAttention(rows, top);
}

/** The ranking of deals that need attention: score, then lateness, then reason, then oldest deal. */
function compareAttention(a: DealAttentionRow, b: DealAttentionRow): number {
  return b.score - a.score || b.lateDays - a.lateDays || PRIORITY.indexOf(a.reason) - PRIORITY.indexOf(b.reason) || a.dealId - b.dealId;
}

/**
 * Ranks rows that need attention (one rep's, or several reps' together, each judged in its own
 * owner's zone and workspace rules) in the one order above; the top `top` shown, the rest counted.
 */
export function rankAttention<R extends DealAttentionRow>(rows: R[], top: number): { rows: R[]; restCount: number } {
  rows.sort(compareAttention);
  const { top: shown, restCount } = topWithRest(rows, top);
  return { rows: shown, restCount };
}

/**
 * Where "push the close date" moves a deal: `days` after the later of its close date and today,
 * so pushing a deal that is already late lands in the future (a week from today), never in the
 * past. The reminder's date picker starts there too.
 */
export function pushedCloseDate(closeDate: LocalDate | null, today: LocalDate, days = 7): LocalDate {
  return addLocalDays(closeDate !== null && closeDate > today ? closeDate : today, days);
}

/**
 * The earliest instants the repository needs, so its query returns a superset of the deals that
 * can need attention (the domain decides exactly): close dates before `closeBefore` (covers past
 * and closing-soon in any zone), or in their stage since before `stageBefore`.
 */
export function attentionCutoffs(thresholds: Readonly<DealAttentionThresholds>, now: Date): { closeBefore: Date; stageBefore: Date } {
  const DAY = 86_400_000;
  // A day of slack each way: local dates in any zone lie within ±14 hours of UTC.
  return {
    closeBefore: new Date(now.getTime() + (thresholds.closeSoonDays + 1) * DAY),
    stageBefore: new Date(now.getTime() - (thresholds.stallDays - 1) * DAY),
  };
}
