import type { LineLogger } from "../logger.js";
import type { Services } from "../services/services.js";
import { LeaderboardJob } from "./leaderboard-job.js";
import { ReminderJob } from "./reminder-job.js";
import { ManagerDigestJob } from "./manager-digest-job.js";
import type { ScheduledJob } from "./scheduler.js";
import { MaintenanceJob } from "./maintenance-job.js";
import type { Database } from "../db/client.js";

export interface JobDeps {
  services: Services;
  logger: LineLogger;
  defaultTimezone: string;
  /** When given, housekeeping (pruning old Slack delivery keys) runs on the same tick. */
  db?: Database;
}

/** Every scheduled job, by name (`ae-assistant jobs run <name>` picks one). */
export function createJobs(deps: JobDeps): ScheduledJob[] {
  return [
    new LeaderboardJob({ services: deps.services, logger: deps.logger, defaultTimezone: deps.defaultTimezone }),
    new ReminderJob({ services: deps.services, logger: deps.logger }),
    new ManagerDigestJob({ services: deps.services, logger: deps.logger }),
    ...(deps.db ? [new MaintenanceJob(deps.db)] : []),
  ];
}

/**
 * What every outbox sender needs besides its worker id: when Slack says a user can no longer get
 * DMs (deactivated), the user is marked inactive so no further reminders or digests are planned for them.
 */
export function senderHooks(services: Services): { onInactiveRecipient: (slackUserId: string, reason: string) => Promise<void> } {
  return { onInactiveRecipient: (slackUserId) => services.repos.reminders.markInactive(slackUserId) };
}
