/**
 * Due dates typed by users ("tomorrow", "freitag", "in 3 Tagen", "3.12.", "Dec 3"),
 * resolved to a calendar date in the user's time zone.
 *
 * Order of attempts:
 *  1. ISO "YYYY-MM-DD".
 *  2. Our own rules, which must not depend on chrono's quirks:
 *     - weekday names (en + de, with optional "on/by/this/next/coming", "am/bis/diesen/
 *       nächsten/kommenden"): the next occurrence STRICTLY AFTER today; "next friday" means
 *       the same as "friday" (said on a Friday, both mean the Friday a week later);
 *     - "end of month" / "eom" / "Monatsende" / "Ende des Monats": last day of this month;
 *     - dotted numeric dates "3.12.2026", "3.12.26", "3.12." and "3.12": always day.month
 *       (dotted dates are day-first wherever they are used); without a year → the next
 *       occurrence on or after today.
 *  3. chrono-node in the user's language, then the other language.
 * The matched expression must cover the whole text apart from filler words such as
 * "by", "until", "bis", "spätestens", "früh" — "3 apples" is not a date.
 * Past dates are returned as-is: the caller decides whether they are acceptable.
 */
import { createRequire } from "node:module";
import type * as Chrono from "chrono-node";
import { DateTime } from "luxon";
import { addLocalDays, isLocalDate, isoWeekday, isValidTimeZone, localDateOf, type LocalDate } from "./time.js";

/**
 * chrono-node is large (about 20 MB and 140 ms to load): it is loaded on the first date that
 * needs it, not at start (most processes — the reminder run, most commands — never do).
 */
let chronoModule: typeof Chrono | undefined;
function chrono(): typeof Chrono {
  chronoModule ??= createRequire(import.meta.url)("chrono-node") as typeof Chrono;
  return chronoModule;
}

export type DueDateLanguage = "en" | "de";

export interface ParseDueDateOptions {
  now: Date;
  zone: string;
  language: DueDateLanguage;
}

export type ParseDueDateResult = { ok: true; date: LocalDate } | { ok: false };

const FAIL: ParseDueDateResult = { ok: false };

const WEEKDAYS: Record<string, number> = {
  monday: 1, mon: 1, montag: 1, mo: 1,
  tuesday: 2, tue: 2, tues: 2, dienstag: 2, di: 2,
  wednesday: 3, wed: 3, mittwoch: 3, mi: 3,
  thursday: 4, thu: 4, thur: 4, thurs: 4, donnerstag: 4, do: 4,
  friday: 5, fri: 5, freitag: 5, fr: 5,
  saturday: 6, sat: 6, samstag: 6, sonnabend: 6, sa: 6,
  sunday: 7, sun: 7, sonntag: 7, so: 7,
};

const WEEKDAY_PREFIX =
  "(?:on|by|due|until|till|before|this|coming|next|am|bis|zum|spätestens|diesen|dieser|kommenden|kommender|nächsten|nächster|nächste|naechsten)";
const WEEKDAY_RE = new RegExp(`^(?:${WEEKDAY_PREFIX}\\s+)*([a-z]+)\\.?$`, "u");
const END_OF_MONTH_RE =
  /^(?:(?:by|until|bis|zum|bis zum)\s+)?(?:(?:the\s+)?end\s+of\s+(?:the\s+)?month|eom|monatsende|ende\s+(?:des|dieses)\s+monats)$/u;
const DOTTED_RE = /^(?:(?:am|bis|zum|bis zum|on|by)\s+)?(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2})?)?$/u;

// Words allowed around a chrono match without making the input "something else".
const FILLER = new Set([
  "on", "by", "due", "until", "till", "before", "at", "the", "eod", "cob",
  "morning", "afternoon", "evening", "noon",
  "am", "bis", "zum", "zur", "spätestens", "vor", "um",
  "früh", "morgens", "vormittags", "mittags", "nachmittags", "abends",
]);

function normalizeInput(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/gu, " ").replace(/[!?,;]+$/u, "").trim();
}

function toLocalDate(year: number, month: number, day: number): LocalDate | null {
  const dt = DateTime.fromObject({ year, month, day }, { zone: "UTC" });
  return dt.isValid ? (dt.toISODate() as LocalDate) : null;
}

function parseWeekday(input: string, today: LocalDate): LocalDate | null {
  const name = WEEKDAY_RE.exec(input)?.[1];
  if (name === undefined || !Object.hasOwn(WEEKDAYS, name)) return null;
  const target = WEEKDAYS[name]!;
  const delta = (target - isoWeekday(today) + 7) % 7 || 7;
  return addLocalDays(today, delta);
}

