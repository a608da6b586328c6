/**
 * When a user's daily reminder is due. Pure: every instant is judged in an explicit IANA zone,
 * never the process time zone, and `now` is a parameter.
 *
 * Rules
 * - The reminder belongs to the user's local date D (in their effective zone). It is due on D when
 *   the user is active, reminders are not paused, D's ISO weekday is one of their reminder days,
 *   and D is not one of their skip dates.
 * - Reminder instant R = the reminder time on D in the zone. A time that does not exist on D
 *   (spring-forward gap) moves forward by the gap (02:30 → 03:30); a time that happens twice
 *   (fall-back) uses the first occurrence.
 * - Catch-up: a tick at or after R may still send D's reminder until the cut-off
 *   C = min(R + 12 h, 22:00 local on D), but never less than one hour after R (so a reminder set
 *   for 21:30 or 23:00 still goes out), and never after D ends (local midnight): a missed
 *   reminder is never sent on the next day. After C, D's reminder is dropped.
 */
import { DateTime } from "luxon";
import { isLocalDate, isoWeekday, localDateOf, type LocalDate } from "./time.js";
import { memoized } from "./memo.js";

export interface ReminderSchedule {
  /** Effective IANA zone (settings override, else Slack's). */
  zone: string;
  /** Local "HH:mm". */
  time: string;
  /** ISO weekdays (1 = Monday … 7 = Sunday). */
  days: ReadonlySet<number>;
  skipDates: ReadonlySet<LocalDate>;
  paused: boolean;
  inactive: boolean;
}

export const DEFAULT_REMINDER_TIME = "09:00";
export const CATCH_UP_MAX_HOURS = 12;
/** Local wall time after which no catch-up is sent (unless the reminder itself is later). */
export const CATCH_UP_LATEST_LOCAL = { hour: 22, minute: 0 } as const;
export const CATCH_UP_MIN_MINUTES = 60;

export type ReminderStatus =
  | { due: true; localDate: LocalDate; at: Date; cutoff: Date }
  | {
      due: false;
      localDate: LocalDate;
      reason: "inactive" | "paused" | "not_a_reminder_day" | "skip_date" | "too_early" | "too_late";
      at?: Date;
      cutoff?: Date;
    };

/** "9:05", "09:05" → { hour: 9, minute: 5 }; null when not a valid 24-hour time. */
export function parseReminderTime(text: string): { hour: number; minute: number } | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

