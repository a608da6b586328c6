/** The daily reminder run, in a child process of its own (so its memory is its own). */
import { openDatabase } from "../../src/db/client.js";
import type { FakeSlack } from "../../test/support/fake-slack.js";
import { BENCH_NOW } from "./constants.js";
import type { BenchDatabase } from "./databases.js";
import { forkChild } from "./ipc.js";
import type { CapturedStatement } from "./query-counter.js";

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
  dbMs: number;
  statements: CapturedStatement[];
}

export async function reminderRun(bench: BenchDatabase, fake: FakeSlack, collect: boolean): Promise<ReminderRun> {
  const child = forkChild(new URL("../children/reminder-run.ts", import.meta.url), {
    BENCH_DB_URL: bench.url,
    BENCH_SLACK_API_URL: fake.apiUrl,
    BENCH_AT: BENCH_NOW,
    BENCH_COLLECT: collect ? "1" : "0",
  });
  try {
    const result = (await child.next("result", 3_600_000)) as unknown as ReminderRun;
    await child.exited;
    return result;
  } finally {
    if (child.process.exitCode === null) child.process.kill("SIGKILL");
    fake.reset();
  }
}

/** Forgets the digests a run planned and sent, so the next run does the same work again. */
export async function resetReminders(bench: BenchDatabase): Promise<void> {
  const db = await openDatabase(bench.url);
  try {
    await db.prisma.outbox.deleteMany({ where: { kind: "digest" } });
    await db.prisma.jobLease.deleteMany({});
    if (bench.provider === "sqlite") await db.prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    else await db.prisma.$executeRawUnsafe(`VACUUM ANALYZE "Outbox"`);
  } finally {
    await db.close();
  }
}
