/**
 * Child process: the real Bolt app in HTTP mode (the same wiring as src/main.ts, without the
 * scheduler) over the benchmark database, with a frozen clock and every SQL statement counted.
 * The benchmark process talks to it over IPC: "ready" (port), "counter", "statements", "stop".
 */
import { openDatabase } from "../../src/db/client.js";
import { createLogger } from "../../src/logger.js";
import { createServices } from "../../src/services/services.js";
import { createSlackApp } from "../../src/slack/app.js";
import { BENCH_BOT_TOKEN, BENCH_SIGNING_SECRET, BENCH_TIMEZONE } from "../lib/constants.js";
import { serve } from "../lib/ipc.js";
import { QueryCounter } from "../lib/query-counter.js";

const url = process.env.BENCH_DB_URL ?? "";
const slackApiUrl = process.env.BENCH_SLACK_API_URL ?? "";
const frozen = new Date(process.env.BENCH_AT ?? "");

const counter = new QueryCounter();
const db = await openDatabase(url, { wrapAdapter: counter.wrap });
const logger = createLogger("warn", undefined, [BENCH_BOT_TOKEN, BENCH_SIGNING_SECRET]);
const now = () => frozen;
const services = createServices(db, { defaultTimezone: BENCH_TIMEZONE, now, logger });
const slack = createSlackApp(
  { botToken: BENCH_BOT_TOKEN, transport: { mode: "http", signingSecret: BENCH_SIGNING_SECRET }, port: 0, slackApiUrl },
  { logger, db, services, now, defaultTimezone: BENCH_TIMEZONE },
);
const { port } = await slack.start();

serve({
  counter: () => {
    const cpu = process.cpuUsage();
    return { ...counter.snapshot(), rss: process.memoryUsage().rss, cpuMs: (cpu.user + cpu.system) / 1000 };
  },
  label: (m) => {
    counter.label = String(m.label ?? "");
    return {};
  },
  statements: () => ({
    statements: counter.list(),
  }),
  stop: async () => {
    await slack.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    setTimeout(() => process.exit(0), 10);
    return {};
  },
});
process.send?.({ type: "ready", port });