export function formatReminderTime(t: { hour: number; minute: number }): string {
  return `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}

/** "1,2,3,4,5" → [1, 2, 3, 4, 5]; invalid entries are dropped, duplicates removed, sorted. */
export function parseReminderDays(text: string): number[] {
  const days = text
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n >= 1 && n <= 7);
  return [...new Set(days)].sort((a, b) => a - b);
}

/** Stored skip dates → valid, sorted, unique local dates (bad entries are ignored). */
export function parseStoredSkipDates(text: string): LocalDate[] {
  const dates = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "" && isLocalDate(s));
  return [...new Set(dates)].sort();
}

export type SkipDatesInput = { ok: true; dates: LocalDate[] } | { ok: false; invalid: string[] };

/** User-typed skip dates: comma, semicolon or whitespace separated YYYY-MM-DD. Any bad entry fails. */
export function parseSkipDatesInput(text: string): SkipDatesInput {
  const parts = text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const invalid = parts.filter((p) => !isLocalDate(p));
  if (invalid.length > 0) return { ok: false, invalid };
  return { ok: true, dates: [...new Set(parts)].sort() };
}

/**
 * The UTC instant of a local wall time on a local date. A nonexistent time (spring-forward gap)
 * moves forward by the gap; an ambiguous one (fall-back) resolves to its first occurrence.
 */
export function localTimeInstant(date: LocalDate, time: { hour: number; minute: number }, zone: string): Date {
  return localTimeInstantMemo(date, time, zone);
}

/** Memoized: every user sharing a zone and reminder time asks the same question in a run. */
const localTimeInstantMemo = memoized(
  (date: LocalDate, time: { hour: number; minute: number }, zone: string) => `${date}|${time.hour}:${time.minute}|${zone}`,
  computeLocalTimeInstant,
  (d) => new Date(d.getTime()),
);

function computeLocalTimeInstant(date: LocalDate, time: { hour: number; minute: number }, zone: string): Date {
  const [year, month, day] = date.split("-").map(Number);
  const wall = { year, month, day, hour: time.hour, minute: time.minute };
  // luxon moves gap times forward (what we want) but resolves overlaps to the later offset.
  const chosen = DateTime.fromObject(wall, { zone });
  const wallMs = Date.UTC(year, month - 1, day, time.hour, time.minute);
  const startOffset = DateTime.fromObject({ year, month, day }, { zone }).offset;
  const endOffset = DateTime.fromObject({ year, month, day, hour: 23, minute: 59 }, { zone }).offset;
  const candidates = [startOffset, endOffset, chosen.offset]
    .map((offsetMin) => wallMs - offsetMin * 60_000)
    .filter((ms) => {
      const back = DateTime.fromMillis(ms, { zone });
      return back.year === year && back.month === month && back.day === day && back.hour === time.hour && back.minute === time.minute;
    });
  if (candidates.length === 0) return chosen.toJSDate();
  return new Date(Math.min(...candidates));
}

/** The latest instant D's reminder (due at `at`) may still be sent; see the module rules. */
export function catchUpCutoff(date: LocalDate, at: Date, zone: string): Date {
  return catchUpCutoffMemo(date, at, zone);
}

const catchUpCutoffMemo = memoized(
  (date: LocalDate, at: Date, zone: string) => `${date}|${at.getTime()}|${zone}`,
  computeCatchUpCutoff,
  (d) => new Date(d.getTime()),
);

function computeCatchUpCutoff(date: LocalDate, at: Date, zone: string): Date {
  const latestLocal = localTimeInstant(date, CATCH_UP_LATEST_LOCAL, zone).getTime();
  const byWindow = at.getTime() + CATCH_UP_MAX_HOURS * 3_600_000;
  const atLeast = at.getTime() + CATCH_UP_MIN_MINUTES * 60_000;
  const endOfDay = DateTime.fromISO(date, { zone }).plus({ days: 1 }).startOf("day").toMillis();
  return new Date(Math.min(Math.max(Math.min(byWindow, latestLocal), atLeast), endOfDay));
}

/**
 * Whether the reminder for the user's current local date is due at `now`.
 * `due` is true from the reminder instant up to (excluding) the cut-off.
 */
export function reminderStatus(s: ReminderSchedule, now: Date): ReminderStatus {
  const localDate = localDateOf(now, s.zone);
  if (s.inactive) return { due: false, localDate, reason: "inactive" };
  if (s.paused) return { due: false, localDate, reason: "paused" };
  if (!s.days.has(isoWeekday(localDate))) return { due: false, localDate, reason: "not_a_reminder_day" };
  if (s.skipDates.has(localDate)) return { due: false, localDate, reason: "skip_date" };
  return windowStatus(localDate, s.time, s.zone, now);
}

/** The reminder window on `localDate` at `time`, judged at `now` (no day/pause rules). */
export function windowStatus(localDate: LocalDate, timeText: string, zone: string, now: Date): ReminderStatus {
  const time = parseReminderTime(timeText) ?? parseReminderTime(DEFAULT_REMINDER_TIME);
  if (!time) throw new Error("unreachable: default reminder time is valid");
  const at = localTimeInstant(localDate, time, zone);
  const cutoff = catchUpCutoff(localDate, at, zone);
  if (now.getTime() < at.getTime()) return { due: false, localDate, reason: "too_early", at, cutoff };
  if (now.getTime() >= cutoff.getTime()) return { due: false, localDate, reason: "too_late", at, cutoff };
  return { due: true, localDate, at, cutoff };
}

/**
 * The next reminder at or after `now` (including one still in today's catch-up window), looking
 * at most `horizonDays` ahead; null when paused, inactive, or no day qualifies. Dates in `handled`
 * (today's digest already went out, or was found empty) are passed over.
 */
export function nextReminder(
  s: ReminderSchedule,
  now: Date,
  horizonDays = 60,
  handled: ReadonlySet<LocalDate> = new Set(),
): { localDate: LocalDate; at: Date } | null {
  if (s.inactive || s.paused || s.days.size === 0) return null;
  const time = parseReminderTime(s.time) ?? { hour: 9, minute: 0 };
  let date = localDateOf(now, s.zone);
  for (let i = 0; i <= horizonDays; i++) {
    if (s.days.has(isoWeekday(date)) && !s.skipDates.has(date) && !handled.has(date)) {
      const at = localTimeInstant(date, time, s.zone);
      if (now.getTime() < catchUpCutoff(date, at, s.zone).getTime()) return { localDate: date, at };
    }
    date = DateTime.fromISO(date, { zone: "UTC" }).plus({ days: 1 }).toISODate() as LocalDate;
  }
  return null;
}

/** The Monday (ISO week start) of the week containing a local date. */
export function mondayOf(date: LocalDate): LocalDate {
  return DateTime.fromISO(date, { zone: "UTC" }).startOf("week").toISODate() as LocalDate;
}
