import type { LineLogger } from "../logger.js";
import type { CrmSyncService, SyncResult } from "../services/crm/crm-sync-service.js";
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

/**
 * The CRM pull on the scheduler's tick: every CRM_SYNC_MINUTES (from the last pass's start), not
 * while backing off after a rate limit. Only registered when a CRM is configured. The scheduler's
 * job lease and the pass's own lease keep replicas from pulling at once. Sends nothing.
 */
export class CrmSyncJob implements ScheduledJob {
  readonly name = "crm-sync";
  readonly kinds: string[] = [];
  /** The last "not pulling" reason logged: said once, not on every tick. */
  private lastReason: string | undefined;

  constructor(
    private readonly crm: CrmSyncService,
    private readonly logger: LineLogger,
    private readonly slackTeamId?: string,
  ) {}

  async plan(now: Date): Promise<{ enqueued: number }> {
    let workspaceId: number;
    try {
      workspaceId = await this.crm.workspaceId(this.slackTeamId);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (reason !== this.lastReason) this.logger.warn(`crm ${this.crm.provider}: not pulling: ${reason}`);
      this.lastReason = reason;
      return { enqueued: 0 };
    }
    this.lastReason = undefined;
    if (!(await this.crm.due(workspaceId, now))) return { enqueued: 0 };
    const result = await this.crm.sync(workspaceId);
    const line = `crm ${this.crm.provider} pull: ${describeSync(result)}`;
    if (result.kind === "failed") this.logger.warn(line);
    else this.logger.info(line);
    return { enqueued: 0 };
  }
}
