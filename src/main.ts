import "./runtime/require-supported-node.js"; // first: refuses an old Node before a native module loads
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { exitOnStartupError, loadStartupConfig, loadStartupCrmConfig, loggerFor, openAndMigrate } from "./bootstrap.js";
import { createCrm, crmOptions } from "./services/crm/create-crm-sync.js";
import { CrmSyncJob, pushWhenQueued } from "./jobs/crm-sync-job.js";
import { CRM_NOTICE_KINDS } from "./jobs/crm-notices.js";
import { createJobs, senderHooks } from "./jobs/jobs.js";
import { OutboxSender } from "./slack/outbox-sender.js";
import { Scheduler } from "./jobs/scheduler.js";
import { Notifier } from "./slack/notifier.js";
import { createServices } from "./services/services.js";
import { createSlackApp } from "./slack/app.js";
import type { AppLogger } from "./logger.js";

/** Wiring only: config → db → services → Slack app → scheduler. */
async function main(): Promise<void> {
  let logger: AppLogger | undefined;
  try {
    const config = loadStartupConfig();
    const crmConfig = loadStartupCrmConfig();
    logger = loggerFor(config);
    const appLogger = logger;
    const db = await openAndMigrate(config.databaseUrl, logger);
    const now = () => new Date();
    const services = createServices(db, { defaultTimezone: config.defaultTimezone, now, logger, crm: crmOptions(crmConfig) });
    // One notifier, so one pace per replica: a 429 seen by the celebrations also slows the scheduler's sender.
    const notifier = new Notifier(config.botToken, { slackApiUrl: config.slackApiUrl });
    const slack = createSlackApp(config, { logger, services, now, defaultTimezone: config.defaultTimezone, ackBudgetMs: config.ackBudgetMs }, { notifier });
    await slack.start();
    logger.info(
      config.transport.mode === "socket"
        ? "AE Assistant is running in Socket Mode"
        : `AE Assistant is listening on port ${config.port} (POST /slack/events, GET /healthz)`,
    );
    // Scheduled work: one every-minute tick plans the jobs under a lease and delivers the outbox.
    const workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
    const sender = new OutboxSender(services.repos.outbox, notifier, logger, { workerId, ...senderHooks(services, now) });
    // The CRM pull and push (only when a CRM is configured); its secret and every access token are redacted from the logs.
    const crm = crmConfig ? { ...createCrm(db, crmConfig, { now, logger, workerId, onSecret: (s) => appLogger.addSecrets([s]) }), slackTeamId: crmConfig.slackTeamId } : undefined;
    const jobs = createJobs({ services, logger, defaultTimezone: config.defaultTimezone, db, crm });
    // A change queued for the CRM goes out at once (the tick retries what fails), and so do the DMs it causes.
    const crmJob = jobs.find((j) => j instanceof CrmSyncJob);
    if (crmJob && crm?.push) pushWhenQueued(services.events, crmJob, now, () => sender.deliverDue(now(), CRM_NOTICE_KINDS), logger);
    const scheduler = new Scheduler(jobs, services.repos.leases, sender, logger, { workerId });
    scheduler.start(now);
    logger.info(`scheduler started (${jobs.map((j) => j.name).join(", ")}) as ${workerId}`);
    const shutdown = async (signal: string) => {
      logger?.info(`${signal} received, shutting down`);
      await scheduler.stop().catch(() => undefined);
      await slack.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
      process.exit(0);
    };
    process.once("SIGINT", () => void shutdown("SIGINT"));
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
  } catch (error) {
    exitOnStartupError(error, logger);
  }
}

void main();
