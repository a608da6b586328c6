import type { CrmOutboxRepository, CrmProblem } from "../../db/repositories/crm-outbox-repository.js";
import type { OutboxMessage } from "../../db/repositories/outbox-repository.js";
import type { CrmSyncRepository } from "../../db/repositories/crm-sync-repository.js";
import type { CrmProvider } from "./crm-connector.js";

/**
 * The CRM sync as people in Slack see it: the one-line status on admins' Home tab, what the
 * admins must be told about the connection (once per breakage), and the refused pushes whose
 * owners have not been told yet. Reads and marks only; the messages are rendered in src/jobs.
 */

export interface CrmSummary {
  provider: CrmProvider;
  /** never: no pass has run yet; on-hold: the push waits for a setup fix (the pull goes on). */
  status: "ok" | "never" | "broken" | "limited" | "on-hold";
  since: Date | null;
  until: Date | null;
  reason: string | null;
  /** Changes waiting to be pushed. */
  waiting: number;
  /** The last pull that completed or push that wrote, whichever is later. */
  lastSyncAt: Date | null;
}

/** What the workspace admins must be told now: the key makes each notice go out once. */
export type AdminNotice =
  | { kind: "broken" | "hold"; key: string; since: Date; reason: string; waiting: number }
  | { kind: "restored"; key: string; waiting: number };

export class CrmStatusService {
  constructor(
    private readonly sync: CrmSyncRepository,
    private readonly queue: CrmOutboxRepository,
    readonly provider: CrmProvider,
    /** CRM_SLACK_TEAM_ID: the workspace the CRM belongs to when the database holds several. */
    private readonly slackTeamId?: string,
  ) {}

  /** The CRM line of a workspace's Home tab; null for a workspace the CRM does not belong to. */
  async homeSummary(workspace: { id: number; slackTeamId: string }): Promise<CrmSummary | null> {
    if (this.slackTeamId !== undefined && workspace.slackTeamId !== this.slackTeamId) return null;
    return this.summary(workspace.id);
  }

  async summary(workspaceId: number): Promise<CrmSummary> {
    const [c, waiting] = await Promise.all([this.sync.connection(workspaceId, this.provider), this.queue.backlog({ workspaceId, provider: this.provider })]);
    const times = [c?.lastSuccessAt, c?.lastPushAt].filter((d): d is Date => d instanceof Date);
    const lastSyncAt = times.length > 0 ? new Date(Math.max(...times.map((d) => d.getTime()))) : null;
    const base = { provider: this.provider, waiting, lastSyncAt };
    if (c?.status === "broken") return { ...base, status: "broken", since: c.statusSince, until: null, reason: c.statusReason };
    if (c?.pushBlocked) return { ...base, status: "on-hold", since: c.pushBlockedSince, until: c.pushRetryAt, reason: c.pushBlocked };
    if (c?.status === "limited" && c.backoffUntil) return { ...base, status: "limited", since: c.statusSince, until: c.backoffUntil, reason: c.statusReason };
    return { ...base, status: lastSyncAt ? "ok" : "never", since: null, until: null, reason: null };
  }

  /**
   * Whether the admins must be told something: the connection broke (or the push went on hold)
   * since they were last told, or it works again after they were told it did not.
   */
  async adminNotice(workspaceId: number): Promise<AdminNotice | null> {
    const c = await this.sync.connection(workspaceId, this.provider);
    if (!c) return null;
    const told = c.adminsToldAt;
    const waiting = () => this.queue.backlog({ workspaceId, provider: this.provider });
    const since = c.status === "broken" ? c.statusSince : c.pushBlocked ? c.pushBlockedSince : null;
    if (since && (!told || told < since)) {
      const kind = c.status === "broken" ? "broken" : "hold";
      return { kind, key: `crm-${kind}-${since.getTime()}`, since, reason: (kind === "broken" ? c.statusReason : c.pushBlocked) ?? "", waiting: await waiting() };
    }
    if (told && c.status !== "broken" && !c.pushBlocked) return { kind: "restored", key: `crm-restored-${told.getTime()}`, waiting: await waiting() };
    return null;
  }

  /** The admins were told (at `at`), or told that it works again (null: nothing more to tell). */
  async adminsTold(workspaceId: number, at: Date | null): Promise<void> {
    await this.sync.saveConnection(workspaceId, this.provider, { adminsToldAt: at });
  }

  /** Refused pushes whose owners have not been told yet, newest first. */
  untold(workspaceId: number, limit = 500): Promise<CrmProblem[]> {
    return this.queue.problems({ workspaceId, provider: this.provider }, { limit, unnotifiedOnly: true });
  }

  /** The owners are told of these rows: the DMs are queued with the mark, in one transaction. */
  told(rowIds: number[], messages: OutboxMessage[], now: Date): Promise<void> {
    return this.queue.markNotified(rowIds, messages, now);
  }
}
