import type { Db } from "../client.js";
import type { Deal as DealRow, Prisma } from "../../generated/sqlite/client.js";
import type { DealStatus, OpenStage } from "../../domain/deal-stages.js";
import type { ForecastCategory } from "../../domain/forecast.js";


/** A deal with money as number cents, and its account's name and workspace. */
export interface Deal {
  id: number;
  accountId: number;
  accountName: string;
  workspaceId: number;
  ownerId: number;
  title: string | null;
  amountCents: number;
  stage: string;
  status: DealStatus;
  expectedCloseAt: Date | null;
  wonAt: Date | null;
  lostAt: Date | null;
  lostReason: string | null;
  /** When the stage last changed; null = not since creation (before stage history existed). */
  stageChangedAt: Date | null;
  /** The rep's own forecast call; null = the one the stage implies (forecastCategoryOf). */
  forecastCategory: string | null;
  createdAt: Date;
}

/**
 * Who changed a deal's stage: a user (in Slack), or a process — the CLI, or a CRM sync. Every
 * write that sets a stage takes one, so the history always says who.
 */
export type StageChangeBy = { userId: number } | { source: "cli" | "sync" };

/** One recorded stage change (creation included: `fromStage` null). */
export interface StageChange {
  dealId: number;
  fromStage: string | null;
  toStage: string;
  at: Date;
  byUserId: number | null;
  source: string;
}

export interface NewDeal {
  accountId: number;
  ownerId: number;
  amountCents: number;
  stage: OpenStage;
  expectedCloseAt: Date | null;
  title?: string | null;
  /** null or absent: implied by the stage. */
  forecastCategory?: ForecastCategory | null;
}

const WITH_ACCOUNT = { account: { select: { name: true, workspaceId: true } } } as const;

function toDeal(row: DealRow & { account: { name: string; workspaceId: number } }): Deal {
  return {
    id: row.id,
    accountId: row.accountId,
    accountName: row.account.name,
    workspaceId: row.account.workspaceId,
    ownerId: row.ownerId,
    title: row.title,
    amountCents: Number(row.amountCents),
    stage: row.stage,
    status: row.status === "won" || row.status === "lost" ? row.status : "open",
    expectedCloseAt: row.expectedCloseAt,
    wonAt: row.wonAt,
    lostAt: row.lostAt,
    lostReason: row.lostReason,
    stageChangedAt: row.stageChangedAt,
    forecastCategory: row.forecastCategory,
    createdAt: row.createdAt,
  };
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Deals. Every write that sets a stage (create, setStage, markWon, markLost) goes through
 * `changeStage`, in the same transaction as the write, so no path can change a stage without
 * recording it in DealStageChange and moving Deal.stageChangedAt.
 */
export class DealRepository {
  constructor(private readonly db: Db) {}

  async create(d: NewDeal, by: StageChangeBy, at: Date): Promise<Deal> {
    const id = await this.db.$transaction(async (tx) => {
      const row = await tx.deal.create({
        data: {
          accountId: d.accountId,
          ownerId: d.ownerId,
          amountCents: BigInt(d.amountCents),
          stage: d.stage,
          status: "open",
          expectedCloseAt: d.expectedCloseAt,
          title: d.title ?? null,
          forecastCategory: d.forecastCategory ?? null,
          stageChangedAt: at,
        },
        select: { id: true },
      });
      await recordStageChange(tx, { dealId: row.id, fromStage: null, toStage: d.stage, at, by });
      return row.id;
    });
    const deal = await this.findById(id);
    if (!deal) throw new Error(`deal ${id} vanished right after it was created`);
    return deal;
  }

  async findById(id: number): Promise<Deal | null> {
    const row = await this.db.deal.findUnique({ where: { id }, include: WITH_ACCOUNT });
    return row ? toDeal(row) : null;
  }

  /** Open deals of one account, oldest first (bounded). */
  async openForAccount(accountId: number, limit = 100): Promise<Deal[]> {
    const rows = await this.db.deal.findMany({
      // A deal deleted in the CRM (archived) can no longer be won or lost here.
      where: { accountId, status: "open", archived: false },
      orderBy: { id: "asc" },
      take: limit,
      include: WITH_ACCOUNT,
    });
    return rows.map(toDeal);
  }

  /** Moves an open deal to another open stage; null when it was not open any more. */
  setStage(id: number, stage: OpenStage, by: StageChangeBy, at: Date): Promise<Deal | null> {
    return this.changeStage(id, stage, by, at, {});
  }

  /**
   * Marks an open deal won at `wonAt` (optionally with its final amount). Conditional on the deal
   * still being open, so two clicks cannot win it twice; null when it was not open any more.
   */
  markWon(id: number, wonAt: Date, by: StageChangeBy, amountCents?: number): Promise<Deal | null> {
    return this.changeStage(id, "won", by, wonAt, { status: "won", wonAt, ...(amountCents !== undefined ? { amountCents: BigInt(amountCents) } : {}) });
  }

  /** Marks an open deal lost; null when it was not open any more. */
  markLost(id: number, lostAt: Date, reason: string | null, by: StageChangeBy): Promise<Deal | null> {
    return this.changeStage(id, "lost", by, lostAt, { status: "lost", lostAt, lostReason: reason });
  }

  /** Sets an open deal's expected close date (not a stage change); null when it was not open. */
  async setCloseDate(id: number, expectedCloseAt: Date): Promise<Deal | null> {
    const r = await this.db.deal.updateMany({ where: { id, status: "open" }, data: { expectedCloseAt } });
    return r.count === 1 ? this.findById(id) : null;
  }

  /** Sets an open deal's forecast category (null: implied by its stage again); null when it was not open. */
  async setForecastCategory(id: number, category: ForecastCategory | null): Promise<Deal | null> {
    const r = await this.db.deal.updateMany({ where: { id, status: "open" }, data: { forecastCategory: category } });
    return r.count === 1 ? this.findById(id) : null;
  }

  /** The deal's stage changes, oldest first. */
  async stageHistory(dealId: number): Promise<StageChange[]> {
    return this.db.dealStageChange.findMany({
      where: { dealId },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      select: { dealId: true, fromStage: true, toStage: true, at: true, byUserId: true, source: true },
    });
  }

  /**
   * The one place an existing deal's stage changes: conditional on the deal being open (so a
   * double click changes it once), with the history row in the same transaction. Setting the
   * stage it already has changes nothing and records nothing.
   */
  private async changeStage(id: number, stage: string, by: StageChangeBy, at: Date, data: Prisma.DealUpdateManyMutationInput): Promise<Deal | null> {
    const changed = await this.db.$transaction(async (tx) => {
      const current = await tx.deal.findFirst({ where: { id, status: "open" }, select: { stage: true } });
      if (!current) return false;
      const moves = current.stage !== stage;
      const r = await tx.deal.updateMany({
        where: { id, status: "open", stage: current.stage },
        data: { ...data, stage, ...(moves ? { stageChangedAt: at } : {}) },
      });
      if (r.count !== 1) return false;
      if (moves) await recordStageChange(tx, { dealId: id, fromStage: current.stage, toStage: stage, at, by });
      return true;
    });
    return changed ? this.findById(id) : null;
  }
}

function recordStageChange(tx: Tx, c: { dealId: number; fromStage: string | null; toStage: string; at: Date; by: StageChangeBy }) {
  return tx.dealStageChange.create({
    data: {
      dealId: c.dealId,
      fromStage: c.fromStage,
      toStage: c.toStage,
      at: c.at,
      byUserId: "userId" in c.by ? c.by.userId : null,
      source: "userId" in c.by ? "slack" : c.by.source,
    },
  });
}
