import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseAmount } from "../../domain/amounts.js";
import { centsToDecimal, csvLine } from "../../domain/csv.js";
import { FINRA_LIMIT_BEFORE_CENTS, FINRA_LIMIT_CHANGE_DATE, FINRA_LIMIT_FROM_CHANGE_CENTS } from "../../domain/gifts.js";
import { AccountRepository } from "../../db/repositories/account-repository.js";
import { GiftRepository } from "../../db/repositories/gift-repository.js";
import { WorkspaceRepository } from "../../db/repositories/workspace-repository.js";
import type { Database } from "../../db/client.js";
import { GiftService, type GiftSettings } from "../../services/gift-service.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { CliUsageError, findWorkspace, runWithUsage, withDatabase } from "./cli-workspace.js";

const USAGE = [
  "ae-assistant gifts settings [--limit <amount>|none] [--year calendar|rolling] [--team <slack team id>]",
  "ae-assistant gifts export --year 2026 [--out gifts-2026.csv] [--team <slack team id>]",
].join("\n  ");

/** Columns that never hold typed text (date, amount, currency, yes/no): no formula guard needed. */
const SAFE_COLUMNS = new Set([0, 5, 6, 8]);

/**
 * RFC 4180 text: fields quoted by csvLine, records ending in CRLF. Typed text starting with
 * = + - @ TAB or CR gets a leading ' so a spreadsheet shows it instead of running it as a
 * formula (OWASP's advice for CSV injection).
 */
export function giftsCsv(rows: readonly (readonly string[])[]): string {
  const guard = (v: string, i: number) => (!SAFE_COLUMNS.has(i) && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  return rows.map((r) => csvLine(r.map(guard)) + "\r\n").join("");
}

function service(db: Database): GiftService {
  return new GiftService(new GiftRepository(db.prisma), new AccountRepository(db.prisma), new WorkspaceRepository(db.prisma), () => new Date());
}

function describe(s: GiftSettings, currency: string): string[] {
  return [
    `firm limit per recipient per year: ${s.firmLimitCents === null ? "none (FINRA limit only)" : `${centsToDecimal(s.firmLimitCents)} ${currency}`}`,
    `FINRA limit: ${centsToDecimal(FINRA_LIMIT_BEFORE_CENTS)} before ${FINRA_LIMIT_CHANGE_DATE}, ${centsToDecimal(FINRA_LIMIT_FROM_CHANGE_CENTS)} from then (the lower of the two limits applies)`,
    `year: ${s.yearMode === "calendar" ? "calendar year" : "rolling 12 months"}`,
  ];
}

async function settings(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: { limit: { type: "string" }, year: { type: "string" }, team: { type: "string" } },
  });
  let firmLimitCents: number | null | undefined;
  if (values.limit !== undefined) {
    if (values.limit.trim().toLowerCase() === "none") firmLimitCents = null;
    else {
      const r = parseAmount(values.limit, "en-US");
      if (!r.ok) throw new CliUsageError(`--limit "${values.limit}" is not an amount (e.g. 250) or "none".`);
      firmLimitCents = r.cents;
    }
  }
  if (values.year !== undefined && values.year !== "calendar" && values.year !== "rolling") {
    throw new CliUsageError(`--year must be calendar or rolling, got "${values.year}".`);
  }
  const yearMode = values.year as "calendar" | "rolling" | undefined;
  return withDatabase(io, async (db) => {
    const ws = await findWorkspace(db, values.team);
    const gifts = service(db);
    const changed = firmLimitCents !== undefined || yearMode !== undefined;
    const s = changed
      ? await gifts.updateSettings(ws.id, { ...(firmLimitCents !== undefined ? { firmLimitCents } : {}), ...(yearMode ? { yearMode } : {}) })
      : await gifts.settings(ws.id);
    io.out(`${changed ? "Gift settings saved" : "Gift settings"} for ${ws.name ?? ws.slackTeamId}:`);
    for (const line of describe(s, ws.currency)) io.out(`  ${line}`);
    return 0;
  });
}

async function exportCsv(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: { year: { type: "string" }, out: { type: "string" }, team: { type: "string" } },
  });
  if (!values.year || !/^\d{4}$/.test(values.year)) throw new CliUsageError("--year YYYY is required, e.g. --year 2026.");
  const year = Number(values.year);
  return withDatabase(io, async (db) => {
    const workspaceId = values.team ? (await findWorkspace(db, values.team)).id : undefined;
    const rows = await service(db).exportRows(year, workspaceId);
    const csv = giftsCsv(rows);
    if (values.out) {
      const file = resolve(values.out);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, csv, "utf8");
      io.out(`Wrote ${rows.length - 1} gift and entertainment record(s) for ${year} to ${file}.`);
    } else {
      io.out(csv.replace(/\r\n$/, ""));
    }
    return 0;
  });
}

/** `ae-assistant gifts settings|export`: the firm's gift limit and year, and the compliance CSV. */
export const giftsCommand: CliCommand = {
  name: "gifts",
  summary: "gift limit settings, and the gift/entertainment CSV for compliance review",
  usage: "ae-assistant gifts settings|export …",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    return runWithUsage(io, USAGE, async () => {
      if (sub === "settings") return settings(rest, io);
      if (sub === "export") return exportCsv(rest, io);
      throw new CliUsageError(sub ? `Unknown gifts subcommand "${sub}".` : "Say what to do: settings or export.");
    });
  },
};
