import { BENCH_NOW } from "../../src/cli/commands/bench-command.js";

export { BENCH_NOW };
export const BENCH_TEAM_ID = "TBENCH";
export const BENCH_BOT_TOKEN = "xoxb-bench-0000-bot-token";
export const BENCH_SIGNING_SECRET = "bench-signing-secret-0123456789";
export const BENCH_TIMEZONE = "America/New_York";

/** Slack id of the i-th seeded rep (see src/bench/seed-data.ts). */
export function repSlackId(i: number): string {
  return `UREP${String(i).padStart(6, "0")}`;
}
