import type { Db } from "../client.js";
import type { Outbox } from "../../generated/sqlite/client.js";

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

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code?: unknown }).code === "P2002";
}

/**
 * The delivery outbox. The unique (recipient, localDate, kind) row is what makes a scheduled
 * message go out at most once, whichever replica or restart gets there first.
 */
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  /** Keys (recipient) that already have a row for this date and kind. */
  async existingRecipients(localDates: string[], kind: string, recipients: string[]): Promise<Set<string>> {
    if (recipients.length === 0) return new Set();
    const rows = await this.db.outbox.findMany({
      where: { kind, localDate: { in: localDates }, recipient: { in: recipients } },
      select: { recipient: true, localDate: true },
    });
    return new Set(rows.map((r) => `${r.recipient}|${r.localDate}`));
  }

  /**
   * Inserts the messages that have no row yet; returns how many were new. A batch insert is tried
   * first; if another replica inserted one of them meanwhile, rows are inserted one by one and
   * the duplicates are ignored.
   */
  async enqueue(messages: OutboxMessage[], now: Date): Promise<number> {
    if (messages.length === 0) return 0;
    const data = messages.map((m) => ({
      recipientType: m.recipientType,
      recipient: m.recipient,
      localDate: m.localDate,
      kind: m.kind,
      payload: m.payload,
      status: m.status ?? "pending",
      nextAttemptAt: now,
    }));
    try {
      const r = await this.db.outbox.createMany({ data });
      return r.count;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    let inserted = 0;
    for (const row of data) {
      try {
        await this.db.outbox.create({ data: row });
        inserted++;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    return inserted;
  }

  /**
   * Claims up to `limit` due rows for one sender: pending rows whose time has come, and rows left
   * "sending" by a sender whose lease ran out (it crashed mid-send). One conditional UPDATE per
   * row set, so two replicas never claim the same row.
   */
  async claim(claimToken: string, now: Date, leaseMs: number, limit: number, kinds?: string[]): Promise<Outbox[]> {
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
      data: { status: "sending", lockedBy: claimToken, lockedUntil: new Date(now.getTime() + leaseMs) },
    });
    return this.db.outbox.findMany({ where: { id: { in: ids }, lockedBy: claimToken, status: "sending" }, orderBy: { id: "asc" } });
  }

  /** Remembers the DM channel before sending, so a resumed send can check what Slack already has. */
  async setChannel(id: number, claimToken: string, channelId: string): Promise<void> {
    await this.db.outbox.updateMany({ where: { id, lockedBy: claimToken }, data: { channelId } });
  }

  /** Counts an attempt before it is made, so a crash mid-send is still visible as an attempt. */
  async recordAttempt(id: number, claimToken: string): Promise<void> {
    await this.db.outbox.updateMany({ where: { id, lockedBy: claimToken }, data: { attempts: { increment: 1 } } });
  }

  async markSent(id: number, claimToken: string, channelId: string, ts: string, now: Date): Promise<void> {
    await this.db.outbox.updateMany({
      where: { id, lockedBy: claimToken },
      data: { status: "sent", channelId, messageTs: ts, sentAt: now, lockedBy: null, lockedUntil: null, lastError: null },
    });
  }

  async markRetry(id: number, claimToken: string, nextAttemptAt: Date, error: string): Promise<void> {
    await this.db.outbox.updateMany({
      where: { id, lockedBy: claimToken },
      data: { status: "pending", nextAttemptAt, lastError: error, lockedBy: null, lockedUntil: null },
    });
  }

  async markFailed(id: number, claimToken: string, error: string): Promise<void> {
    await this.db.outbox.updateMany({
      where: { id, lockedBy: claimToken },
      data: { status: "failed", lastError: error, lockedBy: null, lockedUntil: null },
    });
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
