import type { Db } from "../client.js";
import { sql } from "../sql.js";
import type { FollowUp } from "../../generated/sqlite/client.js";
import { changeWithCrm, type CrmQueue } from "./crm-outbox-repository.js";

export type { FollowUp };

export type FollowUpWithAccount = FollowUp & { account: { id: number; name: string; ownerId: number } };

export interface NewFollowUp {
  accountId: number;
  userId: number;
  title: string;
  /** Start of the due day in the user's zone. */
  dueAt: Date;
}

export class FollowUpRepository {
  /** `crm`: when a CRM is configured, follow-ups on accounts it has are queued for it (crm-outbox-repository.ts). */
  constructor(
    private readonly db: Db,
    private readonly crm?: CrmQueue,
  ) {}

  /** Stores the follow-up; on an account the CRM has, its task is queued in the same transaction. */
  create(f: NewFollowUp): Promise<FollowUp> {
    return changeWithCrm(this.db, this.crm, async (tx, enqueueCrm) => {
      const row = await tx.followUp.create({ data: { accountId: f.accountId, userId: f.userId, title: f.title, dueAt: f.dueAt } });
      await enqueueCrm({ entity: "followUp", op: "create", ids: [row.id] });
      return row;
    });
  }

  findById(id: number): Promise<FollowUpWithAccount | null> {
    return this.db.followUp.findUnique({ where: { id }, include: { account: { select: { id: true, name: true, ownerId: true } } } });
  }

  /** A user's open follow-ups on live accounts, earliest due first (so overdue ones lead). */
  async openForUser(userId: number, offset: number, limit: number): Promise<{ items: FollowUpWithAccount[]; total: number }> {
    const where = { userId, status: "open", account: { archived: false } };
    const [items, total] = await Promise.all([
      this.db.followUp.findMany({
        where,
        orderBy: [{ dueAt: "asc" }, { id: "asc" }],
        skip: offset,
        take: limit,
        include: { account: { select: { id: true, name: true, ownerId: true } } },
      }),
      this.db.followUp.count({ where }),
    ]);
    return { items, total };
  }

  /** How many of a user's open follow-ups on live accounts were due before `before` (overdue). */
  countOverdue(userId: number, before: Date): Promise<number> {
    return this.db.followUp.count({ where: { userId, status: "open", account: { archived: false }, dueAt: { lt: before } } });
  }

  /** Open follow-ups on an account, soonest first (the account page: hand-written SQL, see db/sql.ts). */
  openForAccount(accountId: number, limit: number): Promise<FollowUp[]> {
    return this.db.$queryRaw<FollowUp[]>(
      sql`SELECT * FROM "FollowUp" WHERE "accountId" = ${accountId} AND "status" = ${"open"} ORDER BY "dueAt" ASC, "id" ASC LIMIT ${limit}`,
    );
  }

  /** Marks an open follow-up done (its CRM task is queued to be completed); false when it was not open any more (done twice, cancelled). */
  complete(id: number, now: Date): Promise<boolean> {
    return changeWithCrm(this.db, this.crm, async (tx, enqueueCrm) => {
      const r = await tx.followUp.updateMany({ where: { id, status: "open" }, data: { status: "done", completedAt: now } });
      if (r.count === 1) await enqueueCrm({ entity: "followUp", op: "complete", ids: [id] });
      return r.count === 1;
    });
  }
}
