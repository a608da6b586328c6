import type { Db } from "../client.js";
import type { Quota } from "../../generated/sqlite/client.js";
import { sql, toNumber } from "../sql.js";
import type { PeriodType } from "../../domain/periods.js";
import type { LocalDate } from "../../domain/time.js";

/** A user's quota for one period, money as number cents. */
export interface QuotaRecord {
  id: number;
  userId: number;
  periodType: PeriodType;
  periodStart: LocalDate;
  amountCents: number;
  rampFactor: number;
  setById: number | null;
  updatedAt: Date;
}

export interface QuotaInput {
  userId: number;
  periodType: PeriodType;
  periodStart: LocalDate;
  amountCents: number;
  rampFactor: number;
  setById: number | null;
}

/**
 * Quotas and closed-won revenue. Won revenue is always summed by the database (one aggregate
 * query), never by loading deals: these run on every `/ae quota`, digest and leaderboard.
 */
export class QuotaRepository {
  constructor(private readonly db: Db) {}

  async find(userId: number, periodType: PeriodType, periodStart: LocalDate): Promise<QuotaRecord | null> {
    // On every `/ae quota`: hand-written SQL (see db/sql.ts), the same row as `quota.findUnique`.
    const rows = await this.db.$queryRaw<Quota[]>(
      sql`SELECT * FROM "Quota" WHERE "userId" = ${userId} AND "periodType" = ${periodType} AND "periodStart" = ${periodStart} LIMIT 1`,
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      userId: row.userId,
      periodType,
      periodStart: row.periodStart,
      amountCents: Number(row.amountCents),
      rampFactor: row.rampFactor,
      setById: row.setById,
      updatedAt: row.updatedAt,
    };
  }

  /** Sets (creates or replaces) the quota of one user for one period. */
  async upsert(q: QuotaInput): Promise<QuotaRecord> {
    const data = { amountCents: BigInt(q.amountCents), rampFactor: q.rampFactor, setById: q.setById };
    await this.db.quota.upsert({
      where: { userId_periodType_periodStart: { userId: q.userId, periodType: q.periodType, periodStart: q.periodStart } },
      create: { userId: q.userId, periodType: q.periodType, periodStart: q.periodStart, ...data },
      update: data,
    });
    const saved = await this.find(q.userId, q.periodType, q.periodStart);
    if (!saved) throw new Error("quota vanished right after it was saved");
    return saved;
  }

  /** Closed-won revenue (cents) of one user with wonAt in [start, end): one SUM query. */
  async wonSum(userId: number, start: Date, end: Date): Promise<number> {
    const rows = await this.db.$queryRaw<{ wonCents: unknown }[]>(
      sql`SELECT SUM("amountCents") AS "wonCents" FROM "Deal" WHERE "ownerId" = ${userId} AND "status" = ${"won"} AND "wonAt" >= ${start} AND "wonAt" < ${end} AND "archived" = ${false}`,
    );
    return toNumber(rows[0]?.wonCents);
  }

  /**
   * Closed-won revenue and deal count per user with wonAt in [start, end): one GROUP BY query.
   * Every requested user is in the map (0 when they won nothing).
   */
  async wonByUsers(userIds: readonly number[], start: Date, end: Date): Promise<Map<number, { wonCents: number; deals: number }>> {
    const result = new Map<number, { wonCents: number; deals: number }>();
    for (const id of userIds) result.set(id, { wonCents: 0, deals: 0 });
    if (userIds.length === 0) return result;
    const rows = await this.db.deal.groupBy({
      by: ["ownerId"],
      where: { ownerId: { in: [...new Set(userIds)] }, status: "won", wonAt: { gte: start, lt: end }, archived: false },
      _sum: { amountCents: true },
      _count: { _all: true },
    });
    for (const r of rows) result.set(r.ownerId, { wonCents: Number(r._sum.amountCents ?? 0n), deals: r._count._all });
    return result;
  }
}
