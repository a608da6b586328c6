import { randomUUID } from "node:crypto";
import type { OutboxRepository, OutboxRow } from "../db/repositories/outbox-repository.js";
import type { KnownBlock } from "@slack/types";
import type { LineLogger } from "../logger.js";
import { OutboxPayloadError, parseOutboxPayload, type OutboxPayload } from "../services/outbox-kinds.js";
import { DeliveryError, type Notifier, type OutgoingMessage } from "./notifier.js";
import { retryBackoffMs } from "../domain/delivery-retry.js";

export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
  /** Rows found already delivered by an earlier, interrupted attempt. */
  recovered: number;
}

export interface OutboxSenderOptions {
  workerId: string;
  /** How long a claimed row stays ours before another sender may resume it. */
  leaseMs?: number;
  batchSize?: number;
  /** Rows in progress at once (default: the pace's widest window); the pace decides how many calls are in flight. */
  concurrency?: number;
  maxAttempts?: number;
  /** Called when Slack says a user can no longer receive DMs. */
  onInactiveRecipient?: (slackUserId: string, reason: string) => Promise<void>;
  /**
   * Where each user's DM channel is remembered: `remember` after conversations.open gave it (once
   * per user), `forget` when Slack no longer knows a remembered one (the app was reinstalled).
   */
  dmChannels?: {
    remember(slackUserId: string, channelId: string): Promise<void>;
    forget(slackUserId: string, channelId: string): Promise<void>;
  };
}

/**
 * Delivers due outbox rows. Every row ends sent, scheduled for a retry, or failed with its reason;
 * a failure on one row never stops the others. The notifier's pace sets the speed: after a 429 the
 * refused row is retried after Retry-After, and every other row waits for that method's pause
 * instead of hitting the limit again (docs/DEVELOPING.md, "Sending pace").
 */
