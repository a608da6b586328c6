/**
 * Child process: one daily reminder run (plan every due digest, deliver them to the fake Slack),
 * exactly as `ae-assistant jobs run reminders --at <instant>` does it, measured from inside:
 * wall time, time spent building digests, SQL statements (total, planning, building, delivery),
 * batches, and peak RSS (sampled every 10 ms, and the process's max RSS from the kernel).
 */
import { openDatabase } from "../../src/db/client.js";
import { createJobs, senderHooks } from "../../src/jobs/jobs.js";
import { OutboxSender } from "../../src/slack/outbox-sender.js";
import { REMINDER_BATCH_SIZE } from "../../src/jobs/personal-messages.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { createLogger } from "../../src/logger.js";
import { createServices } from "../../src/services/services.js";
import { Notifier } from "../../src/slack/notifier.js";
import { BENCH_BOT_TOKEN, BENCH_TIMEZONE } from "../lib/constants.js";
import { QueryCounter } from "../lib/query-counter.js";

const url = process.env.BENCH_DB_URL ?? "";
const slackApiUrl = process.env.BENCH_SLACK_API_URL ?? "";
const at = new Date(process.env.BENCH_AT ?? "");

let peakRss = process.memoryUsage().rss;
/** The memory breakdown at the sampled peak (V8 heap, external incl. WASM and buffers). */
let atPeak = process.memoryUsage();
/** Peak RSS per phase (planning, delivery), to see where memory goes. */
const peakByPhase: Record<string, number> = {};
let phase = "start";
const sampler = setInterval(() => {
  // rss() alone is cheap; the full breakdown only when a new peak is seen.
  const rss = process.memoryUsage.rss();
  peakByPhase[phase] = Math.max(peakByPhase[phase] ?? 0, rss / 2 ** 20);
  if (rss > peakRss) {
    peakRss = rss;
    atPeak = process.memoryUsage();
  }
}, 10);

const counter = new QueryCounter();
counter.collect = process.env.BENCH_COLLECT === "1";
const db = await openDatabase(url, { wrapAdapter: counter.wrap });
const logger = createLogger("warn", undefined, [BENCH_BOT_TOKEN]);
const now = () => at;
const services = createServices(db, { defaultTimezone: BENCH_TIMEZONE, now, logger });
const notifier = new Notifier(BENCH_BOT_TOKEN, { slackApiUrl });
const sender = new OutboxSender(services.repos.outbox, notifier, logger, { workerId: "bench", ...senderHooks(services) });
const jobs = createJobs({ services, logger, defaultTimezone: BENCH_TIMEZONE });
const scheduler = new Scheduler(jobs, services.repos.leases, sender, logger, { workerId: "bench" });
const reminders = jobs.find((j) => j.name === "reminders");
if (!reminders) throw new Error("no reminders job");

// Instrumentation: time and statements spent planning, and inside DigestService.buildMany.
const plan = { ms: 0, queries: 0 };
const build = { ms: 0, queries: 0, calls: 0, digests: 0 };
let batches = 0;
const originalPlan = reminders.plan.bind(reminders);
reminders.plan = async (instant) => {
  const q0 = counter.count;
  const t0 = performance.now();
  counter.label = "reminders:plan";
  phase = "plan";
  try {
    return await originalPlan(instant);
  } finally {
    phase = "deliver";
    plan.ms += performance.now() - t0;
    plan.queries += counter.count - q0;
    counter.label = "reminders:deliver";
  }
};
const originalBuild = services.reminders.buildMany.bind(services.reminders);
services.reminders.buildMany = async (targets, instant, opts) => {
  const q0 = counter.count;
  const t0 = performance.now();
  const label = counter.label;
  counter.label = "digest:build";
  try {
    const out = await originalBuild(targets, instant, opts);
    build.digests += out.size;
    return out;
  } finally {
    build.ms += performance.now() - t0;
    build.queries += counter.count - q0;
    build.calls++;
    counter.label = label;
  }
};
const originalPage = services.repos.reminders.reminderUsersPage.bind(services.repos.reminders);
services.repos.reminders.reminderUsersPage = async (afterId, limit) => {
  const users = await originalPage(afterId, limit);
  if (users.length > 0) batches++;
  return users;
};

const rssBefore = process.memoryUsage().rss;
const q0 = counter.count;
const t0 = performance.now();
const report = await scheduler.runOnce(["reminders"], at, 60_000);
const wallMs = performance.now() - t0;
const queries = counter.count - q0;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
counter.collect = false;
const skipped = await db.prisma.outbox.count({ where: { kind: "digest", status: "skipped" } });
const maxAttempts = (await db.prisma.outbox.aggregate({ where: { kind: "digest" }, _max: { attempts: true } }))._max.attempts ?? 0;
const users = await db.prisma.user.count();
await db.close();

process.send?.(
  {
  type: "result",
  wallMs,
  planMs: plan.ms,
  buildMs: build.ms,
  deliverMs: wallMs - plan.ms,
  queries,
  planQueries: plan.queries,
  buildQueries: build.queries,
  buildCalls: build.calls,
  deliverQueries: queries - plan.queries,
  batches,
  batchSize: REMINDER_BATCH_SIZE,
  users,
  digests: build.digests,
  enqueued: report.planned.reminders,
  sent: report.delivery.sent,
  retried: report.delivery.retried,
  failed: report.delivery.failed,
  skipped,
  rssBeforeMb: rssBefore / 2 ** 20,
  peakRssMb: peakRss / 2 ** 20,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  peakHeapUsedMb: atPeak.heapUsed / 2 ** 20,
  peakHeapTotalMb: atPeak.heapTotal / 2 ** 20,
  peakExternalMb: atPeak.external / 2 ** 20,
  peakRssByPhaseMb: peakByPhase,
  maxAttempts,
  paced429s: Object.fromEntries(notifier.pace.rateLimited),
  dbMs: counter.ms,
  statements: counter.list(),
  // Exit once the result is handed to the IPC channel: a fixed delay lost large results on a busy machine.
}, () => process.exit(0));
