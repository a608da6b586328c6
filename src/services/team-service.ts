import { canManageTeams, type Denial, type Principal } from "../domain/authorization.js";
import { didYouMean, normalizeName } from "../domain/names.js";
import type { Team, TeamDetail, TeamRepository } from "../db/repositories/team-repository.js";
import type { User, UserRepository } from "../db/repositories/user-repository.js";
import type { Workspace } from "../db/repositories/workspace-repository.js";
import type { Actor, SlackProfileLookup } from "./actor-service.js";
import type { LeaderboardMetric } from "./leaderboard-service.js";

/** What Slack says about a channel (conversations.info), as the team channel check needs it. */
export interface ChannelInfo {
  exists: boolean;
  isMember: boolean;
  isArchived: boolean;
  name?: string;
}
export type ChannelProbe = (channelId: string) => Promise<ChannelInfo>;

/** Why a team command did nothing. */
export type TeamFailure =
  | { kind: "denied"; reason: Denial }
  /** A manager tried to change a team someone else manages. */
  | { kind: "not_manager"; team: Team }
  | { kind: "not_found"; name: string; suggestion: string | null };

export type CreateResult = { kind: "created"; team: Team } | { kind: "exists"; team: Team } | { kind: "invalid_name" } | TeamFailure;
export type MembersResult = { kind: "ok"; team: Team; changed: User[]; unchanged: User[]; unknown: string[] } | TeamFailure;
export type ChannelResult =
  | { kind: "ok"; team: Team; channelId: string; channelName?: string }
  | { kind: "bot_not_in_channel"; team: Team; channelId: string; channelName?: string }
  | { kind: "channel_not_found"; channelId: string }
  | { kind: "channel_archived"; channelId: string }
  | TeamFailure;
export type ManagerResult = { kind: "ok"; team: Team; manager: User; promoted: boolean } | { kind: "unknown_user"; slackUserId: string } | TeamFailure;
export type ShowResult = { kind: "one"; team: TeamDetail } | { kind: "list"; teams: TeamDetail[] } | { kind: "not_found"; name: string; suggestion: string | null };
export type SettingsResult = { kind: "ok"; team: Team } | TeamFailure;

export interface TeamSettingsChange {
  celebrateWins?: boolean;
  celebrateShowAmount?: boolean;
  metrics?: LeaderboardMetric[];
}

export const MAX_TEAM_NAME = 80;

/**
 * Teams: who is in them, who manages them, where their leaderboard goes. Managers and admins may
 * change teams; a manager only the teams they manage, an admin any. Anyone may look at them.
 */
export class TeamService {
  constructor(
    private readonly teams: TeamRepository,
    private readonly users: UserRepository,
  ) {}

  async create(actor: Actor, principal: Principal, name: string): Promise<CreateResult> {
    const decision = canManageTeams(principal);
    if (!decision.allowed) return { kind: "denied", reason: decision.reason };
    const clean = name.trim().replace(/\s+/g, " ");
    const nameKey = normalizeName(clean);
    if (nameKey === "" || clean.length > MAX_TEAM_NAME) return { kind: "invalid_name" };
    const existing = await this.teams.findByKey(actor.workspace.id, nameKey);
    if (existing) return { kind: "exists", team: existing };
    // A manager creating a team manages it (otherwise they could not change it afterwards).
    const managerId = principal.role === "manager" ? actor.user.id : null;
    const team = await this.teams.create({ workspaceId: actor.workspace.id, name: clean, nameKey, managerId });
    if (!team) {
      const raced = await this.teams.findByKey(actor.workspace.id, nameKey);
      if (raced) return { kind: "exists", team: raced };
      return { kind: "invalid_name" };
    }
    return { kind: "created", team };
  }

  async addMembers(actor: Actor, principal: Principal, teamName: string, slackUserIds: string[], lookup: SlackProfileLookup): Promise<MembersResult> {
    const team = await this.manageable(actor, principal, teamName);
    if ("kind" in team) return team;
    const { users, unknown } = await this.ensureUsers(actor.workspace, slackUserIds, lookup);
    const added = new Set(await this.teams.addMembers(team.id, users.map((u) => u.id)));
    return { kind: "ok", team, changed: users.filter((u) => added.has(u.id)), unchanged: users.filter((u) => !added.has(u.id)), unknown };
  }

  async removeMembers(actor: Actor, principal: Principal, teamName: string, slackUserIds: string[]): Promise<MembersResult> {
    const team = await this.manageable(actor, principal, teamName);
    if ("kind" in team) return team;
    const users = await this.users.findManyBySlackIds(actor.workspace.id, slackUserIds);
    const removed = new Set(await this.teams.removeMembers(team.id, users.map((u) => u.id)));
    const known = new Set(users.map((u) => u.slackUserId));
    return {
      kind: "ok",
      team,
      changed: users.filter((u) => removed.has(u.id)),
      unchanged: users.filter((u) => !removed.has(u.id)),
      unknown: slackUserIds.filter((id) => !known.has(id)),
    };
  }

