import type { Db } from "../client.js";
import type { Deal as DealRow, Prisma } from "../../generated/sqlite/client.js";
import type { DealStatus, OpenStage } from "../../domain/deal-stages.js";
import type { DealChange } from "../../domain/crm-push.js";
import { changeWithCrm, type CrmQueue, type EnqueueCrm, type Tx } from "./crm-outbox-repository.js";


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
    createdAt: row.createdAt,
  };
}

/**
 * Deals. Every write that sets a stage (create, setStage, markWon, markLost) goes through
 * `changeStage`, in the same transaction as the write, so no path can change a stage without
 * recording it in DealStageChange and moving Deal.stageChangedAt.
 */
export class DealRepository {
  /**
   * `crm`: when a CRM is configured, a deal opened on an account it has is queued to be created
   * there, and changes of its CRM-owned fields (stage, amount, close date) to be written there
   * (crm-outbox-repository.ts), in the change's transaction.
   */
  constructor(
    private readonly db: Db,
    private readonly crm?: CrmQueue,
  ) {}

  async create(d: NewDeal, by: StageChangeBy, at: Date): Promise<Deal> {
    const id = await changeWithCrm(this.db, this.crm, async (tx, enqueueCrm) => {
      const row = await tx.deal.create({
        data: {
          accountId: d.accountId,
          ownerId: d.ownerId,
          amountCents: BigInt(d.amountCents),
          stage: d.stage,
          status: "open",
          expectedCloseAt: d.expectedCloseAt,
          title: d.title ?? null,
          stageChangedAt: at,
        },
        select: { id: true },
      });
      await recordStageChange(tx, { dealId: row.id, fromStage: null, toStage: d.stage, at, by });
      await enqueueCrm({ entity: "deal", op: "create", ids: [row.id] });
      return row.id;
    }, { transaction: true });
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
    return this.changeStage(id, stage, by, at, {}, { stage });
  }

  /**
   * Marks an open deal won at `wonAt` (optionally with its final amount). Conditional on the deal
   * still being open, so two clicks cannot win it twice; null when it was not open any more.
   */
  markWon(id: number, wonAt: Date, by: StageChangeBy, amountCents?: number): Promise<Deal | null> {
    return this.changeStage(
      id,
      "won",
      by,
      wonAt,
      { status: "won", wonAt, ...(amountCents !== undefined ? { amountCents: BigInt(amountCents) } : {}) },
      { stage: "won", closeAt: wonAt.toISOString(), ...(amountCents !== undefined ? { amountCents } : {}) },
    );
  }

  /** Marks an open deal lost; null when it was not open any more. */
  markLost(id: number, lostAt: Date, reason: string | null, by: StageChangeBy): Promise<Deal | null> {
    return this.changeStage(id, "lost", by, lostAt, { status: "lost", lostAt, lostReason: reason }, { stage: "lost", closeAt: lostAt.toISOString() });
  }

  /** Sets an open deal's expected close date (not a stage change); null when it was not open. */
  async setCloseDate(id: number, expectedCloseAt: Date): Promise<Deal | null> {
    const changed = await changeWithCrm(this.db, this.crm, async (tx, enqueueCrm) => {
      const r = await tx.deal.updateMany({ where: { id, status: "open" }, data: { expectedCloseAt } });
      if (r.count === 1) await enqueueDealChange(enqueueCrm, id, { closeAt: expectedCloseAt.toISOString() });
      return r.count === 1;
    });
    return changed ? this.findById(id) : null;
  }

  /**
   * The CRM's values, as the CRM has them now, put on our deal (the CRM won a conflict, refused a
   * change, or a write just went out): stage and status (recorded in the stage history as the
   * sync's), amount, close dates, the CRM stamp, and its id if it had none. A won or lost deal may
   * be reopened by it. Not queued for the CRM: it is the CRM's own state.
   */
  async applyCrm(
    id: number,
    values: { stage?: string; status?: DealStatus; amountCents?: number; expectedCloseAt?: Date | null; wonAt?: Date | null; lostAt?: Date | null; crmModifiedAt: Date; externalId?: string },
    at: Date,
  ): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const current = await tx.deal.findUnique({ where: { id }, select: { stage: true, externalId: true } });
      if (!current) return;
      const { amountCents, externalId, ...rest } = values;
      const moves = values.stage !== undefined && values.stage !== current.stage;
      await tx.deal.update({
        where: { id },
        data: {
          ...rest,
          ...(amountCents !== undefined ? { amountCents: BigInt(amountCents) } : {}),
          ...(externalId !== undefined && current.externalId === null ? { externalId } : {}),
          ...(moves ? { stageChangedAt: at } : {}),
        },
      });
      if (moves) await recordStageChange(tx, { dealId: id, fromStage: current.stage, toStage: values.stage!, at, by: { source: "sync" } });
    });
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
  private async changeStage(id: number, stage: string, by: StageChangeBy, at: Date, data: Prisma.DealUpdateManyMutationInput, crmChange: DealChange): Promise<Deal | null> {
    const changed = await changeWithCrm(this.db, this.crm, async (tx, enqueueCrm) => {
      const current = await tx.deal.findFirst({ where: { id, status: "open" }, select: { stage: true } });
      if (!current) return false;
      const moves = current.stage !== stage;
      const r = await tx.deal.updateMany({
        where: { id, status: "open", stage: current.stage },
        data: { ...data, stage, ...(moves ? { stageChangedAt: at } : {}) },
      });
      if (r.count !== 1) return false;
      if (moves) await recordStageChange(tx, { dealId: id, fromStage: current.stage, toStage: stage, at, by });
      await enqueueDealChange(enqueueCrm, id, crmChange);
      return true;
    }, { transaction: true });
    return changed ? this.findById(id) : null;
  }
}

/** A change of a deal's CRM-owned fields, queued for the CRM (only when the deal's account is the CRM's). */
function enqueueDealChange(enqueueCrm: EnqueueCrm, id: number, change: DealChange): Promise<void> {
  return enqueueCrm({ entity: "deal", op: "update", ids: [id], payload: JSON.stringify(change) });
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
