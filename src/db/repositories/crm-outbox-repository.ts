import type { Db, Tx } from "../client.js";
import { claimDue, closeRows, dueCondition, release, retryLater } from "../lease-queue.js";
import { join, raw, sql, toNumber, type Sql } from "../sql.js";
import type { CrmOutbox } from "../../generated/sqlite/client.js";
import type { CrmEntity, CrmOp } from "../../domain/crm-push.js";
import { enqueueMessages, type OutboxMessage } from "./outbox-repository.js";
import type { AccountDealRow } from "./account-detail-repository.js";
import { DEAL_SELECT } from "./crm-sync-repository.js";

export type { CrmOutbox as CrmOutboxRow };

/**
 * The CRM push queue (`CrmOutbox`). A change to a touch, follow-up or deal on an account the CRM
 * has enqueues its row inside the change's own transaction (`enqueueCrmWrite`, called by the
 * touch, follow-up, deal and handover repositories), so a change is never made without its push
 * nor a push queued for a change that was rolled back. Rows are claimed, leased and retried with
 * the Slack outbox's machinery (db/lease-queue.ts); the rows of one record go out in order.
 */

/** What the repositories that write touches, follow-ups and deals need to queue a CRM write. */
export interface CrmQueue {
  /** The configured CRM ("salesforce"). */
  provider: string;
  /** The prefix of its ids on our rows ("sf"): only accounts with such an id are pushed to. */
  idPrefix: string;
  now(): Date;
  /** Called after a change that queued a write was committed, so the push can start at once. */
  queued(): void;
}

type Exec = Pick<Db, "$executeRaw" | "$queryRaw">;

const ENTITY_TABLE: Record<CrmEntity, string> = { touch: '"Touch"', followUp: '"FollowUp"', deal: '"Deal"' };
/** The row's own user (who is told when the CRM refuses the write). */
const ENTITY_USER: Record<CrmEntity, string> = { touch: 'e."userId"', followUp: 'e."userId"', deal: 'e."ownerId"' };

/**
 * Inside the change's transaction: one queue row per id of `entity` whose account has an id of the
 * configured CRM. One INSERT … SELECT, so a change on an account the CRM does not have costs one
 * statement and queues nothing. Deals carry their crmModifiedAt as the row's baseline (the stamp
 * the change was made against). Returns how many rows were queued.
 */
export async function enqueueCrmWrite(
  tx: Exec,
  queue: CrmQueue | undefined,
  w: { entity: CrmEntity; op: CrmOp; ids: number[]; payload?: string; userId?: number | null },
): Promise<number> {
  if (!queue || w.ids.length === 0) return 0;
  const now = queue.now();
  const baseline = w.entity === "deal" ? raw('e."crmModifiedAt"') : sql`${null}`;
  const user = w.userId === undefined ? raw(ENTITY_USER[w.entity]) : sql`${w.userId}`;
  return tx.$executeRaw(
    sql`INSERT INTO "CrmOutbox" ("workspaceId", "provider", "entity", "entityId", "op", "payload", "baseline", "userId", "status", "attempts", "nextAttemptAt", "createdAt", "updatedAt")
      SELECT a."workspaceId", ${queue.provider}, ${w.entity}, e."id", ${w.op}, ${w.payload ?? "{}"}, ${baseline}, ${user}, ${"pending"}, ${0}, ${now}, ${now}, ${now}
      FROM ${raw(ENTITY_TABLE[w.entity])} e JOIN "Account" a ON a."id" = e."accountId"
      WHERE e."id" IN (${join(w.ids)}) AND a."externalId" LIKE ${`${queue.idPrefix}:%`}
      ORDER BY e."id"`,
  );
}

export type EnqueueCrm = (w: Parameters<typeof enqueueCrmWrite>[2]) => Promise<void>;

/**
 * The one way a repository changes a touch, follow-up or deal with its CRM write: `change` runs in
 * a transaction and queues writes through `enqueue`; once it has committed, the queue is told (the
 * push may start at once). Without a CRM (and unless the change needs a transaction anyway) it
 * runs on the client directly and `enqueue` does nothing.
 */
