import cron, { type ScheduledTask } from "node-cron";
import type { LineLogger } from "../logger.js";
import type { JobLeaseRepository } from "../db/repositories/job-lease-repository.js";
import type { DeliveryReport, OutboxSender } from "../slack/outbox-sender.js";
import { runAs } from "../db/audit/audit-scope.js";

/**
 * A scheduled job only plans: it finds what is due at `now` and enqueues outbox rows (unique per
 * recipient, local date and kind). Sending is the outbox sender's work. Planning must be
 * idempotent: running it twice for the same `now` enqueues nothing new.
 */
export interface ScheduledJob {
  name: string;
  /** The outbox kinds this job produces (so a one-shot run delivers only its own). */
  kinds: string[];
  plan(now: Date): Promise<{ enqueued: number }>;
}

export interface TickReport {
  planned: Record<string, number | "skipped (another replica holds the lease)" | "failed">;
  delivery: DeliveryReport;
}

export interface SchedulerOptions {
  workerId: string;
  /** How long one replica may plan a job before another may take over. */
  planLeaseMs?: number;
}

/**
 * One node-cron task ticks every minute (never one timer per user). Each tick plans every job under
 * a database lease, so replicas do not plan the same job at once, then delivers what is due.
 * Overlapping ticks are skipped, so a slow run never stacks up.
 */
export class Scheduler {
  private task: ScheduledTask | undefined;
  private running: Promise<TickReport> | undefined;

  constructor(
    private readonly jobs: ScheduledJob[],
    private readonly leases: JobLeaseRepository,
    private readonly sender: OutboxSender,
    private readonly logger: LineLogger,
    private readonly opts: SchedulerOptions,
  ) {}

  async tick(now: Date, only?: string[]): Promise<TickReport> {
    const planned: TickReport["planned"] = {};
    const jobs = this.jobs.filter((j) => !only || only.includes(j.name));
    for (const job of jobs) {
      const lease = `job:${job.name}`;
      if (!(await this.leases.acquire(lease, this.opts.workerId, now, this.opts.planLeaseMs ?? 300_000))) {
        planned[job.name] = "skipped (another replica holds the lease)";
        continue;
      }
      try {
        // The job's writes are recorded as the job's, stamped with the tick's clock.
        planned[job.name] = (await runAs({ kind: "job", detail: job.name }, () => job.plan(now), { now: () => now })).enqueued;
      } catch (error) {
        planned[job.name] = "failed";
        this.logger.error(`job ${job.name} failed to plan`, error);
      } finally {
        await this.leases.release(lease, this.opts.workerId).catch(() => undefined);
      }
    }
    const kinds = only ? jobs.flatMap((j) => j.kinds) : undefined;
    const delivery = await runAs({ kind: "job", detail: "outbox" }, () => this.sender.deliverDue(now, kinds), { now: () => now });
    return { planned, delivery };
  }

  /**
   * Runs the named jobs once as if the clock read `start`, then keeps delivering retries that fall
   * due within `maxWaitMs` (a 429's Retry-After, a 5xx backoff), advancing the clock with real time.
   */
  async runOnce(only: string[], start: Date, maxWaitMs = 120_000): Promise<TickReport> {
    const began = Date.now();
    const clock = () => new Date(start.getTime() + (Date.now() - began));
    const report = await this.tick(clock(), only);
    const kinds = this.jobs.filter((j) => only.includes(j.name)).flatMap((j) => j.kinds);
    for (;;) {
      const next = await this.sender.nextDueAt(kinds);
      if (!next) break;
      const wait = next.getTime() - clock().getTime();
      if (Date.now() - began + Math.max(0, wait) > maxWaitMs) break;
      // Wake at least every second: a row another process is sending ("sending" until its lease
      // ends) usually turns "sent" long before that lease would run out.
      if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 1_000)));
      const more = await runAs({ kind: "job", detail: "outbox" }, () => this.sender.deliverDue(clock(), kinds));
      report.delivery.sent += more.sent;
      report.delivery.retried += more.retried;
      report.delivery.failed += more.failed;
      report.delivery.recovered += more.recovered;
    }
    return report;
  }

  /** Starts the every-minute tick with the given clock. */
  start(clock: () => Date): void {
    this.task = cron.schedule("* * * * *", () => {
      if (this.running) return;
      this.running = this.tick(clock()).finally(() => {
        this.running = undefined;
      });
      this.running.catch((error: unknown) => this.logger.error("scheduler tick failed", error));
    });
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.running?.catch(() => undefined);
  }
}
