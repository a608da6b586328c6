/**
 * Commission and bonuses for one comp-plan period. Pure; money is integer cents.
 *
 * Rules
 * - Base: closed-won revenue earns `commissionRate`.
 * - Accelerator: only revenue ABOVE 100 % of quota earns rate × acceleratorMultiplier; revenue
 *   up to quota keeps the base rate. A deal that crosses 100 % is split at the boundary —
 *   everything works on cumulative revenue, so the split needs no per-deal bookkeeping.
 * - Decelerator (optional; threshold in (0, 1], e.g. 0.5): judged on FINAL attainment for the
 *   period. If it ends below the threshold, ALL revenue (which is then all below
 *   threshold × quota) earns rate × deceleratorMultiplier. Reaching the threshold removes the
 *   decelerator retroactively, so the payout steps up there (a deliberate cliff, the usual
 *   "hit your minimum" incentive). Mid-period figures are therefore provisional.
 * - Bonuses: each { attainment, amountCents } is paid once when attainment ≥ its threshold;
 *   several thresholds stack (100 % and 125 % both reached → both paid).
 * - Thresholds in cents are threshold × quota rounded half-up, then compared with won (≥), so
 *   float error (1.1 × 1 000 000 = 1 100 000.0000000002) can never deny a bonus.
 * - No quota (null or 0): attainment is undefined, so all revenue earns the base rate, with
 *   no accelerator, decelerator or bonus.
 *
 * Rounding: each line's commission is computed exactly (fractional cents); the sum is rounded
 * once, half-up, to whole cents. Line amounts are then whole cents allocated by largest
 * remainder so the breakdown always adds up to the total.
 */
import { roundCents } from "./quota.js";

export interface BonusTier {
  /** Attainment ratio at which the bonus is earned, e.g. 1.0 = 100 %. */
  attainment: number;
  amountCents: number;
}

export interface CompPlan {
  /** Base salary for the period (not variable pay; reported for total compensation). */
  baseSalaryCents: number;
  /** e.g. 0.1 = 10 % of closed-won revenue. */
  commissionRate: number;
  /** Multiplier on the rate for revenue above 100 % of quota; 1 = none. */
  acceleratorMultiplier: number;
  deceleratorThreshold?: number | null;
  deceleratorMultiplier?: number | null;
  bonuses: readonly BonusTier[];
}

export type CommissionTier = "base" | "decelerated" | "accelerated";

export interface CommissionLine {
  tier: CommissionTier;
  /** Cumulative revenue range [fromCents, toCents) this line covers. */
  fromCents: number;
  toCents: number;
  revenueCents: number;
  /** Effective rate for this line (base rate × multiplier). */
  rate: number;
  commissionCents: number;
}

export interface CommissionResult {
  /** won / quota; null without a positive quota. */
  attainment: number | null;
  commissionCents: number;
  bonusCents: number;
  /** commission + bonuses. */
  totalVariableCents: number;
  /** base salary + variable. */
  totalCompCents: number;
  breakdown: CommissionLine[];
  bonusesEarned: BonusTier[];
}

export interface NextBonus {
  attainment: number;
  amountCents: number;
  /** Additional revenue needed from won-to-date to reach the threshold. */
  revenueNeededCents: number;
}

export interface CommissionEstimate {
  earnedToDate: CommissionResult;
  /** At the projected finish; null when there is no projection yet. */
  projected: CommissionResult | null;
  /** The lowest bonus not yet earned with won-to-date; null when none is left or no quota. */
  nextBonus: NextBonus | null;
}

export interface MarginalCommission {
  commissionCents: number;
  bonusCents: number;
  totalVariableCents: number;
  /** Bonuses this deal newly unlocks. */
  bonusesUnlocked: BonusTier[];
}