  /** Sets the leaderboard channel, only if the bot is in it (else nothing changes). */
  async setChannel(actor: Actor, principal: Principal, teamName: string, channelId: string, probe: ChannelProbe): Promise<ChannelResult> {
    const team = await this.manageable(actor, principal, teamName);
    if ("kind" in team) return team;
    const info = await probe(channelId);
    if (!info.exists) return { kind: "channel_not_found", channelId };
    if (info.isArchived) return { kind: "channel_archived", channelId };
    if (!info.isMember) return { kind: "bot_not_in_channel", team, channelId, ...(info.name ? { channelName: info.name } : {}) };
    const updated = await this.teams.update(team.id, { channelId });
    return { kind: "ok", team: updated, channelId, ...(info.name ? { channelName: info.name } : {}) };
  }

  /** Makes someone the team's manager; a rep becomes a manager (admins keep their role). */
  async setManager(actor: Actor, principal: Principal, teamName: string, slackUserId: string, lookup: SlackProfileLookup): Promise<ManagerResult> {
    const team = await this.manageable(actor, principal, teamName);
    if ("kind" in team) return team;
    const { users } = await this.ensureUsers(actor.workspace, [slackUserId], lookup);
    let manager = users[0];
    if (!manager) return { kind: "unknown_user", slackUserId };
    const promoted = manager.role === "rep";
    if (promoted) manager = await this.users.update(manager.id, { role: "manager" });
    const updated = await this.teams.update(team.id, { managerId: manager.id });
    return { kind: "ok", team: updated, manager, promoted };
  }

  async updateSettings(actor: Actor, principal: Principal, teamName: string, change: TeamSettingsChange): Promise<SettingsResult> {
    const team = await this.manageable(actor, principal, teamName);
    if ("kind" in team) return team;
    const updated = await this.teams.update(team.id, {
      ...(change.celebrateWins !== undefined ? { celebrateWins: change.celebrateWins } : {}),
      ...(change.celebrateShowAmount !== undefined ? { celebrateShowAmount: change.celebrateShowAmount } : {}),
      ...(change.metrics !== undefined ? { leaderboardMetrics: change.metrics.join(",") } : {}),
    });
    return { kind: "ok", team: updated };
  }

  /** One team by name, or every team of the workspace. Anyone may look. */
  async show(actor: Actor, teamName?: string): Promise<ShowResult> {
    if (teamName !== undefined && teamName.trim() !== "") {
      const found = await this.find(actor.workspace.id, teamName);
      if ("kind" in found) return found;
      const detail = await this.teams.detail(found.id);
      return detail ? { kind: "one", team: detail } : { kind: "not_found", name: teamName, suggestion: null };
    }
    const teams = await this.teams.listByWorkspace(actor.workspace.id);
    const details = await Promise.all(teams.map((t) => this.teams.detail(t.id)));
    return { kind: "list", teams: details.filter((d): d is TeamDetail => d !== null) };
  }

  /** A team by typed name (exact, accent- and case-insensitive), with a did-you-mean otherwise. */
  async find(workspaceId: number, teamName: string): Promise<Team | { kind: "not_found"; name: string; suggestion: string | null }> {
    const team = await this.teams.findByKey(workspaceId, normalizeName(teamName));
    if (team) return team;
    const all = await this.teams.listByWorkspace(workspaceId);
    const key = didYouMean(normalizeName(teamName), all.map((t) => t.nameKey));
    const suggestion = key ? (all.find((t) => t.nameKey === key)?.name ?? null) : null;
    return { kind: "not_found", name: teamName, suggestion };
  }

  /** A team with its manager and members (what the team list and modal show). */
  /** A team of the workspace by id; null when there is none (or it belongs to another workspace). */
  async inWorkspace(workspaceId: number, teamId: number): Promise<Team | null> {
    const team = await this.teams.findById(teamId);
    return team && team.workspaceId === workspaceId ? team : null;
  }

  detail(teamId: number): Promise<TeamDetail | null> {
    return this.teams.detail(teamId);
  }

  /** The teams the user is in or manages (for `/ae leaderboard` without a team name). */
  teamsOf(userId: number): Promise<Team[]> {
    return this.teams.teamsOf(userId);
  }

  /**
   * Makes sure these Slack users exist here, creating unknown ones from users.info. Users Slack does
   * not know (or bots, deleted users) come back in `unknown`; `users` keeps the input order.
   */
  async ensureUsers(workspace: Workspace, slackUserIds: string[], lookup: SlackProfileLookup): Promise<{ users: User[]; unknown: string[] }> {
    const ids = [...new Set(slackUserIds)];
    const existing = new Map((await this.users.findManyBySlackIds(workspace.id, ids)).map((u) => [u.slackUserId, u]));
    const unknown: string[] = [];
    for (const id of ids) {
      if (existing.has(id)) continue;
      const profile = await lookup(id).catch(() => null);
      if (!profile || profile.inactive) {
        unknown.push(id);
        continue;
      }
      existing.set(id, await this.users.upsertFromSlack(workspace.id, profile));
    }
    return { users: ids.flatMap((id) => existing.get(id) ?? []), unknown };
  }

  private async manageable(actor: Actor, principal: Principal, teamName: string): Promise<Team | TeamFailure> {
    const decision = canManageTeams(principal);
    if (!decision.allowed) return { kind: "denied", reason: decision.reason };
    const team = await this.find(actor.workspace.id, teamName);
    if ("kind" in team) return team;
    if (principal.role !== "admin" && team.managerId !== actor.user.id) return { kind: "not_manager", team };
    return team;
  }
}
