import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  catchUpCutoff,
  localTimeInstant,
  mondayOf,
  nextReminder,
  parseReminderDays,
  parseReminderTime,
  parseSkipDatesInput,
  parseStoredSkipDates,
  reminderStatus,
  type ReminderSchedule,
} from "../../src/domain/reminder-schedule.js";

const WEEKDAYS = new Set([1, 2, 3, 4, 5]);

function schedule(overrides: Partial<ReminderSchedule> = {}): ReminderSchedule {
  return { zone: "America/New_York", time: "09:00", days: WEEKDAYS, skipDates: new Set(), paused: false, inactive: false, ...overrides };
}

const at = (iso: string) => new Date(iso);

describe("localTimeInstant", () => {
  it.each([
    ["New York, ordinary winter day", "2026-11-02", "09:00", "America/New_York", "2026-11-02T14:00:00.000Z"],
    ["New York, the day after fall-back (EST)", "2026-11-02", "09:00", "America/New_York", "2026-11-02T14:00:00.000Z"],
    ["New York, the day before fall-back (EDT)", "2026-10-30", "09:00", "America/New_York", "2026-10-30T13:00:00.000Z"],
    ["Berlin, after its fall-back (CET)", "2026-11-02", "09:00", "Europe/Berlin", "2026-11-02T08:00:00.000Z"],
    ["Berlin, summer (CEST)", "2026-07-01", "09:00", "Europe/Berlin", "2026-07-01T07:00:00.000Z"],
    ["spring-forward gap moves forward: NY 02:30 → 03:30 EDT", "2026-03-08", "02:30", "America/New_York", "2026-03-08T07:30:00.000Z"],
    ["spring-forward gap, Berlin 02:30 → 03:30 CEST", "2026-03-29", "02:30", "Europe/Berlin", "2026-03-29T01:30:00.000Z"],
    ["fall-back repeat uses the first: NY 01:30 EDT", "2026-11-01", "01:30", "America/New_York", "2026-11-01T05:30:00.000Z"],
    ["fall-back repeat uses the first: Berlin 02:30 CEST", "2026-10-25", "02:30", "Europe/Berlin", "2026-10-25T00:30:00.000Z"],
    ["Chatham (+13:45 in its summer)", "2026-11-02", "09:00", "Pacific/Chatham", "2026-11-01T19:15:00.000Z"],
    ["Chatham DST gap 02:45 → 03:45", "2026-09-27", "03:00", "Pacific/Chatham", "2026-09-26T14:15:00.000Z"],
    ["Kolkata (+05:30, no DST)", "2026-11-02", "09:00", "Asia/Kolkata", "2026-11-02T03:30:00.000Z"],
  ])("%s", (_name, date, time, zone, expected) => {
    const t = parseReminderTime(time);
    if (!t) throw new Error("bad time");
    expect(localTimeInstant(date, t, zone).toISOString()).toBe(expected);
  });
});

