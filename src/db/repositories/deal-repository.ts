import type { Db } from "../client.js";
import type { Deal as DealRow } from "../../generated/sqlite/client.js";
import type { DealStatus, OpenStage } from "../../domain/deal-stages.js";


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
  createdAt: Date;
}

export interface NewDeal {
  accountId: number;
  ownerId: number;
  amountCents: number;
  stage: OpenStage;
  expectedCloseAt: Date | null;
  title?: string | null;
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
    createdAt: row.createdAt,
  };
}

export class DealRepository {
  constructor(private readonly db: Db) {}

  async create(d: NewDeal): Promise<Deal> {
    const row = await this.db.deal.create({
      data: {
        accountId: d.accountId,
        ownerId: d.ownerId,
        amountCents: BigInt(d.amountCents),
        stage: d.stage,
        status: "open",
        expectedCloseAt: d.expectedCloseAt,
        title: d.title ?? null,
      },
      include: WITH_ACCOUNT,
    });
    return toDeal(row);
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

  /**
   * Marks an open deal won at `wonAt` (optionally with its final amount). Conditional on the deal
   * still being open, so two clicks cannot win it twice; null when it was not open any more.
   */
  async markWon(id: number, wonAt: Date, amountCents?: number): Promise<Deal | null> {
    const r = await this.db.deal.updateMany({
      where: { id, status: "open" },
      data: { status: "won", stage: "won", wonAt, ...(amountCents !== undefined ? { amountCents: BigInt(amountCents) } : {}) },
    });
    return r.count === 1 ? this.findById(id) : null;
  }

  /** Marks an open deal lost; null when it was not open any more. */
  async markLost(id: number, lostAt: Date, reason: string | null): Promise<Deal | null> {
    const r = await this.db.deal.updateMany({
      where: { id, status: "open" },
      data: { status: "lost", stage: "lost", lostAt, lostReason: reason },
    });
    return r.count === 1 ? this.findById(id) : null;
  }
}
