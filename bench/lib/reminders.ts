/** The daily reminder run, in a child process of its own (so its memory is its own). */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../../src/db/client.js";
import type { FakeSlack } from "../../test/support/fake-slack.js";
import { BENCH_BOT_TOKEN, BENCH_NOW, BENCH_SIGNING_SECRET } from "./constants.js";
import type { BenchDatabase } from "./databases.js";
import { forkChild } from "./ipc.js";
import type { CapturedStatement } from "./query-counter.js";

/**
 * The V8 heap options the app is deployed with: read from package.json's `start` script, so the
 * benchmark measures what `npm start` runs (see README, "Performance").
 */
export const V8_HEAP_FLAGS: string[] = (() => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts?: { start?: string } };
  return pkg.scripts?.start?.match(/--max-(?:semi|old)-space-size=\d+/g) ?? [];
})();

export interface ReminderRun {
  wallMs: number;
  planMs: number;
  buildMs: number;
  deliverMs: number;
  queries: number;
  planQueries: number;
  buildQueries: number;
  buildCalls: number;
  deliverQueries: number;
  batches: number;
  batchSize: number;
  users: number;
  digests: number;
  enqueued: number;
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  rssBeforeMb: number;
  peakRssMb: number;
  maxRssMb: number;
  peakHeapUsedMb: number;
  peakHeapTotalMb: number;
  peakExternalMb: number;
  peakRssByPhaseMb: Record<string, number>;
  /** The most attempts any reminder row took (1 = sent the first time). */
  maxAttempts: number;
  /** 429s the sender's pace saw, per Web API method. */
  paced429s: Record<string, number>;
  dbMs: number;
  statements: CapturedStatement[];
}

/** `beforeReset` reads the emulator's traffic of the run before it is forgotten. */
export async function reminderRun(bench: BenchDatabase, fake: FakeSlack, collect: boolean, beforeReset?: (fake: FakeSlack) => void): Promise<ReminderRun> {
  const child = forkChild(new URL("../children/reminder-run.ts", import.meta.url), {
    BENCH_DB_URL: bench.url,
    BENCH_SLACK_API_URL: fake.apiUrl,
    BENCH_AT: BENCH_NOW,
    BENCH_COLLECT: collect ? "1" : "0",
  }, V8_HEAP_FLAGS);
  try {
    const result = (await child.next("result", 3_600_000)) as unknown as ReminderRun;
    await child.exited;
    beforeReset?.(fake);
    return result;
  } finally {
    if (child.process.exitCode === null) child.process.kill("SIGKILL");
    fake.reset();
  }
}

/**
 * Forgets the digests a run planned and sent, so the next run does the same work again. The DM
 * channels remembered by a run stay, as from one day to the next in production, unless
 * `forgetDmChannels`: then the next run is everyone's first day (a conversations.open per user).
 */
export async function resetReminders(bench: BenchDatabase, opts: { forgetDmChannels?: boolean } = {}): Promise<void> {
  const db = await openDatabase(bench.url);
  try {
    await db.prisma.outbox.deleteMany({ where: { kind: "digest" } });
    if (opts.forgetDmChannels) await db.prisma.user.updateMany({ where: { dmChannelId: { not: null } }, data: { dmChannelId: null } });
    await db.prisma.jobLease.deleteMany({});
    if (bench.provider === "sqlite") await db.prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    else await db.prisma.$executeRawUnsafe(`VACUUM ANALYZE "Outbox"`);
  } finally {
    await db.close();
  }
}

export interface ProductionRun {
  /** Wall time of the whole process: start, migrations check, plan, deliver, exit. */
  processMs: number;
  /** The kernel's maximum resident set size of the process. */
  maxRssMb: number;
  output: string;
}

/**
 * The same run as a deployment does it: `node <V8 heap options of npm start> dist/cli/main.js jobs run reminders --at …`, compiled
 * JavaScript with no instrumentation and no TypeScript loader, under `/usr/bin/time -v` for its
 * maximum RSS. Null when /usr/bin/time or dist/ is missing.
 */
export async function productionRun(bench: BenchDatabase, fake: FakeSlack, root: string): Promise<ProductionRun | null> {
  if (!existsSync("/usr/bin/time") || !existsSync(join(root, "dist", "cli", "main.js"))) return null;
  await resetReminders(bench);
  const t0 = performance.now();
  const child = spawn("/usr/bin/time", ["-v", process.execPath, ...V8_HEAP_FLAGS, join(root, "dist", "cli", "main.js"), "jobs", "run", "reminders", "--at", BENCH_NOW], {
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: bench.url, SLACK_BOT_TOKEN: BENCH_BOT_TOKEN, SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: "warn" },
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const processMs = performance.now() - t0;
  fake.reset();
  if (code !== 0) throw new Error(`jobs run reminders exited ${code}: ${(out + err).slice(-2000)}`);
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? NaN);
  return { processMs, maxRssMb: kb / 1024, output: out.trim() };
}
