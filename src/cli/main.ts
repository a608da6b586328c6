import "../runtime/require-supported-node.js"; // first: refuses an old Node before a native module loads
import { loadDotEnv, ConfigError } from "../config/load-config.js";
import type { CliCommand, CliIo } from "./cli-command.js";
import { doctorCommand } from "./commands/doctor-command.js";
import { migrateCommand } from "./commands/migrate-command.js";
import { compCommand } from "./commands/comp-command.js";
import { giftsCommand } from "./commands/gifts-command.js";
import { jobsCommand } from "./commands/jobs-command.js";
import { remindersCommand } from "./commands/reminders-command.js";
import { backupCommand } from "./commands/backup-command.js";
import { benchCommand } from "./commands/bench-command.js";
import { importCommand } from "./commands/import-command.js";
import { exportCommand } from "./commands/export-command.js";
import { holidaysCommand } from "./commands/holidays-command.js";
import { workspaceCommand } from "./commands/workspace-command.js";
import { reassignCommand } from "./commands/reassign-command.js";
import { crmCommand } from "./commands/crm-command.js";
import { auditCommand } from "./commands/audit-command.js";
import { privacyCommand } from "./commands/privacy-command.js";
import { runAs } from "../db/audit/audit-scope.js";

export const COMMANDS: CliCommand[] = [
  migrateCommand,
  doctorCommand,
  backupCommand,
  benchCommand,
  jobsCommand,
  remindersCommand,
  importCommand,
  crmCommand,
  exportCommand,
  workspaceCommand,
  holidaysCommand,
  compCommand,
  giftsCommand,
  reassignCommand,
  auditCommand,
  privacyCommand,
];

function usage(io: CliIo): void {
  io.out("Usage: ae-assistant <command> [options]\n\nCommands:");
  for (const c of COMMANDS) io.out(`  ${c.usage.padEnd(44)} ${c.summary}`);
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    usage(io);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}".`);
    usage(io);
    return 2;
  }
  // Every write of the run is recorded as made by the CLI (its command and subcommand; a privacy
  // command also names the admin running it, --as).
  const sub = rest[0] && !rest[0].startsWith("-") ? ` ${rest[0]}` : "";
  try {
    return await runAs({ kind: "cli", detail: `${name}${sub}`.slice(0, 80) }, () => command.run(rest, io));
  } catch (error) {
    io.err(error instanceof ConfigError ? error.message : `ae-assistant ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// Run only when executed as the CLI (not when imported by tests).
if (process.argv[1] && /ae-assistant(\.js)?$|cli[/\\]main\.(js|ts)$/.test(process.argv[1])) {
  loadDotEnv();
  const io: CliIo = {
    out: (l) => process.stdout.write(l + "\n"),
    err: (l) => process.stderr.write(l + "\n"),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
  runCli(process.argv.slice(2), io).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
