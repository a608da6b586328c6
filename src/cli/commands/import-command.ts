import cliProgress from "cli-progress";
import { webApi } from "@slack/bolt";
import { loadConfig } from "../../config/load-config.js";
import { openDatabase, type Database } from "../../db/client.js";
import { migrate } from "../../db/migrate.js";
import { WorkspaceRepository } from "../../db/repositories/workspace-repository.js";
import { ImportError, ImportService, type ImportOwner, type ImportProgress, type ImportReport } from "../../services/import-service.js";
import { slackUserDirectory } from "../../slack/slack-directory.js";
import type { CliCommand, CliIo } from "../cli-command.js";

const USAGE = "ae-assistant import accounts <file.csv> [--dry-run] [--owner <slack id>] [--workspace <team id>] [--currency-mismatch refuse|ignore]";
/** Files at least this big get a progress bar (on a terminal) or progress lines. */
const PROGRESS_MIN_BYTES = 512 * 1024;
const PROGRESS_LINE_EVERY_ROWS = 10_000;
/** In a dry run every change is listed, up to this many lines. */
const LIST_LIMIT = 1000;

interface ImportArgs {
  file: string;
  dryRun: boolean;
  owner?: string;
  workspace?: string;
  currencyMismatch: "refuse" | "ignore";
}

function parseArgs(argv: string[]): ImportArgs | string {
  const [what, ...rest] = argv;
  if (what !== "accounts") return what ? `unknown import "${what}" (only "accounts" exists; contact exports are imported with it too)` : "missing what to import";
  const args: Partial<ImportArgs> & { dryRun: boolean; currencyMismatch: "refuse" | "ignore" } = { dryRun: false, currencyMismatch: "refuse" };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => inline ?? rest[++i];
    if (flag === "--dry-run") args.dryRun = true;
    else if (flag === "--owner") args.owner = value();
    else if (flag === "--workspace" || flag === "--team") args.workspace = value();
    else if (flag === "--currency-mismatch") {
      const mode = value();
      if (mode !== "refuse" && mode !== "ignore") return `--currency-mismatch must be refuse or ignore, got "${mode ?? ""}"`;
      args.currencyMismatch = mode;
    }
    else if (a.startsWith("--")) return `unknown option ${a}`;
    else if (args.file === undefined) args.file = a;
    else return `unexpected argument "${a}" (one file at a time)`;
    if ((flag === "--owner" || flag === "--workspace" || flag === "--team") && !args[flag === "--owner" ? "owner" : "workspace"]) return `${flag} needs a value`;
  }
  if (!args.file) return "missing the CSV file";
  return { file: args.file, dryRun: args.dryRun, owner: args.owner, workspace: args.workspace, currencyMismatch: args.currencyMismatch };
}

function slackError(error: unknown): string {
  const code = typeof error === "object" && error !== null && "data" in error ? (error as { data?: { error?: string } }).data?.error : undefined;
  if (code === "invalid_auth" || code === "not_authed" || code === "token_revoked" || code === "account_inactive") {
    return `Slack rejected SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions`;
  }
  return `Slack did not answer: ${code ?? (error instanceof Error ? error.message : String(error))}`;
}

const DELIMITER_NAMES: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe" };

function describeStart(io: CliIo, r: Pick<ImportReport, "file" | "formatLabel" | "delimiter" | "encoding" | "recognised" | "ignored" | "dryRun">): void {
  io.out(`${r.file}: ${r.formatLabel} (${DELIMITER_NAMES[r.delimiter] ?? `"${r.delimiter}"`}-delimited, ${r.encoding.toUpperCase()})`);
  io.out(`Recognised columns: ${r.recognised.map((c) => `"${c.header}" → ${c.label}`).join(", ")}`);
  if (r.ignored.length > 0) io.out(`Ignored columns: ${r.ignored.map((h) => `"${h}"`).join(", ")}`);
  if (r.dryRun) io.out("Dry run: nothing will be written.");
}