function assertCents(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer number of cents, got ${value}`);
  }
}

function assertNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
}

function validatePlan(plan: CompPlan): void {
  assertCents("baseSalaryCents", plan.baseSalaryCents);
  assertNonNegative("commissionRate", plan.commissionRate);
  assertNonNegative("acceleratorMultiplier", plan.acceleratorMultiplier);
  const t = plan.deceleratorThreshold ?? null;
  const m = plan.deceleratorMultiplier ?? null;
  if ((t === null) !== (m === null)) {
    throw new RangeError("deceleratorThreshold and deceleratorMultiplier must be set together");
  }
  if (t !== null && !(t > 0 && t <= 1)) throw new RangeError(`deceleratorThreshold must be in (0, 1], got ${t}`);
  if (m !== null) assertNonNegative("deceleratorMultiplier", m);
  for (const b of plan.bonuses) {
    if (!(Number.isFinite(b.attainment) && b.attainment > 0)) {
      throw new RangeError(`bonus attainment must be > 0, got ${b.attainment}`);
    }
    assertCents("bonus amountCents", b.amountCents);
  }
}

function hasQuota(quotaCents: number | null): quotaCents is number {
  return quotaCents !== null && quotaCents > 0;
}

/** Revenue (cents) at which `attainment` × quota is reached. */
function thresholdCents(attainment: number, quotaCents: number): number {
  return roundCents(attainment * quotaCents);
}

function sortedBonuses(plan: CompPlan): BonusTier[] {
  return [...plan.bonuses].sort((a, b) => a.attainment - b.attainment);
}

/** Whole-cent line amounts summing exactly to `total` (largest remainder). */
function allocate(exact: readonly number[], total: number): number[] {
  const clean = exact.map((x) => Number(x.toFixed(6)));
  const result = clean.map(Math.floor);
  let left = total - result.reduce((s, x) => s + x, 0);
  const order = clean
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    result[i]! += 1;
    left -= 1;
  }
  return result;
}

export function commissionFor(plan: CompPlan, quotaCents: number | null, wonCents: number): CommissionResult {
  validatePlan(plan);
  assertCents("wonCents", wonCents);
  if (quotaCents !== null) assertCents("quotaCents", quotaCents);

  const rate = plan.commissionRate;
  const ranges: Omit<CommissionLine, "commissionCents">[] = [];
  const add = (tier: CommissionTier, from: number, to: number, r: number): void => {
    if (to > from) ranges.push({ tier, fromCents: from, toCents: to, revenueCents: to - from, rate: r });
  };

  let bonusesEarned: BonusTier[] = [];
  if (!hasQuota(quotaCents)) {
    add("base", 0, wonCents, rate);
  } else {
    const decelT = plan.deceleratorThreshold ?? null;
    const decelM = plan.deceleratorMultiplier ?? null;
    if (decelT !== null && decelM !== null && wonCents < thresholdCents(decelT, quotaCents)) {
      add("decelerated", 0, wonCents, rate * decelM);
    } else if (plan.acceleratorMultiplier === 1) {
      add("base", 0, wonCents, rate);
    } else {
      add("base", 0, Math.min(wonCents, quotaCents), rate);
      add("accelerated", quotaCents, wonCents, rate * plan.acceleratorMultiplier);
    }
    bonusesEarned = sortedBonuses(plan).filter((b) => wonCents >= thresholdCents(b.attainment, quotaCents));
  }

  const exact = ranges.map((l) => l.revenueCents * l.rate);
  const commissionCents = roundCents(exact.reduce((s, x) => s + x, 0));
  const amounts = allocate(exact, commissionCents);
  const breakdown = ranges.map((l, i) => ({ ...l, commissionCents: amounts[i]! }));
  const bonusCents = bonusesEarned.reduce((s, b) => s + b.amountCents, 0);
  const totalVariableCents = commissionCents + bonusCents;
  return {
    attainment: hasQuota(quotaCents) ? wonCents / quotaCents : null,
    commissionCents,
    bonusCents,
    totalVariableCents,
    totalCompCents: plan.baseSalaryCents + totalVariableCents,
    breakdown,
    bonusesEarned,
  };
}

/**
 * What one deal adds: payout at (before + deal) minus payout at before. Differences of the
 * rounded totals, so the deals of a period always sum to the period's total. A deal crossing
 * 100 % gets base rate below and accelerated rate above the boundary, plus any bonus it unlocks.
 */
export function marginalCommission(
  plan: CompPlan,
  quotaCents: number | null,
  wonBeforeCents: number,
  dealCents: number,
): MarginalCommission {
  assertCents("dealCents", dealCents);
  const before = commissionFor(plan, quotaCents, wonBeforeCents);
  const after = commissionFor(plan, quotaCents, wonBeforeCents + dealCents);
  return {
    commissionCents: after.commissionCents - before.commissionCents,
    bonusCents: after.bonusCents - before.bonusCents,
    totalVariableCents: after.totalVariableCents - before.totalVariableCents,
    bonusesUnlocked: after.bonusesEarned.slice(before.bonusesEarned.length),
  };
}

/** Earned so far, at the projected finish, and the next bonus within reach. */
export function commissionEstimate(
  plan: CompPlan,
  quotaCents: number | null,
  wonToDateCents: number,
  projectedWonCents: number | null,
): CommissionEstimate {
  const earnedToDate = commissionFor(plan, quotaCents, wonToDateCents);
  const projected = projectedWonCents === null ? null : commissionFor(plan, quotaCents, projectedWonCents);
  let nextBonus: NextBonus | null = null;
  if (hasQuota(quotaCents)) {
    for (const b of sortedBonuses(plan)) {
      const needed = thresholdCents(b.attainment, quotaCents) - wonToDateCents;
      if (needed > 0) {
        nextBonus = { attainment: b.attainment, amountCents: b.amountCents, revenueNeededCents: needed };
        break;
      }
    }
  }
  return { earnedToDate, projected, nextBonus };
}
