import { canViewTeam, canViewUser, type Denial, type Principal } from "../domain/authorization.js";
import type { PeriodType } from "../domain/periods.js";
import type { TeamRepository } from "../db/repositories/team-repository.js";
import type { User, UserRepository } from "../db/repositories/user-repository.js";
import type { Actor } from "./actor-service.js";
import type { FollowUpItem, FollowUpPage, FollowUpService } from "./followup-service.js";
import type { QuotaService, QuotaView } from "./quota-service.js";

/** Someone named in a command, if the actor may look at them. */
export type RepLookup = { kind: "ok"; user: User } | { kind: "unknown_user"; slackUserId: string } | { kind: "denied"; reason: Denial };

export type RepQuotaResult = { kind: "ok"; user: User; view: QuotaView } | Exclude<RepLookup, { kind: "ok" }>;
export type RepFollowUpsResult = { kind: "ok"; user: User; page: FollowUpPage } | Exclude<RepLookup, { kind: "ok" }>;

/** One member's line in the team's follow-ups: their count, overdue count and first few. */
export interface MemberFollowUps {
  user: User;
  total: number;
  overdue: number;
  items: FollowUpItem[];
}

/** Why a whole team cannot be shown. */
export type TeamFailure =
  | { kind: "denied"; reason: Denial }
  /** The actor manages no team (an admin without one, or a manager whose teams are empty). */
  | { kind: "no_team" };

export type TeamFollowUpsResult = { kind: "ok"; members: MemberFollowUps[]; totalMembers: number; offset: number } | TeamFailure;

/**
 * What managers see of their teams and admins of anyone: a rep's quota view and open follow-ups,
 * and the whole team's follow-ups grouped by rep. Reps see only their own (the same refusal as
 * everywhere else).
 */
export class ManagerViewService {
  constructor(
    private readonly users: UserRepository,
    private readonly teams: TeamRepository,
    private readonly quota: QuotaService,
    private readonly followUps: FollowUpService,
  ) {}

  /**
   * Everyone in the teams the actor manages (themselves left out), by name: what `team` means in
   * `/ae followups team` and `/ae pipeline team`. Reps are refused before any lookup.
   */
  async teamMembers(actor: Actor, principal: Principal): Promise<{ kind: "ok"; members: User[] } | TeamFailure> {
    const decision = canViewTeam(principal);
    if (!decision.allowed) return { kind: "denied", reason: decision.reason };
    const ids = (await this.teams.managedUserIds(actor.user.id)).filter((id) => id !== actor.user.id);
    if (ids.length === 0) return { kind: "no_team" };
    return { kind: "ok", members: await this.users.findManyByIds(actor.workspace.id, ids) };
  }

  /** The user a mention names, if the actor may look at them. A rep is refused before any lookup. */
  async rep(actor: Actor, principal: Principal, slackUserId: string): Promise<RepLookup> {
    if (slackUserId === actor.user.slackUserId) return { kind: "ok", user: actor.user };
    if (principal.role === "rep") return { kind: "denied", reason: "not_owner" };
    const user = await this.users.findBySlackId(actor.workspace.id, slackUserId);
    if (!user) return { kind: "unknown_user", slackUserId };
    const decision = canViewUser(principal, user.id);
    return decision.allowed ? { kind: "ok", user } : { kind: "denied", reason: decision.reason };
  }

  /** A rep's quota view, as they see it themselves; their commission only for their own eyes. */
  async quotaOf(actor: Actor, principal: Principal, slackUserId: string, periodType: PeriodType): Promise<RepQuotaResult> {
    const found = await this.rep(actor, principal, slackUserId);
    if (found.kind !== "ok") return found;
    const own = found.user.id === actor.user.id;
    const view = await this.quota.progressForUser(actor.workspace, found.user.id, periodType, { withCommission: own });
    return { kind: "ok", user: found.user, view };
  }

  async followUpsOf(actor: Actor, principal: Principal, slackUserId: string, opts: { offset: number; limit: number }): Promise<RepFollowUpsResult> {
    const found = await this.rep(actor, principal, slackUserId);
    if (found.kind !== "ok") return found;
    return { kind: "ok", user: found.user, page: await this.followUps.listOpenOf(actor, found.user.id, opts) };
  }

  /**
   * The open follow-ups of everyone in the teams the actor manages, a page of members at a time
   * (by name), each with their count, overdue count and first `perMember` items.
   */
  async teamFollowUps(actor: Actor, principal: Principal, opts: { offset: number; limit: number; perMember: number }): Promise<TeamFollowUpsResult> {
    const team = await this.teamMembers(actor, principal);
    if (team.kind !== "ok") return team;
    const everyone = team.members;
    const offset = Math.max(0, opts.offset);
    const members: MemberFollowUps[] = [];
    for (const user of everyone.slice(offset, offset + opts.limit)) {
      const page = await this.followUps.listOpenOf(actor, user.id, { offset: 0, limit: opts.perMember });
      const overdue = page.total === 0 ? 0 : await this.followUps.countOverdueOf(actor, user.id);
      members.push({ user, total: page.total, overdue, items: page.items });
    }
    return { kind: "ok", members, totalMembers: everyone.length, offset };
  }
}
