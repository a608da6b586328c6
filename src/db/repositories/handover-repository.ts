import type { Db, Tx } from "../client.js";
import { planFingerprint, type HandoverPlan, type HandoverScope } from "../../domain/handover.js";
import { recordOperationNow } from "../audit/audit-writer.js";
import { changeWithCrm, type CrmQueue } from "./crm-outbox-repository.js";

export interface HandoverInput {
  workspaceId: number;
  fromUserId: number;
  toUserId: number;
  scope: HandoverScope;
}

export type HandoverMove =
  | { kind: "moved"; plan: HandoverPlan }
  /** The rows to move are no longer the ones confirmed: nothing moved; `plan` is what would move now. */
  | { kind: "changed"; plan: HandoverPlan };

const ID = { id: true } as const;
const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);

/** Which rows a handover moves (see domain/handover.ts), and the move itself in one transaction. */
export class HandoverRepository {
  /** `crm`: the moved follow-ups' CRM tasks are queued to change owner (crm-outbox-repository.ts). */
  constructor(
    private readonly db: Db,
    private readonly crm?: CrmQueue,
  ) {}

  plan(input: Omit<HandoverInput, "toUserId">): Promise<HandoverPlan> {
    return planIn(this.db, input);
  }

  /**
   * Moves the plan's rows from one person to the other in one transaction, if the plan computed
   * inside it still has the confirmed `fingerprint`; otherwise moves nothing.
   */
  move(input: HandoverInput, fingerprint: string): Promise<HandoverMove> {
    return changeWithCrm(this.db, this.crm, async (tx, enqueueCrm) => {
      const plan = await planIn(tx, input);
      if (planFingerprint(plan) !== fingerprint) return { kind: "changed", plan };
      const { fromUserId, toUserId } = input;
      if (plan.accountIds.length > 0) {
        await tx.account.updateMany({ where: { id: { in: plan.accountIds }, ownerId: fromUserId }, data: { ownerId: toUserId } });
      }
      if (plan.followUpIds.length > 0) {
        await tx.followUp.updateMany({ where: { id: { in: plan.followUpIds }, userId: fromUserId, status: "open" }, data: { userId: toUserId } });
        // Their CRM tasks change owner too. (Deals are the CRM's: hand opportunities over there.)
        await enqueueCrm({ entity: "followUp", op: "reassign", ids: plan.followUpIds });
      }
      if (plan.dealIds.length > 0) {
        await tx.deal.updateMany({ where: { id: { in: plan.dealIds }, ownerId: fromUserId, status: "open" }, data: { ownerId: toUserId } });
      }
      // The reassignment as one event (the accounts' and deals' owner changes are recorded row by
      // row as well; follow-ups are not audited, so their ids are listed here).
      await recordOperationNow(tx, {
        entity: "handover",
        action: "handover",
        workspaceId: input.workspaceId,
        details: { fromUserId, toUserId, scope: input.scope, accountIds: plan.accountIds, followUpIds: plan.followUpIds, dealIds: plan.dealIds },
      });
      return { kind: "moved", plan };
    }, { transaction: true });
  }
}

async function planIn(db: Db | Tx, input: Omit<HandoverInput, "toUserId">): Promise<HandoverPlan> {
  const { workspaceId, fromUserId, scope } = input;
  const accountIds = ids(await db.account.findMany({ where: { workspaceId, ownerId: fromUserId }, select: ID }));
  // "accounts": only what sits on the moved accounts; "all": everything open of theirs in the workspace.
  const onAccounts = scope === "accounts" ? { accountId: { in: accountIds } } : { account: { workspaceId } };
  const [followUps, deals] = await Promise.all([
    db.followUp.findMany({ where: { userId: fromUserId, status: "open", ...onAccounts }, select: ID }),
    db.deal.findMany({ where: { ownerId: fromUserId, status: "open", ...onAccounts }, select: ID }),
  ]);
  return { accountIds, followUpIds: ids(followUps), dealIds: ids(deals) };
}
