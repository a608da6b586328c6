import type { Db } from "../client.js";

export interface TeamMemberRow {
  userId: number;
  slackUserId: string;
  name: string | null;
}

export interface QuotaRow {
  userId: number;
  periodType: string;
  periodStart: string;
  amountCents: number;
  rampFactor: number;
}

export interface WonStats {
  wonCents: number;
  dealsWon: number;
}

/**
 * The numbers a leaderboard needs, for a whole team at once: one query for the members, one for
 * their quotas, one GROUP BY for closed-won deals and one for touches — never one query per rep.
 */
export class LeaderboardRepository {
  constructor(private readonly db: Db) {}

  /** Active members of a team (deactivated Slack users are left out). */
  async members(teamId: number): Promise<TeamMemberRow[]> {
    const rows = await this.db.teamMember.findMany({
      where: { teamId, user: { inactive: false } },
      select: { user: { select: { id: true, slackUserId: true, name: true } } },
      orderBy: { userId: "asc" },
    });
    return rows.map((r) => ({ userId: r.user.id, slackUserId: r.user.slackUserId, name: r.user.name }));
  }

  /** Quotas of these users for any of the given (type, start) periods. */
  async quotas(userIds: number[], periods: { periodType: string; periodStart: string }[]): Promise<QuotaRow[]> {
    if (userIds.length === 0 || periods.length === 0) return [];
    const rows = await this.db.quota.findMany({
      where: { userId: { in: userIds }, OR: periods.map((p) => ({ periodType: p.periodType, periodStart: p.periodStart })) },
      select: { userId: true, periodType: true, periodStart: true, amountCents: true, rampFactor: true },
    });
    return rows.map((r) => ({ ...r, amountCents: Number(r.amountCents) }));
  }

  /** Closed-won amount and count per owner for deals won in [start, end). */
  async wonByOwner(userIds: number[], start: Date, end: Date): Promise<Map<number, WonStats>> {
    const out = new Map<number, WonStats>();
    if (userIds.length === 0) return out;
    const rows = await this.db.deal.groupBy({
      by: ["ownerId"],
      where: { ownerId: { in: userIds }, status: "won", wonAt: { gte: start, lt: end } },
      _sum: { amountCents: true },
      _count: { _all: true },
    });
    for (const r of rows) out.set(r.ownerId, { wonCents: Number(r._sum.amountCents ?? 0n), dealsWon: r._count._all });
    return out;
  }

  /** Touches logged per user in [start, end). */
  async touchesByUser(userIds: number[], start: Date, end: Date): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (userIds.length === 0) return out;
    const rows = await this.db.touch.groupBy({
      by: ["userId"],
      where: { userId: { in: userIds }, occurredAt: { gte: start, lt: end } },
      _count: { _all: true },
    });
    for (const r of rows) out.set(r.userId, r._count._all);
    return out;
  }
}
