import { parseArgs } from "node:util";
import { parseAmount } from "../../domain/amounts.js";
import { commissionFor, type BonusTier } from "../../domain/commission.js";
import { PERIOD_TYPES, type PeriodType } from "../../domain/periods.js";
import { isLocalDate, localDateOf } from "../../domain/time.js";
import { CompPlanRepository, type CompPlanInput, type CompPlanRecord } from "../../db/repositories/comp-plan-repository.js";
import { workspaceZone } from "../../services/quota-service.js";
import { centsToDecimal } from "../../domain/csv.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { CliUsageError, findUser, findWorkspace, runWithUsage, withDatabase } from "./cli-workspace.js";

const USAGE = [
  "ae-assistant comp set --user <slack id> --rate 0.1 [--base 120000] [--accelerator 1.5]",
  "    [--decelerator-below 0.5 --decelerator 0.5] [--bonus 1.0:5000 --bonus 1.2:10000]",
  "    [--period month|quarter|year] [--from YYYY-MM-DD] [--team <slack team id>]",
  "ae-assistant comp show --user <slack id> [--team <slack team id>]",
].join("\n  ");

function money(text: string, what: string): number {
  const r = parseAmount(text, "en-US");
  if (!r.ok) throw new CliUsageError(`${what} "${text}" is not an amount (e.g. 120000, 120k, 5000.50).`);
  return r.cents;
}

function ratio(text: string | undefined, what: string, opts: { min?: number; max?: number; minExclusive?: boolean } = {}): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  const min = opts.min ?? 0;
  const tooLow = opts.minExclusive ? n <= min : n < min;
  if (text.trim() === "" || !Number.isFinite(n) || tooLow || (opts.max !== undefined && n > opts.max)) {
    const range = `${opts.minExclusive ? ">" : "≥"} ${min}${opts.max !== undefined ? ` and ≤ ${opts.max}` : ""}`;
    throw new CliUsageError(`${what} must be a number ${range}, got "${text}".`);
  }
  return n;
}

/** "1.0:5000" → { attainment: 1, amountCents: 500000 }. */
export function parseBonus(text: string): BonusTier {
  const m = /^([0-9]*\.?[0-9]+):(.+)$/.exec(text.trim());
  if (!m) throw new CliUsageError(`--bonus "${text}" must look like 1.0:5000 (attainment:amount).`);
  return { attainment: ratio(m[1], "bonus attainment", { min: 0, minExclusive: true })!, amountCents: money(m[2]!, "bonus amount") };
}

/** Human-readable plan lines for `comp show` and the confirmation of `comp set`. */
export function describePlan(p: CompPlanRecord | CompPlanInput, currency: string): string[] {
  const lines = [
    `period: ${p.periodType}, effective from ${p.effectiveFrom}`,
    `base salary: ${centsToDecimal(p.baseSalaryCents)} ${currency}`,
    `commission rate: ${p.commissionRate}`,
    `accelerator above 100% of quota: ${p.acceleratorMultiplier}x`,
    p.deceleratorThreshold != null
      ? `decelerator: ${p.deceleratorMultiplier}x on all revenue if attainment ends below ${p.deceleratorThreshold}`
      : "decelerator: none",
  ];
  const bonuses = [...p.bonuses].sort((a, b) => a.attainment - b.attainment);
  lines.push(bonuses.length === 0 ? "bonuses: none" : `bonuses: ${bonuses.map((b) => `${b.attainment} → ${centsToDecimal(b.amountCents)} ${currency}`).join(", ")}`);
  return lines;
}