export async function changeWithCrm<T>(db: Db, queue: CrmQueue | undefined, change: (tx: Tx, enqueue: EnqueueCrm) => Promise<T>, opts: { transaction?: boolean } = {}): Promise<T> {
  if (!queue && !opts.transaction) return change(db, async () => undefined);
  let queued = 0;
  const result = await db.$transaction((tx) =>
    change(tx, async (w) => {
      queued += await enqueueCrmWrite(tx, queue, w);
    }),
  );
  if (queued > 0) queue?.queued();
  return result;
}

/** Who a pushed record belongs to: named in it, its owner in the CRM (by email), dated in their zone. */
export interface PushPerson {
  name: string;
  email: string | null;
  zone: string;
}

const PERSON = { name: true, slackUserId: true, email: true, timezone: true, timezoneOverride: true } as const;

function personOf(u: { name: string | null; slackUserId: string; email: string | null; timezone: string; timezoneOverride: string | null }): PushPerson {
  return { name: u.name ?? u.slackUserId, email: u.email, zone: u.timezoneOverride ?? u.timezone };
}

export interface TouchForPush {
  id: number;
  kind: string;
  occurredAt: Date;
  note: string | null;
  externalId: string | null;
  accountExternalId: string | null;
  person: PushPerson;
  participantNames: string[];
}

export interface FollowUpForPush {
  id: number;
  title: string;
  dueAt: Date;
  status: string;
  externalId: string | null;
  accountExternalId: string | null;
  person: PushPerson;
}

export interface DealForPush extends AccountDealRow {
  createdAt: Date;
  externalId: string | null;
  crmModifiedAt: Date | null;
  accountExternalId: string | null;
  accountName: string;
  person: PushPerson;
}

/** The final states a row ends in when the CRM did not take it. */
export type CrmRefusal = "rejected" | "conflict" | "failed";
export const REFUSALS: readonly CrmRefusal[] = ["rejected", "conflict", "failed"];

export interface PushTotals {
  entity: CrmEntity;
  /** Rows waiting (pending or being sent). */
  waiting: number;
  sent: number;
  rejected: number;
  conflict: number;
  failed: number;
  lastSentAt: Date | null;
}

/** A row the CRM refused, with what it was about (for `crm status`, the owner's DM, the Home tab). */
export interface CrmProblem {
  id: number;
  entity: CrmEntity;
  entityId: number;
  op: string;
  status: CrmRefusal;
  errorCode: string | null;
  lastError: string | null;
  payload: string;
  userId: number | null;
  at: Date;
  accountName: string;
  /** What the row is: a touch's kind, a follow-up's title, a deal's stage. */
  label: string;
  /** When it happened: the touch's time, the follow-up's due time, the deal's creation. */
  when: Date;
  /** Deals: what the deal shows now (after a conflict: the CRM's values). */
  deal: { stage: string; amountCents: number; expectedCloseAt: Date | null } | null;
}

/** A scope of the queue: one workspace's rows for one CRM. */
export interface QueueScope {
  workspaceId: number;
  provider: string;
}

function scopeFilter(s: QueueScope): Sql {
  return sql`AND q."workspaceId" = ${s.workspaceId} AND q."provider" = ${s.provider}`;
}

/** An earlier row of the same record that is not finished (pending or being sent). */
function earlierUnfinished(alias: string): Sql {
  const a = raw(alias);
  return sql`SELECT 1 FROM "CrmOutbox" p WHERE p."entity" = ${a}."entity" AND p."entityId" = ${a}."entityId" AND p."id" < ${a}."id" AND p."status" IN (${"pending"}, ${"sending"})`;
}

export class CrmOutboxRepository {
  constructor(private readonly db: Db) {}

