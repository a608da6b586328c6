import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from "node:fs";
import { once } from "node:events";
import { dirname, resolve } from "node:path";
import { loadDatabaseConfig } from "../../config/load-config.js";
import { openDatabase } from "../../db/client.js";
import { EXPORT_COLUMNS, EXPORT_KINDS, ExportService, writeExport, type ExportFormat, type ExportKind, type ExportRow, type LineSink } from "../../services/export-service.js";
import type { CliCommand, CliIo } from "../cli-command.js";

const USAGE = "ae-assistant export <accounts|touches|deals|gifts> [--format csv|json] [--out <file>] [--workspace <team id>]";

interface ExportArgs {
  kind: ExportKind;
  format: ExportFormat;
  out?: string;
  workspace?: string;
}

function parseArgs(argv: string[]): ExportArgs | string {
  const [kind, ...rest] = argv;
  if (!kind || !(EXPORT_KINDS as readonly string[]).includes(kind)) {
    return kind ? `cannot export "${kind}" (choose accounts, touches, deals or gifts)` : "missing what to export";
  }
  let format: string | undefined;
  let out: string | undefined;
  let workspace: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const flag = eq === -1 ? a : a.slice(0, eq);
    const value = eq === -1 ? rest[++i] : a.slice(eq + 1);
    if (flag === "--format") format = value;
    else if (flag === "--out") out = value;
    else if (flag === "--workspace" || flag === "--team") workspace = value;
    else return `unexpected argument "${a}"`;
    if (!value) return `${flag} needs a value`;
  }
  const fmt = format ?? (out?.toLowerCase().endsWith(".json") ? "json" : "csv");
  if (fmt !== "csv" && fmt !== "json") return `--format must be csv or json, not "${fmt}"`;
  return { kind: kind as ExportKind, format: fmt, out, workspace };
}

/** Writes to a temporary file next to the target and renames it at the end: no half-written exports. */
function fileSink(path: string, eol: string): { sink: LineSink; stream: WriteStream; partial: string } {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial, { encoding: "utf8" });
  return {
    stream,
    partial,
    sink: {
      async write(line) {
        if (!stream.write(line + eol)) await once(stream, "drain");
      },
    },
  };
}

/**
 * Streams rows as CSV or JSON to stdout, or to `out` (a `.partial` file renamed when complete),
 * and says how many were written (`what`: "deals", "audit events"). The one way the CLI exports.
 */
export async function writeRowsTo(
  io: CliIo,
  rows: AsyncIterable<ExportRow>,
  columns: string[],
  format: ExportFormat,
  out: string | undefined,
  what: string,
): Promise<number> {
  if (!out) {
    const n = await writeExport(rows, columns, format, { write: (line) => io.out(line) });
    io.err(`Exported ${n} ${what}.`);
    return n;
  }
  const target = resolve(out);
  // RFC 4180 ends CSV records with CRLF.
  const file = fileSink(target, format === "csv" ? "\r\n" : "\n");
  try {
    const n = await writeExport(rows, columns, format, file.sink);
    file.stream.end();
    await once(file.stream, "finish");
    renameSync(file.partial, target);
    io.out(`Exported ${n} ${what} to ${target} (${format.toUpperCase()}).`);
    return n;
  } catch (error) {
    file.stream.destroy();
    rmSync(file.partial, { force: true });
    throw error;
  }
}

/** `ae-assistant export …`: to stdout, or to --out <file>. Needs only DATABASE_URL. */
export const exportCommand: CliCommand = {
  name: "export",
  summary: "export accounts, touches, deals or gifts as CSV or JSON",
  usage: "export <accounts|touches|deals|gifts> [--format csv|json] [--out <file>]",
  async run(argv, io) {
    const args = parseArgs(argv);
    if (typeof args === "string") {
      io.err(`${args}.\nUsage: ${USAGE}\n  e.g. ae-assistant export deals --format csv --out exports/deals.csv`);
      return 2;
    }
    const { databaseUrl } = loadDatabaseConfig(io.env);
    const db = await openDatabase(databaseUrl);
    try {
      const service = new ExportService(db.prisma);
      const workspaces = await service.workspaces();
      const known = workspaces.map((w) => `${w.slackTeamId}${w.name ? ` (${w.name})` : ""}`).join(", ");
      const workspace = args.workspace ? workspaces.find((w) => w.slackTeamId === args.workspace) : workspaces.length === 1 ? workspaces[0] : undefined;
      if (!workspace) {
        io.err(
          workspaces.length === 0
            ? "Nothing to export: the database has no workspace yet (run the bot or `ae-assistant import accounts` first)."
            : args.workspace
              ? `There is no workspace ${args.workspace} in the database (known: ${known}).`
              : `The database holds several workspaces; pass --workspace <team id> (one of: ${known}).`,
        );
        return 1;
      }
      await writeRowsTo(io, service.rows(args.kind, workspace), EXPORT_COLUMNS[args.kind], args.format, args.out, args.kind);
      return 0;
    } finally {
      await db.close();
    }
  },
};
