import type { LineLogger } from "../logger.js";
import type { CrmPushService, PushResult } from "../services/crm/crm-push-service.js";
import type { CrmSyncService, SyncResult } from "../services/crm/crm-sync-service.js";
import type { Services } from "../services/services.js";
import { CRM_NOTICE_KINDS, planCrmNotices } from "./crm-notices.js";
import type { ScheduledJob } from "./scheduler.js";

/** One line per pass for the log: what each object did, or why the pass stopped. */
export function describeSync(result: SyncResult): string {
  switch (result.kind) {
    case "busy":
      return "another pass is under way (another replica or the CLI holds the lease)";
    case "backing-off":
      return `backing off after a rate limit until ${result.until.toISOString()}`;
    case "failed":
      return `${result.object} failed${result.broken ? " (connection broken)" : ""}: ${result.error}`;
    case "done":
      return Object.entries(result.objects)
        .map(([object, r]) => `${object}: ${r.pulled} read, ${r.created} new, ${r.updated} changed, ${r.archived} archived, ${r.skipped} skipped`)
        .join("; ");
  }
}

/** One line per push for the log and the CLI. */
export function describePush(result: PushResult): string {
  if (result.kind === "held") return `waiting (${result.waiting}): ${result.reason}${result.until ? ` until ${result.until.toISOString()}` : ""} — ${result.detail}`;
  const r = result.report;
  const counts = `${r.written} written, ${r.rejected} refused, ${r.conflicts} conflicts (the CRM won), ${r.retried} to retry, ${r.failed} given up, ${r.skipped} with nothing to write; ${result.waiting} waiting`;
  if (result.kind === "stopped") return `stopped (${result.reason}): ${result.error}; ${counts}`;
  return result.dryRun ? `dry run: ${result.waiting} waiting, nothing written` : counts;
}

export interface CrmJobOptions {
  /** The push (absent when CRM_PUSH=off). */
  push?: CrmPushService | null;
  /** Where the DMs about refused pushes and a broken connection are planned. */
  notices?: { services: Services; defaultTimezone: string };
}

/**
 * The CRM sync on the scheduler's tick. Every tick: what waits in the push queue goes out (unless
 * the connection is broken, backing off or on hold). Every CRM_SYNC_MINUTES (from the last pass's
 * start, not while backing off): the pull, then the push again (a pull that finds a broken
 * connection working again releases what waited). Then the DMs about refused pushes and about the
 * connection are planned; the scheduler's sender delivers them. Only registered when a CRM is
 * configured. The scheduler's job lease, the pull's pass lease and the queue's claims keep replicas
 * from doing anything twice.
 */
export class CrmSyncJob implements ScheduledJob {
  readonly name = "crm-sync";
  readonly kinds: string[] = CRM_NOTICE_KINDS;
  /** The last "not pulling" / "push waiting" reason logged: said once, not on every tick. */
  private lastReason: string | undefined;
  private lastHeld: string | undefined;
  private kicking: Promise<number> | undefined;
  private kickAgain = false;

  constructor(
    private readonly crm: CrmSyncService,
    private readonly logger: LineLogger,
    private readonly slackTeamId?: string,
    private readonly opts: CrmJobOptions = {},
  ) {}

  private async workspace(): Promise<number | null> {
    try {
      const id = await this.crm.workspaceId(this.slackTeamId);
      this.lastReason = undefined;
      return id;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (reason !== this.lastReason) this.logger.warn(`crm ${this.crm.provider}: not pulling: ${reason}`);
      this.lastReason = reason;
      return null;
    }
  }

  async plan(now: Date): Promise<{ enqueued: number }> {
    const workspaceId = await this.workspace();
    if (workspaceId === null) return { enqueued: 0 };
    await this.push(workspaceId);
    if (await this.crm.due(workspaceId, now)) {
      const result = await this.crm.sync(workspaceId);
      const line = `crm ${this.crm.provider} pull: ${describeSync(result)}`;
      if (result.kind === "failed") this.logger.warn(line);
      else this.logger.info(line);
      if (result.kind === "done") await this.push(workspaceId);
    }
    return { enqueued: await this.notices(workspaceId, now) };
  }

  /**
   * Pushes what waits now and plans the DMs it calls for, outside the tick (a change was just
   * queued). Calls made while one runs are folded into one more run after it. Returns how many
   * DMs were queued (the caller delivers them).
   */
  kick(now: () => Date): Promise<number> {
    if (this.kicking) {
      this.kickAgain = true;
      return this.kicking;
    }
    this.kicking = (async () => {
      let queued = 0;
      do {
        this.kickAgain = false;
        const workspaceId = await this.workspace();
        if (workspaceId === null) return queued;
        await this.push(workspaceId);
        queued += await this.notices(workspaceId, now());
      } while (this.kickAgain);
      return queued;
    })().finally(() => {
      this.kicking = undefined;
    });
    return this.kicking;
  }

  private async push(workspaceId: number): Promise<void> {
    const push = this.opts.push;
    if (!push) return;
    const result = await push.push(workspaceId);
    const line = `crm ${push.provider} push: ${describePush(result)}`;
    if (result.kind === "held") {
      // Said once per reason, not on every tick while it lasts.
      if (result.detail !== this.lastHeld) this.logger.info(line);
      this.lastHeld = result.detail;
      return;
    }
    this.lastHeld = undefined;
    if (result.kind === "stopped") this.logger.warn(line);
    else if (result.report.written + result.report.rejected + result.report.conflicts + result.report.failed > 0) this.logger.info(line);
  }

  private notices(workspaceId: number, now: Date): Promise<number> {
    const n = this.opts.notices;
    return n ? planCrmNotices(n.services, workspaceId, now, n.defaultTimezone) : Promise.resolve(0);
  }
}

/**
 * Pushes at once whenever a change queued a CRM write ("crm.queued"), rather than at the next
 * tick: the job's `kick` (runs fold into one), then `deliver` sends the DMs it planned. Failures
 * are logged; the tick retries whatever did not go out.
 */
export function pushWhenQueued(events: Services["events"], job: CrmSyncJob, now: () => Date, deliver: () => Promise<unknown>, logger: LineLogger): void {
  events.on("crm.queued", () => {
    void job
      .kick(now)
      .then((queued) => (queued > 0 ? deliver() : undefined))
      .catch((error: unknown) => logger.warn("crm push failed", error));
  });
}
