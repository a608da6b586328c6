import { parseArgs } from "node:util";
import { isHolidayKind, type HolidayKind } from "../../domain/public-holidays.js";
import { localDateOf } from "../../domain/time.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { CliUsageError, runWithUsage, withSettings } from "./cli-workspace.js";

const USAGE = [
  "ae-assistant holidays list [--year 2027] [--team <slack team id>]",
  "ae-assistant holidays add <YYYY-MM-DD> [name…] [--team <slack team id>]",
  "ae-assistant holidays remove <YYYY-MM-DD> [--team <slack team id>]",
  "ae-assistant holidays import --country DE [--region BY] [--year 2027] [--include optional,observance,bank,school]",
  "                             [--language de] [--dry-run] [--team <slack team id>]",
].join("\n  ");

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { year: { type: "string" }, team: { type: "string" } } });
  const year = values.year === undefined ? undefined : parseYear(values.year);
  return withSettings(io, values.team, async (ws, settings) => {
    const rows = await settings.holidays(
      ws.id,
      year === undefined ? {} : { from: `${year}-01-01`, to: `${year + 1}-01-01` },
    );
    io.out(`${rows.length} holiday${rows.length === 1 ? "" : "s"}${year === undefined ? "" : ` in ${year}`} for ${ws.name ?? ws.slackTeamId}:`);
    for (const h of rows) io.out(`  ${h.date}  ${h.name ?? ""}`.trimEnd());
    return 0;
  });
}

async function add(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { team: { type: "string" } } });
  const [date, ...name] = positionals;
  if (!date) throw new CliUsageError("Give the date, e.g. holidays add 2027-12-24 Christmas Eve.");
  return withSettings(io, values.team, async (ws, settings) => {
    const result = await settings.addHoliday(ws.id, date, name.join(" ") || null);
    if (!result.ok) throw new CliUsageError(`"${date}" is not a date; write it as YYYY-MM-DD, e.g. 2027-12-24. Nothing was changed.`);
    io.out(result.added ? `Added ${date}. Pace counts it from now on.` : `${date} was already a holiday; nothing changed.`);
    return 0;
  });
}

async function remove(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { team: { type: "string" } } });
  const [date] = positionals;
  if (!date || positionals.length > 1) throw new CliUsageError("Give one date, e.g. holidays remove 2027-12-24.");
  return withSettings(io, values.team, async (ws, settings) => {
    const result = await settings.removeHoliday(ws.id, date);
    if (!result.ok) throw new CliUsageError(`"${date}" is not a date; write it as YYYY-MM-DD, e.g. 2027-12-24. Nothing was changed.`);
    io.out(result.removed ? `Removed ${date}.` : `${date} was not a holiday; nothing changed.`);
    return 0;
  });
}

function parseYear(text: string): number {
  if (!/^\d{4}$/.test(text.trim())) throw new CliUsageError(`--year "${text}" is not a year; for example --year 2027. Nothing was changed.`);
  return Number(text);
}

async function importHolidays(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      country: { type: "string" },
      region: { type: "string" },
      year: { type: "string" },
      include: { type: "string" },
      language: { type: "string" },
      "dry-run": { type: "boolean" },
      team: { type: "string" },
    },
  });
  if (!values.country) throw new CliUsageError("Give the country, e.g. holidays import --country DE --region BY --year 2027.");
  const extraKinds: HolidayKind[] = [];
  for (const kind of (values.include ?? "").split(",").map((k) => k.trim().toLowerCase()).filter(Boolean)) {
    if (!isHolidayKind(kind)) throw new CliUsageError(`--include "${kind}" is not a kind of holiday; use any of optional, observance, bank, school. Nothing was changed.`);
    extraKinds.push(kind);
  }
  return withSettings(io, values.team, async (ws, settings) => {
    const year = values.year === undefined ? Number(localDateOf(new Date(), ws.timezone).slice(0, 4)) : parseYear(values.year);
    const result = await settings.importHolidays(ws.id, {
      country: values.country!,
      ...(values.region !== undefined ? { region: values.region } : {}),
      year,
      extraKinds,
      ...(values.language !== undefined ? { language: values.language } : {}),
      dryRun: values["dry-run"] === true,
    });
    if (!result.ok) {
      const why =
        result.problem === "unknown_country"
          ? `--country "${result.detail}" is not a country the holiday calendar knows; use an ISO 3166 code, e.g. --country ${result.example}.`
          : result.problem === "unknown_region"
            ? `--region "${result.detail}" is not a region of that country; known regions: ${(result.known ?? []).join(", ") || "none"}.`
            : `--year "${result.detail}" is out of range; for example --year ${result.example}.`;
      throw new CliUsageError(`${why} Nothing was changed.`);
    }
    const where = `${result.country}${result.region ? `-${result.region}` : ""}`;
    io.out(
      values["dry-run"]
        ? `Dry run: ${result.found} holidays of ${where} in ${result.year} would be imported (dates already on file are kept):`
        : `Imported ${result.added} of ${result.found} holidays of ${where} in ${result.year} (${result.found - result.added} were already on file):`,
    );
    for (const h of result.holidays) io.out(`  ${h.date}  ${h.name}${h.kind === "public" ? "" : ` (${h.kind})`}`);
    return 0;
  });
}

export const holidaysCommand: CliCommand = {
  name: "holidays",
  summary: "list, add, remove or import (by country/region) the holidays that business-day pace skips",
  usage: "holidays list|add|remove|import [options]",
  run: (argv, io) =>
    runWithUsage(io, USAGE, async () => {
      const [sub, ...rest] = argv;
      if (sub === "list") return list(rest, io);
      if (sub === "add") return add(rest, io);
      if (sub === "remove") return remove(rest, io);
      if (sub === "import") return importHolidays(rest, io);
      throw new CliUsageError(sub ? `Unknown subcommand "${sub}".` : "Say list, add, remove or import.");
    }),
};
