import { canSetQuota, type Denial, type Principal } from "../domain/authorization.js";
import { commissionEstimate, marginalCommission, type CommissionEstimate, type MarginalCommission } from "../domain/commission.js";
import { nextPeriod, periodContaining, type PaceMode, type Period, type PeriodType } from "../domain/periods.js";
import { quotaProgress, roundCents, type QuotaProgress } from "../domain/quota.js";
import { localDateOf, safeZone } from "../domain/time.js";
import type { CompPlanRecord, CompPlanRepository } from "../db/repositories/comp-plan-repository.js";
import type { QuotaRecord, QuotaRepository } from "../db/repositories/quota-repository.js";
import type { Workspace, WorkspaceRepository } from "../db/repositories/workspace-repository.js";
import type { Actor } from "./actor-service.js";

/** The zone a workspace's periods are cut in (its own, if valid). */
export function workspaceZone(ws: Pick<Workspace, "timezone">, fallback = "America/New_York"): string {
  return safeZone(ws.timezone, fallback);
}

export function paceModeOf(ws: Pick<Workspace, "paceMode">): PaceMode {
  return ws.paceMode === "calendar" ? "calendar" : "business";
}

/** The current period of `type` for a workspace at `now`. */
export function currentPeriod(ws: Pick<Workspace, "timezone" | "fiscalYearStartMonth">, type: PeriodType, now: Date): Period {
  return periodContaining(type, now, workspaceZone(ws), ws.fiscalYearStartMonth);
}

/** A stored ramp factor outside (0, 1] (hand-edited row) is read as no ramp rather than failing. */
function safeRamp(r: number): number {
  return r > 0 && r <= 1 ? r : 1;
}

/** Commission for the comp plan's own period (which may differ from the period being viewed). */
export interface CommissionView {
  plan: CompPlanRecord;
  period: Period;
  /** Effective (ramped) quota of the plan's period; null = none set. */
  quotaCents: number | null;
  wonCents: number;
  projectedWonCents: number | null;
  estimate: CommissionEstimate;
}

/** Everything `/ae quota` (and the Home tab) shows for one user and period. */
export interface QuotaView {
  userId: number;
  period: Period;
  paceMode: PaceMode;
  /** The stored quota (full amount and ramp); null = none set for this period. */
  quota: { amountCents: number; rampFactor: number } | null;
  wonCents: number;
  progress: QuotaProgress;
  currency: string;
  /** The user's own commission estimate; null without a comp plan or when not asked for. */
  commission: CommissionView | null;
}

export type SetQuotaResult =
  | { kind: "saved"; quota: QuotaRecord; period: Period }
  | { kind: "denied"; reason: Denial };

/** What a win did to its owner's numbers, for the reply to `/ae won`. */
export interface WinImpact {
  view: QuotaView;
  /** Attainment before the deal (null without a positive quota). */
  attainmentBefore: number | null;
  /** Commission the deal added under the owner's plan; null when not asked for or no plan. */
  marginal: MarginalCommission | null;
}

export class QuotaService {
  constructor(
    private readonly quotas: QuotaRepository,
    private readonly compPlans: CompPlanRepository,
    private readonly workspaces: WorkspaceRepository,
    private readonly now: () => Date,
  ) {}

  /** The actor's own progress for the current period of `periodType`, with their commission estimate. */
  progress(actor: Actor, periodType: PeriodType): Promise<QuotaView> {
    return this.progressForUser(actor.workspace, actor.user.id, periodType, { withCommission: true });
  }

