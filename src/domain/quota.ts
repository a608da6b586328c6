/**
 * Quota attainment and pace for one period. Pure: `now` is a parameter.
 *
 * Money is integer cents. Rounding (all values are non-negative, so "half-up"):
 * - effective quota = quota × ramp, rounded half-up to whole cents;
 * - pace target and projected finish are rounded half-up;
 * - "needed per remaining day" is rounded UP, so hitting it every day really reaches 100 %.
 *
 * Status, in priority order:
 * - "no_quota"   no quota set (null): only run-rate figures are given.
 * - "zero_quota" effective quota is 0: attainment is undefined, nothing is needed.
 * - "attained"   won ≥ effective quota.
 * - "on_pace"    |won − pace target| ≤ 1 % of the effective quota (one attainment point).
 *                Measured against the quota, not the pace target, because 1 % of a target
 *                that starts at 0 would make the status flip on every small deal early on.
 * - "ahead" / "behind" otherwise.
 */
import { elapsedShare, type PaceMode, type Period } from "./periods.js";
import type { LocalDate } from "./time.js";

export type QuotaStatus = "no_quota" | "zero_quota" | "ahead" | "on_pace" | "behind" | "attained";

export interface QuotaProgressInput {
  /** Full (un-ramped) quota for the period; null = none set. */
  quotaCents: number | null;
  /** 0 < r ≤ 1 for ramping new hires; default 1. */
  rampFactor?: number;
  wonCents: number;
  period: Period;
  now: Date;
  zone: string;
  paceMode: PaceMode;
  holidays?: ReadonlySet<LocalDate>;
}

export interface QuotaProgress {
  status: QuotaStatus;
  /** quota × ramp in cents; null without a quota. */
  effectiveQuotaCents: number | null;
  /** won / effective quota (1 = 100 %); null without a positive quota. */
  attainment: number | null;
  /** effective quota × elapsed share. */
  paceTargetCents: number | null;
  /** pace target − won: positive = behind pace, negative = ahead. */
  gapToPaceCents: number | null;
  /** (effective quota − won, at least 0) / remaining days; null without a quota or with no days left. */
  neededPerRemainingDayCents: number | null;
  /** Run rate: won / elapsed share; null before any day has elapsed. */
  projectedFinishCents: number | null;
  /** projected finish / effective quota; null when either is unavailable. */
  projectedAttainment: number | null;
  elapsedDays: number;
  remainingDays: number;
  totalDays: number;
  elapsedShare: number;
}

/** Half-up rounding to whole cents, ignoring binary float noise below 1e-6 cent (0.1 × 5 etc.). */
export function roundCents(value: number): number {
  return Math.round(Number(value.toFixed(6)));
}

function assertCents(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer number of cents, got ${value}`);
  }
}

export function quotaProgress(input: QuotaProgressInput): QuotaProgress {
  const { quotaCents, wonCents, period, now, zone, paceMode } = input;
  const rampFactor = input.rampFactor ?? 1;
  if (!(rampFactor > 0 && rampFactor <= 1)) {
    throw new RangeError(`rampFactor must be in (0, 1], got ${rampFactor}`);
  }
  assertCents("wonCents", wonCents);
  if (quotaCents !== null) assertCents("quotaCents", quotaCents);

  const elapsed = elapsedShare(period, now, zone, paceMode, input.holidays ?? new Set());
  const days = {
    elapsedDays: elapsed.elapsedDays,
    remainingDays: elapsed.remainingDays,
    totalDays: elapsed.totalDays,
    elapsedShare: elapsed.share,
  };
  // The run rate does not depend on a quota, so it is reported even without one.
  const projectedFinishCents = elapsed.share > 0 ? roundCents(wonCents / elapsed.share) : null;

  if (quotaCents === null) {
    return {
      status: "no_quota",
      effectiveQuotaCents: null,
      attainment: null,
      paceTargetCents: null,
      gapToPaceCents: null,
      neededPerRemainingDayCents: null,
      projectedFinishCents,
      projectedAttainment: null,
      ...days,
    };
  }

  const effectiveQuotaCents = roundCents(quotaCents * rampFactor);
  const paceTargetCents = roundCents(effectiveQuotaCents * elapsed.share);
  const gapToPaceCents = paceTargetCents - wonCents;
  const stillNeeded = Math.max(0, effectiveQuotaCents - wonCents);
  const neededPerRemainingDayCents =
    elapsed.remainingDays > 0 ? Math.ceil(stillNeeded / elapsed.remainingDays) : null;
  const positive = effectiveQuotaCents > 0;

  let status: QuotaStatus;
  if (!positive) status = "zero_quota";
  else if (wonCents >= effectiveQuotaCents) status = "attained";
  // Integer comparison of 100·|gap| ≤ quota avoids float error at the ±1 % boundary.
  else if (Math.abs(gapToPaceCents) * 100 <= effectiveQuotaCents) status = "on_pace";
  else status = gapToPaceCents > 0 ? "behind" : "ahead";

  return {
    status,
    effectiveQuotaCents,
    attainment: positive ? wonCents / effectiveQuotaCents : null,
    paceTargetCents,
    gapToPaceCents,
    neededPerRemainingDayCents,
    projectedFinishCents,
    projectedAttainment: positive && projectedFinishCents !== null ? projectedFinishCents / effectiveQuotaCents : null,
    ...days,
  };
}
