import { DateTime, IANAZone } from "luxon";

/** A local calendar date, "YYYY-MM-DD". */
export type LocalDate = string;

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The zone to use, falling back when Slack sent nothing usable. */
export function safeZone(zone: string | null | undefined, fallback: string): string {
  return zone && isValidTimeZone(zone) ? zone : fallback;
}

export function localDateOf(instant: Date, zone: string): LocalDate {
  return DateTime.fromJSDate(instant, { zone }).toISODate() as LocalDate;
}

/** The UTC instant at which the given local date begins in `zone` (DST-safe). */
export function startOfLocalDate(date: LocalDate, zone: string): Date {
  return DateTime.fromISO(date, { zone }).startOf("day").toJSDate();
}

/** Half-open [start, end) of the local day containing `instant`. */
export function localDayRange(instant: Date, zone: string): { start: Date; end: Date } {
  const d = DateTime.fromJSDate(instant, { zone }).startOf("day");
  return { start: d.toJSDate(), end: d.plus({ days: 1 }).toJSDate() };
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

/** Whole days from `from` to `to` (instants), counted in real elapsed time. */
export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / 86_400_000;
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
  return Math.round(
    DateTime.fromISO(to, { zone: "UTC" }).diff(DateTime.fromISO(from, { zone: "UTC" }), "days").days,
  );
}