  /**
   * Claims up to `limit` due rows of `scope` (the shared claim), in order per record: a row waits
   * while an earlier row of its record is unfinished and not claimed with it (it is retrying, or
   * another replica is sending it), so a follow-up's "complete" never overtakes its "create".
   * The claim counts the attempt, as the Slack outbox's does: a claimed row with `attempts > 1`
   * may already have reached the CRM.
   */
  async claim(token: string, now: Date, leaseMs: number, limit: number, scope: QueueScope): Promise<CrmOutbox[]> {
    const filter = sql`${scopeFilter(scope)} AND NOT EXISTS (${earlierUnfinished("q")} AND NOT ${dueCondition(now, "p")})`;
    const ids = await claimDue(this.db, "CrmOutbox", { token, now, leaseMs, limit, filter, countAttempt: true });
    if (ids.length === 0) return [];
    // Another replica may have claimed an earlier row of the same record between our two
    // statements: give those rows back (their turn comes after it), with their attempt uncounted.
    await this.db.$executeRaw(
      sql`UPDATE "CrmOutbox" SET "status" = ${"pending"}, "attempts" = "attempts" - 1, "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = ${new Date()}
        WHERE "id" IN (${join(ids)}) AND "lockedBy" = ${token}
        AND EXISTS (${earlierUnfinished('"CrmOutbox"')} AND (p."lockedBy" IS NULL OR p."lockedBy" <> ${token}))`,
    );
    return this.db.crmOutbox.findMany({ where: { id: { in: ids }, lockedBy: token, status: "sending" }, orderBy: { id: "asc" } });
  }

  retryLater(ids: number[], token: string, at: Date, error: string): Promise<void> {
    return retryLater(this.db, "CrmOutbox", ids, token, at, error);
  }

  /** Back to the queue without using an attempt: the connection is paused, not these rows. */
  release(ids: number[], token: string, at: Date, reason: string): Promise<void> {
    return release(this.db, "CrmOutbox", ids, token, at, reason);
  }

  /** The CRM did not take the rows (and will not, as they are): recorded with its code and words. */
  refuse(ids: number[], token: string, status: CrmRefusal, code: string, message: string): Promise<void> {
    return closeRows(this.db, "CrmOutbox", ids, token, status, message, sql`, "errorCode" = ${code}`);
  }

  /** Nothing to write (the record is gone, or not on an account the CRM has any more). */
  skip(ids: number[], token: string, reason: string): Promise<void> {
    return closeRows(this.db, "CrmOutbox", ids, token, "skipped", reason, sql`, "errorCode" = ${"NOTHING_TO_PUSH"}`);
  }

