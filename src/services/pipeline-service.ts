/**
 * `/ae pipeline`: the open pipeline and forecast of a fiscal quarter for one rep, or for everyone
 * in the teams a manager manages (a line per rep and the roll-up). The arithmetic is
 * `domain/pipeline.ts`; this reads the deals, closed-won and quotas in one query each for the whole
 * team, and applies who may look at whom (`ManagerViewService`).
 */
import type { Principal } from "../domain/authorization.js";
import type { StageProbabilities } from "../domain/forecast.js";
import type { Period } from "../domain/periods.js";
import { closeDateOf, pipelinePeriod, repPipeline, teamPipeline, type PipelineFigures, type PipelineWhich } from "../domain/pipeline.js";
import { localDateOf } from "../domain/time.js";
import type { PipelineRepository } from "../db/repositories/pipeline-repository.js";
import type { ReminderRepository } from "../db/repositories/reminder-repository.js";
import type { User } from "../db/repositories/user-repository.js";
import { toActor, type Actor } from "./actor-service.js";
import type { ManagerViewService, RepLookup, TeamFailure } from "./manager-view-service.js";
import { effectiveQuotaCents, workspaceZone } from "./quota-service.js";
import { stageProbabilitiesOf } from "./workspace-settings-service.js";

/** One rep's figures, with their quota as stored (null = none set for the quarter). */
export interface RepPipelineView {
  user: User;
  figures: PipelineFigures;
  quota: { amountCents: number; rampFactor: number } | null;
}

export interface PipelineView {
  which: PipelineWhich;
  period: Period;
  probabilities: StageProbabilities;
  /** One rep, or every member of the actor's teams, by name. */
  reps: RepPipelineView[];
}

export interface TeamPipelineView extends PipelineView {
  /** The roll-up of every rep (not only a page of them). */
  total: PipelineFigures;
}

export type RepPipelineResult = { kind: "ok"; view: PipelineView } | Exclude<RepLookup, { kind: "ok" }>;
export type TeamPipelineResult = { kind: "ok"; view: TeamPipelineView } | TeamFailure;

export class PipelineService {
  constructor(
    private readonly pipeline: PipelineRepository,
    private readonly batches: Pick<ReminderRepository, "quotasFor" | "wonByOwners">,
    private readonly managerView: ManagerViewService,
    private readonly defaults: { timezone: string },
    private readonly now: () => Date,
  ) {}

  /** The actor's own pipeline, or (`slackUserId`) someone the actor may look at. */
  async ofRep(actor: Actor, principal: Principal, slackUserId: string | null, which: PipelineWhich): Promise<RepPipelineResult> {
    let user = actor.user;
    if (slackUserId !== null && slackUserId !== actor.user.slackUserId) {
      const found = await this.managerView.rep(actor, principal, slackUserId);
      if (found.kind !== "ok") return found;
      user = found.user;
    }
    return { kind: "ok", view: await this.build(actor, [user], which) };
  }

  /** Everyone in the teams the actor manages, each with their line, and the roll-up. */
  async ofTeam(actor: Actor, principal: Principal, which: PipelineWhich): Promise<TeamPipelineResult> {
    const team = await this.managerView.teamMembers(actor, principal);
    if (team.kind !== "ok") return team;
    const view = await this.build(actor, team.members, which);
    return { kind: "ok", view: { ...view, total: teamPipeline(view.reps.map((r) => r.figures), view.probabilities) } };
  }

  private async build(actor: Actor, users: readonly User[], which: PipelineWhich): Promise<PipelineView> {
    const now = this.now();
    const ws = actor.workspace;
    const period = pipelinePeriod(which, now, workspaceZone(ws, this.defaults.timezone), ws.fiscalYearStartMonth);
    const probabilities = stageProbabilitiesOf(ws);
    const ids = users.map((u) => u.id);
    const [deals, won, quotas] = await Promise.all([
      this.pipeline.openDeals(ids, { start: period.start, end: period.end, overdue: which === "current" }),
      this.batches.wonByOwners(ids, period.start, period.end),
      this.batches.quotasFor(ids.map((userId) => ({ userId, periodType: "quarter" as const, periodStart: period.startDate }))),
    ]);
    const quotaOf = new Map(quotas.map((q) => [q.userId, { amountCents: q.amountCents, rampFactor: q.rampFactor }]));
    const reps = users.map((user): RepPipelineView => {
      // Close dates and "today" are the owner's own days (the zone they picked the dates in).
      const zone = toActor(user, ws, this.defaults.timezone).zone;
      const quota = quotaOf.get(user.id) ?? null;
      const figures = repPipeline({
        period,
        current: which === "current",
        today: localDateOf(now, zone),
        deals: (deals.get(user.id) ?? []).map((d) => ({
          dealId: d.id,
          amountCents: d.amountCents,
          stage: d.stage,
          forecastCategory: d.forecastCategory,
          closeDate: closeDateOf(d.expectedCloseAt, zone),
        })),
        wonCents: won.get(user.id) ?? 0,
        quotaCents: quota ? effectiveQuotaCents(quota) : null,
        probabilities,
      });
      return { user, figures, quota };
    });
    return { which, period, probabilities, reps };
  }
}