  /**
   * Progress of any user (callers check access). The commission estimate is only included with
   * `withCommission`: comp plans are shown to their owner alone.
   */
  async progressForUser(
    workspace: Workspace,
    userId: number,
    periodType: PeriodType,
    opts: { withCommission?: boolean; at?: Date } = {},
  ): Promise<QuotaView> {
    const now = opts.at ?? this.now();
    const zone = workspaceZone(workspace);
    const holidays = new Set(await this.workspaces.holidays(workspace.id));
    const period = currentPeriod(workspace, periodType, now);
    const [stored, wonCents] = await Promise.all([
      this.quotas.find(userId, periodType, period.startDate),
      this.quotas.wonSum(userId, period.start, period.end),
    ]);
    const quota = stored ? { amountCents: stored.amountCents, rampFactor: safeRamp(stored.rampFactor) } : null;
    const paceMode = paceModeOf(workspace);
    const progress = quotaProgress({
      quotaCents: quota?.amountCents ?? null,
      rampFactor: quota?.rampFactor ?? 1,
      wonCents,
      period,
      now,
      zone,
      paceMode,
      holidays,
    });
    let commission: CommissionView | null = null;
    if (opts.withCommission) {
      const plan = await this.compPlans.current(userId, localDateOf(now, zone));
      if (plan) {
        const source =
          plan.periodType === periodType
            ? { period, progress, wonCents }
            : await this.progressForUser(workspace, userId, plan.periodType, { at: now });
        const quotaCents = source.progress.effectiveQuotaCents;
        const projected = source.progress.projectedFinishCents;
        commission = {
          plan,
          period: source.period,
          quotaCents,
          wonCents: source.wonCents,
          projectedWonCents: projected,
          estimate: commissionEstimate(plan, quotaCents, source.wonCents, projected),
        };
      }
    }
    return { userId, period, paceMode, quota, wonCents, progress, currency: workspace.currency, commission };
  }

  /**
   * Sets a quota for `targetUserId` for the current (or next) period of `periodType`.
   * Admins: anyone; managers: themselves and their teams; reps: refused.
   */
  async setQuota(
    actor: Actor,
    principal: Principal,
    input: { targetUserId: number; amountCents: number; periodType: PeriodType; rampFactor: number; next?: boolean },
  ): Promise<SetQuotaResult> {
    const decision = canSetQuota(principal, input.targetUserId);
    if (!decision.allowed) return { kind: "denied", reason: decision.reason };
    if (!(input.rampFactor > 0 && input.rampFactor <= 1)) throw new RangeError(`ramp must be in (0, 1], got ${input.rampFactor}`);
    const ws = actor.workspace;
    const current = currentPeriod(ws, input.periodType, this.now());
    const period = input.next ? nextPeriod(current, workspaceZone(ws), ws.fiscalYearStartMonth) : current;
    const quota = await this.quotas.upsert({
      userId: input.targetUserId,
      periodType: input.periodType,
      periodStart: period.startDate,
      amountCents: input.amountCents,
      rampFactor: input.rampFactor,
      setById: actor.user.id,
    });
    return { kind: "saved", quota, period };
  }

  /**
   * The effect of a deal of `dealCents` that has just been won (and is already counted) on its
   * owner's current period — the comp plan's period if they have a plan, else the quarter.
   */
  async winImpact(workspace: Workspace, ownerId: number, dealCents: number, opts: { withCommission: boolean }): Promise<WinImpact> {
    const now = this.now();
    const plan = await this.compPlans.current(ownerId, localDateOf(now, workspaceZone(workspace)));
    const periodType = plan?.periodType ?? "quarter";
    const view = await this.progressForUser(workspace, ownerId, periodType, { at: now });
    const before = Math.max(0, view.wonCents - dealCents);
    const q = view.progress.effectiveQuotaCents;
    const attainmentBefore = q !== null && q > 0 ? before / q : null;
    const marginal = opts.withCommission && plan ? marginalCommission(plan, q, before, view.wonCents - before) : null;
    return { view, attainmentBefore, marginal };
  }

  /** Closed-won revenue and deal count per user in [start, end): one GROUP BY query. */
  wonByUsers(userIds: readonly number[], start: Date, end: Date): Promise<Map<number, { wonCents: number; deals: number }>> {
    return this.quotas.wonByUsers(userIds, start, end);
  }
}

/** The stored quota times the ramp, as the domain rounds it. */
export function effectiveQuotaCents(q: { amountCents: number; rampFactor: number }): number {
  return roundCents(q.amountCents * safeRamp(q.rampFactor));
}

