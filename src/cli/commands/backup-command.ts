import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { loadDatabaseConfig } from "../../config/load-config.js";
import { providerOf, sqlitePathOf } from "../../db/client.js";
import type { CliCommand } from "../cli-command.js";

/**
 * Online, consistent backup. SQLite: `VACUUM INTO`, which writes one read transaction's snapshot
 * to a new file while the bot keeps writing (in WAL mode readers never block writers). The
 * page-by-page backup API was not used: it restarts whenever another connection writes, so under
 * steady traffic it may never finish. PostgreSQL: pg_dump, which reads one snapshot.
 */
export const backupCommand: CliCommand = {
  name: "backup",
  summary: "write an online, consistent backup of the database to <file>",
  usage: "ae-assistant backup <file>",
  async run(argv, io) {
    const target = argv.find((a) => !a.startsWith("-"));
    if (!target) {
      io.err("Usage: ae-assistant backup <file>   e.g. ae-assistant backup backups/ae-2026-11-27.db");
      return 2;
    }
    const out = resolve(target);
    if (existsSync(out) && !argv.includes("--force")) {
      io.err(`${out} already exists; pass --force to overwrite it.`);
      return 1;
    }
    mkdirSync(dirname(out), { recursive: true });
    const { databaseUrl } = loadDatabaseConfig(io.env);
    if (providerOf(databaseUrl) === "postgresql") {
      const r = spawnSync("pg_dump", ["--format=custom", "--file", out, databaseUrl], { encoding: "utf8" });
      if (r.error || r.status !== 0) {
        io.err(`pg_dump failed: ${r.error?.message ?? r.stderr.trim()}`);
        return 1;
      }
      io.out(`PostgreSQL backup written to ${out} (restore with pg_restore --dbname <url> ${target})`);
      return 0;
    }
    const source = sqlitePathOf(databaseUrl);
    if (!existsSync(source)) {
      io.err(`There is no SQLite database at ${source}.`);
      return 1;
    }
    const db = new Database(source, { readonly: true, fileMustExist: true });
    try {
      const started = Date.now();
      db.prepare("VACUUM INTO ?").run(out);
      io.out(`SQLite backup written to ${out} in ${Date.now() - started} ms (restore: stop the bot, copy it to ${source})`);
      return 0;
    } finally {
      db.close();
    }
  },
};
