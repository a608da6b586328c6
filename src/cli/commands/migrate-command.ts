import { loadDatabaseConfig } from "../../config/load-config.js";
import { openDatabase, redactUrl } from "../../db/client.js";
import { migrate, migrationStatus } from "../../db/migrate.js";
import type { CliCommand } from "../cli-command.js";

export const migrateCommand: CliCommand = {
  name: "migrate",
  summary: "apply pending database migrations (also done automatically at start)",
  usage: "ae-assistant migrate [--status]",
  async run(argv, io) {
    const { databaseUrl } = loadDatabaseConfig(io.env);
    const db = await openDatabase(databaseUrl);
    try {
      if (argv.includes("--status")) {
        const s = await migrationStatus(db);
        io.out(`database: ${db.provider} ${redactUrl(databaseUrl)}`);
        io.out(`applied: ${s.applied.length}, pending: ${s.pending.length}`);
        for (const p of s.pending) io.out(`  pending  ${p}`);
        for (const p of s.problems) io.err(`  problem  ${p}`);
        return s.problems.length > 0 ? 1 : 0;
      }
      const applied = await migrate(db);
      io.out(applied.length === 0 ? "database is up to date" : `applied ${applied.length} migration(s): ${applied.join(", ")}`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
