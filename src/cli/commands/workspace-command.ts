import { parseArgs } from "node:util";
import { centsToDecimal } from "../../domain/csv.js";
import { OPEN_STAGES } from "../../domain/deal-stages.js";
import { parseNeglectSpec, parseProbabilitySpec, type WorkspaceSettingError, type WorkspaceSettings, type WorkspaceSettingsInput } from "../../domain/workspace-settings.js";
import { settingsOf } from "../../services/workspace-settings-service.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { CliUsageError, runWithUsage, withSettings } from "./cli-workspace.js";

const USAGE = [
  "ae-assistant workspace show [--team <slack team id>]",
  "ae-assistant workspace set [--currency EUR] [--fiscal-start 4] [--timezone Europe/Berlin] [--pace business|calendar]",
  "                           [--neglect key:7,growth:14,standard:30] [--gift-limit <amount>|none] [--gift-year calendar|rolling]",
  "                           [--stall-days 30] [--close-soon-days 7] [--no-touch-days 7]",
  "                           [--retention-notes <months>] [--retention-deals <months>] [--retention-departed <months>] [--retention-gifts <years, at least 6>]",
  "                           [--probabilities prospect:10,qualified:25,proposal:50,negotiation:75]",
  "                           [--confirm-currency-change] [--team <slack team id>]",
].join("\n  ");

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** What a CLI flag is called, for messages about a field. */
const FLAG: Record<WorkspaceSettingError["field"], string> = {
  currency: "--currency",
  fiscalYearStartMonth: "--fiscal-start",
  timezone: "--timezone",
  paceMode: "--pace",
  neglectKeyDays: "--neglect key:",
  neglectGrowthDays: "--neglect growth:",
  neglectStandardDays: "--neglect standard:",
  giftLimit: "--gift-limit",
  giftYearMode: "--gift-year",
  dealStallDays: "--stall-days",
  dealCloseSoonDays: "--close-soon-days",
  dealNoTouchDays: "--no-touch-days",
  retentionTouchNotesMonths: "--retention-notes",
  retentionClosedDealsMonths: "--retention-deals",
  retentionDepartedMonths: "--retention-departed",
  retentionGiftYears: "--retention-gifts",
  stageProbabilityProspect: "--probabilities prospect:",
  stageProbabilityQualified: "--probabilities qualified:",
  stageProbabilityProposal: "--probabilities proposal:",
  stageProbabilityNegotiation: "--probabilities negotiation:",
};

const PROBLEM: Record<WorkspaceSettingError["problem"], string> = {
  currency_unknown: "is not an ISO 4217 currency code",
  timezone_unknown: "is not an IANA time zone name",
  fiscal_start_out_of_range: "is not a month number from 1 (January) to 12 (December)",
  pace_unknown: "must be business or calendar",
  neglect_invalid: "must be a whole number of days from 1 to 365",
  gift_limit_invalid: "is not a positive amount (or none)",
  gift_year_unknown: "must be calendar or rolling",
  deal_days_invalid: "must be a whole number of days from 1 to 365",
  close_soon_invalid: "must be a whole number of days from 1 to 90",
  retention_months_invalid: "must be a whole number of months from 1 to 240",
  retention_gift_years_invalid: "must be a whole number of years from 6 to 50",
  retention_gift_years_below_floor: "is below the legal floor: gift records are kept at least 6 years (FINRA Rule 3220(c) with Rule 4511)",
  probability_invalid: "must be a whole percent from 0 to 100",
};

export function describeSettings(s: WorkspaceSettings, holidayCount: number): string[] {
  return [
    `currency:            ${s.currency}`,
    `fiscal year starts:  ${MONTHS[s.fiscalYearStartMonth - 1]} (${s.fiscalYearStartMonth})`,
    `time zone:           ${s.timezone}`,
    `pace:                ${s.paceMode === "business" ? "business days (Mon–Fri minus holidays)" : "calendar days"}`,
    `neglected after:     key ${s.neglectDays.key} days, growth ${s.neglectDays.growth} days, standard ${s.neglectDays.standard} days`,
    `gift limit:          ${s.giftLimitCents === null ? "none (FINRA limit only)" : `${centsToDecimal(s.giftLimitCents)} ${s.currency} per recipient per year`}`,
    `gift year:           ${s.giftYearMode === "calendar" ? "calendar year" : "rolling 12 months"}`,
    `deals need attention: stalled over ${s.dealAttention.stallDays} days in a stage; closing within ${s.dealAttention.closeSoonDays} days with no touch for ${s.dealAttention.noTouchDays} days; or past their close date`,
    `kept:                touch notes ${s.retention.touchNotesMonths} months, closed deals ${s.retention.closedDealsMonths} months, departed reps' data ${s.retention.departedMonths} months, gift records ${s.retention.giftYears} years`,
    `stage probabilities: ${OPEN_STAGES.map((stage) => `${stage} ${s.stageProbabilities[stage]}%`).join(", ")} (weighted pipeline)`,
    `holidays:            ${holidayCount} on file (ae-assistant holidays list)`,
  ];
}

