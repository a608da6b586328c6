/**
 * The daily reminder run against the emulator in rate-limit mode: does the sender's pace send at
 * Slack's limit (neither above it, with a 429 for every row in flight, nor far below it) without
 * retrying a row again and again?
 */
import type { FakeRateLimits, FakeSlack } from "../../test/support/fake-slack.js";
import type { BenchDatabase } from "./databases.js";
import { reminderRun, resetReminders } from "./reminders.js";

/**
 * 50 posts and 100 DM opens per second, one second of burst: the 1,000 reminders take about 20 s.
 * Slack's real limits are lower and per workspace (chat.postMessage is "special", conversations.open
 * Tier 3); these are chosen so the run is long enough to show the pace and short enough to run every time.
 */
export const BENCH_RATE_LIMITS = {
  perMethodPerMinute: { "chat.postMessage": 3_000, "conversations.open": 6_000 },
  burstSeconds: 1,
} satisfies FakeRateLimits;

export interface RateLimitedRun {
  limits: typeof BENCH_RATE_LIMITS;
  wallMs: number;
  sent: number;
  failed: number;
  /** 429s the emulator served, per method. */
  served429: Record<string, number>;
  /** Rows scheduled for a retry (after a 429, or given back by the pace). */
  retried: number;
  /** The most times any row was retried (attempts − 1). */
  maxRowRetries: number;
  /** chat.postMessage accepted per second after the first second's burst (null: the run fit in the burst), and the limit. */
  postsPerSecond: number | null;
  limitPerSecond: number;
  peakRssMb: number;
}

export async function rateLimitedRun(bench: BenchDatabase, fake: FakeSlack): Promise<RateLimitedRun> {
  await resetReminders(bench);
  fake.setRateLimits(BENCH_RATE_LIMITS);
  let accepted: number[] = [];
  let served429: Record<string, number> = {};
  try {
    const r = await reminderRun(bench, fake, false, (f) => {
      accepted = f.callsTo("chat.postMessage").filter((c) => c.status === 200).map((c) => c.at);
      served429 = Object.fromEntries(f.rateLimited);
    });
    const limitPerSecond = BENCH_RATE_LIMITS.perMethodPerMinute["chat.postMessage"] / 60;
    const burst = limitPerSecond * BENCH_RATE_LIMITS.burstSeconds;
    const spanSec = accepted.length > 1 ? (Math.max(...accepted) - Math.min(...accepted)) / 1000 : 0;
    return {
      limits: BENCH_RATE_LIMITS,
      wallMs: r.wallMs,
      sent: r.sent,
      failed: r.failed,
      served429,
      retried: r.retried,
      maxRowRetries: Math.max(0, r.maxAttempts - 1),
      // The budget starts full (one second's burst): the sustained rate is what came after it.
      postsPerSecond: accepted.length > burst && spanSec > 0 ? (accepted.length - burst) / spanSec : null,
      limitPerSecond,
      peakRssMb: r.peakRssMb,
    };
  } finally {
    fake.setRateLimits(undefined);
  }
}
