import { parseArgs } from "node:util";
import { AUDITED_MODELS } from "../../domain/audit.js";
import { isLocalDate, startOfLocalDate } from "../../domain/time.js";
import type { ExportFormat, ExportRow } from "../../services/export-service.js";
import type { CliCommand, CliIo } from "../cli-command.js";
import { cliServices, CliUsageError, findWorkspace, runWithUsage, withDatabase } from "./cli-workspace.js";
import { writeRowsTo } from "./export-command.js";

const USAGE = "ae-assistant audit export [--since <YYYY-MM-DD|ISO instant>] [--entity <kind>] [--format csv|json] [--out <file>] [--team <slack team id>]";

/** Every kind of event: the audited records and the operations. */
export const AUDIT_ENTITIES = [...AUDITED_MODELS.map((m) => m.entity), "handover", "privacy", "retention"] as const;

export const AUDIT_COLUMNS = [
  "id", "at", "actor_kind", "actor_user_id", "actor_slack_id", "actor_name", "actor_detail", "entity", "entity_id",
  "account_id", "action", "fields", "changes", "values", "note",
];

async function exportEvents(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: { since: { type: "string" }, entity: { type: "string" }, format: { type: "string" }, out: { type: "string" }, team: { type: "string" } },
  });
  const format = values.format ?? (values.out?.toLowerCase().endsWith(".json") ? "json" : "csv");
  if (format !== "csv" && format !== "json") throw new CliUsageError(`--format must be csv or json, not "${format}".`);
  if (values.entity !== undefined && !(AUDIT_ENTITIES as readonly string[]).includes(values.entity)) {
    throw new CliUsageError(`--entity "${values.entity}" is not a kind of event; one of: ${AUDIT_ENTITIES.join(", ")}.`);
  }
  return withDatabase(io, async (db) => {
    const ws = await findWorkspace(db, values.team);
    let since: Date | undefined;
    if (values.since !== undefined) {
      // A date is the start of that day in the workspace's zone; an instant is taken as given.
      const parsed = isLocalDate(values.since) ? startOfLocalDate(values.since, ws.timezone) : new Date(values.since);
      if (Number.isNaN(parsed.getTime()) || !/^\d{4}-\d\d-\d\d/.test(values.since)) throw new CliUsageError(`--since "${values.since}" is not a date (2026-12-01) or an ISO instant (2026-12-01T09:00:00Z).`);
      since = parsed;
    }
    const { services } = cliServices(db, io);
    // The export is itself recorded (who exported what), before it runs.
    await services.audit.record({ entity: "audit", action: "export", workspaceId: ws.id, details: { since: since?.toISOString() ?? null, entity: values.entity ?? null, format } });
    const events = services.audit.exportEvents({ workspaceId: ws.id, ...(since ? { since } : {}), ...(values.entity ? { entity: values.entity } : {}) });
    async function* rows(): AsyncGenerator<ExportRow> {
      for await (const e of events) {
        yield {
          id: e.id,
          at: e.at.toISOString(),
          actor_kind: e.who.kind,
          actor_user_id: e.who.userId,
          actor_slack_id: e.who.slackUserId,
          actor_name: e.who.erased ? "(erased)" : e.who.name,
          actor_detail: e.who.detail,
          entity: e.entity,
          entity_id: e.entityId,
          account_id: e.accountId,
          action: e.action,
          fields: e.fields.join(" "),
          changes: e.changes ? JSON.stringify(e.changes) : null,
          values: e.values,
          note: e.note,
        };
      }
    }
    await writeRowsTo(io, rows(), AUDIT_COLUMNS, format as ExportFormat, values.out, "audit events");
    return 0;
  });
}

/** `ae-assistant audit export`: the audit trail as CSV or JSON, stdout by default (like `export`). */
export const auditCommand: CliCommand = {
  name: "audit",
  summary: "export the audit trail (who changed what, when, before and after) as CSV or JSON",
  usage: "audit export [--since <date>] [--entity <kind>] [--format csv|json] [--out <file>]",
  run: (argv, io) =>
    runWithUsage(io, USAGE, async () => {
      const [sub, ...rest] = argv;
      if (sub === "export") return exportEvents(rest, io);
      throw new CliUsageError(sub ? `Unknown audit subcommand "${sub}".` : "Say export.");
    }),
};
