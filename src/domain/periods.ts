/**
 * Quota periods (month / fiscal quarter / fiscal year) and how much of one has elapsed.
 *
 * Pure: no clock, no I/O. Every instant is interpreted in an explicit IANA `zone`, never the
 * process time zone, so results are identical on any server.
 *
 * Fiscal years
 * - `fiscalYearStartMonth` is 1–12 (1 = January). Quarters are consecutive 3-month blocks from
 *   that month: with 2 (February), Q1 = Feb–Apr, Q2 = May–Jul, Q3 = Aug–Oct, Q4 = Nov–Jan.
 * - A fiscal year is named after the calendar year it ENDS in (the common US convention):
 *   with start month 2, FY2027 = 1 Feb 2026 – 31 Jan 2027. With start month 1 the fiscal year
 *   is the calendar year (FY2026 = Jan–Dec 2026).
 *
 * Period keys (stable, sortable within a type, safe to store):
 * - month:   "YYYY-MM" of the calendar month, e.g. "2026-03". A month is the same month whatever
 *            the fiscal calendar, so its key does not change if the fiscal start month does.
 * - quarter: "FY<fiscal year>-Q<n>", e.g. "FY2027-Q1".
 * - year:    "FY<fiscal year>", e.g. "FY2027".
 * Labels are English display strings: "March 2026", "Q1 FY2027", "FY2027".
 */
import { DateTime } from "luxon";
import {
  addLocalDays,
  addLocalMonths,
  isLocalDate,
  isoWeekday,
  isValidTimeZone,
  localDateOf,
  localDaysBetween,
  startOfLocalDate,
  type LocalDate,
} from "./time.js";

export type PeriodType = "month" | "quarter" | "year";
export const PERIOD_TYPES: readonly PeriodType[] = ["month", "quarter", "year"];

/** How pace is measured: working days (Mon–Fri minus holidays) or every calendar day. */
export type PaceMode = "business" | "calendar";

export interface Period {
  type: PeriodType;
  /** First local date of the period. */
  startDate: LocalDate;
  /** First local date AFTER the period (exclusive). */
  endDate: LocalDate;
  /** UTC instant of local midnight starting `startDate` in the zone; the period is [start, end). */
  start: Date;
  /** UTC instant of local midnight starting `endDate` in the zone. */
  end: Date;
  key: string;
  label: string;
}

const MONTHS_IN: Record<PeriodType, number> = { month: 1, quarter: 3, year: 12 };

// Fixed English names: luxon's month names would follow the process locale.
const MONTH_NAMES = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
] as const;

function assertFiscalStartMonth(month: number): void {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`fiscalYearStartMonth must be an integer 1–12, got ${month}`);
  }
}

function assertZone(zone: string): void {
  // An invalid zone would silently yield Invalid Dates from luxon.
  if (!isValidTimeZone(zone)) throw new RangeError(`Unknown time zone: ${zone}`);
}

