import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { parseDueDate, parseDueDateOrNull, type DueDateLanguage } from "../../src/domain/natural-dates.js";

const NY = "America/New_York";
const BERLIN = "Europe/Berlin";
const AUCKLAND = "Pacific/Auckland";
const CHATHAM = "Pacific/Chatham";

/** The instant at which the wall clock in `zone` shows `local`. */
function at(zone: string, local: string): Date {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad fixture ${local}`);
  return dt.toJSDate();
}

// Weekday reference: 2026-03-07 is a Saturday, 2026-03-06 a Friday, 2026-10-24 a Saturday,
// 2026-06-10 a Wednesday.
type Row = [zone: string, now: string, language: DueDateLanguage, text: string, expected: string | null];

describe("parseDueDate", () => {
  it.each<Row>([
    // English basics — New York, Saturday evening before the spring-forward (2026-03-08 02:00)
    [NY, "2026-03-07T23:30", "en", "today", "2026-03-07"],
    [NY, "2026-03-07T23:30", "en", "tomorrow", "2026-03-08"],
    [NY, "2026-03-07T23:30", "en", "Tomorrow!", "2026-03-08"],
    [NY, "2026-03-07T23:30", "en", "tomorrow 5pm", "2026-03-08"],
    [NY, "2026-03-07T23:30", "en", "the day after tomorrow", "2026-03-09"],
    [NY, "2026-03-07T23:30", "en", "in 3 days", "2026-03-10"], // across the DST change
    [NY, "2026-03-07T23:30", "en", "in 2 weeks", "2026-03-21"],
    [NY, "2026-03-07T23:30", "en", "next week", "2026-03-14"],
    [NY, "2026-03-07T23:30", "en", "in 3 hours", "2026-03-08"],
    [NY, "2026-03-07T23:30", "en", "yesterday", "2026-03-06"], // past dates are returned
    // weekdays: next occurrence strictly after today; "next X" = "X"
    [NY, "2026-03-07T23:30", "en", "friday", "2026-03-13"],
    [NY, "2026-03-07T23:30", "en", "saturday", "2026-03-14"], // today is Saturday → a week later
    [NY, "2026-03-07T23:30", "en", "monday", "2026-03-09"],
    [NY, "2026-03-07T23:30", "en", "next monday", "2026-03-09"],
    [NY, "2026-03-07T23:30", "en", "by Fri", "2026-03-13"],
    [NY, "2026-03-07T23:30", "en", "on sat.", "2026-03-14"],
    [NY, "2026-03-06T09:00", "en", "friday", "2026-03-13"],
    [NY, "2026-03-06T09:00", "en", "next friday", "2026-03-13"],
    [NY, "2026-03-06T09:00", "en", "this friday", "2026-03-13"],
    [NY, "2026-03-05T09:00", "en", "next friday", "2026-03-06"],
    // absolute dates
    [NY, "2026-03-07T23:30", "en", "2026-12-03", "2026-12-03"],
    [NY, "2026-03-07T23:30", "en", "12/3", "2026-12-03"], // en-US month/day
    [NY, "2026-03-07T23:30", "en", "12/3/2027", "2027-12-03"],
    [NY, "2026-03-07T23:30", "en", "Dec 3", "2026-12-03"],
    [NY, "2026-03-07T23:30", "en", "December 3rd", "2026-12-03"],
    [NY, "2026-03-07T23:30", "en", "March 7", "2026-03-07"], // today, even late in the evening
    [NY, "2026-03-07T09:00", "en", "March 7", "2026-03-07"],
    [NY, "2026-03-07T23:30", "en", "Feb 29", null], // chrono rejects it outside leap years
    [NY, "2027-03-07T12:00", "en", "Feb 29 2028", "2028-02-29"],
    [BERLIN, "2026-03-07T12:00", "de", "29.2.", "2028-02-29"],
    [NY, "2026-03-07T23:30", "en", "March 6", "2027-03-06"], // forwardDate: next year
    [NY, "2026-03-07T23:30", "en", "end of month", "2026-03-31"],
    [NY, "2026-02-10T12:00", "en", "eom", "2026-02-28"],
    [NY, "2026-03-07T23:30", "en", "3.12.", "2026-12-03"], // dotted is day-first for everyone
    // German — Berlin, Saturday evening before the fall-back (2026-10-25 03:00 → 02:00)
    [BERLIN, "2026-10-24T23:30", "de", "heute", "2026-10-24"],
    [BERLIN, "2026-10-24T23:30", "de", "morgen", "2026-10-25"],
    [BERLIN, "2026-10-24T23:30", "de", "morgen früh", "2026-10-25"],
    [BERLIN, "2026-10-24T23:30", "de", "übermorgen", "2026-10-26"],
    [BERLIN, "2026-10-24T23:30", "de", "freitag", "2026-10-30"],
    [BERLIN, "2026-10-24T23:30", "de", "Samstag", "2026-10-31"],
    [BERLIN, "2026-10-24T23:30", "de", "nächsten Montag", "2026-10-26"],
    [BERLIN, "2026-10-24T23:30", "de", "bis Freitag", "2026-10-30"],
    [BERLIN, "2026-10-24T23:30", "de", "am Mi", "2026-10-28"],
    [BERLIN, "2026-10-24T23:30", "de", "in 3 Tagen", "2026-10-27"], // across the DST change
    [BERLIN, "2026-10-24T23:30", "de", "in 2 Wochen", "2026-11-07"],
    [BERLIN, "2026-10-24T23:30", "de", "in einer Woche", "2026-10-31"],
    [BERLIN, "2026-10-24T23:30", "de", "3.12.2026", "2026-12-03"],
    [BERLIN, "2026-10-24T23:30", "de", "3.12.26", "2026-12-03"],
    [BERLIN, "2026-10-24T23:30", "de", "3.12.", "2026-12-03"],
    [BERLIN, "2026-10-24T23:30", "de", "1.1.", "2027-01-01"],
    [BERLIN, "2026-10-24T23:30", "de", "24.10.", "2026-10-24"],
    [BERLIN, "2026-10-24T23:30", "de", "3. Dezember", "2026-12-03"],
    [BERLIN, "2026-10-24T23:30", "de", "Ende des Monats", "2026-10-31"],
    [BERLIN, "2026-10-24T23:30", "de", "Monatsende", "2026-10-31"],
    [BERLIN, "2026-10-24T23:30", "de", "12/3", "2027-03-12"], // German slash dates are day/month
    // the other language is tried second
    [BERLIN, "2026-10-24T23:30", "de", "tomorrow", "2026-10-25"],
    [BERLIN, "2026-10-24T23:30", "de", "Dec 3", "2026-12-03"],
    [NY, "2026-03-07T23:30", "en", "übermorgen", "2026-03-09"],
    [NY, "2026-03-07T23:30", "en", "in 3 Tagen", "2026-03-10"],
    // just after local midnight, and the repeated hour of a fall-back night
    [NY, "2026-03-07T00:30", "en", "today", "2026-03-07"],
    [NY, "2026-03-07T00:30", "en", "tomorrow", "2026-03-08"],
    [NY, "2026-03-08T03:30", "en", "today", "2026-03-08"], // first hour after spring-forward
    [NY, "2026-11-01T01:30", "en", "tomorrow", "2026-11-02"],
    [NY, "2026-10-31T23:59", "en", "tomorrow", "2026-11-01"],
    [BERLIN, "2026-03-28T23:30", "de", "morgen", "2026-03-29"],
    [BERLIN, "2026-03-29T00:30", "de", "in 3 Tagen", "2026-04-01"],
    // Auckland: local Wednesday 08:00 is still Tuesday 20:00 in UTC
    [AUCKLAND, "2026-06-10T08:00", "en", "today", "2026-06-10"],
    [AUCKLAND, "2026-06-10T08:00", "en", "tomorrow", "2026-06-11"],
    [AUCKLAND, "2026-06-10T08:00", "en", "in 3 days", "2026-06-13"],
    [AUCKLAND, "2026-06-10T08:00", "en", "wednesday", "2026-06-17"],
    [AUCKLAND, "2026-06-10T08:00", "en", "thursday", "2026-06-11"],
    // Auckland's spring-forward night (2026-09-27 02:00 → 03:00)
    [AUCKLAND, "2026-09-26T23:45", "en", "tomorrow", "2026-09-27"],
    // Chatham (UTC+12:45/+13:45): a quarter-hour offset
    [CHATHAM, "2026-01-01T00:10", "en", "today", "2026-01-01"],
    [CHATHAM, "2026-01-01T00:10", "en", "tomorrow", "2026-01-02"],
    // not dates
    [NY, "2026-03-07T23:30", "en", "", null],
    [NY, "2026-03-07T23:30", "en", "   ", null],
    [NY, "2026-03-07T23:30", "en", "3 apples", null],
    [NY, "2026-03-07T23:30", "en", "call acme friday", null],
    [NY, "2026-03-07T23:30", "en", "banana", null],
    [NY, "2026-03-07T23:30", "en", "31.2.", null],
    [NY, "2026-03-07T23:30", "en", "2026-02-30", null],
    [BERLIN, "2026-10-24T23:30", "de", "irgendwann", null],
  ])("%s %s [%s] %j → %s", (zone, now, language, text, expected) => {
    const result = parseDueDate(text, { now: at(zone, now), zone, language });
    expect(result).toEqual(expected === null ? { ok: false } : { ok: true, date: expected });
  });

  it("rejects an unknown time zone instead of guessing", () => {
    expect(parseDueDate("tomorrow", { now: at(NY, "2026-03-07T12:00"), zone: "Mars/Olympus", language: "en" })).toEqual({
      ok: false,
    });
  });

  it("parseDueDateOrNull unwraps the result", () => {
    const opts = { now: at(NY, "2026-03-07T12:00"), zone: NY, language: "en" as const };
    expect(parseDueDateOrNull("tomorrow", opts)).toBe("2026-03-08");
    expect(parseDueDateOrNull("nonsense", opts)).toBeNull();
  });

  it("never throws on arbitrary text", () => {
    const opts = { now: at(BERLIN, "2026-10-24T23:30"), zone: BERLIN, language: "de" as const };
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const r = parseDueDate(s, opts);
        if (r.ok) expect(r.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
      { numRuns: 300 },
    );
    expect(parseDueDate("x".repeat(10_000), opts)).toEqual({ ok: false });
  });
});
