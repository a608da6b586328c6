import { hostname } from "node:os";
import cliProgress from "cli-progress";
import { parseArgs } from "node:util";
import { crmSecretOf, loadCrmConfig, loadDatabaseConfig, type CrmConfig } from "../../config/load-config.js";
import { openAndMigrate } from "../../bootstrap.js";
import { createLogger } from "../../logger.js";
import { createCrmSync } from "../../services/crm/create-crm-sync.js";
import type { CrmStatus, CrmSyncService, SyncProgress } from "../../services/crm/crm-sync-service.js";
import { describeSync } from "../../jobs/crm-sync-job.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { CliUsageError, runWithUsage } from "./cli-workspace.js";

const USAGE = "ae-assistant crm status | crm sync [--full [--archive-missing]] [--dry-run] [--team T…]";

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
    io.out(`${o.object}: last pull ${when(o.lastPullAt)} (${o.phase}); cursor ${o.cursorAt ? `${o.cursorAt.toISOString()} ${o.cursorId ?? ""}`.trim() : "none"}; last reconcile ${when(o.reconciledAt)}`);
    io.out(`  ${o.pulled} read, ${o.created} created, ${o.updated} updated, ${o.archived} archived, ${o.skipped} skipped (totals)`);
    if (o.lastError) io.out(`  last error (${when(o.lastErrorAt)}): ${o.lastError}`);
    for (const p of o.problems) io.out(`  skipped or not written: ${p}`);
  }
  io.out("push (bot → CRM): not built yet");
}

/**
 * The pass's progress: on a terminal one bar per object (the initial sync of a large CRM takes
 * minutes); elsewhere a line per twentieth of each object (and at its end), not one per page.
 */
function progressReporter(io: CliIo): { update(p: SyncProgress): void; stop(): void } {
  let bar: { object: string; phase: string; bar: cliProgress.SingleBar } | undefined;
  /** Non-terminal: the next count worth a line, per object and phase. */
  let next = 0;
  let current = "";
  const label = (p: SyncProgress) => (p.phase === "reconcile" ? `${p.object} (reconcile: ids in the CRM)` : p.object);
  return {
    update(p) {
      const key = `${p.object}:${p.phase ?? "pull"}`;
      if (io.isTTY) {
        if (bar?.object !== p.object || bar.phase !== (p.phase ?? "pull")) {
          bar?.bar.stop();
          const b = new cliProgress.SingleBar(
            { format: `  ${label(p).padEnd(12)} [{bar}] {value}/{total} | {eta_formatted} left`, stream: process.stdout, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          b.start(Math.max(p.total, p.read), 0);
          bar = { object: p.object, phase: p.phase ?? "pull", bar: b };
        }
        bar.bar.setTotal(Math.max(p.total, p.read));
        bar.bar.update(p.read);
        return;
      }
      if (key !== current) {
        current = key;
        next = 0;
      }
      if (p.read < next && p.read < p.total) return;
      // The reconcile's total is unknown: a line per 10,000 ids.
      next = p.read + (p.total > 0 ? Math.max(1, Math.ceil(p.total / 20)) : 10_000);
      io.out(p.phase === "reconcile" ? `  ${p.object}: reconciling, ${p.read.toLocaleString("en-US")} ids read` : `  ${p.object}: ${p.read.toLocaleString("en-US")} of ${p.total.toLocaleString("en-US")}`);
    },
    stop() {
      bar?.bar.stop();
    },
  };
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
        options: { full: { type: "boolean" }, "dry-run": { type: "boolean" }, "archive-missing": { type: "boolean" }, team: { type: "string" } },
      });
      const action = positionals[0];
      if (action !== "status" && action !== "sync") throw new CliUsageError(action ? `Unknown crm action "${action}".` : "Which crm action?");
      if (values["archive-missing"] && !values.full) throw new CliUsageError("--archive-missing goes with --full: it confirms that what a full pass finds missing in the CRM was really deleted there.");
      return withCrm(io, async (crm, config) => {
        const workspaceId = await crm.workspaceId(values.team ?? config.slackTeamId);
        if (action === "status") {
          printStatus(io, await crm.status(workspaceId));
          return 0;
        }
        const dryRun = values["dry-run"] === true;
        io.out(`Pulling from ${crm.provider}${values.full ? " (full: everything, not from the cursor)" : ""}${dryRun ? " — dry run: nothing will be written" : ""}…`);
        const progress = progressReporter(io);
        const result = await crm
          .sync(workspaceId, { full: values.full === true, dryRun, archiveMissing: values["archive-missing"] === true, force: true, onProgress: (p) => progress.update(p) })
          .finally(() => progress.stop());
        io.out(describeSync(result));
        if (result.kind === "done") {
          for (const [object, r] of Object.entries(result.objects)) for (const p of r.problems) io.out(`  ${object}: ${p}`);
        }
        return result.kind === "done" ? 0 : 1;
      });
    });
  },
};