describe("reminderStatus", () => {
  it.each<[string, Partial<ReminderSchedule>, string, boolean, string?]>([
    ["NY Monday after fall-back, 08:59 local → too early", {}, "2026-11-02T13:59:00Z", false, "too_early"],
    ["NY Monday after fall-back, 09:00 local → due", {}, "2026-11-02T14:00:00Z", true],
    ["NY, 09:00 EDT would be 13:00Z: still too early in EST", {}, "2026-11-02T13:00:00Z", false, "too_early"],
    ["Berlin Monday 08:59 → too early", { zone: "Europe/Berlin" }, "2026-11-02T07:59:00Z", false, "too_early"],
    ["Berlin Monday 09:00 → due", { zone: "Europe/Berlin" }, "2026-11-02T08:00:00Z", true],
    ["missed tick caught up at 15:00 local", {}, "2026-11-02T20:00:00Z", true],
    ["catch-up window: 20:59 local (11 h 59 m after) → due", {}, "2026-11-03T01:59:00Z", true],
    ["catch-up window: 21:00 local (12 h after) → too late", {}, "2026-11-03T02:00:00Z", false, "too_late"],
    ["11:00 reminder: 21:59 local still due", { time: "11:00" }, "2026-11-03T02:59:00Z", true],
    ["11:00 reminder: cut off at 22:00 local", { time: "11:00" }, "2026-11-03T03:00:00Z", false, "too_late"],
    ["21:30 reminder: at least one hour, 22:29 due", { time: "21:30" }, "2026-11-03T03:29:00Z", true],
    ["21:30 reminder: 22:30 too late", { time: "21:30" }, "2026-11-03T03:30:00Z", false, "too_late"],
    ["23:30 reminder: 23:59 due (cut at midnight)", { time: "23:30" }, "2026-11-03T04:59:00Z", true],
    ["never on the next local day: Tue 00:10 judges Tuesday (too early)", { time: "23:30" }, "2026-11-03T05:10:00Z", false, "too_early"],
    ["Saturday is not a reminder day", {}, "2026-11-07T15:00:00Z", false, "not_a_reminder_day"],
    ["Saturday when Saturday is chosen", { days: new Set([6]) }, "2026-11-07T15:00:00Z", true],
    ["skip date", { skipDates: new Set(["2026-11-02"]) }, "2026-11-02T15:00:00Z", false, "skip_date"],
    ["paused", { paused: true }, "2026-11-02T15:00:00Z", false, "paused"],
    ["inactive", { inactive: true }, "2026-11-02T15:00:00Z", false, "inactive"],
    ["fall-back Sunday 01:30 reminder fires at the first 01:30", { days: new Set([7]), time: "01:30" }, "2026-11-01T05:30:00Z", true],
    ["…and the second 01:30 is still in the window (no second send: the outbox row)", { days: new Set([7]), time: "01:30" }, "2026-11-01T06:30:00Z", true],
    ["spring-forward Sunday 02:30 reminder: 03:29 EDT too early", { days: new Set([7]), time: "02:30" }, "2026-03-08T07:29:00Z", false, "too_early"],
    ["spring-forward Sunday 02:30 reminder: 03:30 EDT due", { days: new Set([7]), time: "02:30" }, "2026-03-08T07:30:00Z", true],
    ["Chatham: 09:00 local on Monday is Sunday 19:15Z", { zone: "Pacific/Chatham" }, "2026-11-01T19:15:00Z", true],
    ["Chatham: Sunday 19:14Z is 08:59 Monday", { zone: "Pacific/Chatham" }, "2026-11-01T19:14:00Z", false, "too_early"],
    ["the local date decides the weekday: 02:00Z Tuesday is Monday evening in NY", {}, "2026-11-03T01:00:00Z", true],
  ])("%s", (_name, overrides, now, due, reason) => {
    const status = reminderStatus(schedule(overrides), at(now));
    expect(status.due).toBe(due);
    if (!status.due) expect(status.reason).toBe(reason);
  });

  it("reports the local date the reminder belongs to", () => {
    expect(reminderStatus(schedule({ zone: "Pacific/Chatham" }), at("2026-11-01T19:15:00Z")).localDate).toBe("2026-11-02");
    expect(reminderStatus(schedule(), at("2026-11-03T01:00:00Z")).localDate).toBe("2026-11-02");
  });
});

describe("catchUpCutoff", () => {
  it.each([
    ["09:00 → 21:00 (12 h)", "2026-11-02", "2026-11-02T14:00:00Z", "America/New_York", "2026-11-03T02:00:00.000Z"],
    ["12:00 → 22:00 (latest local)", "2026-11-02", "2026-11-02T17:00:00Z", "America/New_York", "2026-11-03T03:00:00.000Z"],
    ["22:30 → 23:30 (at least 1 h)", "2026-11-02", "2026-11-03T03:30:00Z", "America/New_York", "2026-11-03T04:30:00.000Z"],
    ["23:45 → midnight", "2026-11-02", "2026-11-03T04:45:00Z", "America/New_York", "2026-11-03T05:00:00.000Z"],
    ["fall-back day 09:00 EST → 21:00 EST (12 real hours)", "2026-11-01", "2026-11-01T14:00:00Z", "America/New_York", "2026-11-02T02:00:00.000Z"],
  ])("%s", (_name, date, atIso, zone, expected) => {
    expect(catchUpCutoff(date, at(atIso), zone).toISOString()).toBe(expected);
  });
});

