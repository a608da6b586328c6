import type { Db } from "../client.js";
import { sql } from "../sql.js";
import type { Team, User, Workspace } from "../../generated/sqlite/client.js";

export type { Team };

/** A team with who manages it and who is in it. */
export interface TeamDetail extends Team {
  manager: User | null;
  members: User[];
}

/** A team that posts leaderboards: its workspace (zone, fiscal year, currency) and manager (language). */
export interface PostingTeam extends Team {
  workspace: Workspace;
  manager: User | null;
}

export type TeamSettings = Partial<
  Pick<Team, "channelId" | "managerId" | "timezone" | "celebrateWins" | "celebrateShowAmount" | "leaderboardMetrics">
>;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code?: unknown }).code === "P2002";
}

export class TeamRepository {
  constructor(private readonly db: Db) {}

  /** User ids of everyone in the teams this user manages (for a manager's scope). */
  async managedUserIds(managerUserId: number): Promise<number[]> {
    const rows = await this.db.teamMember.findMany({
      where: { team: { managerId: managerUserId } },
      select: { userId: true },
    });
    return [...new Set(rows.map((r) => r.userId))];
  }

  /** Creates a team; null when the workspace already has one with this name key. */
  async create(data: { workspaceId: number; name: string; nameKey: string; managerId: number | null }): Promise<Team | null> {
    try {
      return await this.db.team.create({ data });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  findById(id: number): Promise<Team | null> {
    return this.db.team.findUnique({ where: { id } });
  }

  findByKey(workspaceId: number, nameKey: string): Promise<Team | null> {
    return this.db.team.findUnique({ where: { workspaceId_nameKey: { workspaceId, nameKey } } });
  }

  listByWorkspace(workspaceId: number): Promise<Team[]> {
    return this.db.team.findMany({ where: { workspaceId }, orderBy: [{ nameKey: "asc" }, { id: "asc" }] });
  }

  /**
   * Teams the user is a member of or manages, by name. On every `/ae leaderboard`: hand-written SQL
   * (see db/sql.ts) that reaches the teams through the managerId and TeamMember(userId) indexes
   * (the model query's OR with a relation filter scanned every team).
   */
  teamsOf(userId: number): Promise<Team[]> {
    return this.db.$queryRaw<Team[]>(
      sql`SELECT * FROM "Team" WHERE "id" IN (SELECT "id" FROM "Team" WHERE "managerId" = ${userId} UNION SELECT "teamId" FROM "TeamMember" WHERE "userId" = ${userId})
        ORDER BY "nameKey" ASC, "id" ASC`,
    );
  }

  /** Teams the user is a member of (not merely manages). */
  memberOf(userId: number): Promise<PostingTeam[]> {
    return this.db.team.findMany({
      where: { members: { some: { userId } } },
      include: { workspace: true, manager: true },
      orderBy: { id: "asc" },
    });
  }

  async detail(teamId: number): Promise<TeamDetail | null> {
    const team = await this.db.team.findUnique({
      where: { id: teamId },
      include: { manager: true, members: { include: { user: true }, orderBy: { createdAt: "asc" } } },
    });
    if (!team) return null;
    const { members, ...rest } = team;
    return { ...rest, members: members.map((m) => m.user) };
  }

  /** Adds members; returns the user ids that were not members before. */
  async addMembers(teamId: number, userIds: number[]): Promise<number[]> {
    if (userIds.length === 0) return [];
    const existing = await this.db.teamMember.findMany({ where: { teamId, userId: { in: userIds } }, select: { userId: true } });
    const already = new Set(existing.map((e) => e.userId));
    const added: number[] = [];
    for (const userId of [...new Set(userIds)]) {
      if (already.has(userId)) continue;
      try {
        await this.db.teamMember.create({ data: { teamId, userId } });
        added.push(userId);
      } catch (error) {
        // Added concurrently by someone else: it is a member either way.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    return added;
  }

  /** Removes members; returns the user ids that were members. */
  async removeMembers(teamId: number, userIds: number[]): Promise<number[]> {
    if (userIds.length === 0) return [];
    const existing = await this.db.teamMember.findMany({ where: { teamId, userId: { in: userIds } }, select: { userId: true } });
    await this.db.teamMember.deleteMany({ where: { teamId, userId: { in: userIds } } });
    return existing.map((e) => e.userId);
  }

  update(teamId: number, data: TeamSettings): Promise<Team> {
    return this.db.team.update({ where: { id: teamId }, data });
  }

  /** Every team with a leaderboard channel, with what posting needs. */
  withChannel(): Promise<PostingTeam[]> {
    return this.db.team.findMany({
      where: { channelId: { not: null } },
      include: { workspace: true, manager: true },
      orderBy: { id: "asc" },
    });
  }

  findPosting(teamId: number): Promise<PostingTeam | null> {
    return this.db.team.findUnique({ where: { id: teamId }, include: { workspace: true, manager: true } });
  }
}