function progressReporter(io: CliIo): { update(p: ImportProgress): void; stop(): void } {
  let bar: cliProgress.SingleBar | undefined;
  let nextLine = PROGRESS_LINE_EVERY_ROWS;
  return {
    update(p) {
      if (p.totalBytes < PROGRESS_MIN_BYTES) return;
      if (io.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { format: "  [{bar}] {percentage}% | {rows} rows | {eta_formatted} left", stream: process.stdout, hideCursor: true, clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.totalBytes, 0, { rows: 0 });
        }
        bar.update(Math.min(p.bytesRead, p.totalBytes), { rows: p.rows.toLocaleString("en-US") });
      } else if (p.rows >= nextLine) {
        io.out(`  … ${p.rows.toLocaleString("en-US")} rows (${Math.floor((100 * p.bytesRead) / Math.max(1, p.totalBytes))}%)`);
        nextLine = (Math.floor(p.rows / PROGRESS_LINE_EVERY_ROWS) + 1) * PROGRESS_LINE_EVERY_ROWS;
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

/** At most 10 names, sorted, then how many more. */
function someOf(names: string[]): string {
  const sorted = [...names].sort();
  return sorted.slice(0, 10).join(", ") + (sorted.length > 10 ? ` … and ${sorted.length - 10} more` : "");
}

function printReport(io: CliIo, r: ImportReport): void {
  if (r.problems.length > 0) {
    io.out(`Skipped rows (${r.problems.length}):`);
    for (const p of r.problems) io.out(`  line ${p.line}: ${p.reason}`);
  }
  if (r.dryRun && r.changes.length > 0) {
    io.out("Would change:");
    for (const c of r.changes.slice(0, LIST_LIMIT)) {
      io.out(`  line ${c.line}: ${c.action} ${c.entity} "${c.name}" [${c.externalId}]${c.details.length > 0 ? ` — ${c.details.join(", ")}` : ""}`);
    }
    const more = r.changesOmitted + Math.max(0, r.changes.length - LIST_LIMIT);
    if (more > 0) io.out(`  … and ${more.toLocaleString("en-US")} more`);
  } else if (!r.dryRun) {
    for (const c of r.changes.filter((c) => c.action === "update").slice(0, 100)) {
      io.out(`  line ${c.line}: updated ${c.entity} "${c.name}" — ${c.details.join(", ")}`);
    }
  }
  if (r.ownersAdded.length > 0) io.out(`Owners ${r.dryRun ? "to add" : "added"} from Slack (${r.ownersAdded.length}): ${someOf(r.ownersAdded)}`);
  if (r.ownersNotFound.length > 0) io.out(`Owner emails not found in Slack (${r.ownersNotFound.length}): ${someOf(r.ownersNotFound)}`);
  if (r.accountsCreatedForContacts > 0) {
    io.out(`Accounts ${r.dryRun ? "to create" : "created"} for contacts (companies and individuals): ${r.accountsCreatedForContacts}`);
  }
  const what = r.format.kind === "contacts" ? "contacts" : "accounts";
  const seconds = (r.durationMs / 1000).toFixed(1);
  const counts = `${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped} skipped`;
  io.out(
    r.dryRun
      ? `Dry run of ${what}: ${counts} (${r.rows} rows in ${seconds} s). Nothing was written.`
      : `Imported ${what}: ${counts} (${r.rows} rows in ${seconds} s).`,
  );
}

/**
 * `ae-assistant import accounts <file.csv>`: Salesforce / HubSpot account, company and contact
 * exports. Exit 0 when the file was processed (bad rows are reported and skipped), 1 when it cannot
 * be read at all or Slack/the database cannot be used, 2 for a usage error.
 */
export const importCommand: CliCommand = {
  name: "import",
  summary: "import accounts (or contacts) from a Salesforce or HubSpot CSV export",
  usage: "import accounts <file.csv> [--dry-run] [--owner <slack id>]",
  async run(argv, io) {
    const args = parseArgs(argv);
    if (typeof args === "string") {
      io.err(`${args}.\nUsage: ${USAGE}\n  e.g. ae-assistant import accounts exports/salesforce-accounts.csv --dry-run`);
      return 2;
    }
    // The import talks to the Web API only: no Socket Mode / HTTP transport is needed.
    const config = loadConfig({ ...io.env, SLACK_SIGNING_SECRET: io.env.SLACK_SIGNING_SECRET || (io.env.SLACK_APP_TOKEN ? undefined : "unused-by-the-cli") });
    // Rate-limited lookups wait for Retry-After; an unreachable Slack gives up within minutes, not half an hour.
    const client = new webApi.WebClient(config.botToken, {
      slackApiUrl: config.slackApiUrl,
      logLevel: webApi.LogLevel.ERROR,
      retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
    });

    let teamId = args.workspace;
    if (!teamId) {
      try {
        teamId = (await client.auth.test()).team_id;
      } catch (error) {
        io.err(slackError(error));
        return 1;
      }
      if (!teamId) {
        io.err("Slack did not say which workspace SLACK_BOT_TOKEN belongs to; pass --workspace <team id> (T…).");
        return 1;
      }
    }

    let db: Database;
    try {
      db = await openDatabase(config.databaseUrl);
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
      io.err(`${error instanceof Error ? error.message : String(error)}${cause}`);
      return 1;
    }
    try {
      const applied = await migrate(db);
      if (applied.length > 0) io.out(`Applied ${applied.length} pending migration(s) first.`);
      // A dry run writes nothing, not even the workspace row: an unknown workspace has no accounts.
      const workspaces = new WorkspaceRepository(db.prisma);
      const workspace = args.dryRun
        ? await workspaces.findBySlackTeamId(teamId)
        : await workspaces.ensure(teamId, { timezone: config.defaultTimezone });
      const workspaceId = workspace?.id ?? 0;
      // A workspace not created yet will start in USD, the schema's default.
      const currency = workspace?.currency ?? "USD";
      const service = new ImportService(db.prisma, slackUserDirectory(client, config.defaultTimezone), config.defaultTimezone);

      let fallbackOwner: ImportOwner | undefined;
      if (args.owner) {
        try {
          fallbackOwner = (await service.resolveOwner(workspaceId, args.owner, args.dryRun)) ?? undefined;
        } catch (error) {
          io.err(slackError(error));
          return 1;
        }
        if (!fallbackOwner) {
          io.err(`--owner ${args.owner} is not an active user of this Slack workspace (give a Slack user id such as U0123ABCD, or an email).`);
          return 1;
        }
      }

      const progress = progressReporter(io);
      let report: ImportReport;
      try {
        report = await service.importFile(args.file, {
          workspaceId,
          dryRun: args.dryRun,
          fallbackOwner,
          currency,
          currencyMismatch: args.currencyMismatch,
          onStart: (info) => describeStart(io, info),
          onProgress: (p) => progress.update(p),
        });
      } catch (error) {
        progress.stop();
        if (error instanceof ImportError) {
          io.err(`Cannot import: ${error.message}`);
          return 1;
        }
        throw error;
      }
      progress.stop();
      printReport(io, report);
      return 0;
    } finally {
      await db.close();
    }
  },
};
