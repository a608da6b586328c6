import { DateTime, IANAZone } from "luxon";
import { dateTimeFormat, memoizedPredicate } from "./intl-cache.js";
import { memoized } from "./memo.js";

/** A local calendar date, "YYYY-MM-DD". */
export type LocalDate = string;

/** Zone validity never changes, and luxon checks it by building an Intl.DateTimeFormat: memoized. */
const validZone = memoizedPredicate((zone) => IANAZone.isValidZone(zone));

export function isValidTimeZone(zone: string): boolean {
  return validZone(zone);
}

/** "europe/berlin" → "Europe/Berlin": a valid zone as Intl names it, so it is stored one way. */
export function canonicalZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return zone;
  }
}

/** The zone to use, falling back when Slack sent nothing usable. */
export function safeZone(zone: string | null | undefined, fallback: string): string {
  return zone && isValidTimeZone(zone) ? zone : fallback;
}

/**
 * A day's year, month and day in `zone` (Gregorian, Latin digits) through one cached
 * Intl.DateTimeFormat per zone: formatting with it costs a few microseconds, a third of building a
 * luxon DateTime, and a reminder batch asks for thousands of local dates (every deal's close date,
 * stage start and last touch).
 */
const DAY_PARTS: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit", calendar: "gregory", numberingSystem: "latn" };

function intlLocalDate(instant: Date, zone: string): LocalDate {
  try {
    let y = "";
    let m = "";
    let d = "";
    for (const part of dateTimeFormat("en-US", { ...DAY_PARTS, timeZone: zone }).formatToParts(instant)) {
      if (part.type === "year") y = part.value;
      else if (part.type === "month") m = part.value;
      else if (part.type === "day") d = part.value;
    }
    if (/^\d{4}$/.test(y) && m.length === 2 && d.length === 2) return `${y}-${m}-${d}`;
  } catch {
    // An unknown zone: luxon below says what it always said.
  }
  return DateTime.fromJSDate(instant, { zone }).toISODate() as LocalDate;
}

/** Memoized per (instant, zone): a batch asks it for the same instant in a handful of zones. */
const localDateOfMemo = memoized((instant: Date, zone: string) => `${instant.getTime()}|${zone}`, intlLocalDate);

export function localDateOf(instant: Date, zone: string): LocalDate {
  return localDateOfMemo(instant, zone);
}

/** The UTC instant at which the given local date begins in `zone` (DST-safe). */
export const startOfLocalDate: (date: LocalDate, zone: string) => Date = memoized(
  (date: LocalDate, zone: string) => `${date}|${zone}`,
  (date: LocalDate, zone: string) => DateTime.fromISO(date, { zone }).startOf("day").toJSDate(),
  (d) => new Date(d.getTime()),
);

/** Half-open [start, end) of the local day containing `instant`. */
const localDayRangeMemo = memoized(
  (instant: Date, zone: string) => `${instant.getTime()}|${zone}`,
  (instant: Date, zone: string) => {
    const d = DateTime.fromJSDate(instant, { zone }).startOf("day");
    return { start: d.toJSDate(), end: d.plus({ days: 1 }).toJSDate() };
  },
  (r) => ({ start: new Date(r.start.getTime()), end: new Date(r.end.getTime()) }),
);

export function localDayRange(instant: Date, zone: string): { start: Date; end: Date } {
  return localDayRangeMemo(instant, zone);
}

export function addLocalDays(date: LocalDate, days: number): LocalDate {
  return DateTime.fromISO(date, { zone: "UTC" }).plus({ days }).toISODate() as LocalDate;
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  return DateTime.fromISO(date, { zone: "UTC" }).weekday;
}

export function isLocalDate(value: string): value is LocalDate {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}

/**
 * Adds calendar months to a local date. Date-only math runs in UTC so no DST can shift it;
 * a day that does not exist in the target month clamps to its last day (Jan 31 + 1 → Feb 28/29).
 */
export function addLocalMonths(date: LocalDate, months: number): LocalDate {
  return DateTime.fromISO(date, { zone: "UTC" }).plus({ months }).toISODate() as LocalDate;
}

/** Calendar days from `from` to `to` (local dates); negative when `to` is earlier. */
export function localDaysBetween(from: LocalDate, to: LocalDate): number {
  // Both are calendar dates: their UTC midnights are whole days apart (no DST in UTC).
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
