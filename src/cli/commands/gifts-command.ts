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
import { GiftService, type GiftCorrectionChanges, type GiftSettings } from "../../services/gift-service.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { cliServices, CliUsageError, findUser, findWorkspace, runWithUsage, withDatabase } from "./cli-workspace.js";
import { identifyActor } from "../../db/audit/audit-scope.js";
import type { GiftRecord } from "../../db/repositories/gift-repository.js";
import { isLocalDate } from "../../domain/time.js";
import { toActor } from "../../services/actor-service.js";

const USAGE = [
  "ae-assistant gifts settings [--limit <amount>|none] [--year calendar|rolling] [--team <slack team id>]",
  "ae-assistant gifts export --year 2026 [--out gifts-2026.csv] [--team <slack team id>]",
  'ae-assistant gifts correct <entry #> --as <slack id> --reason "<why>" [--amount <amount>] [--void] [--recipient "<name>"] [--date YYYY-MM-DD]',
  '                           [--description "<text>"] [--kind gift|entertainment] [--override-reason "<why>"] [--team <slack team id>]',
].join("\n  ");

/** Columns that never hold typed text (dates, amount, currency, yes/no, entry numbers): no formula guard needed. */
const SAFE_COLUMNS = new Set([0, 5, 6, 8, 10, 11, 12, 14, 16]);

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

/**
 * `gifts correct`: a new entry that corrects an old one (entries are never edited in place), in
 * the name of `--as` (the giver, their manager or an admin). Prints both entries.
 */
async function correct(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      as: { type: "string" },
      reason: { type: "string" },
      amount: { type: "string" },
      void: { type: "boolean" },
      recipient: { type: "string" },
      date: { type: "string" },
      description: { type: "string" },
      kind: { type: "string" },
      "override-reason": { type: "string" },
      team: { type: "string" },
    },
  });
  const id = positionals.length === 1 && /^#?\d{1,12}$/.test(positionals[0]!) ? Number(positionals[0]!.replace("#", "")) : null;
  if (id === null) throw new CliUsageError("Name the entry to correct by its number (the compliance export's entry column), e.g. gifts correct 12 --amount 80 --reason \"typo\".");
  if (!values.as) throw new CliUsageError("--as <slack id> is required: the correction is made in someone's name (the giver, their manager or an admin).");
  if (!values.reason?.trim()) throw new CliUsageError('--reason "<why>" is required: every correction says why the entry was wrong.');
  if (values.void && values.amount !== undefined) throw new CliUsageError("--void sets the amount to 0: give --void or --amount, not both.");
  const changes: GiftCorrectionChanges = {};
  if (values.void) changes.amountCents = 0;
  if (values.amount !== undefined) {
    const r = parseAmount(values.amount, "en-US");
    if (!r.ok) throw new CliUsageError(`--amount "${values.amount}" is not an amount, e.g. --amount 80 or --amount 1,250.50.`);
    changes.amountCents = r.cents;
  }
  if (values.recipient !== undefined) changes.recipientName = values.recipient;
  if (values.description !== undefined) changes.description = values.description;
  if (values.date !== undefined) {
    if (!isLocalDate(values.date)) throw new CliUsageError(`--date "${values.date}" is not a date, e.g. --date 2026-11-30.`);
    changes.givenOn = values.date;
  }
  if (values.kind !== undefined) {
    if (values.kind !== "gift" && values.kind !== "entertainment") throw new CliUsageError(`--kind must be gift or entertainment, not "${values.kind}".`);
    changes.kind = values.kind;
  }
  if (Object.keys(changes).length === 0) throw new CliUsageError("Say what is corrected: --amount, --void, --recipient, --date, --description or --kind.");
  return withDatabase(io, async (db) => {
    const ws = await findWorkspace(db, values.team);
    const user = await findUser(db, ws, values.as!);
    identifyActor({ userId: user.id });
    const { services, defaultTimezone } = cliServices(db, io);
    const actor = toActor(user, ws, defaultTimezone);
    const result = await services.gifts.correct(actor, await services.principal(actor), id, changes, values.reason!, values["override-reason"]);
    const line = (g: GiftRecord) => `#${g.id} ${g.givenOn} ${g.kind} to ${g.recipientName}: ${centsToDecimal(g.amountCents)} ${ws.currency} ${JSON.stringify(g.description)}`;
    switch (result.kind) {
      case "saved":
        io.out(`Corrected entry ${line(result.corrected)}`);
        io.out(`     by entry ${line(result.gift)} — ${result.gift.correctionReason}${result.gift.overLimit ? ` (over the limit: ${result.gift.overrideReason})` : ""}`);
        io.out("Both entries stay in the compliance export (ae-assistant gifts export); the limit counts the correction only.");
        return 0;
      case "over_limit":
        io.err(
          `The corrected entry would take the recipient to ${centsToDecimal(result.check.totalAfterCents)} ${ws.currency} this year, over the limit of ${centsToDecimal(result.check.limitCents)} by ${centsToDecimal(result.check.overByCents)}. ` +
            'Give --override-reason "<why>" to record it as over the limit. Nothing was changed.',
        );
        return 2;
      case "already_corrected":
        io.err(`Entry #${id} was already corrected; correct the latest entry instead: gifts correct ${result.latestId} …. Nothing was changed.`);
        return 2;
      case "restricted":
        io.err(`Entry #${id} is restricted (its recipient's data was erased): it stays as it is until it is purged. Nothing was changed.`);
        return 2;
      case "no_change":
        io.err(`That is what entry #${id} already says. Nothing was changed.`);
        return 2;
      case "not_found":
        io.err(`There is no gift or entertainment entry #${id} in ${ws.name ?? ws.slackTeamId}. Nothing was changed.`);
        return 2;
      case "reason_missing":
        io.err('--reason "<why>" is required. Nothing was changed.');
        return 2;
      case "denied":
        io.err(`Refused: ${values.as} may not correct entry #${id} (${result.reason}: only the giver, their manager or an admin may). Nothing was changed.`);
        return 3;
    }
  });
}

/** `ae-assistant gifts settings|export|correct`: the firm's gift limit and year, the compliance CSV, corrections. */
export const giftsCommand: CliCommand = {
  name: "gifts",
  summary: "gift limit settings, the gift/entertainment CSV for compliance review, and corrections",
  usage: "ae-assistant gifts settings|export|correct …",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    return runWithUsage(io, USAGE, async () => {
      if (sub === "settings") return settings(rest, io);
      if (sub === "export") return exportCsv(rest, io);
      if (sub === "correct") return correct(rest, io);
      throw new CliUsageError(sub ? `Unknown gifts subcommand "${sub}".` : "Say what to do: settings, export or correct.");
    });
  },
};
