import type { LineLogger } from "../logger.js";
import type { Services } from "../services/services.js";
import type { OutboxSenderOptions } from "../slack/outbox-sender.js";
import { LeaderboardJob } from "./leaderboard-job.js";
import { ReminderJob } from "./reminder-job.js";
import { ManagerDigestJob } from "./manager-digest-job.js";
import type { ScheduledJob } from "./scheduler.js";
import { MaintenanceJob } from "./maintenance-job.js";
import type { Database } from "../db/client.js";
import type { CrmSyncService } from "../services/crm/crm-sync-service.js";
import type { CrmPushService } from "../services/crm/crm-push-service.js";
import { CrmSyncJob } from "./crm-sync-job.js";
import { RetentionJob } from "./retention-job.js";

export interface JobDeps {
  services: Services;
  logger: LineLogger;
  defaultTimezone: string;
  /** When given, housekeeping (pruning old Slack delivery keys) runs on the same tick. */
  db?: Database;
  /** When a CRM is configured: its pull, its push (unless CRM_PUSH=off), and the Slack team it belongs to (CRM_SLACK_TEAM_ID). */
  crm?: { sync: CrmSyncService; push?: CrmPushService | null; slackTeamId?: string };
}

/** Every scheduled job, by name (`ae-assistant jobs run <name>` picks one). */
export function createJobs(deps: JobDeps): ScheduledJob[] {
  return [
    new LeaderboardJob({ services: deps.services, logger: deps.logger, defaultTimezone: deps.defaultTimezone }),
    new ReminderJob({ services: deps.services, logger: deps.logger }),
    new ManagerDigestJob({ services: deps.services, logger: deps.logger }),
    ...(deps.db ? [new MaintenanceJob(deps.db)] : []),
    new RetentionJob({ services: deps.services, logger: deps.logger }),
    // Last: a first pull can take minutes, and the tick plans jobs one after another.
    ...(deps.crm ? [crmSyncJob(deps, deps.crm)] : []),
  ];
}

/**
 * What every outbox sender needs besides its worker id: when Slack says a user can no longer get
 * DMs (deactivated), the user is marked inactive so no further reminders or digests are planned for
 * them; and the DM channel of each user is remembered after the first conversations.open.
 */
export function senderHooks(services: Services, now: () => Date = () => new Date()): Pick<OutboxSenderOptions, "onInactiveRecipient" | "dmChannels"> {
  const reminders = services.repos.reminders;
  return {
    // Recorded as Slack's report (through the sender), whoever's request the message belonged to.
    onInactiveRecipient: (slackUserId, reason) =>
      services.audit.runAs({ kind: "job", detail: `outbox: Slack answered ${reason.slice(0, 40)}` }, () => reminders.markInactive(slackUserId, now())),
    // Bookkeeping (User.dmChannelId is not audited): no scope of its own needed.
    dmChannels: { remember: (slackUserId, channelId) => reminders.rememberDmChannel(slackUserId, channelId), forget: (slackUserId, channelId) => reminders.forgetDmChannel(slackUserId, channelId) },
  };
}

/** The CRM sync job (main.ts finds it in createJobs' list to kick it when a change queued a CRM write). */
function crmSyncJob(deps: JobDeps, crm: NonNullable<JobDeps["crm"]>): CrmSyncJob {
  return new CrmSyncJob(crm.sync, deps.logger, crm.slackTeamId, { push: crm.push, notices: { services: deps.services, defaultTimezone: deps.defaultTimezone } });
}
