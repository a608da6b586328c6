import type { LineLogger } from "../logger.js";
import type { Services } from "../services/services.js";
import type { ScheduledJob } from "./scheduler.js";

/**
 * The daily retention purge (README → Data protection): once a day per workspace, from 02:00 in
 * the workspace's zone, removes what has expired — touch notes, closed deals, gift records past
 * their retention (restricted ones included), departed reps' personal data. Under the scheduler's
 * lease like every job; idempotent (a second run that day, or on another replica, finds the day
 * done, and a purge finds nothing left to remove). Sends nothing.
 */
export class RetentionJob implements ScheduledJob {
  readonly name = "retention";
  readonly kinds: string[] = [];

  constructor(private readonly deps: { services: Services; logger: Pick<LineLogger, "info" | "error"> }) {}

  async plan(now: Date): Promise<{ enqueued: number }> {
    for (const ws of await this.deps.services.privacy.workspacesDueForRetention(now)) {
      try {
        const plan = await this.deps.services.privacy.runRetention(ws, now);
        const removed = plan.touchNotes.count + plan.closedDeals.ids.length + plan.gifts.ids.length + plan.departed.users.length;
        if (removed > 0) {
          this.deps.logger.info(
            `retention ${ws.slackTeamId}: ${plan.touchNotes.count} touch notes, ${plan.closedDeals.ids.length} closed deals, ${plan.gifts.ids.length} gift records (${plan.gifts.restricted} restricted), ${plan.departed.users.length} departed reps`,
          );
        }
      } catch (error) {
        // One workspace's failure never stops the others; it is tried again on the next tick.
        this.deps.logger.error(`retention for workspace ${ws.slackTeamId} failed`, error);
      }
    }
    return { enqueued: 0 };
  }
}
