import type { Db } from "../client.js";
import { sql } from "../sql.js";
import type { BonusTier, CompPlan } from "../../domain/commission.js";
import type { PeriodType } from "../../domain/periods.js";
import type { LocalDate } from "../../domain/time.js";
import { z } from "zod";

/** A stored comp plan: the domain plan plus the period it is measured on and when it starts. */
export interface CompPlanRecord extends CompPlan {
  id: number;
  userId: number;
  periodType: PeriodType;
  effectiveFrom: LocalDate;
  bonuses: BonusTier[];
  updatedAt: Date;
}

export type CompPlanInput = Omit<CompPlanRecord, "id" | "updatedAt">;

const bonusesSchema = z.array(z.object({ attainment: z.number().positive(), amountCents: z.number().int().nonnegative() }));

function periodTypeOf(value: string): PeriodType {
  return value === "month" || value === "year" ? value : "quarter";
}

export class CompPlanRepository {
  constructor(private readonly db: Db) {}

  /** The plan in force on `date`: the latest one whose effectiveFrom is on or before it. */
  async current(userId: number, date: LocalDate): Promise<CompPlanRecord | null> {
    // On every `/ae quota`: hand-written SQL (see db/sql.ts), the same row as `compPlan.findFirst`.
    const rows = await this.db.$queryRaw<Parameters<typeof toRecord>[0][]>(
      sql`SELECT * FROM "CompPlan" WHERE "userId" = ${userId} AND "effectiveFrom" <= ${date} ORDER BY "effectiveFrom" DESC, "id" DESC LIMIT 1`,
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Every plan of a user, newest first. */
  async history(userId: number): Promise<CompPlanRecord[]> {
    const rows = await this.db.compPlan.findMany({ where: { userId }, orderBy: [{ effectiveFrom: "desc" }, { id: "desc" }] });
    return rows.map(toRecord);
  }

  /** Saves a plan; a plan with the same effectiveFrom replaces the earlier one. */
  async save(p: CompPlanInput): Promise<CompPlanRecord> {
    const data = {
      baseSalaryCents: BigInt(p.baseSalaryCents),
      commissionRate: p.commissionRate,
      acceleratorMultiplier: p.acceleratorMultiplier,
      deceleratorThreshold: p.deceleratorThreshold ?? null,
      deceleratorMultiplier: p.deceleratorMultiplier ?? null,
      bonuses: JSON.stringify(p.bonuses),
      periodType: p.periodType,
    };
    return this.db.$transaction(async (tx) => {
      await tx.compPlan.deleteMany({ where: { userId: p.userId, effectiveFrom: p.effectiveFrom } });
      return toRecord(await tx.compPlan.create({ data: { userId: p.userId, effectiveFrom: p.effectiveFrom, ...data } }));
    });
  }
}

function toRecord(row: {
  id: number;
  userId: number;
  baseSalaryCents: bigint;
  commissionRate: number;
  acceleratorMultiplier: number;
  deceleratorThreshold: number | null;
  deceleratorMultiplier: number | null;
  bonuses: string;
  periodType: string;
  effectiveFrom: string;
  updatedAt: Date;
}): CompPlanRecord {
  let bonuses: BonusTier[];
  try {
    bonuses = bonusesSchema.parse(JSON.parse(row.bonuses));
  } catch {
    bonuses = []; // a hand-edited row with bad JSON must not break /ae quota
  }
  return {
    id: row.id,
    userId: row.userId,
    baseSalaryCents: Number(row.baseSalaryCents),
    commissionRate: row.commissionRate,
    acceleratorMultiplier: row.acceleratorMultiplier,
    deceleratorThreshold: row.deceleratorThreshold,
    deceleratorMultiplier: row.deceleratorMultiplier,
    bonuses,
    periodType: periodTypeOf(row.periodType),
    effectiveFrom: row.effectiveFrom,
    updatedAt: row.updatedAt,
  };
}
