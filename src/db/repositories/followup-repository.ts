import type { Db } from "../client.js";
import { sql } from "../sql.js";
import type { FollowUp } from "../../generated/sqlite/client.js";

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
  constructor(private readonly db: Db) {}

  create(f: NewFollowUp): Promise<FollowUp> {
    return this.db.followUp.create({ data: { accountId: f.accountId, userId: f.userId, title: f.title, dueAt: f.dueAt } });
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

  /** Marks an open follow-up done; false when it was not open any more (done twice, cancelled). */
  async complete(id: number, now: Date): Promise<boolean> {
    const r = await this.db.followUp.updateMany({ where: { id, status: "open" }, data: { status: "done", completedAt: now } });
    return r.count === 1;
  }
}
