import type { Db, Tx } from "../client.js";
import type { Deal as DealRow, Prisma } from "../../generated/sqlite/client.js";
import type { DealStatus, OpenStage } from "../../domain/deal-stages.js";
import type { DealChange } from "../../domain/crm-push.js";
import { changeWithCrm, type CrmQueue, type EnqueueCrm } from "./crm-outbox-repository.js";
import type { ForecastCategory } from "../../domain/forecast.js";
import { inChunks, insertRows, join, sql } from "../sql.js";


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

/**
 * A deal as a CRM pull writes it (CrmSyncRepository.applyPage, inside the page's transaction):
 * the fields the CRM owns, money as number cents.
 */
export interface SyncedDealWrite {
  accountId: number;
  ownerId: number;
  title: string | null;
  amountCents: number;
  stage: string;
  status: string;
  expectedCloseAt: Date | null;
  wonAt: Date | null;
  lostAt: Date | null;
  archived: boolean;
}

/** One pulled page of deals: new ones, and the fields that changed on existing ones. */
export interface SyncedDealPage {
  create: (SyncedDealWrite & { externalId: string; crmModifiedAt: Date })[];
  update: { id: number; data: Partial<SyncedDealWrite> & { crmModifiedAt: Date } }[];
}

/**
 * Deals. Every write that sets a stage (create, setStage, markWon, markLost, and a CRM pull's
 * `writeSyncedDeals`) writes the stage columns (`stageColumns`) and the DealStageChange row
 * (`stageChangeRow`) in the same transaction, so no path can change a stage without recording it
 * and moving Deal.stageChangedAt.
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
          status: "open",
          expectedCloseAt: d.expectedCloseAt,
          title: d.title ?? null,
          forecastCategory: d.forecastCategory ?? null,
          ...stageColumns(null, d.stage, at),
        },
        select: { id: true },
      });
      await tx.dealStageChange.create({ data: stageChangeRow({ dealId: row.id, fromStage: null, toStage: d.stage, at, by }) });
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
      const { stage } = values;
      await tx.deal.update({
        where: { id },
        data: {
          ...rest,
          ...(amountCents !== undefined ? { amountCents: BigInt(amountCents) } : {}),
          ...(externalId !== undefined && current.externalId === null ? { externalId } : {}),
          ...(stage !== undefined ? stageColumns(current.stage, stage, at) : {}),
        },
      });
      if (stage !== undefined && stage !== current.stage) await tx.dealStageChange.create({ data: stageChangeRow({ dealId: id, fromStage: current.stage, toStage: stage, at, by: { source: "sync" } }) });
    });
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
  private async changeStage(id: number, stage: string, by: StageChangeBy, at: Date, data: Prisma.DealUpdateManyMutationInput, crmChange: DealChange): Promise<Deal | null> {
    const changed = await changeWithCrm(this.db, this.crm, async (tx, enqueueCrm) => {
      const current = await tx.deal.findFirst({ where: { id, status: "open" }, select: { stage: true } });
      if (!current) return false;
      const r = await tx.deal.updateMany({
        where: { id, status: "open", stage: current.stage },
        data: { ...data, ...stageColumns(current.stage, stage, at) },
      });
      if (r.count !== 1) return false;
      if (current.stage !== stage) await tx.dealStageChange.create({ data: stageChangeRow({ dealId: id, fromStage: current.stage, toStage: stage, at, by }) });
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

/**
 * A pulled page of deals, inside the caller's transaction (the page and its cursor commit
 * together), by the same rule as `changeStage`: a new deal starts its history; an update that
 * moves the stage (compared with the stage stored now, read in the transaction) moves
 * stageChangedAt and adds a history row. The CRM owns the stage, so a closed deal may reopen.
 * `at` of each change is the CRM's own stamp of the record (when it changed there), not the pull's;
 * `now` stamps the rows' createdAt/updatedAt. Hand-written SQL (db/sql.ts) recorded in the audit
 * trail as the current actor's (`$auditedInsert`/`$auditedUpdate`): one insert for the new deals, one
 * read of the moving deals' stages, one update per changed deal, one insert of history.
 */
export async function writeSyncedDeals(tx: Tx, page: SyncedDealPage, by: StageChangeBy, now: Date): Promise<void> {
  const history: ReturnType<typeof stageChangeRow>[] = [];
  const rows = page.create.map((d) => ({ ...d, amountCents: BigInt(d.amountCents), ...stageColumns(null, d.stage, d.crmModifiedAt), createdAt: now, updatedAt: now }));
  const created = new Map(page.create.map((d) => [d.externalId, d]));
  for (const r of await tx.$auditedInsert("Deal", rows)) {
    const d = typeof r.externalId === "string" ? created.get(r.externalId) : undefined;
    if (d && typeof r.id === "number") history.push(stageChangeRow({ dealId: r.id, fromStage: null, toStage: d.stage, at: d.crmModifiedAt, by }));
  }
  const stages = new Map<number, string>();
  for (const ids of inChunks(page.update.filter((u) => u.data.stage !== undefined).map((u) => u.id))) {
    for (const r of await tx.$queryRaw<{ id: number; stage: string }[]>(sql`SELECT "id", "stage" FROM "Deal" WHERE "id" IN (${join(ids)})`)) stages.set(r.id, r.stage);
  }
  const updates = page.update.map((u) => {
    const { amountCents, ...rest } = u.data;
    const from = stages.get(u.id);
    const moves = u.data.stage !== undefined && from !== undefined;
    if (moves && from !== u.data.stage) history.push(stageChangeRow({ dealId: u.id, fromStage: from, toStage: u.data.stage!, at: u.data.crmModifiedAt, by }));
    return { id: u.id, data: { ...rest, ...(amountCents !== undefined ? { amountCents: BigInt(amountCents) } : {}), ...(moves ? stageColumns(from, u.data.stage!, u.data.crmModifiedAt) : {}), updatedAt: now } };
  });
  await tx.$auditedUpdate("Deal", updates);
  for (const statement of insertRows("DealStageChange", history)) await tx.$executeRaw(statement);
}

/** The stage columns of a write that sets `to` on a deal at `from`: stageChangedAt moves only when the stage does. */
function stageColumns(from: string | null, to: string, at: Date): { stage: string; stageChangedAt?: Date } {
  return from !== to ? { stage: to, stageChangedAt: at } : { stage: to };
}

/** The history row of one stage change (creation: `fromStage` null). */
function stageChangeRow(c: { dealId: number; fromStage: string | null; toStage: string; at: Date; by: StageChangeBy }) {
  return {
    dealId: c.dealId,
    fromStage: c.fromStage,
    toStage: c.toStage,
    at: c.at,
    byUserId: "userId" in c.by ? c.by.userId : null,
    source: "userId" in c.by ? "slack" : c.by.source,
  };
}
