import type { Db } from "../client.js";
import { join, sql, toNumber } from "../sql.js";
import type { Touch } from "../../generated/sqlite/client.js";
import { changeWithCrm, type CrmQueue } from "./crm-outbox-repository.js";

export type { Touch };

export interface NewTouch {
  accountId: number;
  userId: number;
  kind: string;
  occurredAt: Date;
  note: string | null;
  /** "command", "modal", "message" (shortcut) or "import". */
  source: string;
  sourceRef?: string | null;
  /** Slack user ids of colleagues who were there, with our user id when we know them. */
  participants: { slackUserId: string; userId: number | null }[];
}

export type TouchWithPeople = Touch & {
  user: { name: string | null; slackUserId: string };
  participants: { slackUserId: string }[];
};

export class TouchRepository {
  /** `crm`: when a CRM is configured, a touch on an account it has is queued for it (crm-outbox-repository.ts). */
  constructor(
    private readonly db: Db,
    private readonly crm?: CrmQueue,
  ) {}

  /**
   * Stores the touch and its participants and moves the account's denormalized lastTouchAt forward,
   * in one transaction: neglect queries read lastTouchAt, so it may never lag behind the touches.
   * A touch logged for an earlier day leaves a later lastTouchAt alone. On an account the CRM has,
   * the touch is queued for the CRM in the same transaction.
   */
  create(t: NewTouch): Promise<Touch> {
    return changeWithCrm(this.db, this.crm, async (tx, enqueueCrm) => {
      const touch = await tx.touch.create({
        data: {
          accountId: t.accountId,
          userId: t.userId,
          kind: t.kind,
          occurredAt: t.occurredAt,
          note: t.note,
          source: t.source,
          sourceRef: t.sourceRef ?? null,
        },
      });
      if (t.participants.length > 0) {
        await tx.touchParticipant.createMany({
          data: t.participants.map((p) => ({ touchId: touch.id, slackUserId: p.slackUserId, userId: p.userId })),
        });
      }
      await tx.account.updateMany({
        where: { id: t.accountId, OR: [{ lastTouchAt: null }, { lastTouchAt: { lt: t.occurredAt } }] },
        data: { lastTouchAt: t.occurredAt },
      });
      await enqueueCrm({ entity: "touch", op: "create", ids: [touch.id] });
      return touch;
    }, { transaction: true });
  }

  /**
   * The latest touches on an account, newest first, with who logged them and who was there. On the
   * account page: hand-written SQL (see db/sql.ts), the touches joined with their author, then
   * their participants.
   */
  async recentForAccount(accountId: number, limit: number): Promise<TouchWithPeople[]> {
    const rows = await this.db.$queryRaw<(Touch & { userName: string | null; userSlackUserId: string })[]>(
      sql`SELECT t.*, u."name" AS "userName", u."slackUserId" AS "userSlackUserId" FROM "Touch" t JOIN "User" u ON u."id" = t."userId"
        WHERE t."accountId" = ${accountId} ORDER BY t."occurredAt" DESC, t."id" DESC LIMIT ${limit}`,
    );
    if (rows.length === 0) return [];
    const people = await this.db.$queryRaw<{ touchId: number; slackUserId: string }[]>(
      sql`SELECT "touchId", "slackUserId" FROM "TouchParticipant" WHERE "touchId" IN (${join(rows.map((r) => r.id))})`,
    );
    return rows.map(({ userName, userSlackUserId, ...touch }) => ({
      ...touch,
      user: { name: userName, slackUserId: userSlackUserId },
      participants: people.filter((p) => p.touchId === touch.id).map((p) => ({ slackUserId: p.slackUserId })),
    }));
  }

  async countForAccount(accountId: number): Promise<number> {
    const rows = await this.db.$queryRaw<{ n: unknown }[]>(sql`SELECT COUNT(*) AS "n" FROM "Touch" WHERE "accountId" = ${accountId}`);
    return toNumber(rows[0]?.n);
  }

  findById(id: number): Promise<(Touch & { participants: { slackUserId: string; userId: number | null }[] }) | null> {
    return this.db.touch.findUnique({ where: { id }, include: { participants: { select: { slackUserId: true, userId: true } } } });
  }
}
