import type { Db } from "../client.js";
import type { Touch } from "../../generated/sqlite/client.js";

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
  constructor(private readonly db: Db) {}

  /**
   * Stores the touch and its participants and moves the account's denormalized lastTouchAt forward,
   * in one transaction: neglect queries read lastTouchAt, so it may never lag behind the touches.
   * A touch logged for an earlier day leaves a later lastTouchAt alone.
   */
  create(t: NewTouch): Promise<Touch> {
    return this.db.$transaction(async (tx) => {
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
      return touch;
    });
  }

  /** The latest touches on an account, newest first, with who logged them and who was there. */
  recentForAccount(accountId: number, limit: number): Promise<TouchWithPeople[]> {
    return this.db.touch.findMany({
      where: { accountId },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      take: limit,
      include: { user: { select: { name: true, slackUserId: true } }, participants: { select: { slackUserId: true } } },
    });
  }

  countForAccount(accountId: number): Promise<number> {
    return this.db.touch.count({ where: { accountId } });
  }

  findById(id: number): Promise<(Touch & { participants: { slackUserId: string; userId: number | null }[] }) | null> {
    return this.db.touch.findUnique({ where: { id }, include: { participants: { select: { slackUserId: true, userId: true } } } });
  }
}
