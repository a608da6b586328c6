import { parseArgs } from "node:util";
import { loadCrmConfig, loadDatabaseConfig } from "../../config/load-config.js";
import { crmOptions } from "../../services/crm/create-crm-sync.js";
import { DEFAULT_HANDOVER_SCOPE, handoverScopeOf, type HandoverCounts } from "../../domain/handover.js";
import type { Principal } from "../../domain/authorization.js";
import { createLogger } from "../../logger.js";
import type { HandoverPreview, HandoverRefusal, PersonRef } from "../../services/handover-service.js";
import { createServices } from "../../services/services.js";
import { planHandoverNotices } from "../../slack/handover-notices.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { CliUsageError, findWorkspace, runWithUsage, withDatabase } from "./cli-workspace.js";

const USAGE = "ae-assistant reassign --from <slack id|email> [--from …] --to <slack id|email> [--scope accounts|all] [--dry-run] [--team <slack team id>]";

/** "U123ABC" → a Slack user id, "dana@example.com" → an e-mail address. */
export function personRef(text: string, flag: string): PersonRef {
  const value = text.trim();
  if (/^[UW][A-Z0-9]{2,}$/.test(value)) return { slackUserId: value };
  if (/^[^\s@]+@[^\s@]+$/.test(value)) return { email: value };
  throw new CliUsageError(`${flag} "${text}" is neither a Slack user id (U…) nor an e-mail address.`);
}

function describeRef(ref: PersonRef): string {
  return "slackUserId" in ref ? ref.slackUserId : ref.email;
}

function what(c: HandoverCounts): string {
  const n = (count: number, one: string, other: string) => `${count} ${count === 1 ? one : other}`;
  return [n(c.accounts, "account", "accounts"), n(c.followUps, "open follow-up", "open follow-ups"), n(c.deals, "open deal", "open deals")].join(", ");
}

function refusalText(r: HandoverRefusal): string {
  switch (r.kind) {
    case "same_person":
      return "--from and --to name the same person.";
    case "unknown_user":
      return `No user ${describeRef(r.ref)} in this workspace. They need to run /ae once first.`;
    case "inactive":
      return `${r.user.name ?? r.user.slackUserId} (${r.user.slackUserId}) is deactivated in Slack: hand the book to someone active.`;
    case "denied":
      return `Refused (${r.reason}).`;
  }
}

/** The CLI acts as an admin: any person to any person in the workspace. */
const ADMIN: Principal = { userId: 0, role: "admin", managedUserIds: new Set() };

async function reassign(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      from: { type: "string", multiple: true },
      to: { type: "string" },
      scope: { type: "string" },
      "dry-run": { type: "boolean" },
      team: { type: "string" },
    },
  });
  const froms = (values.from ?? []).map((f) => personRef(f, "--from"));
  if (froms.length === 0) throw new CliUsageError("--from is required (repeat it to hand over several people's books).");
  if (!values.to) throw new CliUsageError("--to is required.");
  const to = personRef(values.to, "--to");
  const scope = values.scope === undefined ? DEFAULT_HANDOVER_SCOPE : handoverScopeOf(values.scope);
  if (!scope) throw new CliUsageError(`--scope "${values.scope}" must be accounts or all.`);
  const dryRun = values["dry-run"] === true;
  const { logLevel, defaultTimezone } = loadDatabaseConfig(io.env);
  return withDatabase(io, async (db) => {
    const ws = await findWorkspace(db, values.team);
    const logger = createLogger(logLevel, (line) => io.err(line), []);
    const now = () => new Date();
    // With a CRM, the moved follow-ups' CRM tasks are queued to change owner (the running app pushes them).
    const services = createServices(db, { defaultTimezone, now, logger, crm: crmOptions(loadCrmConfig(io.env)) });
    // Both people are told: the DMs are queued in the outbox; the running app's scheduler sends them.
    services.events.on("book.handed_over", async (e) => void (await planHandoverNotices(services, e, now(), defaultTimezone)));
    // Every name is checked before anything moves: one typo refuses the whole run.
    const previews: Extract<HandoverPreview, { kind: "preview" | "nothing" }>[] = [];
    for (const from of froms) {
      const preview = await services.handovers.preview(ws, ADMIN, from, to, scope);
      if (preview.kind !== "preview" && preview.kind !== "nothing") {
        io.err(`${describeRef(from)} → ${describeRef(to)}: ${refusalText(preview)} Nothing was moved.`);
        return 2;
      }
      previews.push(preview);
    }
    let failed = 0;
    for (const preview of previews) {
      if (preview.kind === "nothing") {
        io.out(`${preview.from.slackUserId} → ${preview.to.slackUserId}: nothing to hand over.`);
        continue;
      }
      const line = `${preview.from.slackUserId} → ${preview.to.slackUserId} (scope ${scope}): ${what(preview.counts)}`;
      if (dryRun) {
        io.out(`${line} (dry run: nothing moved)`);
        continue;
      }
      const outcome = await services.handovers.confirm(ws, ADMIN, { fromUserId: preview.from.id, toUserId: preview.to.id, scope, fingerprint: preview.fingerprint }, null);
      if (outcome.kind === "moved") io.out(`${line} — moved; both told.`);
      else {
        failed += 1;
        io.err(`${line} — not moved: ${outcome.kind === "changed" ? "the data changed while running; run again." : refusalText(outcome)}`);
      }
    }
    return failed > 0 ? 1 : 0;
  });
}

/** `ae-assistant reassign`: hands one or more people's books to a colleague (offboarding), as an admin. */
export const reassignCommand: CliCommand = {
  name: "reassign",
  summary: "hand people's books (accounts, open follow-ups, open deals) to a colleague; --dry-run shows the counts",
  usage: "ae-assistant reassign --from … --to … [--scope accounts|all] [--dry-run]",
  run(argv, io) {
    return runWithUsage(io, USAGE, () => reassign(argv, io));
  },
};
