import { hostname } from "node:os";
import { loadConfig, loadCrmConfig, secretsOf } from "../../config/load-config.js";
import { createCrm, crmOptions } from "../../services/crm/create-crm-sync.js";
import { openAndMigrate } from "../../bootstrap.js";
import { createLogger } from "../../logger.js";
import { createJobs, senderHooks } from "../../jobs/jobs.js";
import { OutboxSender } from "../../slack/outbox-sender.js";
import { Scheduler } from "../../jobs/scheduler.js";
import { createServices } from "../../services/services.js";
import { Notifier } from "../../slack/notifier.js";
import type { CliCommand, CliIo } from "../cli-command.js";

const USAGE = "ae-assistant jobs run <name> [--at <ISO instant>]";

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i !== -1) return argv[i + 1];
  const inline = argv.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

async function runJob(argv: string[], io: CliIo): Promise<number> {
  const name = argv[0];
  if (!name || name.startsWith("--")) {
    io.err(`Which job?\nUsage: ${USAGE}`);
    return 2;
  }
  const atText = option(argv, "--at");
  const at = atText === undefined ? new Date() : new Date(atText);
  if (Number.isNaN(at.getTime()) || (atText !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(atText))) {
    io.err(`--at needs an ISO instant such as 2026-04-06T09:30:00Z, not "${atText ?? ""}".`);
    return 2;
  }
  const config = loadConfig(io.env);
  const logger = createLogger(config.logLevel, (line) => io.err(line), secretsOf(config));
  const db = await openAndMigrate(config.databaseUrl, logger);
  try {
    // The clock reads --at when the run starts and advances with real time (retries wait for real).
    const began = Date.now();
    const now = () => new Date(at.getTime() + (Date.now() - began));
    const crmConfig = loadCrmConfig(io.env);
    const services = createServices(db, { defaultTimezone: config.defaultTimezone, now, logger, crm: crmOptions(crmConfig) });
    const workerId = `cli:${hostname()}:${process.pid}`;
    const notifier = new Notifier(config.botToken, { slackApiUrl: config.slackApiUrl });
    const sender = new OutboxSender(services.repos.outbox, notifier, logger, { workerId, ...senderHooks(services, now) });
    // `jobs run crm-sync` when a CRM is configured: the same pull and push as the app's tick.
    const crm = crmConfig ? { ...createCrm(db, crmConfig, { now, logger, workerId, onSecret: (s) => logger.addSecrets([s]) }), slackTeamId: crmConfig.slackTeamId } : undefined;
    const jobs = createJobs({ services, logger, defaultTimezone: config.defaultTimezone, crm });
    if (!jobs.some((j) => j.name === name)) {
      io.err(`Unknown job "${name}". Jobs: ${jobs.map((j) => j.name).join(", ")}.`);
      return 2;
    }
    const scheduler = new Scheduler(jobs, services.repos.leases, sender, logger, { workerId });
    const report = await scheduler.runOnce([name], at);
    const planned = Object.entries(report.planned).map(([job, n]) => `${job}: ${n}`).join(", ");
    const d = report.delivery;
    io.out(`planned (${at.toISOString()}): ${planned}`);
    io.out(`delivered: ${d.sent} sent, ${d.retried} retried, ${d.failed} failed, ${d.recovered} recovered`);
    return Object.values(report.planned).includes("failed") ? 1 : 0;
  } finally {
    await db.close();
  }
}

/** `ae-assistant jobs run <name> [--at <ISO>]`: plans one job as if the clock read --at, then delivers. */
export const jobsCommand: CliCommand = {
  name: "jobs",
  summary: "run one scheduled job now, or as if the clock read --at (catch-up, tests)",
  usage: "ae-assistant jobs run <name> [--at <ISO>]",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === "run") return runJob(rest, io);
    io.err(`Usage: ${USAGE}`);
    return 2;
  },
};
