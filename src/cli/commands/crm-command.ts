import { hostname } from "node:os";
import cliProgress from "cli-progress";
import { parseArgs } from "node:util";
import { crmSecretOf, loadCrmConfig, loadDatabaseConfig, type CrmConfig } from "../../config/load-config.js";
import { openAndMigrate } from "../../bootstrap.js";
import { createLogger } from "../../logger.js";
import { createCrm, crmOptions, type Crm } from "../../services/crm/create-crm-sync.js";
import type { CrmStatus, SyncProgress } from "../../services/crm/crm-sync-service.js";
import type { PushStatus } from "../../services/crm/crm-push-service.js";
import type { CrmEntity } from "../../domain/crm-push.js";
import { describePush, describeSync } from "../../jobs/crm-sync-job.js";
import { planCrmNotices } from "../../jobs/crm-notices.js";
import { createServices } from "../../services/services.js";
import type { Database } from "../../db/client.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { CliUsageError, runWithUsage } from "./cli-workspace.js";

const USAGE = "ae-assistant crm status | crm sync [--full [--archive-missing]] [--dry-run] | crm retry [--all | <row id>…] [--team T…]";

function when(d: Date | null): string {
  return d === null ? "never" : d.toISOString();
}

/** What each of our records becomes in each CRM. */
const ENTITY_LABEL: Record<CrmConfig["provider"], Record<CrmEntity, string>> = {
  salesforce: { touch: "touches (Task / Event)", followUp: "follow-ups (Task)", deal: "deals (Opportunity)" },
  hubspot: { touch: "touches (call / email / meeting / note)", followUp: "follow-ups (task)", deal: "deals (deal)" },
};

