import type { Db } from "../client.js";
import { join, sql } from "../sql.js";
import type { Outbox } from "../../generated/sqlite/client.js";

/** Rows per INSERT: 10 parameters each, well inside every driver's limit. */
const ENQUEUE_CHUNK = 200;

/** An outbox row with its message (kept in `OutboxBody`, apart from the delivery state). */
export type OutboxRow = Outbox & { payload: string };

const WITH_BODY = { body: { select: { payload: true } } } as const;

function withPayload(row: Outbox & { body: { payload: string } | null }): OutboxRow {
  const { body, ...rest } = row;
  return { ...rest, payload: body?.payload ?? "" };
}

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
  /** The DM channel, when it is known already (the user's remembered one): no conversations.open needed. */
  channelId?: string | null;
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
   * Inserts the messages that have no row yet; returns how many were new. One multi-row INSERT per
   * chunk that skips rows whose (recipient, localDate, kind) already exists (another replica or an
   * earlier run inserted them): `ON CONFLICT DO NOTHING … RETURNING`, which SQLite and PostgreSQL
   * both accept, names the new rows, and their messages go into `OutboxBody` in the same
   * transaction, so no row is ever seen without its message.
   */
  async enqueue(messages: OutboxMessage[], now: Date): Promise<number> {
    if (messages.length === 0) return 0;
    const createdAt = new Date();
    let inserted = 0;
    for (let i = 0; i < messages.length; i += ENQUEUE_CHUNK) {
      const chunk = messages.slice(i, i + ENQUEUE_CHUNK);
      const values = chunk.map(
        (m) => sql`(${m.recipientType}, ${m.recipient}, ${m.localDate}, ${m.kind}, ${m.status ?? "pending"}, ${0}, ${now}, ${m.channelId ?? null}, ${createdAt}, ${createdAt})`,
      );
      const payloads = new Map(chunk.map((m) => [`${m.recipient}|${m.localDate}|${m.kind}`, m.payload]));
      inserted += await this.db.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ id: number; recipient: string; localDate: string; kind: string }[]>(
          sql`INSERT INTO "Outbox" ("recipientType", "recipient", "localDate", "kind", "status", "attempts", "nextAttemptAt", "channelId", "createdAt", "updatedAt")
            VALUES ${join(values)} ON CONFLICT DO NOTHING RETURNING "id", "recipient", "localDate", "kind"`,
        );
        if (rows.length === 0) return 0;
        await tx.$executeRaw(
          sql`INSERT INTO "OutboxBody" ("outboxId", "payload") VALUES ${join(rows.map((r) => sql`(${r.id}, ${payloads.get(`${r.recipient}|${r.localDate}|${r.kind}`) ?? ""})`))}`,
        );
        return rows.length;
      });
    }
    return inserted;
  }

  /**
   * Claims up to `limit` due rows for one sender: pending rows whose time has come, and rows left
   * "sending" by a sender whose lease ran out (it crashed mid-send). One conditional UPDATE per
   * row set, so two replicas never claim the same row.
   *
   * The same UPDATE counts the attempt (`attempts + 1`): a claimed row is about to be tried, and
   * counting it here rather than per row saves a write per message while keeping a crash mid-send
   * visible as an attempt. A row that comes back with `attempts > 1` may already be in Slack.
   */
  async claim(claimToken: string, now: Date, leaseMs: number, limit: number, kinds?: string[]): Promise<OutboxRow[]> {
    const due = await this.db.outbox.findMany({
      where: {
        ...(kinds ? { kind: { in: kinds } } : {}),
        OR: [
          { status: "pending", nextAttemptAt: { lte: now } },
          { status: "sending", lockedUntil: { lte: now } },
        ],
      },
      orderBy: { id: "asc" },
      take: limit,
      select: { id: true },
    });
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    await this.db.outbox.updateMany({
      where: {
        id: { in: ids },
        OR: [
          { status: "pending", nextAttemptAt: { lte: now } },
          { status: "sending", lockedUntil: { lte: now } },
        ],
      },
      data: { status: "sending", lockedBy: claimToken, lockedUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
    });
    const rows = await this.db.outbox.findMany({ where: { id: { in: ids }, lockedBy: claimToken, status: "sending" }, orderBy: { id: "asc" }, include: WITH_BODY });
    return rows.map(withPayload);
  }

  // The per-row state changes below run for every message sent, so they are hand-written UPDATEs
  // (see db/sql.ts), each still guarded by the claim token. `updatedAt` is set as Prisma's
  // @updatedAt would set it. A delivered row costs one of them (markSent): the attempt is counted
  // by the claim, and the DM channel needs no write before sending, because a resumed send opens
  // it again (conversations.open is idempotent) to look for the message.

  async markSent(id: number, claimToken: string, channelId: string, ts: string, now: Date): Promise<void> {
    await this.db.$executeRaw(
      sql`UPDATE "Outbox" SET "status" = ${"sent"}, "channelId" = ${channelId}, "messageTs" = ${ts}, "sentAt" = ${now},
        "lockedBy" = NULL, "lockedUntil" = NULL, "lastError" = NULL, "updatedAt" = ${new Date()}
        WHERE "id" = ${id} AND "lockedBy" = ${claimToken}`,
    );
  }

  /** `channelId`: the DM channel if the attempt got as far as opening it (kept for the next attempt). */
  async markRetry(id: number, claimToken: string, nextAttemptAt: Date, error: string, channelId: string | null = null): Promise<void> {
    await this.db.$executeRaw(
      sql`UPDATE "Outbox" SET "status" = ${"pending"}, "nextAttemptAt" = ${nextAttemptAt}, "lastError" = ${error}, "channelId" = COALESCE(${channelId}, "channelId"),
        "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = ${new Date()}
        WHERE "id" = ${id} AND "lockedBy" = ${claimToken}`,
    );
  }

  async markFailed(id: number, claimToken: string, error: string): Promise<void> {
    await this.db.$executeRaw(
      sql`UPDATE "Outbox" SET "status" = ${"failed"}, "lastError" = ${error}, "lockedBy" = NULL, "lockedUntil" = NULL, "updatedAt" = ${new Date()}
        WHERE "id" = ${id} AND "lockedBy" = ${claimToken}`,
    );
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

  async find(recipient: string, localDate: string, kind: string): Promise<OutboxRow | null> {
    const row = await this.db.outbox.findUnique({ where: { recipient_localDate_kind: { recipient, localDate, kind } }, include: WITH_BODY });
    return row && withPayload(row);
  }

  async list(where: { kind?: string; status?: OutboxStatus } = {}): Promise<OutboxRow[]> {
    return (await this.db.outbox.findMany({ where, orderBy: { id: "asc" }, include: WITH_BODY })).map(withPayload);
  }
}
