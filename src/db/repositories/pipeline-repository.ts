import type { Db } from "../client.js";
import { join, sql, type Sql } from "../sql.js";

/** An open deal as the pipeline counts it. */
export interface PipelineDealRow {
  id: number;
  ownerId: number;
  amountCents: number;
  stage: string;
  forecastCategory: string | null;
  expectedCloseAt: Date | null;
}

const DAY_MS = 86_400_000;

/**
 * The open deals behind `/ae pipeline`: one query for a rep or a whole team (on every command, so
 * hand-written SQL, see db/sql.ts). Deals deleted in the CRM and deals on archived accounts are
 * left out, as everywhere else.
 */
export class PipelineRepository {
  constructor(private readonly db: Db) {}

  /**
   * The open deals of the given owners that can count in a period ending at `end` (and, unless
   * `overdue` is asked for, starting at `start`), plus every open deal without a close date. The
   * bounds are a day wider than the period: the domain judges each close date in its owner's
   * zone, and a local date lies within 14 hours of UTC in any zone.
   */
  async openDeals(ownerIds: readonly number[], range: { start: Date; end: Date; overdue: boolean }): Promise<Map<number, PipelineDealRow[]>> {
    const out = new Map<number, PipelineDealRow[]>();
    for (const id of ownerIds) out.set(id, []);
    if (ownerIds.length === 0) return out;
    const before = new Date(range.end.getTime() + DAY_MS);
    const after = new Date(range.start.getTime() - DAY_MS);
    const dated: Sql = range.overdue ? sql`d."expectedCloseAt" < ${before}` : sql`(d."expectedCloseAt" >= ${after} AND d."expectedCloseAt" < ${before})`;
    const rows = await this.db.$queryRaw<
      { id: number; ownerId: number; amountCents: bigint | number; stage: string; forecastCategory: string | null; expectedCloseAt: Date | null }[]
    >(sql`SELECT d."id", d."ownerId", d."amountCents", d."stage", d."forecastCategory", d."expectedCloseAt"
      FROM "Deal" d JOIN "Account" a ON a."id" = d."accountId"
      WHERE d."ownerId" IN (${join([...new Set(ownerIds)])}) AND d."status" = ${"open"} AND d."archived" = ${false} AND a."archived" = ${false}
        AND (d."expectedCloseAt" IS NULL OR ${dated})
      ORDER BY d."id" ASC`);
    for (const r of rows) out.get(r.ownerId)?.push({ ...r, amountCents: Number(r.amountCents) });
    return out;
  }
}