async function show(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { team: { type: "string" } } });
  return withSettings(io, values.team, async (ws, settings) => {
    const holidays = await settings.holidays(ws.id);
    io.out(`Workspace settings for ${ws.name ?? ws.slackTeamId}:`);
    for (const line of describeSettings(settingsOf(ws), holidays.length)) io.out(`  ${line}`);
    return 0;
  });
}

async function set(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      currency: { type: "string" },
      "fiscal-start": { type: "string" },
      timezone: { type: "string" },
      pace: { type: "string" },
      neglect: { type: "string" },
      "gift-limit": { type: "string" },
      "gift-year": { type: "string" },
      "stall-days": { type: "string" },
      "close-soon-days": { type: "string" },
      "no-touch-days": { type: "string" },
      "retention-notes": { type: "string" },
      "retention-deals": { type: "string" },
      "retention-departed": { type: "string" },
      "retention-gifts": { type: "string" },
      probabilities: { type: "string" },
      "confirm-currency-change": { type: "boolean" },
      team: { type: "string" },
    },
  });
  const input: WorkspaceSettingsInput = {
    ...(values.currency !== undefined ? { currency: values.currency } : {}),
    ...(values["fiscal-start"] !== undefined ? { fiscalYearStartMonth: values["fiscal-start"] } : {}),
    ...(values.timezone !== undefined ? { timezone: values.timezone } : {}),
    ...(values.pace !== undefined ? { paceMode: values.pace } : {}),
    ...(values["gift-limit"] !== undefined ? { giftLimit: values["gift-limit"].trim().toLowerCase() === "none" ? "" : values["gift-limit"] } : {}),
    ...(values["gift-year"] !== undefined ? { giftYearMode: values["gift-year"] } : {}),
    ...(values["stall-days"] !== undefined ? { dealStallDays: values["stall-days"] } : {}),
    ...(values["close-soon-days"] !== undefined ? { dealCloseSoonDays: values["close-soon-days"] } : {}),
    ...(values["no-touch-days"] !== undefined ? { dealNoTouchDays: values["no-touch-days"] } : {}),
    ...(values["retention-notes"] !== undefined ? { retentionTouchNotesMonths: values["retention-notes"] } : {}),
    ...(values["retention-deals"] !== undefined ? { retentionClosedDealsMonths: values["retention-deals"] } : {}),
    ...(values["retention-departed"] !== undefined ? { retentionDepartedMonths: values["retention-departed"] } : {}),
    ...(values["retention-gifts"] !== undefined ? { retentionGiftYears: values["retention-gifts"] } : {}),
  };
  if (values.neglect !== undefined) {
    const spec = parseNeglectSpec(values.neglect);
    if (!spec.ok) throw new CliUsageError(`--neglect "${spec.detail}" is not tier:days; for example --neglect key:7,growth:14,standard:30. Nothing was changed.`);
    Object.assign(input, spec.input);
  }
  if (values.probabilities !== undefined) {
    const spec = parseProbabilitySpec(values.probabilities);
    if (!spec.ok) {
      throw new CliUsageError(`--probabilities "${spec.detail}" is not stage:percent; for example --probabilities prospect:10,qualified:25,proposal:50,negotiation:75. Nothing was changed.`);
    }
    Object.assign(input, spec.input);
  }
  if (Object.keys(input).length === 0) throw new CliUsageError("Nothing to set: give at least one option.");
  return withSettings(io, values.team, async (ws, settings) => {
    const result = await settings.update(ws, input, { locale: "en-US", confirmCurrencyChange: values["confirm-currency-change"] === true });
    if (result.status === "invalid") {
      for (const e of result.errors) io.err(`${FLAG[e.field]} "${e.detail}" ${PROBLEM[e.problem]}; for example ${FLAG[e.field]}${FLAG[e.field].endsWith(":") ? "" : " "}${e.example}.`);
      io.err("Nothing was changed.");
      return 2;
    }
    if (result.status === "confirm_currency") {
      io.err(
        `The workspace already holds ${result.amounts} amounts in ${result.from}. Changing the currency to ${result.to} does not convert them: ` +
          `each amount keeps its number and is shown in ${result.to} from then on. Run again with --confirm-currency-change if that is what you want. Nothing was changed.`,
      );
      return 3;
    }
    io.out(result.changed.length === 0 ? `No change for ${ws.name ?? ws.slackTeamId}; the settings are:` : `Saved (${result.changed.join(", ")}) for ${ws.name ?? ws.slackTeamId}:`);
    for (const line of describeSettings(result.settings, (await settings.holidays(ws.id)).length)) io.out(`  ${line}`);
    if (result.changed.length > 0) io.out("They apply from the next command, digest and leaderboard (running bots pick them up within 30 seconds).");
    return 0;
  });
}

export const workspaceCommand: CliCommand = {
  name: "workspace",
  summary: "show or change the workspace settings (currency, fiscal year, zone, pace, thresholds, gift limit, retention, stage probabilities)",
  usage: "workspace show|set [options]",
  run: (argv, io) =>
    runWithUsage(io, USAGE, async () => {
      const [sub, ...rest] = argv;
      if (sub === "show") return show(rest, io);
      if (sub === "set") return set(rest, io);
      throw new CliUsageError(sub ? `Unknown subcommand "${sub}".` : "Say show or set.");
    }),
};