describe("nextReminder", () => {
  it.each<[string, Partial<ReminderSchedule>, string, string | null]>([
    ["before today's time → today", {}, "2026-11-02T12:00:00Z", "2026-11-02T14:00:00.000Z"],
    ["inside today's window → today", {}, "2026-11-02T15:00:00Z", "2026-11-02T14:00:00.000Z"],
    ["Friday evening after the window → Monday", {}, "2026-11-07T03:00:00Z", "2026-11-09T14:00:00.000Z"],
    ["skips skip dates", { skipDates: new Set(["2026-11-03"]) }, "2026-11-03T03:00:00Z", "2026-11-04T14:00:00.000Z"],
    ["paused → none", { paused: true }, "2026-11-02T12:00:00Z", null],
    ["no days → none", { days: new Set() }, "2026-11-02T12:00:00Z", null],
  ])("%s", (_name, overrides, now, expected) => {
    expect(nextReminder(schedule(overrides), at(now))?.at.toISOString() ?? null).toBe(expected);
  });

  it("passes over today once today's digest is handled (inside the window → the next weekday)", () => {
    const next = nextReminder(schedule(), at("2026-11-02T15:00:00Z"), 60, new Set(["2026-11-02"]));
    expect(next?.at.toISOString()).toBe("2026-11-03T14:00:00.000Z");
  });
});

describe("parsing", () => {
  it.each([
    ["09:00", { hour: 9, minute: 0 }],
    ["9:05", { hour: 9, minute: 5 }],
    ["23:59", { hour: 23, minute: 59 }],
    ["24:00", null],
    ["09:60", null],
    ["9am", null],
    ["", null],
  ])("reminder time %s", (text, expected) => {
    expect(parseReminderTime(text)).toEqual(expected);
  });

  it("reminder days: valid ISO weekdays, unique, sorted", () => {
    expect(parseReminderDays("5,1,3,3,9,x,")).toEqual([1, 3, 5]);
    expect(parseReminderDays("")).toEqual([]);
  });

  it("stored skip dates ignore bad entries", () => {
    expect(parseStoredSkipDates("2026-12-24, nope,2026-02-30,2026-12-24,2026-01-01")).toEqual(["2026-01-01", "2026-12-24"]);
  });

  it("typed skip dates fail on any bad entry", () => {
    expect(parseSkipDatesInput("2026-12-24, 2026-12-31; 2027-01-01")).toEqual({ ok: true, dates: ["2026-12-24", "2026-12-31", "2027-01-01"] });
    expect(parseSkipDatesInput("")).toEqual({ ok: true, dates: [] });
    expect(parseSkipDatesInput("2026-12-24, 24.12.2026, 2026-13-01")).toEqual({ ok: false, invalid: ["24.12.2026", "2026-13-01"] });
  });

  it("mondayOf", () => {
    expect(mondayOf("2026-11-02")).toBe("2026-11-02");
    expect(mondayOf("2026-11-08")).toBe("2026-11-02");
    expect(mondayOf("2026-11-09")).toBe("2026-11-09");
  });
});

describe("independent of the process time zone", () => {
  it("gives the same answers in a child process running under TZ=Pacific/Chatham", () => {
    const cases = [
      ["America/New_York", "09:00", "2026-11-02T14:00:00Z"],
      ["Europe/Berlin", "02:30", "2026-10-25T00:30:00Z"],
      ["America/New_York", "02:30", "2026-03-08T07:30:00Z"],
      ["Pacific/Chatham", "09:00", "2026-11-01T19:15:00Z"],
    ] as const;
    const script = `
      import { reminderStatus } from ${JSON.stringify(new URL("../../src/domain/reminder-schedule.ts", import.meta.url).href)};
      const cases = ${JSON.stringify(cases)};
      const out = cases.map(([zone, time, now]) => {
        const s = reminderStatus({ zone, time, days: new Set([1,2,3,4,5,6,7]), skipDates: new Set(), paused: false, inactive: false }, new Date(now));
        return { due: s.due, localDate: s.localDate, at: s.at ? s.at.toISOString() : null };
      });
      process.stdout.write(JSON.stringify({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone, out }));
    `;
    const tsx = fileURLToPath(import.meta.resolve("tsx"));
    const raw = execFileSync(process.execPath, ["--import", tsx, "--input-type=module", "-e", script], { env: { ...process.env, TZ: "Pacific/Chatham" }, encoding: "utf8" });
    const child = JSON.parse(raw) as { tz: string; out: unknown[] };
    expect(child.tz).toBe("Pacific/Chatham");
    const here = cases.map(([zone, time, now]) => {
      const s = reminderStatus({ zone, time, days: new Set([1, 2, 3, 4, 5, 6, 7]), skipDates: new Set(), paused: false, inactive: false }, new Date(now));
      return { due: s.due, localDate: s.localDate, at: s.at ? s.at.toISOString() : null };
    });
    expect(child.out).toEqual(here);
    expect(here.every((h) => h.due)).toBe(true);
  });
});
