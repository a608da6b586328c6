import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { crmSecretOf, loadCrmConfig, loadDatabaseConfig, type CrmConfig } from "../../config/load-config.js";
import { openAndMigrate } from "../../bootstrap.js";
import { createLogger } from "../../logger.js";
import { createCrmSync } from "../../services/crm/create-crm-sync.js";
import type { CrmStatus, CrmSyncService } from "../../services/crm/crm-sync-service.js";
import { describeSync } from "../../jobs/crm-sync-job.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { CliUsageError, runWithUsage } from "./cli-workspace.js";

const USAGE = "ae-assistant crm status | crm sync [--full] [--dry-run] [--team T…]";

function when(d: Date | null): string {
  return d === null ? "never" : d.toISOString();
}

function printStatus(io: CliIo, s: CrmStatus): void {
  const c = s.connection;
  io.out(`CRM: ${s.provider}`);
  io.out(`connection: ${c?.status ?? "not used yet"}${c?.statusReason ? ` — ${c.statusReason}` : ""}${c?.statusSince ? ` (since ${c.statusSince.toISOString()})` : ""}`);
  io.out(`last pass started: ${when(c?.lastRunAt ?? null)}; last pass completed: ${when(c?.lastSuccessAt ?? null)}`);
  if (c?.backoffUntil) io.out(`backing off until ${c.backoffUntil.toISOString()} (rate limit ${c.backoffCount} time(s) in a row)`);
  for (const o of s.objects) {
    io.out(`${o.object}: last pull ${when(o.lastPullAt)} (${o.phase}); cursor ${o.cursorAt ? `${o.cursorAt.toISOString()} ${o.cursorId ?? ""}`.trim() : "none"}`);
    io.out(`  ${o.pulled} read, ${o.created} created, ${o.updated} updated, ${o.archived} archived, ${o.skipped} skipped (totals)`);
    if (o.lastError) io.out(`  last error (${when(o.lastErrorAt)}): ${o.lastError}`);
    for (const p of o.problems) io.out(`  skipped or not written: ${p}`);
  }
  io.out("push (bot → CRM): not built yet");
}

/** Opens the database and the configured CRM's sync, runs `fn`, and closes. */
async function withCrm(io: CliIo, fn: (crm: CrmSyncService, config: CrmConfig) => Promise<number>): Promise<number> {
  const config = loadCrmConfig(io.env);
  if (!config) throw new CliUsageError("No CRM is configured: set SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET and CRM_STAGE_MAP (README → Connect Salesforce), or HUBSPOT_ACCESS_TOKEN and CRM_STAGE_MAP (README → Connect HubSpot).");
  const { databaseUrl, logLevel } = loadDatabaseConfig(io.env);
  const logger = createLogger(logLevel, (line) => io.err(line), [crmSecretOf(config)]);
  const db = await openAndMigrate(databaseUrl, logger);
  try {
    const crm = createCrmSync(db, config, { now: () => new Date(), logger, workerId: `cli:${hostname()}:${process.pid}`, onSecret: (s) => logger.addSecrets([s]) });
    return await fn(crm, config);
  } finally {
    await db.close();
  }
}

export const crmCommand: CliCommand = {
  name: "crm",
  summary: "the CRM pull: status (cursor, counts, errors) or one pass now",
  usage: USAGE,
  run(argv, io) {
    return runWithUsage(io, USAGE, async () => {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { full: { type: "boolean" }, "dry-run": { type: "boolean" }, team: { type: "string" } },
      });
      const action = positionals[0];
      if (action !== "status" && action !== "sync") throw new CliUsageError(action ? `Unknown crm action "${action}".` : "Which crm action?");
      return withCrm(io, async (crm, config) => {
        const workspaceId = await crm.workspaceId(values.team ?? config.slackTeamId);
        if (action === "status") {
          printStatus(io, await crm.status(workspaceId));
          return 0;
        }
        const dryRun = values["dry-run"] === true;
        io.out(`Pulling from ${crm.provider}${values.full ? " (full: everything, not from the cursor)" : ""}${dryRun ? " — dry run: nothing will be written" : ""}…`);
        const result = await crm.sync(workspaceId, {
          full: values.full === true,
          dryRun,
          force: true,
          onProgress: (p) => io.out(`  ${p.object}: ${p.read.toLocaleString("en-US")} of ${p.total.toLocaleString("en-US")}`),
        });
        io.out(describeSync(result));
        if (result.kind === "done") {
          for (const [object, r] of Object.entries(result.objects)) for (const p of r.problems) io.out(`  ${object}: ${p}`);
        }
        return result.kind === "done" ? 0 : 1;
      });
    });
  },
};