function parseEndOfMonth(input: string, today: LocalDate): LocalDate | null {
  if (!END_OF_MONTH_RE.test(input)) return null;
  return DateTime.fromISO(today, { zone: "UTC" }).endOf("month").toISODate() as LocalDate;
}

function parseDotted(input: string, today: LocalDate): LocalDate | "invalid" | null {
  const m = DOTTED_RE.exec(input);
  if (!m) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  if (m[3] !== undefined) {
    const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    return toLocalDate(year, month, day) ?? "invalid";
  }
  return nextOccurrence(month, day, today) ?? "invalid";
}

/**
 * chrono applies a `timezone` reference by shifting a Date with process-local arithmetic,
 * so its answers would depend on the server's TZ (under TZ=Pacific/Chatham a weekday name
 * resolved differently than under UTC). Instead we hand it a process-local Date whose wall
 * clock equals the user's wall clock; its calendar arithmetic then happens in user-local
 * terms and we read the date from the parsed components, never from the Date.
 */
function wallClockReference(now: Date, zone: string): Date {
  const l = DateTime.fromJSDate(now, { zone });
  const exact = new Date(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  const sameWallClock =
    exact.getFullYear() === l.year &&
    exact.getMonth() === l.month - 1 &&
    exact.getDate() === l.day &&
    exact.getHours() === l.hour &&
    exact.getMinutes() === l.minute;
  // The user's wall-clock time may not exist in the process TZ (a DST gap): noon always does.
  return sameWallClock ? exact : new Date(l.year, l.month - 1, l.day, 12, 0, 0);
}

function onlyFiller(rest: string): boolean {
  return rest
    .split(/[\s.,:;!?()-]+/u)
    .filter((w) => w !== "")
    .every((w) => FILLER.has(w));
}

function parseWithChrono(
  input: string,
  language: DueDateLanguage,
  reference: Date,
  today: LocalDate,
): LocalDate | null {
  const parser = language === "de" ? chrono().de.casual : chrono().en.casual;
  const results = parser.parse(input, reference, { forwardDate: true });
  const first = results[0];
  if (!first) return null;
  const rest = input.slice(0, first.index) + " " + input.slice(first.index + first.text.length);
  if (!onlyFiller(rest)) return null;
  const year = first.start.get("year");
  const month = first.start.get("month");
  const day = first.start.get("day");
  if (year === null || month === null || day === null) return null;
  // chrono's forwardDate compares against the time of day ("March 7" typed on the evening of
  // March 7 becomes next year); a date without a year means its next occurrence from today.
  if (!first.start.isCertain("year") && first.start.isCertain("month") && first.start.isCertain("day")) {
    return nextOccurrence(month, day, today);
  }
  return toLocalDate(year, month, day);
}

/** The first date on or after `today` with this month and day (29.2. waits for a leap year). */
function nextOccurrence(month: number, day: number, today: LocalDate): LocalDate | null {
  const thisYear = Number(today.slice(0, 4));
  for (let year = thisYear; year <= thisYear + 8; year++) {
    const date = toLocalDate(year, month, day);
    if (date !== null && date >= today) return date;
  }
  return null;
}

export function parseDueDate(text: string, opts: ParseDueDateOptions): ParseDueDateResult {
  const input = normalizeInput(text);
  // Due dates are short; capping untrusted input keeps parsing cheap.
  if (input === "" || input.length > 100 || !isValidTimeZone(opts.zone)) return FAIL;
  const today = localDateOf(opts.now, opts.zone);

  if (isLocalDate(input)) return { ok: true, date: input };

  const own = parseWeekday(input, today) ?? parseEndOfMonth(input, today) ?? parseDotted(input, today);
  if (own === "invalid") return FAIL;
  if (own !== null) return { ok: true, date: own };

  const reference = wallClockReference(opts.now, opts.zone);
  const other: DueDateLanguage = opts.language === "de" ? "en" : "de";
  for (const language of [opts.language, other]) {
    const date = parseWithChrono(input, language, reference, today);
    if (date !== null) return { ok: true, date };
  }
  return FAIL;
}

/** Convenience wrapper for callers that only need the date. */
export function parseDueDateOrNull(text: string, opts: ParseDueDateOptions): LocalDate | null {
  const r = parseDueDate(text, opts);
  return r.ok ? r.date : null;
}