function printPush(io: CliIo, p: PushStatus | null, waiting: number, labels: Record<CrmEntity, string>): void {
  if (!p) {
    io.out("push (bot → CRM): off (CRM_PUSH=off)");
    return;
  }
  io.out(`push (bot → CRM): last push ${when(p.lastPushAt)}; backlog ${waiting} waiting`);
  if (p.blocked) io.out(`  on hold since ${when(p.blocked.since)}, next try ${when(p.blocked.retryAt)}: ${p.blocked.reason}`);
  for (const t of p.totals) {
    io.out(`${labels[t.entity]}: last push ${when(t.lastSentAt)}; ${t.sent} written, ${t.waiting} waiting, ${t.rejected} refused, ${t.conflict} conflicts (the CRM won), ${t.failed} given up`);
  }
  if (p.problems.length > 0) io.out("last refused (newest first; `crm retry --all` or `crm retry <row id>` sends them again):");
  for (const x of p.problems) {
    io.out(`  #${x.id} ${x.status} ${x.at.toISOString()} ${x.entity} ${x.entityId} on "${x.accountName}" (${x.label}): ${x.lastError ?? ""}${x.errorCode ? ` [${x.errorCode}]` : ""}`);
  }
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

/** Opens the database and the configured CRM, runs `fn`, and closes. */
async function withCrm(io: CliIo, fn: (crm: Crm, config: CrmConfig, db: Database, defaultTimezone: string) => Promise<number>): Promise<number> {
  const config = loadCrmConfig(io.env);
  if (!config) throw new CliUsageError("No CRM is configured: set SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET and CRM_STAGE_MAP (README → Connect Salesforce), or HUBSPOT_ACCESS_TOKEN and CRM_STAGE_MAP (README → Connect HubSpot).");
  const { databaseUrl, logLevel, defaultTimezone } = loadDatabaseConfig(io.env);
  const logger = createLogger(logLevel, (line) => io.err(line), [crmSecretOf(config)]);
  const db = await openAndMigrate(databaseUrl, logger);
  try {
    const crm = createCrm(db, config, { now: () => new Date(), logger, workerId: `cli:${hostname()}:${process.pid}`, onSecret: (s) => logger.addSecrets([s]) });
    return await fn(crm, config, db, defaultTimezone);
  } finally {
    await db.close();
  }
}

/** Plans the DMs the CLI's push and pull call for; the running app's scheduler sends them. */
async function planNotices(db: Database, config: CrmConfig, workspaceId: number, defaultTimezone: string): Promise<number> {
  const logger = createLogger("error", () => undefined, []);
  const services = createServices(db, { defaultTimezone, now: () => new Date(), logger, crm: crmOptions(config) });
  return planCrmNotices(services, workspaceId, new Date(), defaultTimezone);
}

export const crmCommand: CliCommand = {
  name: "crm",
  summary: "the CRM sync: status (pull and push: cursor, counts, backlog, refused records), one pass now, or send refused records again",
  usage: USAGE,
  run(argv, io) {
    return runWithUsage(io, USAGE, async () => {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { full: { type: "boolean" }, "dry-run": { type: "boolean" }, "archive-missing": { type: "boolean" }, team: { type: "string" }, all: { type: "boolean" } },
      });
      const action = positionals[0];
      if (action !== "status" && action !== "sync" && action !== "retry") throw new CliUsageError(action ? `Unknown crm action "${action}".` : "Which crm action?");
      if (values["archive-missing"] && !values.full) throw new CliUsageError("--archive-missing goes with --full: it confirms that what a full pass finds missing in the CRM was really deleted there.");
      const rowIds = positionals.slice(1).map((p) => Number(p.replace(/^#/, "")));
      if (action === "retry" && (values.all === true) === rowIds.length > 0) throw new CliUsageError("crm retry takes --all or the row ids `crm status` lists (e.g. crm retry 12 15), not both.");
      if (rowIds.some((n) => !Number.isInteger(n) || n <= 0)) throw new CliUsageError(`Row ids are whole numbers, as \`crm status\` lists them (e.g. crm retry 12).`);
      return withCrm(io, async (crm, config, db, defaultTimezone) => {
        const workspaceId = await crm.sync.workspaceId(values.team ?? config.slackTeamId);
        if (action === "status") {
          printStatus(io, await crm.sync.status(workspaceId));
          printPush(io, crm.push ? await crm.push.status(workspaceId) : null, crm.push ? await crm.push.backlog(workspaceId) : 0, ENTITY_LABEL[config.provider]);
          return 0;
        }
        if (action === "retry") {
          if (!crm.push) throw new CliUsageError("The push is off (CRM_PUSH=off): there is nothing to send again.");
          const n = await crm.push.requeue(workspaceId, values.all ? null : rowIds);
          io.out(`${n} refused record(s) queued again; the next push sends them (the running app within a minute, or: ae-assistant crm sync).`);
          return n > 0 || values.all ? 0 : 1;
        }
        const dryRun = values["dry-run"] === true;
        // Push first (what waits was made against what the last pull saw), pull, push again.
        const push = async () => {
          if (!crm.push) return true;
          const r = await crm.push.push(workspaceId, { force: true, dryRun });
          io.out(`push to ${crm.push.provider}: ${describePush(r)}`);
          return r.kind !== "stopped";
        };
        let ok = await push();
        io.out(`Pulling from ${crm.sync.provider}${values.full ? " (full: everything, not from the cursor)" : ""}${dryRun ? " — dry run: nothing will be written" : ""}…`);
        const progress = progressReporter(io);
        const result = await crm.sync
          .sync(workspaceId, { full: values.full === true, dryRun, archiveMissing: values["archive-missing"] === true, force: true, onProgress: (p) => progress.update(p) })
          .finally(() => progress.stop());
        io.out(describeSync(result));
        if (result.kind === "done") {
          for (const [object, r] of Object.entries(result.objects)) for (const p of r.problems) io.out(`  ${object}: ${p}`);
          if (!dryRun) ok = (await push()) && ok;
        }
        if (!dryRun) {
          const dms = await planNotices(db, config, workspaceId, defaultTimezone);
          if (dms > 0) io.out(`${dms} DM(s) about refused pushes or the connection queued; the running app sends them.`);
        }
        return result.kind === "done" && ok ? 0 : 1;
      });
    });
  },
};
