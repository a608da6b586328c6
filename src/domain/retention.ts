/**
 * How long each kind of data is kept (README → Data protection), as pure date arithmetic. Periods
 * are counted in the workspace's time zone, on local calendar dates, half-open: a record whose date
 * is before the cutoff has expired.
 *
 * - Touch notes: cleared `touchNotesMonths` after the touch (the touch itself stays: who, when,
 *   what kind — it feeds neglect, leaderboards and the account's history).
 * - Closed deals (won or lost): deleted `closedDealsMonths` after they closed.
 * - Departed reps (deactivated in Slack): their personal data is erased `departedMonths` after
 *   Slack reported them gone.
 * - Gift and entertainment records: kept `giftYears` from the later of the day given and the day
 *   recorded (a record is kept from when it was made), never fewer than six years — FINRA Rule
 *   3220(c) requires the records under Rule 4511, whose paragraph (c) is six years where no other
 *   period applies. A record restricted by an erasure is purged on the same date.
 */
import { DateTime } from "luxon";
import { addLocalMonths, localDateOf, type LocalDate } from "./time.js";

/** FINRA Rule 4511(c): six years where no other period applies (Rule 3220(c) gift records). */
export const LEGAL_FLOOR_GIFT_YEARS = 6;
export const MAX_GIFT_YEARS = 50;
export const MAX_RETENTION_MONTHS = 240;

export interface RetentionSettings {
  touchNotesMonths: number;
  closedDealsMonths: number;
  departedMonths: number;
  giftYears: number;
}

/**
 * Messages the bot rendered for Slack (the outbox: reminders, digests, leaderboards, notices —
 * their text names accounts and people) are deleted this many days after they were made. Slack
 * keeps what it delivered; the row is only needed while it is being sent and, for a day, so the
 * same day's message is not planned twice.
 */
export const OUTBOX_KEEP_DAYS = 90;

export const DEFAULT_RETENTION: RetentionSettings = { touchNotesMonths: 36, closedDealsMonths: 84, departedMonths: 12, giftYears: LEGAL_FLOOR_GIFT_YEARS };

/** The gift period actually applied: a stored value below the legal floor still keeps six years. */
export function effectiveGiftYears(years: number): number {
  return Math.max(LEGAL_FLOOR_GIFT_YEARS, Math.min(MAX_GIFT_YEARS, Math.trunc(years)));
}

export interface RetentionCutoffs {
  /** The local date today in the workspace's zone. */
  today: LocalDate;
  /** Touches on a local date before this have their notes cleared. */
  touchNotesBefore: LocalDate;
  /** Deals closed on a local date before this are deleted. */
  closedDealsBefore: LocalDate;
  /** Reps reported gone on a local date before this have their data erased. */
  departedBefore: LocalDate;
}

export function retentionCutoffs(settings: RetentionSettings, now: Date, zone: string): RetentionCutoffs {
  const today = localDateOf(now, zone);
  return {
    today,
    touchNotesBefore: addLocalMonths(today, -settings.touchNotesMonths),
    closedDealsBefore: addLocalMonths(today, -settings.closedDealsMonths),
    departedBefore: addLocalMonths(today, -settings.departedMonths),
  };
}

/**
 * The first day a gift record may be removed: `giftYears` (at least six) after the later of the
 * day it was given and the day it was recorded, both local dates.
 */
export function giftPurgeOn(givenOn: LocalDate, recordedOn: LocalDate, giftYears: number): LocalDate {
  const start = recordedOn > givenOn ? recordedOn : givenOn;
  return addLocalMonths(start, 12 * effectiveGiftYears(giftYears));
}

/** A correction chain is purged as one: on the latest of its entries' purge dates. */
export function chainPurgeOn(entries: readonly { givenOn: LocalDate; recordedOn: LocalDate }[], giftYears: number): LocalDate {
  let latest = "";
  for (const e of entries) {
    const d = giftPurgeOn(e.givenOn, e.recordedOn, giftYears);
    if (d > latest) latest = d;
  }
  return latest;
}

/** The daily purge runs from this hour of the workspace's day (a quiet one). */
export const RETENTION_LOCAL_HOUR = 2;

/** Whether the daily purge is due: not yet run on today's local date, and past RETENTION_LOCAL_HOUR. */
export function retentionDue(ranOn: LocalDate | null, now: Date, zone: string): boolean {
  const today = localDateOf(now, zone);
  if (ranOn !== null && ranOn >= today) return false;
  return DateTime.fromJSDate(now, { zone }).hour >= RETENTION_LOCAL_HOUR;
}
