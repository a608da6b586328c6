/**
 * FINRA Rule 3220 gift limits, per recipient per year. Pure; money is integer cents; dates are
 * the local dates the gifts were given ("YYYY-MM-DD" compares correctly as strings).
 *
 * - The FINRA limit is $100 for gifts given before 2026-03-30 and $300 from 2026-03-30 on
 *   (FINRA Regulatory Notice 26-05). A firm may set a lower limit; the lower one applies.
 * - The limit applied to a check is the one in force on the NEW gift's date, and it caps the
 *   whole window total (earlier gifts are not re-judged under their own day's limit).
 * - Only kind "gift" counts; "entertainment" (host present) is outside Rule 3220 and never counts.
 * - Window ("year"): gifts given up to and including the new gift's date count —
 *   "calendar": from Jan 1 of that year; "rolling": the 12 months ending on that date
 *   (from the same date one year earlier + 1 day). Gifts dated after the new gift are left out,
 *   so a back-dated entry is judged on what had been given by its own date.
 * - Reaching the limit exactly is allowed; only a total strictly above it exceeds.
 */
import { DateTime } from "luxon";
import { addLocalDays, isLocalDate, type LocalDate } from "./time.js";

export type GiftKind = "gift" | "entertainment";
export type GiftYearMode = "calendar" | "rolling";

/** First date on which the $300 limit applies (FINRA Regulatory Notice 26-05). */
export const FINRA_LIMIT_CHANGE_DATE: LocalDate = "2026-03-30";
export const FINRA_LIMIT_BEFORE_CENTS = 10_000;
export const FINRA_LIMIT_FROM_CHANGE_CENTS = 30_000;

export interface PriorGift {
  amountCents: number;
  givenOn: LocalDate;
  kind: GiftKind;
}

export interface GiftCheckInput {
  newAmountCents: number;
  givenOn: LocalDate;
  /** The new gift's kind; default "gift". Entertainment never counts toward the limit. */
  newKind?: GiftKind;
  /** Other gifts/entertainment to the same recipient (any dates; filtered here). */
  priorGifts: readonly PriorGift[];
  mode: GiftYearMode;
  /** Firm limit in cents, or null for the FINRA limit only. */
  firmLimitCents: number | null;
}

export interface GiftWindow {
  fromDate: LocalDate;
  /** Exclusive: the day after the new gift's date. */
  toDateExclusive: LocalDate;
}

export interface GiftCheck {
  limitCents: number;
  /** Gifts (kind "gift" only) already given in the window. */
  priorTotalCents: number;
  /** priorTotal + the new gift (if it counts). */
  totalAfterCents: number;
  exceeds: boolean;
  /** Headroom left after the new gift, never negative. */
  remainingCents: number;
  /** How far the new total is over the limit; 0 when within. */
  overByCents: number;
  window: GiftWindow;
}

function assertDate(date: string): void {
  if (!isLocalDate(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
}

function assertCents(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer number of cents, got ${value}`);
  }
}

export function finraLimitCents(givenOn: LocalDate): number {
  assertDate(givenOn);
  return givenOn < FINRA_LIMIT_CHANGE_DATE ? FINRA_LIMIT_BEFORE_CENTS : FINRA_LIMIT_FROM_CHANGE_CENTS;
}

/** The stricter of the FINRA limit on `givenOn` and the firm's own limit. */
export function effectiveLimitCents(givenOn: LocalDate, firmLimitCents: number | null): number {
  const finra = finraLimitCents(givenOn);
  if (firmLimitCents === null) return finra;
  assertCents("firmLimitCents", firmLimitCents);
  return Math.min(finra, firmLimitCents);
}

/** The dates [fromDate, toDateExclusive) whose gifts count together with one given on `givenOn`. */
export function giftWindow(givenOn: LocalDate, mode: GiftYearMode): GiftWindow {
  assertDate(givenOn);
  const toDateExclusive = addLocalDays(givenOn, 1);
  if (mode === "calendar") return { fromDate: `${givenOn.slice(0, 4)}-01-01`, toDateExclusive };
  // One year back then +1 day; luxon clamps Feb 29 − 1 year to Feb 28, giving Mar 1 — still
  // exactly the 12 months ending on Feb 29.
  const yearBefore = DateTime.fromISO(givenOn, { zone: "UTC" }).minus({ years: 1 }).toISODate() as LocalDate;
  return { fromDate: addLocalDays(yearBefore, 1), toDateExclusive };
}

export function checkGift(input: GiftCheckInput): GiftCheck {
  const { newAmountCents, givenOn, priorGifts, mode, firmLimitCents } = input;
  assertCents("newAmountCents", newAmountCents);
  const limitCents = effectiveLimitCents(givenOn, firmLimitCents);
  const window = giftWindow(givenOn, mode);
  let priorTotalCents = 0;
  for (const g of priorGifts) {
    assertDate(g.givenOn);
    assertCents("prior gift amountCents", g.amountCents);
    if (g.kind === "gift" && g.givenOn >= window.fromDate && g.givenOn < window.toDateExclusive) {
      priorTotalCents += g.amountCents;
    }
  }
  const counts = (input.newKind ?? "gift") === "gift";
  const totalAfterCents = priorTotalCents + (counts ? newAmountCents : 0);
  // Entertainment can never be the thing that breaches the limit, even if earlier gifts did.
  const exceeds = counts && totalAfterCents > limitCents;
  return {
    limitCents,
    priorTotalCents,
    totalAfterCents,
    exceeds,
    remainingCents: Math.max(0, limitCents - totalAfterCents),
    overByCents: exceeds ? totalAfterCents - limitCents : 0,
    window,
  };
}
