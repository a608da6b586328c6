import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { centsToDecimal } from "../../domain/csv.js";
import { identifyActor } from "../../db/audit/audit-scope.js";
import type { Database } from "../../db/client.js";
import type { Workspace } from "../../db/repositories/workspace-repository.js";
import type { ErasurePlan, ErasureResult, PersonSelector, RetentionPlan } from "../../services/privacy-service.js";
import type { Services } from "../../services/services.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { cliServices, CliUsageError, findWorkspace, runWithUsage, withDatabase } from "./cli-workspace.js";

const USAGE = [
  'ae-assistant privacy export (--contact "<name>" | --email <address> | --user <slack id>) --as <admin slack id> [--out <file.json>] [--team <slack team id>]',
  'ae-assistant privacy erase (--contact "<name>" | --email <address> | --user <slack id>) --as <admin slack id> [--confirm] [--redact-notes] [--team <slack team id>]',
  "ae-assistant privacy retention --as <admin slack id> [--dry-run] [--team <slack team id>]",
].join("\n  ");

/** Exit code of a run refused for who is running it (not an admin) or for whom it is about (still active). */
const REFUSED = 3;

const SELECTOR_OPTIONS = { contact: { type: "string" }, email: { type: "string" }, user: { type: "string" } } as const;
const COMMON = { as: { type: "string" }, team: { type: "string" } } as const;

function selectorOf(values: { contact?: string; email?: string; user?: string }): PersonSelector {
  const given = [values.contact !== undefined, values.email !== undefined, values.user !== undefined].filter(Boolean).length;
  if (given !== 1) throw new CliUsageError('Say whose data, with exactly one of --contact "<name>", --email <address> or --user <slack id>.');
  if (values.contact !== undefined) {
    if (values.contact.trim().length < 2) throw new CliUsageError('--contact needs the person\'s name, e.g. --contact "Jane Roe".');
    return { contact: values.contact.trim() };
  }
  if (values.email !== undefined) {
    if (!/^[^\s@]+@[^\s@]+$/.test(values.email.trim())) throw new CliUsageError(`--email "${values.email}" is not an e-mail address, e.g. --email jane.roe@example.com.`);
    return { email: values.email.trim() };
  }
  if (!/^[UW][A-Z0-9]{2,}$/.test(values.user ?? "")) throw new CliUsageError(`--user "${values.user ?? ""}" is not a Slack user id, e.g. --user U0123ABCD.`);
  return { user: values.user! };
}

function describeSelector(s: PersonSelector): string {
  return "contact" in s ? `contact “${s.contact}”` : "email" in s ? `e-mail ${s.email}` : `rep ${s.user}`;
}

/**
 * Opens the workspace and checks `--as`: privacy operations run only for an admin of the
 * workspace, who is then recorded as the one acting (README → Data protection, "Who can do what").
 */
async function asAdmin<T>(db: Database, io: CliIo, values: { as?: string; team?: string }, fn: (ws: Workspace, services: Services) => Promise<T>): Promise<T | number> {
  if (!values.as) throw new CliUsageError("--as <your Slack user id> is required: privacy operations are run by an admin, who is recorded in the audit trail.");
  const ws = await findWorkspace(db, values.team);
  const { services } = cliServices(db, io);
  const check = await services.privacy.checkAdmin(ws, values.as);
  if (!check.ok) {
    const why = { unknown_user: "is not a user of this workspace (they need to run /ae once)", not_admin: "is not an admin (the bot's admin role, or a Slack workspace admin)", inactive: "is deactivated" }[check.problem];
    io.err(`Refused: ${values.as} ${why}. Only admins run privacy operations. Nothing was read or changed.`);
    return REFUSED;
  }
  identifyActor({ userId: check.admin.id, workspaceId: ws.id });
  return fn(ws, services);
}

async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { ...SELECTOR_OPTIONS, ...COMMON, out: { type: "string" } } });
  const selector = selectorOf(values);
  return withDatabase(io, async (db) => {
    const done = await asAdmin(db, io, values, async (ws, services) => {
      const data = await services.privacy.exportPerson(ws, selector);
      const json = JSON.stringify(data, null, 2);
      if (values.out) {
        const file = resolve(values.out);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(`${file}.partial`, json + "\n", "utf8");
        renameSync(`${file}.partial`, file);
        const n = (k: string) => (Array.isArray(data[k]) ? (data[k] as unknown[]).length : 0);
        io.out(`Exported the data of ${describeSelector(selector)} to ${file}: ${n("contacts")} contacts, ${n("gifts")} gift records, ${n("users")} user profiles, ${n("possibleMatches")} possible matches in free text.`);
      } else {
        io.out(json);
      }
      return 0;
    });
    return done;
  });
}

