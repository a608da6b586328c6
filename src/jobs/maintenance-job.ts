import type { Database } from "../db/client.js";
import { ProcessedRequestRepository } from "../db/repositories/processed-request-repository.js";
import type { ScheduledJob } from "./scheduler.js";

/** How long a Slack delivery key is remembered: Slack retries within minutes; a day is ample. */
const KEEP_DELIVERY_KEYS_MS = 24 * 3600 * 1000;

/**
 * Housekeeping on the same tick: forgets the Slack delivery keys the retry de-duplication no longer
 * needs, so that table stays small. Sends nothing.
 */
export class MaintenanceJob implements ScheduledJob {
  readonly name = "maintenance";
  readonly kinds: string[] = [];
  private readonly processed: ProcessedRequestRepository;

  constructor(db: Database) {
    this.processed = new ProcessedRequestRepository(db.prisma);
  }

  async plan(now: Date): Promise<{ enqueued: number }> {
    await this.processed.prune(new Date(now.getTime() - KEEP_DELIVERY_KEYS_MS));
    return { enqueued: 0 };
  }
}
