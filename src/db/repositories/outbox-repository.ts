import type { Db } from "../client.js";
import { claimDue, closeRows, recordAttempt, retryLater } from "../lease-queue.js";
import { join, sql } from "../sql.js";
import type { Outbox } from "../../generated/sqlite/client.js";

/** Rows per INSERT: 10 parameters each, well inside every driver's limit. */
const ENQUEUE_CHUNK = 200;

export type { Outbox as OutboxRow };

export type OutboxStatus = "pending" | "sending" | "sent" | "failed" | "skipped";

export interface OutboxMessage {
  recipientType: "user" | "channel";
  /** Slack user id (DM) or channel id. */
  recipient: string;
  localDate: string;
  kind: string;
  /** What to send: { text, blocks } as JSON; ignored for skipped rows. */
  payload: string;
  status?: "pending" | "skipped";
}

/**
 * The delivery outbox. The unique (recipient, localDate, kind) row is what makes a scheduled
 * message go out at most once, whichever replica or restart gets there first.
 */
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  /** Keys (recipient) that already have a row for this date and kind. */
  async existingRecipients(localDates: string[], kind: string, recipients: string[]): Promise<Set<string>> {
    if (recipients.length === 0 || localDates.length === 0) return new Set();
    const rows = await this.db.$queryRaw<{ recipient: string; localDate: string }[]>(
      sql`SELECT "recipient", "localDate" FROM "Outbox" WHERE "kind" = ${kind} AND "localDate" IN (${join(localDates)}) AND "recipient" IN (${join(recipients)})`,
    );
    return new Set(rows.map((r) => `${r.recipient}|${r.localDate}`));
  }

  /**
   * Inserts the messages that have no row yet; returns how many were new (see `enqueueMessages`).
   */
  enqueue(messages: OutboxMessage[], now: Date): Promise<number> {
    return enqueueMessages(this.db, messages, now);
  }

  /**
   * Claims up to `limit` due rows for one sender (the shared claim of db/lease-queue.ts): pending
   * rows whose time has come, and rows left "sending" by a sender whose lease ran out (it crashed
   * mid-send). Two replicas never claim the same row.
   */
  async claim(claimToken: string, now: Date, leaseMs: number, limit: number, kinds?: string[]): Promise<Outbox[]> {
    const filter = kinds ? (kinds.length > 0 ? sql`AND q."kind" IN (${join(kinds)})` : sql`AND 1 = 0`) : undefined;
    const ids = await claimDue(this.db, "Outbox", { token: claimToken, now, leaseMs, limit, filter });
    if (ids.length === 0) return [];
    return this.db.outbox.findMany({ where: { id: { in: ids }, lockedBy: claimToken, status: "sending" }, orderBy: { id: "asc" } });
  }

  // The per-row state changes below run several times for every message sent, so they are
  // hand-written UPDATEs (see db/sql.ts), each still guarded by the claim token. `updatedAt` is
  // set as Prisma's @updatedAt would set it.

  /** Remembers the DM channel before sending, so a resumed send can check what Slack already has. */
  async setChannel(id: number, claimToken: string, channelId: string): Promise<void> {
    await this.db.$executeRaw(sql`UPDATE "Outbox" SET "channelId" = ${channelId}, "updatedAt" = ${new Date()} WHERE "id" = ${id} AND "lockedBy" = ${claimToken}`);
  }

  /** Counts an attempt before it is made, so a crash mid-send is still visible as an attempt. */
  recordAttempt(id: number, claimToken: string): Promise<void> {
    return recordAttempt(this.db, "Outbox", [id], claimToken);
  }

  async markSent(id: number, claimToken: string, channelId: string, ts: string, now: Date): Promise<void> {
    await this.db.$executeRaw(
      sql`UPDATE "Outbox" SET "status" = ${"sent"}, "channelId" = ${channelId}, "messageTs" = ${ts}, "sentAt" = ${now},
        "lockedBy" = NULL, "lockedUntil" = NULL, "lastError" = NULL, "updatedAt" = ${new Date()}
        WHERE "id" = ${id} AND "lockedBy" = ${claimToken}`,
    );
  }

  markRetry(id: number, claimToken: string, nextAttemptAt: Date, error: string): Promise<void> {
    return retryLater(this.db, "Outbox", [id], claimToken, nextAttemptAt, error);
  }

  markFailed(id: number, claimToken: string, error: string): Promise<void> {
    return closeRows(this.db, "Outbox", [id], claimToken, "failed", error);
  }

  /** The earliest time a pending row becomes due, if any (lets a one-shot run wait for retries). */
  async nextDueAt(kinds?: string[]): Promise<Date | null> {
    const row = await this.db.outbox.findFirst({
      where: { ...(kinds ? { kind: { in: kinds } } : {}), status: { in: ["pending", "sending"] } },
      orderBy: { nextAttemptAt: "asc" },
      select: { nextAttemptAt: true, status: true, lockedUntil: true },
    });
    if (!row) return null;
    return row.status === "sending" && row.lockedUntil ? row.lockedUntil : row.nextAttemptAt;
  }

  find(recipient: string, localDate: string, kind: string): Promise<Outbox | null> {
    return this.db.outbox.findUnique({ where: { recipient_localDate_kind: { recipient, localDate, kind } } });
  }

  list(where: { kind?: string; status?: OutboxStatus } = {}): Promise<Outbox[]> {
    return this.db.outbox.findMany({ where, orderBy: { id: "asc" } });
  }
}

/**
 * Inserts the messages that have no row yet; returns how many were new. One multi-row INSERT per
 * chunk that skips rows whose (recipient, localDate, kind) already exists (another replica or an
 * earlier run inserted them): `ON CONFLICT DO NOTHING`, which SQLite and PostgreSQL both accept.
 * Takes a transaction client too, so a message can be enqueued with the change it tells of.
 */
export async function enqueueMessages(db: Pick<Db, "$executeRaw">, messages: OutboxMessage[], now: Date): Promise<number> {
  if (messages.length === 0) return 0;
  const createdAt = new Date();
  let inserted = 0;
  for (let i = 0; i < messages.length; i += ENQUEUE_CHUNK) {
    const values = messages.slice(i, i + ENQUEUE_CHUNK).map(
      (m) =>
        sql`(${m.recipientType}, ${m.recipient}, ${m.localDate}, ${m.kind}, ${m.payload}, ${m.status ?? "pending"}, ${0}, ${now}, ${createdAt}, ${createdAt})`,
    );
    inserted += await db.$executeRaw(
      sql`INSERT INTO "Outbox" ("recipientType", "recipient", "localDate", "kind", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "updatedAt")
        VALUES ${join(values)} ON CONFLICT DO NOTHING`,
    );
  }
  return inserted;
}