export class OutboxSender {
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly notifier: Notifier,
    private readonly logger: LineLogger,
    private readonly opts: OutboxSenderOptions,
  ) {
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.batchSize = opts.batchSize ?? 200;
    this.concurrency = opts.concurrency ?? notifier.pace.policy.options.maxWindow;
    this.maxAttempts = opts.maxAttempts ?? 8;
  }

  /** Sends everything due at `now`, batch after batch, until nothing due is left. */
  async deliverDue(now: Date, kinds?: string[]): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, recovered: 0 };
    for (;;) {
      const token = `${this.opts.workerId}:${randomUUID()}`;
      const rows = await this.outbox.claim(token, now, this.leaseMs, this.batchSize, kinds);
      if (rows.length === 0) return report;
      const delivered = new DeliveredRows((batch) => this.outbox.markSent(token, batch, now), this.logger);
      let next = 0;
      const worker = async () => {
        while (next < rows.length) {
          const row = rows[next++];
          await this.deliverOne(row, token, now, report, delivered);
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, rows.length) }, worker));
      await delivered.flush();
    }
  }

  /** When the next pending row falls due (null when nothing is waiting). */
  nextDueAt(kinds?: string[]): Promise<Date | null> {
    return this.outbox.nextDueAt(kinds);
  }

  private async deliverOne(row: OutboxRow, token: string, now: Date, report: DeliveryReport, delivered: DeliveredRows): Promise<void> {
    // A DM row may know its channel already: the user's remembered one (set when it was planned), or
    // the one an earlier attempt opened (kept by markRetry). Otherwise it is opened here, once per user.
    let channel = row.recipientType === "user" ? row.channelId : row.recipient;
    try {
      // The claim counted this attempt. Opening a DM is idempotent (the same channel every time), and
      // for a deactivated user it fails with user_disabled, which is how we learn that they left.
      const opened = channel === null;
      channel ??= await this.notifier.openDm(row.recipient);
      // A row that was attempted before may have reached Slack just before a crash: look first.
      if (row.attempts > 1) {
        const ts = await this.notifier.findDelivered(channel, row.id, Math.floor(row.createdAt.getTime() / 1000));
        if (ts) {
          await delivered.add({ id: row.id, channelId: channel, ts });
          report.recovered++;
          return;
        }
      }
      const payload = this.payloadOf(row);
      // The blocks were built by our Block Kit builders and checked for shape on both sides of the outbox.
      const message: OutgoingMessage = { text: payload.text, ...(payload.blocks ? { blocks: payload.blocks as KnownBlock[] } : {}) };
      let sent: { channel: string; ts: string };
      try {
        sent = await this.notifier.post(channel, message, row.id);
      } catch (error) {
        // A remembered DM channel Slack does not know (the app was reinstalled): forget it, open the
        // DM afresh and post there, within this attempt. Nothing was posted, so this cannot duplicate.
        if (opened || row.recipientType !== "user" || !(error instanceof DeliveryError) || error.failure.code !== "channel_not_found") throw error;
        await this.opts.dmChannels?.forget(row.recipient, channel);
        channel = await this.notifier.openDm(row.recipient);
        sent = await this.notifier.post(channel, message, row.id);
        await this.rememberDm(row.recipient, sent.channel);
      }
      await delivered.add({ id: row.id, channelId: sent.channel, ts: sent.ts });
      if (opened) await this.rememberDm(row.recipient, sent.channel);
      report.sent++;
      if ("chart" in payload && payload.chart !== undefined) await this.attachChart(row, sent.channel, payload.chart);
    } catch (error) {
      await this.handleFailure(row, token, now, error, report, channel).catch((e: unknown) =>
        this.logger.error(`outbox row ${row.id}: could not record the failure`, e),
      );
    }
  }

  /** Remembering a DM channel only saves calls: a failure is logged, never fails the delivered row. */
  private async rememberDm(slackUserId: string, channelId: string): Promise<void> {
    await this.opts.dmChannels?.remember(slackUserId, channelId).catch((error: unknown) => this.logger.warn(`could not remember the DM channel of ${slackUserId}`, error));
  }

  /** A row whose payload cannot be read will never send: it fails at once (no retries) with the reason. */
  private payloadOf(row: OutboxRow): OutboxPayload {
    try {
      return parseOutboxPayload(row.kind, row.payload);
    } catch (error) {
      if (!(error instanceof OutboxPayloadError)) throw error;
      this.logger.error(`outbox row ${row.id}: ${error.message}`);
      throw new DeliveryError({ kind: "permanent", code: "invalid_payload" });
    }
  }

  /** A leaderboard's chart goes up next to its post; a chart failure is logged, the row stays sent. */
  private async attachChart(row: OutboxRow, channel: string, chart: unknown): Promise<void> {
    try {
      // Loaded on first use, so a missing native renderer can only ever cost the chart.
      const { uploadChart } = await import("./chart-upload.js");
      await uploadChart(this.notifier.client, channel, chart, { filename: `leaderboard-${row.localDate.replace(/[^A-Za-z0-9-]+/g, "-")}.png` });
    } catch (error) {
      this.logger.warn(`outbox row ${row.id} (${row.kind}): the chart could not be attached; the post went out without it`, error);
    }
  }

  private async handleFailure(row: OutboxRow, token: string, now: Date, error: unknown, report: DeliveryReport, channel: string | null): Promise<void> {
    const failure = error instanceof DeliveryError ? error.failure : { kind: "transient" as const, code: error instanceof Error ? error.message : String(error) };
    const attempts = row.attempts; // this one included: the claim counted it
    if (failure.kind === "permanent" || attempts >= this.maxAttempts) {
      await this.outbox.markFailed(row.id, token, failure.code);
      report.failed++;
      this.logger.warn(`outbox row ${row.id} (${row.kind} → ${row.recipient}) failed: ${failure.code}`);
      if (row.recipientType === "user" && (failure.code === "account_inactive" || failure.code === "user_not_found" || failure.code === "user_disabled")) {
        await this.opts.onInactiveRecipient?.(row.recipient, failure.code);
      }
      return;
    }
    const delay = failure.kind === "rate_limited" ? failure.retryAfterSec * 1000 : retryBackoffMs(attempts);
    await this.outbox.markRetry(row.id, token, new Date(now.getTime() + delay), failure.code, channel);
    report.retried++;
    this.logger.info(`outbox row ${row.id} will be retried in ${Math.round(delay / 1000)} s (${failure.code})`);
  }
}

/** Delivered rows recorded at once (markSent) once this many have gathered, and at the end of a claim. */
const RECORD_DELIVERED_EVERY = 32;

/**
 * Rows Slack accepted, waiting to be recorded as sent. Recording them a few dozen at a time instead
 * of one UPDATE each cuts the run's statements by nearly a thousand. Nothing can be sent twice by
 * it: until recorded a row stays "sending" under its claim, and a sender that resumes it after a
 * crash finds the message in Slack by its metadata (attempts > 1) and records it then.
 */
class DeliveredRows {
  private pending: { id: number; channelId: string; ts: string }[] = [];

  constructor(
    private readonly record: (rows: { id: number; channelId: string; ts: string }[]) => Promise<void>,
    private readonly logger: LineLogger,
  ) {}

  async add(row: { id: number; channelId: string; ts: string }): Promise<void> {
    this.pending.push(row);
    if (this.pending.length >= RECORD_DELIVERED_EVERY) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    if (rows.length === 0) return;
    // A failure leaves them "sending": once the claim expires they are resumed and found in Slack.
    await this.record(rows).catch((error: unknown) => this.logger.error(`outbox rows ${rows.map((r) => r.id).join(", ")} were delivered but could not be recorded as sent; they are resumed once their claim expires`, error));
  }
}
