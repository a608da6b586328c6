import type { Db } from "../client.js";
import { join, raw, sql, toNumber, type Sql } from "../sql.js";

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

/**
 * Whose figures: a list of user ids, or the active members of a team. The team form is a subquery,
 * so a large team sends one parameter instead of an id per member (cheaper to send and to plan).
 */
export type Members = readonly number[] | { teamId: number };

/** `<column> IN (…)` for the members; null when the list is empty. */
function memberCondition(column: "userId" | "ownerId", members: Members): Sql | null {
  const col = raw(`"${column}"`);
  if ("teamId" in members) {
    return sql`${col} IN (SELECT m."userId" FROM "TeamMember" m JOIN "User" u ON u."id" = m."userId" WHERE m."teamId" = ${members.teamId} AND u."inactive" = ${false})`;
  }
  return members.length === 0 ? null : sql`${col} IN (${join([...members])})`;
}

export interface WonStats {
  wonCents: number;
  dealsWon: number;
}

/**
 * The numbers a leaderboard needs, for a whole team at once: one query for the members, one for
 * their quotas, one GROUP BY for closed-won deals and one for touches — never one query per rep.
 * Hand-written SQL (see db/sql.ts): cheaper per query, and a team of any size works (Prisma's
 * `in` filters stop at 999 ids on SQLite: a 1,000-rep team failed with P2029).
 */
export class LeaderboardRepository {
  constructor(private readonly db: Db) {}

  /** Active members of a team (deactivated Slack users are left out). */
  async members(teamId: number): Promise<TeamMemberRow[]> {
    return this.db.$queryRaw<TeamMemberRow[]>(
      sql`SELECT u."id" AS "userId", u."slackUserId", u."name" FROM "TeamMember" m JOIN "User" u ON u."id" = m."userId"
        WHERE m."teamId" = ${teamId} AND u."inactive" = ${false} ORDER BY m."userId" ASC`,
    );
  }

  /** Quotas of these users for any of the given (type, start) periods. */
  async quotas(members: Members, periods: { periodType: string; periodStart: string }[]): Promise<QuotaRow[]> {
    const who = memberCondition("userId", members);
    if (!who || periods.length === 0) return [];
    const rows = await this.db.$queryRaw<(Omit<QuotaRow, "amountCents"> & { amountCents: bigint | number })[]>(
      sql`SELECT "userId", "periodType", "periodStart", "amountCents", "rampFactor" FROM "Quota"
        WHERE ${who} AND (${join(periods.map((p) => sql`("periodType" = ${p.periodType} AND "periodStart" = ${p.periodStart})`), " OR ")})`,
    );
    return rows.map((r) => ({ ...r, amountCents: Number(r.amountCents) }));
  }

  /** Closed-won amount and count per owner for deals won in [start, end). */
  async wonByOwner(members: Members, start: Date, end: Date): Promise<Map<number, WonStats>> {
    const out = new Map<number, WonStats>();
    const who = memberCondition("ownerId", members);
    if (!who) return out;
    const rows = await this.db.$queryRaw<{ ownerId: number; wonCents: unknown; dealsWon: unknown }[]>(
      sql`SELECT "ownerId", SUM("amountCents") AS "wonCents", COUNT(*) AS "dealsWon" FROM "Deal"
        WHERE ${who} AND "status" = ${"won"} AND "wonAt" >= ${start} AND "wonAt" < ${end} AND "archived" = ${false}
        GROUP BY "ownerId"`,
    );
    for (const r of rows) out.set(r.ownerId, { wonCents: toNumber(r.wonCents), dealsWon: toNumber(r.dealsWon) });
    return out;
  }

  /** Touches logged per user in [start, end). */
  async touchesByUser(members: Members, start: Date, end: Date): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const who = memberCondition("userId", members);
    if (!who) return out;
    const rows = await this.db.$queryRaw<{ userId: number; touches: unknown }[]>(
      sql`SELECT "userId", COUNT(*) AS "touches" FROM "Touch"
        WHERE ${who} AND "occurredAt" >= ${start} AND "occurredAt" < ${end}
        GROUP BY "userId"`,
    );
    for (const r of rows) out.set(r.userId, toNumber(r.touches));
    return out;
  }
}
