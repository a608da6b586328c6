/**
 * Which stretch of time a team leaderboard covers, what its quota is, and when a scheduled post is due.
 * Pure: no clock, no I/O; every instant is cut in an explicit IANA zone (the team's).
 *
 * Rules
 * - Week: the ISO week, Monday–Sunday, in the team's zone; key "2026-W14" (ISO week-numbering year).
 * - Month / quarter / year: the (fiscal) periods of `periods.ts`, cut in the team's zone.
 * - Attainment (the ranking) for a month, quarter or year: closed-won in the period ÷ the effective
 *   quota (quota × ramp) set for exactly that period — the same figure `/ae quota` shows. A rep
 *   without one is listed apart, unranked (no quota is guessed from another period type).
 * - Attainment for a week: a week has no quota of its own, and slicing one would rank a single
 *   lucky deal above steady performance. So weekly posts rank by the attainment of the quarter
 *   containing the week's last day, to date (closed-won from the quarter's start to the week's end
 *   ÷ the quarter's effective quota), and show the week's own won / deals / touches beside it.
 * - Scheduled posts are due at 09:00 local: every Monday for the week just ended, on the first day
 *   of a month for the month just closed, and on the first day of a quarter for the quarter just
 *   closed. A post missed at 09:00 (server down) is still made later that same local day.
 */
import { DateTime } from "luxon";
import { roundCents } from "./quota.js";
import { periodForLocalDate, type Period, type PeriodType } from "./periods.js";
import { addLocalDays, localDateOf, startOfLocalDate, type LocalDate } from "./time.js";

export type LeaderboardPeriodType = "week" | PeriodType;
export interface LeaderboardPeriod {
  type: LeaderboardPeriodType;
  startDate: LocalDate;
  /** First local date after the period. */
  endDate: LocalDate;
  /** [start, end): the window of the secondary columns (won, deals, touches). */
  start: Date;
  end: Date;
  key: string;
  label: string;
  /** The quota period attainment is measured against (the quarter for a week). */
  quotaPeriod: Period;
  /** [rankingStart, rankingEnd): the closed-won window attainment is computed on. */
  rankingStart: Date;
  rankingEnd: Date;
}

const MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

function shortDate(date: LocalDate): { text: string; year: number } {
  const d = DateTime.fromISO(date, { zone: "UTC" });
  return { text: `${MONTH_ABBR[d.month - 1]} ${d.day}`, year: d.year };
}

/** Monday of the ISO week containing `date`. */
export function weekStartOf(date: LocalDate): LocalDate {
  const d = DateTime.fromISO(date, { zone: "UTC" });
  return addLocalDays(date, -(d.weekday - 1));
}

/** "2026-W14" for any date of that ISO week. */
export function isoWeekKey(date: LocalDate): string {
  const d = DateTime.fromISO(date, { zone: "UTC" });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, "0")}`;
}

/** The leaderboard period of `type` containing the local date `date`. */
export function leaderboardPeriod(
  type: LeaderboardPeriodType,
  date: LocalDate,
  zone: string,
  fiscalYearStartMonth: number,
): LeaderboardPeriod {
  if (type !== "week") {
    const p = periodForLocalDate(type, date, zone, fiscalYearStartMonth);
    return { type, startDate: p.startDate, endDate: p.endDate, start: p.start, end: p.end, key: p.key, label: p.label, quotaPeriod: p, rankingStart: p.start, rankingEnd: p.end };
  }
  const startDate = weekStartOf(date);
  const endDate = addLocalDays(startDate, 7);
  const last = addLocalDays(endDate, -1);
  const quarter = periodForLocalDate("quarter", last, zone, fiscalYearStartMonth);
  const from = shortDate(startDate);
  const to = shortDate(last);
  const start = startOfLocalDate(startDate, zone);
  const end = startOfLocalDate(endDate, zone);
  return {
    type,
    startDate,
    endDate,
    start,
    end,
    key: isoWeekKey(startDate),
    label: `${from.text}${from.year !== to.year ? `, ${from.year}` : ""} – ${to.text}, ${to.year}`,
    quotaPeriod: quarter,
    rankingStart: quarter.start,
    rankingEnd: end < quarter.end ? end : quarter.end,
  };
}

export interface QuotaLike {
  periodType: string;
  periodStart: string;
  amountCents: number;
  rampFactor: number;
}

function effective(q: QuotaLike): number {
  const ramp = q.rampFactor > 0 && q.rampFactor <= 1 ? q.rampFactor : 1;
  return roundCents(q.amountCents * ramp);
}

/** A rep's effective quota (quota × ramp, rounded half-up) for `period`, or null without one. */
export function effectiveLeaderboardQuota(rows: readonly QuotaLike[], period: Pick<Period, "type" | "startDate">): number | null {
  const exact = rows.find((r) => r.periodType === period.type && r.periodStart === period.startDate);
  return exact ? effective(exact) : null;
}

export interface DuePost {
  type: "week" | "month" | "quarter";
  /** A local date inside the closed period. */
  date: LocalDate;
}

/** Local hour at which scheduled leaderboards go out. */
export const LEADERBOARD_POST_HOUR = 9;

/** The closed periods whose post is due at `now` in `zone` (see the rules above). */
export function duePosts(now: Date, zone: string, fiscalYearStartMonth: number): DuePost[] {
  const local = DateTime.fromJSDate(now, { zone });
  if (local.hour < LEADERBOARD_POST_HOUR) return [];
  const today = localDateOf(now, zone);
  const yesterday = addLocalDays(today, -1);
  const due: DuePost[] = [];
  if (local.weekday === 1) due.push({ type: "week", date: addLocalDays(today, -7) });
  if (local.day === 1) {
    due.push({ type: "month", date: yesterday });
    if (periodForLocalDate("quarter", today, zone, fiscalYearStartMonth).startDate === today) due.push({ type: "quarter", date: yesterday });
  }
  return due;
}