function giftLine(g: { id: number; givenOn: string; kind: string; recipientName: string; amountCents: number; description: string }, currency: string): string {
  return `${g.kind} #${g.id} ${g.givenOn} to ${g.recipientName}: ${centsToDecimal(g.amountCents)} ${currency} ${JSON.stringify(g.description.slice(0, 60))}`;
}

function printPlan(io: CliIo, ws: Workspace, plan: ErasurePlan, done: ErasureResult | null): void {
  const verb = done ? "Erased" : "Would erase";
  const lines: string[] = [];
  for (const c of plan.contacts) lines.push(`  contact #${c.id} ${c.name}${c.email ? ` <${c.email}>` : ""} on ${c.account.name}: deleted`);
  for (const a of plan.individualAccounts) lines.push(`  individual account #${a.id} “${a.name}”: made anonymous (“Erased client #${a.id}”); its touch notes, follow-up titles and deal titles cleared; its amounts stay`);
  for (const g of plan.gifts.filter((x) => x.decision === "erase")) lines.push(`  ${giftLine(g.gift, ws.currency)}: deleted (its retention ended on ${g.purgeOn})`);
  if (plan.user) {
    const u = plan.user;
    lines.push(`  rep ${u.user.slackUserId}${u.user.name ? ` (${u.user.name})` : ""}: profile and reminder settings cleared, ${u.quotas} quotas and ${u.compPlans} comp plans deleted, removed from ${u.teams} teams and ${u.participations} touches as a participant`);
    if (u.giftsInRetention > 0) lines.push(`    kept: their name and Slack id, which ${u.giftsInRetention} gift records inside retention name as the giver (FINRA Rule 3220/4511), until ${u.keepIdentityUntil}; then cleared by the retention job`);
    if (u.accountsOwned > 0) lines.push(`    kept: the ${u.accountsOwned} accounts they own (the company's); their manager sees them as needing a new owner — hand them over with ae-assistant reassign`);
  }
  io.out(`${verb}${lines.length === 0 ? ": nothing" : ":"}`);
  for (const l of lines) io.out(l);
  const restricted = plan.gifts.filter((g) => g.decision !== "erase");
  if (restricted.length > 0) {
    io.out(`${done ? "Restricted" : "Would restrict"} (kept, hidden from every view and export except the compliance export \`ae-assistant gifts export\`, purged on the date shown):`);
    for (const g of restricted) {
      io.out(`  ${giftLine(g.gift, ws.currency)}: until ${g.purgeOn}${g.decision === "already_restricted" ? " (already restricted)" : ""}`);
    }
    io.out("  Why: FINRA Rule 3220(c) requires a record of every gift and gratuity, kept under Rule 4511 (six years where no other period applies); GDPR Art. 17(3)(b): the right to erasure does not apply where processing is needed to comply with a legal obligation.");
  }
  if (plan.possibleMatches.length > 0) {
    const redacted = done?.erased.redacted ?? 0;
    io.out(
      done && redacted > 0
        ? `Possible matches in free text: ${redacted} of ${plan.possibleMatches.length} redacted (the name or e-mail replaced with [erased]):`
        : `Possible matches in free text (${plan.possibleMatches.length}, not changed: the words may be about someone else; review them, or run again with --redact-notes):`,
    );
    for (const m of plan.possibleMatches.slice(0, 50)) io.out(`  ${m.kind.replace(/_/g, " ")} #${m.id} on ${m.accountName} (${m.at.toISOString().slice(0, 10)}): ${JSON.stringify(m.text.slice(0, 100))}`);
    if (plan.possibleMatches.length > 50) io.out(`  …and ${plan.possibleMatches.length - 50} more (ae-assistant privacy export lists them all)`);
  }
  if (plan.contacts.some((c) => c.externalId)) io.out("Also erase the person in the CRM: a contact that still exists there comes back with the next pull.");
}