  /**
   * The CRM has these records: each one's id goes onto our row (touch, follow-up or deal:
   * `externalId`, unless it has one) and their queue rows are done, all in one transaction.
   */
  async written(token: string, now: Date, records: { rowIds: number[]; entity: CrmEntity; entityId: number; externalId: string; crmId: string }[]): Promise<void> {
    if (records.length === 0) return;
    await this.db.$transaction(
      async (tx) => {
        for (const w of records) {
          const link = sql`UPDATE ${raw(ENTITY_TABLE[w.entity])} SET "externalId" = ${w.externalId} WHERE "id" = ${w.entityId} AND "externalId" IS NULL`;
          // Deals are audited (touches and follow-ups are not): their CRM id is a recorded change.
          if (w.entity === "deal") await tx.$auditedExecute("Deal", [w.entityId], link);
          else await tx.$executeRaw(link);
          await tx.$executeRaw(
            sql`UPDATE "CrmOutbox" SET "status" = ${"sent"}, "crmId" = ${w.crmId}, "sentAt" = ${now}, "lastError" = NULL, "errorCode" = NULL,
              "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = ${new Date()}
              WHERE "id" IN (${join(w.rowIds)}) AND "lockedBy" = ${token}`,
          );
        }
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  }

  // ── what the push writes: the records of claimed rows, as they are now ─────────────────────────

  async touchesForPush(ids: number[]): Promise<Map<number, TouchForPush>> {
    const rows = await this.db.touch.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        kind: true,
        occurredAt: true,
        note: true,
        externalId: true,
        account: { select: { externalId: true } },
        user: { select: PERSON },
        participants: { select: { slackUserId: true, user: { select: { name: true } } } },
      },
    });
    return new Map(
      rows.map((t) => [
        t.id,
        { id: t.id, kind: t.kind, occurredAt: t.occurredAt, note: t.note, externalId: t.externalId, accountExternalId: t.account.externalId, person: personOf(t.user), participantNames: t.participants.map((p) => p.user?.name ?? p.slackUserId) },
      ]),
    );
  }

  async followUpsForPush(ids: number[]): Promise<Map<number, FollowUpForPush>> {
    const rows = await this.db.followUp.findMany({
      where: { id: { in: ids } },
      select: { id: true, title: true, dueAt: true, status: true, externalId: true, account: { select: { externalId: true } }, user: { select: PERSON } },
    });
    return new Map(rows.map((f) => [f.id, { id: f.id, title: f.title, dueAt: f.dueAt, status: f.status, externalId: f.externalId, accountExternalId: f.account.externalId, person: personOf(f.user) }]));
  }

  async dealsForPush(ids: number[]): Promise<Map<number, DealForPush>> {
    const rows = await this.db.deal.findMany({
      where: { id: { in: ids } },
      select: { ...DEAL_SELECT, createdAt: true, crmModifiedAt: true, account: { select: { externalId: true, name: true } }, owner: { select: PERSON } },
    });
    return new Map(
      rows.map(({ account, owner, amountCents, accountId: _a, ownerId: _o, archived: _x, ...d }) => [
        d.id,
        { ...d, amountCents: Number(amountCents), accountExternalId: account.externalId, accountName: account.name, person: personOf(owner) },
      ]),
    );
  }

  /** What the push needs of the workspace: its Slack team (part of every key) and fiscal year. */
  workspace(id: number): Promise<{ slackTeamId: string; fiscalYearStartMonth: number } | null> {
    return this.db.workspace.findUnique({ where: { id }, select: { slackTeamId: true, fiscalYearStartMonth: true } });
  }

  /** Rows waiting (pending or being sent) in `scope`. */
  async backlog(scope: QueueScope): Promise<number> {
    const rows = await this.db.$queryRaw<{ n: unknown }[]>(
      sql`SELECT COUNT(*) AS "n" FROM "CrmOutbox" q WHERE q."status" IN (${"pending"}, ${"sending"}) ${scopeFilter(scope)}`,
    );
    return toNumber(rows[0]?.n);
  }

  /** When the next waiting row falls due (a lease running out counts); null when none waits. */
  async nextDueAt(scope: QueueScope): Promise<Date | null> {
    const row = await this.db.crmOutbox.findFirst({
      where: { ...scope, status: { in: ["pending", "sending"] } },
      orderBy: { nextAttemptAt: "asc" },
      select: { nextAttemptAt: true, status: true, lockedUntil: true },
    });
    if (!row) return null;
    return row.status === "sending" && row.lockedUntil ? row.lockedUntil : row.nextAttemptAt;
  }

  /** Per entity: rows waiting and in each final state, and the last write the CRM took. */
  async totals(scope: QueueScope): Promise<PushTotals[]> {
    const rows = await this.db.$queryRaw<{ entity: string; status: string; n: unknown; last: unknown }[]>(
      sql`SELECT q."entity", q."status", COUNT(*) AS "n", MAX(q."sentAt") AS "last" FROM "CrmOutbox" q WHERE 1 = 1 ${scopeFilter(scope)} GROUP BY q."entity", q."status"`,
    );
    const out = new Map<string, PushTotals>();
    for (const entity of ["touch", "followUp", "deal"] as const) out.set(entity, { entity, waiting: 0, sent: 0, rejected: 0, conflict: 0, failed: 0, lastSentAt: null });
    for (const r of rows) {
      const t = out.get(r.entity);
      if (!t) continue;
      const n = toNumber(r.n);
      if (r.status === "pending" || r.status === "sending") t.waiting += n;
      else if (r.status === "sent" || r.status === "rejected" || r.status === "conflict" || r.status === "failed") t[r.status] += n;
      if (r.status === "sent" && r.last !== null && r.last !== undefined) t.lastSentAt = r.last instanceof Date ? r.last : new Date(String(r.last));
    }
    return [...out.values()];
  }

  /** The latest refused rows of `scope`, newest first, with what each was about. */
  problems(scope: QueueScope, opts: { limit: number; unnotifiedOnly?: boolean }): Promise<CrmProblem[]> {
    return this.describeProblems(
      sql`q."status" IN (${join([...REFUSALS])}) ${scopeFilter(scope)} ${opts.unnotifiedOnly ? sql`AND q."notifiedAt" IS NULL AND q."userId" IS NOT NULL` : sql``}`,
      opts.limit,
    );
  }

  private async describeProblems(where: Sql, limit: number): Promise<CrmProblem[]> {
    // One statement: each refused row with its record's account and a word for what it was.
    const rows = await this.db.$queryRaw<
      { id: number; entity: string; entityId: number; op: string; status: string; errorCode: string | null; lastError: string | null; payload: string; userId: unknown; at: unknown; accountName: string | null; label: string | null; when: unknown; dealAmount: unknown; dealClose: unknown }[]
    >(
      sql`SELECT q."id", q."entity", q."entityId", q."op", q."status", q."errorCode", q."lastError", q."payload", q."userId", q."updatedAt" AS "at",
          COALESCE(ta."name", fa."name", da."name") AS "accountName",
          COALESCE(t."kind", f."title", d."stage") AS "label",
          COALESCE(t."occurredAt", f."dueAt", d."createdAt") AS "when", d."amountCents" AS "dealAmount", d."expectedCloseAt" AS "dealClose"
        FROM "CrmOutbox" q
        LEFT JOIN "Touch" t ON q."entity" = ${"touch"} AND t."id" = q."entityId" LEFT JOIN "Account" ta ON ta."id" = t."accountId"
        LEFT JOIN "FollowUp" f ON q."entity" = ${"followUp"} AND f."id" = q."entityId" LEFT JOIN "Account" fa ON fa."id" = f."accountId"
        LEFT JOIN "Deal" d ON q."entity" = ${"deal"} AND d."id" = q."entityId" LEFT JOIN "Account" da ON da."id" = d."accountId"
        WHERE ${where} ORDER BY q."updatedAt" DESC, q."id" DESC LIMIT ${limit}`,
    );
    const date = (v: unknown) => (v instanceof Date ? v : new Date(typeof v === "number" ? v : String(v)));
    return rows.map((r) => ({
      id: Number(r.id),
      entity: r.entity as CrmEntity,
      entityId: Number(r.entityId),
      op: r.op,
      status: r.status as CrmRefusal,
      errorCode: r.errorCode,
      lastError: r.lastError,
      payload: r.payload,
      userId: r.userId === null || r.userId === undefined ? null : Number(r.userId),
      at: date(r.at),
      accountName: r.accountName ?? "?",
      label: r.label ?? "",
      when: date(r.when),
      deal: r.entity === "deal" && r.label !== null ? { stage: r.label, amountCents: toNumber(r.dealAmount), expectedCloseAt: r.dealClose === null || r.dealClose === undefined ? null : date(r.dealClose) } : null,
    }));
  }

  /** The owners have been told of these rows: the DMs are queued with the mark, in one transaction. */
  async markNotified(ids: number[], messages: OutboxMessage[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.$transaction(async (tx) => {
      await enqueueMessages(tx, messages, now);
      await tx.$executeRaw(sql`UPDATE "CrmOutbox" SET "notifiedAt" = ${now} WHERE "id" IN (${join(ids)}) AND "notifiedAt" IS NULL`);
    });
  }

  /**
   * Sends refused rows again (after a person fixed the cause: a validation rule, a field, a
   * picklist): back to pending with fresh attempts. `ids` null: every refused row of `scope`.
   * A row given up after passing failures (timeouts) may have reached the CRM: it keeps one
   * attempt, so its next one looks for the record by its key before creating it.
   */
  async requeue(scope: QueueScope, ids: number[] | null, now: Date): Promise<number> {
    return this.db.$executeRaw(
      sql`UPDATE "CrmOutbox" SET "status" = ${"pending"}, "attempts" = CASE WHEN "status" = ${"failed"} THEN 1 ELSE 0 END, "nextAttemptAt" = ${now}, "notifiedAt" = NULL, "errorCode" = NULL, "updatedAt" = ${new Date()}
        WHERE "workspaceId" = ${scope.workspaceId} AND "provider" = ${scope.provider} AND "status" IN (${join([...REFUSALS])})
        ${ids === null ? sql`` : sql`AND "id" IN (${join(ids.length > 0 ? ids : [-1])})`}`,
    );
  }

  /** Forgets rows the CRM took before `before` (the record keeps its CRM id). */
  prune(before: Date): Promise<number> {
    return this.db.$executeRaw(sql`DELETE FROM "CrmOutbox" WHERE "status" = ${"sent"} AND "sentAt" < ${before}`);
  }

  list(scope?: Partial<QueueScope> & { status?: string; entity?: CrmEntity }): Promise<CrmOutbox[]> {
    return this.db.crmOutbox.findMany({ where: scope ?? {}, orderBy: { id: "asc" } });
  }
}
