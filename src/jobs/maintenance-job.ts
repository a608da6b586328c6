import type { Database } from "../db/client.js";
import { ProcessedRequestRepository } from "../db/repositories/processed-request-repository.js";
import { CrmOutboxRepository } from "../db/repositories/crm-outbox-repository.js";
import type { ScheduledJob } from "./scheduler.js";

/** How long a Slack delivery key is remembered: Slack retries within minutes; a day is ample. */
const KEEP_DELIVERY_KEYS_MS = 24 * 3600 * 1000;
/** How long a CRM push the CRM took stays in the queue (for `crm status`); the record keeps its CRM id. */
export const KEEP_CRM_PUSHES_MS = 30 * 24 * 3600 * 1000;

/**
 * Housekeeping on the same tick: forgets the Slack delivery keys the retry de-duplication no longer
 * needs, and CRM pushes the CRM took more than 30 days ago (refused ones stay), so those tables stay
 * small. Sends nothing.
 */
export class MaintenanceJob implements ScheduledJob {
  readonly name = "maintenance";
  readonly kinds: string[] = [];
  private readonly processed: ProcessedRequestRepository;
  private readonly crmOutbox: CrmOutboxRepository;

  constructor(db: Database) {
    this.processed = new ProcessedRequestRepository(db.prisma);
    this.crmOutbox = new CrmOutboxRepository(db.prisma);
  }

  async plan(now: Date): Promise<{ enqueued: number }> {
    await this.processed.prune(new Date(now.getTime() - KEEP_DELIVERY_KEYS_MS));
    await this.crmOutbox.prune(new Date(now.getTime() - KEEP_CRM_PUSHES_MS));
    return { enqueued: 0 };
  }
}