async function eraseCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { ...SELECTOR_OPTIONS, ...COMMON, confirm: { type: "boolean" }, "redact-notes": { type: "boolean" } } });
  const selector = selectorOf(values);
  return withDatabase(io, async (db) =>
    asAdmin(db, io, values, async (ws, services) => {
      if (!values.confirm) {
        const plan = await services.privacy.planErasure(ws, selector);
        io.out(`Erasure of ${describeSelector(selector)} in ${ws.name ?? ws.slackTeamId} — dry run: nothing was changed. Run again with --confirm to erase.`);
        if (plan.user?.active) io.out(`  Refused when confirmed: ${plan.user.user.slackUserId} is still active in Slack. Erase a rep's data after they leave (Slack deactivates them); hand their book over first.`);
        printPlan(io, ws, plan, null);
        await services.privacy.recordDryRun(ws, plan);
        return 0;
      }
      const result = await services.privacy.erase(ws, selector, { redactMatches: values["redact-notes"] === true });
      if ("refused" in result) {
        io.err(`Refused: ${result.plan.user?.user.slackUserId} is still active in Slack. Erase a rep's data after they leave (Slack deactivates them); hand their book over first. Nothing was changed.`);
        return REFUSED;
      }
      if (result.plan.empty) {
        io.out(`Nothing is stored about ${describeSelector(selector)} in ${ws.name ?? ws.slackTeamId}. The run is recorded in the audit trail.`);
        return 0;
      }
      io.out(`Erasure of ${describeSelector(selector)} in ${ws.name ?? ws.slackTeamId} — done, recorded in the audit trail:`);
      printPlan(io, ws, result.plan, result);
      return 0;
    }),
  );
}

function printRetention(io: CliIo, plan: RetentionPlan, dryRun: boolean): void {
  const s = plan.settings;
  io.out(`Retention (${plan.today}): touch notes ${s.touchNotesMonths} months, closed deals ${s.closedDealsMonths} months, departed reps ${s.departedMonths} months, gift records ${s.giftYears} years.`);
  io.out(`${dryRun ? "The next run removes" : "Removed"}:`);
  io.out(`  ${plan.touchNotes.count} touch notes of touches before ${plan.touchNotes.before} (the touches stay)`);
  io.out(`  ${plan.closedDeals.ids.length} won or lost deals closed before ${plan.closedDeals.before}${plan.closedDeals.ids.length > 0 ? ` (#${plan.closedDeals.ids.slice(0, 20).join(", #")}${plan.closedDeals.ids.length > 20 ? ", …" : ""})` : ""}`);
  io.out(`  ${plan.gifts.ids.length} gift and entertainment records past their retention, ${plan.gifts.restricted} of them restricted${plan.gifts.ids.length > 0 ? ` (#${plan.gifts.ids.slice(0, 20).join(", #")})` : ""}`);
  io.out(`  the personal data of ${plan.departed.users.length} reps deactivated before ${plan.departed.before}${plan.departed.users.length > 0 ? ` (${plan.departed.users.map((u) => u.slackUserId).join(", ")})` : ""}`);
  if (plan.identities.length > 0) io.out(`  the names kept for gift records of ${plan.identities.length} erased reps, whose records are gone`);
}

async function retentionCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { ...COMMON, "dry-run": { type: "boolean" } } });
  return withDatabase(io, async (db) =>
    asAdmin(db, io, values, async (ws, services) => {
      if (values["dry-run"]) {
        printRetention(io, await services.privacy.retentionPlan(ws), true);
        await services.audit.record({ entity: "retention", action: "dry-run", workspaceId: ws.id });
        return 0;
      }
      printRetention(io, await services.privacy.runRetention(ws, new Date()), false);
      return 0;
    }),
  );
}

/** `ae-assistant privacy export|erase|retention`: one person's data, and the retention purge. Admins only. */
export const privacyCommand: CliCommand = {
  name: "privacy",
  summary: "a person's data: export (GDPR Art. 15/20), erase (Art. 17, dry run unless --confirm); retention (--dry-run)",
  usage: "privacy export|erase|retention …",
  run: (argv, io) =>
    runWithUsage(io, USAGE, async () => {
      const [sub, ...rest] = argv;
      if (sub === "export") return exportCommand(rest, io);
      if (sub === "erase") return eraseCommand(rest, io);
      if (sub === "retention") return retentionCommand(rest, io);
      throw new CliUsageError(sub ? `Unknown privacy subcommand "${sub}".` : "Say export, erase or retention.");
    }),
};
