/**
 * Validation of the reminder settings a user submits (the `/ae settings` modal). Pure: `today` is
 * the user's local date, used to drop skip dates that are already past.
 */
import { formatReminderTime, parseReminderTime, parseSkipDatesInput } from "./reminder-schedule.js";
import { canonicalZone, isValidTimeZone, type LocalDate } from "./time.js";

export const MAX_SKIP_DATES = 60;

export interface ReminderSettingsInput {
  /** "HH:mm" from the time picker; null when cleared. */
  time: string | null;
  /** ISO weekday numbers as strings ("1" … "7"). */
  days: readonly string[];
  /** "auto", "en" or "de". */
  language: string | null;
  /** IANA zone, or "" to follow Slack. */
  zone: string;
  paused: boolean;
  /** Comma-separated YYYY-MM-DD. */
  skipDates: string;
}

export interface ReminderSettings {
  reminderTime: string;
  reminderDays: number[];
  language: "en" | "de" | null;
  timezoneOverride: string | null;
  paused: boolean;
  skipDates: LocalDate[];
}

export type SettingsField = "time" | "days" | "language" | "zone" | "skipDates";
export type SettingsProblem =
  | "time_invalid"
  | "days_empty"
  | "language_invalid"
  | "zone_invalid"
  | "skip_dates_invalid"
  | "skip_dates_too_many";

export interface SettingsError {
  field: SettingsField;
  problem: SettingsProblem;
  /** The offending text, for the message (already cut short). */
  detail?: string;
}

export type SettingsValidation = { ok: true; settings: ReminderSettings } | { ok: false; errors: SettingsError[] };

export function validateReminderSettings(input: ReminderSettingsInput, today: LocalDate): SettingsValidation {
  const errors: SettingsError[] = [];
  const time = input.time === null ? null : parseReminderTime(input.time);
  if (!time) errors.push({ field: "time", problem: "time_invalid" });
  const days = [...new Set(input.days.map(Number))].filter((d) => Number.isInteger(d) && d >= 1 && d <= 7).sort((a, b) => a - b);
  if (days.length === 0) errors.push({ field: "days", problem: "days_empty" });
  const language = input.language === null || input.language === "auto" ? null : input.language;
  if (language !== null && language !== "en" && language !== "de") errors.push({ field: "language", problem: "language_invalid" });
  const zone = input.zone.trim();
  if (zone !== "" && !isValidTimeZone(zone)) errors.push({ field: "zone", problem: "zone_invalid", detail: zone.slice(0, 60) });
  const skip = parseSkipDatesInput(input.skipDates);
  let skipDates: LocalDate[] = [];
  if (!skip.ok) errors.push({ field: "skipDates", problem: "skip_dates_invalid", detail: skip.invalid.slice(0, 3).join(", ").slice(0, 60) });
  else {
    skipDates = skip.dates.filter((d) => d >= today);
    if (skipDates.length > MAX_SKIP_DATES) errors.push({ field: "skipDates", problem: "skip_dates_too_many" });
  }
  if (errors.length > 0 || !time) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      reminderTime: formatReminderTime(time),
      reminderDays: days,
      language: language === "en" || language === "de" ? language : null,
      // An IANA name is case-sensitive for luxon only loosely; store what Intl calls it.
      timezoneOverride: zone === "" ? null : canonicalZone(zone),
      paused: input.paused,
      skipDates,
    },
  };
}

