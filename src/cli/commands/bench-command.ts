import { parseArgs } from "node:util";
import { loadDatabaseConfig } from "../../config/load-config.js";
import { openDatabase, redactUrl } from "../../db/client.js";
import { migrate } from "../../db/migrate.js";
import { seedBenchData } from "../../bench/seed-data.js";
import type { CliCommand } from "../cli-command.js";

/** The instant benchmark data is built around, so every run measures the same data. */
export const BENCH_NOW = "2026-11-16T14:00:00Z";

export const benchCommand: CliCommand = {
  name: "bench",
  summary: "bench seed: build a deterministic benchmark dataset (teams, accounts, touches, deals, quotas)",
  usage: "ae-assistant bench seed --reps N [--seed 42] [--touches 20] [--team-size 10] [--company-team] [--now ISO]",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== "seed") {
      io.err(`Usage: ${this.usage}`);
      return 2;
    }
    const { values } = parseArgs({
      args: rest,
      options: {
        reps: { type: "string" },
        seed: { type: "string" },
        touches: { type: "string" },
        "team-size": { type: "string" },
        "company-team": { type: "boolean" },
        now: { type: "string" },
      },
    });
    const reps = Number(values.reps ?? "100");
    if (!Number.isInteger(reps) || reps < 1 || reps > 100_000) {
      io.err("--reps must be a whole number from 1 to 100000, e.g. --reps 1000");
      return 2;
    }
    const teamSize = Number(values["team-size"] ?? "10");
    if (!Number.isInteger(teamSize) || teamSize < 1) {
      io.err("--team-size must be a whole number of reps per team, e.g. --team-size 10");
      return 2;
    }
    const now = new Date(values.now ?? BENCH_NOW);
    if (Number.isNaN(now.getTime())) {
      io.err("--now must be an ISO instant, e.g. 2026-11-16T14:00:00Z");
      return 2;
    }
    const { databaseUrl } = loadDatabaseConfig(io.env);
    const db = await openDatabase(databaseUrl);
    try {
      await migrate(db);
      io.out(`seeding ${reps} reps into ${db.provider} ${redactUrl(databaseUrl)} …`);
      let lastShown = 0;
      const report = await seedBenchData(db, {
        reps,
        now,
        seed: Number(values.seed ?? "42"),
        touchesPerAccount: values.touches ? Number(values.touches) : undefined,
        teamSize,
        companyTeam: values["company-team"] ?? false,
        onProgress: (done, total) => {
          if (done === total || Date.now() - lastShown > 2000) {
            lastShown = Date.now();
            io.out(`  ${done}/${total} reps`);
          }
        },
      });
      io.out(
        `seeded ${report.reps} reps, ${report.teams} teams, ${report.accounts} accounts, ${report.touches} touches, ` +
          `${report.followUps} follow-ups, ${report.deals} deals in ${(report.ms / 1000).toFixed(1)} s`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