function assertLocalDate(date: string): void {
  if (!isLocalDate(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
}

function yearMonth(date: LocalDate): { year: number; month: number } {
  const dt = DateTime.fromISO(date, { zone: "UTC" });
  return { year: dt.year, month: dt.month };
}

/** Months from the fiscal year's first month to `month` (0–11). */
function monthsIntoFiscalYear(month: number, fiscalYearStartMonth: number): number {
  return (month - fiscalYearStartMonth + 12) % 12;
}

/** The fiscal year (named after the calendar year it ends in) containing year/month. */
export function fiscalYearOf(year: number, month: number, fiscalYearStartMonth: number): number {
  assertFiscalStartMonth(fiscalYearStartMonth);
  const startYear = month >= fiscalYearStartMonth ? year : year - 1;
  return fiscalYearStartMonth === 1 ? startYear : startYear + 1;
}

function keyAndLabel(
  type: PeriodType,
  startDate: LocalDate,
  fiscalYearStartMonth: number,
): { key: string; label: string } {
  const { year, month } = yearMonth(startDate);
  if (type === "month") {
    return { key: `${year}-${String(month).padStart(2, "0")}`, label: `${MONTH_NAMES[month - 1]} ${year}` };
  }
  const fy = fiscalYearOf(year, month, fiscalYearStartMonth);
  if (type === "year") return { key: `FY${fy}`, label: `FY${fy}` };
  const quarter = Math.floor(monthsIntoFiscalYear(month, fiscalYearStartMonth) / 3) + 1;
  return { key: `FY${fy}-Q${quarter}`, label: `Q${quarter} FY${fy}` };
}

/** The period of `type` containing the local date `date`. */
export function periodForLocalDate(
  type: PeriodType,
  date: LocalDate,
  zone: string,
  fiscalYearStartMonth: number,
): Period {
  assertLocalDate(date);
  assertZone(zone);
  assertFiscalStartMonth(fiscalYearStartMonth);
  const { year, month } = yearMonth(date);
  const firstOfMonth = DateTime.fromObject({ year, month, day: 1 }, { zone: "UTC" }).toISODate() as LocalDate;
  // Step back to the first month of the block: 0 for months, position in quarter/year otherwise.
  const into = monthsIntoFiscalYear(month, fiscalYearStartMonth);
  const back = type === "month" ? 0 : type === "quarter" ? into % 3 : into;
  const startDate = addLocalMonths(firstOfMonth, -back);
  const endDate = addLocalMonths(startDate, MONTHS_IN[type]);
  return {
    type,
    startDate,
    endDate,
    // Local midnights in the zone: a month containing a DST change starts and ends at
    // different UTC offsets, which is correct and why we never add 24 h × n days.
    start: startOfLocalDate(startDate, zone),
    end: startOfLocalDate(endDate, zone),
    ...keyAndLabel(type, startDate, fiscalYearStartMonth),
  };
}

/** The period of `type` containing `instant`, judged by the local date in `zone`. */
export function periodContaining(
  type: PeriodType,
  instant: Date,
  zone: string,
  fiscalYearStartMonth: number,
): Period {
  assertZone(zone);
  return periodForLocalDate(type, localDateOf(instant, zone), zone, fiscalYearStartMonth);
}

/**
 * The period that starts on `startDate` (quotas are stored by periodStart).
 * Throws RangeError when `startDate` is not the first day of such a period — e.g. the fiscal
 * start month changed after the quota was saved — rather than silently picking another period.
 */
export function periodFromStartDate(
  type: PeriodType,
  startDate: LocalDate,
  zone: string,
  fiscalYearStartMonth: number,
): Period {
  const period = periodForLocalDate(type, startDate, zone, fiscalYearStartMonth);
  if (period.startDate !== startDate) {
    throw new RangeError(
      `${startDate} is not the first day of a ${type} (fiscal year starting in month ${fiscalYearStartMonth}); ` +
        `that ${type} starts on ${period.startDate}`,
    );
  }
  return period;
}

export function previousPeriod(period: Period, zone: string, fiscalYearStartMonth: number): Period {
  return periodForLocalDate(period.type, addLocalDays(period.startDate, -1), zone, fiscalYearStartMonth);
}

export function nextPeriod(period: Period, zone: string, fiscalYearStartMonth: number): Period {
  return periodForLocalDate(period.type, period.endDate, zone, fiscalYearStartMonth);
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a well-formed local date, else NaN ("2026-02-30" is not a date). */
function dayNumber(date: LocalDate): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === date ? ms / DAY_MS : NaN;
}

/**
 * Mon–Fri dates in [startDate, endDateExclusive) that are not holidays (weekend holidays count once: not at all).
 * Day arithmetic on day numbers (1970-01-01 was a Thursday): this runs for every quota shown, and
 * a date library call per day of a year-long period would cost milliseconds each time.
 */
export function businessDaysIn(
  startDate: LocalDate,
  endDateExclusive: LocalDate,
  holidays: ReadonlySet<LocalDate>,
): number {
  const start = dayNumber(startDate);
  const end = dayNumber(endDateExclusive);
  if (Number.isNaN(start) || Number.isNaN(end)) return slowBusinessDaysIn(startDate, endDateExclusive, holidays);
  const holidayDays = new Set<number>();
  for (const h of holidays) {
    const n = dayNumber(h);
    if (!Number.isNaN(n)) holidayDays.add(n);
  }
  let count = 0;
  for (let n = start; n < end; n++) {
    const isoWeekdayOf = ((n + 3) % 7 + 7) % 7 + 1;
    if (isoWeekdayOf <= 5 && !holidayDays.has(n)) count++;
  }
  return count;
}

/** The same count, a day at a time through the date library (for dates that are not YYYY-MM-DD). */
function slowBusinessDaysIn(startDate: LocalDate, endDateExclusive: LocalDate, holidays: ReadonlySet<LocalDate>): number {
  let count = 0;
  for (let d = startDate; d < endDateExclusive; d = addLocalDays(d, 1)) {
    if (isoWeekday(d) <= 5 && !holidays.has(d)) count++;
  }
  return count;
}

/** Calendar dates in [startDate, endDateExclusive); 0 when the range is empty or reversed. */
export function calendarDaysIn(startDate: LocalDate, endDateExclusive: LocalDate): number {
  return Math.max(0, localDaysBetween(startDate, endDateExclusive));
}

export interface ElapsedShare {
  /** Counted days of the period before today's local date. */
  elapsedDays: number;
  /** Counted days in the whole period. */
  totalDays: number;
  /** Counted days from today (inclusive) to the period end: totalDays − elapsedDays. */
  remainingDays: number;
  /** elapsedDays / totalDays, in [0, 1]. */
  share: number;
}

/**
 * How much of `period` has gone by at `now`, in whole days.
 *
 * Rule (same for both modes): a day counts as elapsed only once it is over, i.e. days whose
 * local date is strictly before today's local date in `zone`; today and later are remaining.
 * No fractional "part of today" — pace and "needed per day" then stay fixed for the whole day
 * (a morning digest and an afternoon question agree), and today is still a day you can sell in.
 * In "business" mode only Mon–Fri non-holidays are counted; in "calendar" mode every date is.
 * Before the period: share 0; from its end date on: share 1. A period with no countable days
 * (e.g. all holidays) has share 0 until its end, then 1.
 */
export function elapsedShare(
  period: Period,
  now: Date,
  zone: string,
  mode: PaceMode,
  holidays: ReadonlySet<LocalDate> = new Set(),
): ElapsedShare {
  assertZone(zone);
  const today = localDateOf(now, zone);
  const count = (from: LocalDate, to: LocalDate): number =>
    mode === "business" ? businessDaysIn(from, to, holidays) : calendarDaysIn(from, to);
  // Clamp today into [startDate, endDate] so before/after the period fall out naturally.
  const cut = today < period.startDate ? period.startDate : today > period.endDate ? period.endDate : today;
  const totalDays = count(period.startDate, period.endDate);
  const elapsedDays = count(period.startDate, cut);
  const share = totalDays > 0 ? elapsedDays / totalDays : today >= period.endDate ? 1 : 0;
  return { elapsedDays, totalDays, remainingDays: totalDays - elapsedDays, share };
}