async function set(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      user: { type: "string" },
      team: { type: "string" },
      base: { type: "string" },
      rate: { type: "string" },
      accelerator: { type: "string" },
      "decelerator-below": { type: "string" },
      decelerator: { type: "string" },
      bonus: { type: "string", multiple: true },
      period: { type: "string" },
      from: { type: "string" },
    },
  });
  if (!values.user) throw new CliUsageError("--user <slack user id> is required.");
  if (values.rate === undefined) throw new CliUsageError("--rate is required (e.g. 0.1 for 10 %).");
  const commissionRate = ratio(values.rate, "--rate", { max: 1 })!;
  const acceleratorMultiplier = ratio(values.accelerator, "--accelerator", { max: 10 }) ?? 1;
  const deceleratorThreshold = ratio(values["decelerator-below"], "--decelerator-below", { min: 0, minExclusive: true, max: 1 }) ?? null;
  const deceleratorMultiplier = ratio(values.decelerator, "--decelerator", { max: 1 }) ?? null;
  if ((deceleratorThreshold === null) !== (deceleratorMultiplier === null)) {
    throw new CliUsageError("--decelerator-below and --decelerator go together.");
  }
  const periodType = (values.period ?? "quarter") as PeriodType;
  if (!PERIOD_TYPES.includes(periodType)) throw new CliUsageError(`--period must be month, quarter or year, got "${values.period}".`);
  if (values.from !== undefined && !isLocalDate(values.from)) throw new CliUsageError(`--from must be a date YYYY-MM-DD, got "${values.from}".`);
  const bonuses = (values.bonus ?? []).map(parseBonus);
  if (new Set(bonuses.map((b) => b.attainment)).size !== bonuses.length) throw new CliUsageError("Two --bonus options have the same attainment.");
  const baseSalaryCents = values.base === undefined ? 0 : money(values.base, "--base");

  return withDatabase(io, async (db) => {
    const ws = await findWorkspace(db, values.team);
    const user = await findUser(db, ws, values.user!);
    const plan: CompPlanInput = {
      userId: user.id,
      baseSalaryCents,
      commissionRate,
      acceleratorMultiplier,
      deceleratorThreshold,
      deceleratorMultiplier,
      bonuses,
      periodType,
      effectiveFrom: values.from ?? localDateOf(new Date(), workspaceZone(ws)),
    };
    commissionFor(plan, 100, 0); // the domain's own validation, so a plan that saves always computes
    const saved = await new CompPlanRepository(db.prisma).save(plan);
    io.out(`Comp plan saved for ${user.name ?? user.slackUserId} (${user.slackUserId}):`);
    for (const line of describePlan(saved, ws.currency)) io.out(`  ${line}`);
    return 0;
  });
}

async function show(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { user: { type: "string" }, team: { type: "string" } } });
  if (!values.user) throw new CliUsageError("--user <slack user id> is required.");
  return withDatabase(io, async (db) => {
    const ws = await findWorkspace(db, values.team);
    const user = await findUser(db, ws, values.user!);
    const repo = new CompPlanRepository(db.prisma);
    const history = await repo.history(user.id);
    if (history.length === 0) {
      io.out(`No comp plan for ${user.name ?? user.slackUserId} (${user.slackUserId}).`);
      return 0;
    }
    const current = await repo.current(user.id, localDateOf(new Date(), workspaceZone(ws)));
    io.out(`Comp plans for ${user.name ?? user.slackUserId} (${user.slackUserId}), newest first:`);
    for (const p of history) {
      io.out(p.id === current?.id ? "* current" : p.effectiveFrom > (current?.effectiveFrom ?? "") ? "* upcoming" : "* earlier");
      for (const line of describePlan(p, ws.currency)) io.out(`  ${line}`);
    }
    return 0;
  });
}

/** `ae-assistant comp set|show`: comp plans are set by admins here; each rep sees only their own in /ae quota. */
export const compCommand: CliCommand = {
  name: "comp",
  summary: "set or show a rep's comp plan (base, rate, accelerator, decelerator, bonuses)",
  usage: "ae-assistant comp set|show --user <slack id> …",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    return runWithUsage(io, USAGE, async () => {
      if (sub === "set") return set(rest, io);
      if (sub === "show") return show(rest, io);
      throw new CliUsageError(sub ? `Unknown comp subcommand "${sub}".` : "Say what to do: set or show.");
    });
  },
};
