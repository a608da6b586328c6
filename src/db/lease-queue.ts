import type { Db } from "./client.js";
import { empty, join, raw, sql, type Sql } from "./sql.js";

/**
 * The claim / lease / retry machinery shared by the two delivery queues: `Outbox` (Slack messages,
 * `slack/outbox-sender.ts`) and `CrmOutbox` (CRM writes, `services/crm/crm-push-service.ts`). Both
 * tables have the same delivery columns: `status` (pending → sending → a final state), `attempts`,
 * `nextAttemptAt`, `lockedBy`, `lockedUntil`, `lastError`, `updatedAt`.
 *
 * - A sender claims due rows with a token: pending rows whose time has come, and rows left
 *   "sending" by a sender whose lease ran out (it crashed mid-send). The claim is one conditional
 *   UPDATE that repeats the due condition, so two replicas never claim the same row.
 * - The same UPDATE counts the attempt (`countAttempt`, which both queues use): a claimed row is
 *   about to be tried, and counting it in the claim rather than per row saves a write per row while
 *   keeping a crash mid-send visible. A claimed row with `attempts > 1` may already have arrived.
 * - Every later change is guarded by the token: a sender whose lease was taken over changes nothing.
 * - Hand-written SQL (see db/sql.ts): these run several times for every row delivered.
 * - How long a failed row waits is `retryBackoffMs` (domain/delivery-retry.ts), for both queues.
 */

export type QueueTable = "Outbox" | "CrmOutbox";

/** Just the statement methods, so a transaction client works too. */
type Exec = Pick<Db, "$executeRaw" | "$queryRaw">;

function table(name: QueueTable): Sql {
  return raw(`"${name}"`);
}

/** A row is due: pending and its time has come, or left "sending" past its lease. `alias` qualifies the columns. */
export function dueCondition(now: Date, alias?: string): Sql {
  const c = (column: string) => raw(alias ? `${alias}."${column}"` : `"${column}"`);
  return sql`((${c("status")} = ${"pending"} AND ${c("nextAttemptAt")} <= ${now}) OR (${c("status")} = ${"sending"} AND ${c("lockedUntil")} <= ${now}))`;
}

/**
 * Claims up to `limit` due rows (oldest first) for `token` until now + leaseMs; `filter` narrows
 * the candidates (`AND …` on columns of `q`, the table's alias); `countAttempt` adds one to each
 * claimed row's `attempts` in the same UPDATE. Returns the ids claimed: a row another sender
 * claimed in between is not among them.
 */
export async function claimDue(
  db: Exec,
  name: QueueTable,
  o: { token: string; now: Date; leaseMs: number; limit: number; filter?: Sql; countAttempt?: boolean },
): Promise<number[]> {
  const candidates = await db.$queryRaw<{ id: number }[]>(
    sql`SELECT q."id" FROM ${table(name)} q WHERE ${dueCondition(o.now, "q")} ${o.filter ?? empty} ORDER BY q."id" ASC LIMIT ${o.limit}`,
  );
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => Number(c.id));
  const lockedUntil = new Date(o.now.getTime() + o.leaseMs);
  await db.$executeRaw(
    sql`UPDATE ${table(name)} SET "status" = ${"sending"}, "lockedBy" = ${o.token}, "lockedUntil" = ${lockedUntil}, "updatedAt" = ${new Date()}
      ${o.countAttempt ? raw(`, "attempts" = "attempts" + 1`) : empty}
      WHERE "id" IN (${join(ids)}) AND ${dueCondition(o.now)}`,
  );
  const claimed = await db.$queryRaw<{ id: number }[]>(
    sql`SELECT "id" FROM ${table(name)} WHERE "id" IN (${join(ids)}) AND "lockedBy" = ${o.token} AND "status" = ${"sending"} ORDER BY "id" ASC`,
  );
  return claimed.map((c) => Number(c.id));
}

/**
 * Back to pending, due at `nextAttemptAt`, with the reason (a transient failure, or waiting for a
 * pause to end); the attempt stays counted. `extra`: more `, "col" = …` assignments (the Slack
 * outbox keeps the DM channel an attempt opened).
 */
export async function retryLater(db: Exec, name: QueueTable, ids: number[], token: string, nextAttemptAt: Date, error: string | null, extra?: Sql): Promise<void> {
  if (ids.length === 0) return;
  await db.$executeRaw(
    sql`UPDATE ${table(name)} SET "status" = ${"pending"}, "nextAttemptAt" = ${nextAttemptAt}, "lastError" = ${error},
      "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = ${new Date()} ${extra ?? empty}
      WHERE "id" IN (${join(ids)}) AND "lockedBy" = ${token}`,
  );
}

/** Gives a claimed row back without using up an attempt (the whole connection is paused, not this row). */
export async function release(db: Exec, name: QueueTable, ids: number[], token: string, nextAttemptAt: Date, reason: string | null): Promise<void> {
  if (ids.length === 0) return;
  await db.$executeRaw(
    sql`UPDATE ${table(name)} SET "status" = ${"pending"}, "nextAttemptAt" = ${nextAttemptAt}, "lastError" = ${reason},
      "attempts" = CASE WHEN "attempts" > 0 THEN "attempts" - 1 ELSE 0 END,
      "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = ${new Date()}
      WHERE "id" IN (${join(ids)}) AND "lockedBy" = ${token}`,
  );
}

/** A final state other than delivered (failed, rejected …), with the reason; `extra`: more `, "col" = …` assignments. */
export async function closeRows(db: Exec, name: QueueTable, ids: number[], token: string, status: string, error: string, extra?: Sql): Promise<void> {
  if (ids.length === 0) return;
  await db.$executeRaw(
    sql`UPDATE ${table(name)} SET "status" = ${status}, "lastError" = ${error}, "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = ${new Date()} ${extra ?? empty}
      WHERE "id" IN (${join(ids)}) AND "lockedBy" = ${token}`,
  );
}
