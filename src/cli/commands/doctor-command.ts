import { webApi } from "@slack/bolt";
import { ConfigError, loadConfig, loadCrmConfig, loadDatabaseConfig, type CrmConfig } from "../../config/load-config.js";
import { createCrmClients, pushesTo } from "../../services/crm/create-crm-sync.js";
import { openDatabase, redactUrl } from "../../db/client.js";
import { migrationStatus } from "../../db/migrate.js";
import { requiredBotScopes } from "../manifest-scopes.js";
import type { CliCommand } from "../cli-command.js";

/** Checks config, database, migrations, the Slack token and (when configured) the CRM; prints ✓/✗ per check. */
export const doctorCommand: CliCommand = {
  name: "doctor",
  summary: "check the configuration, the database and migrations, the Slack token and the CRM connection",
  usage: "ae-assistant doctor",
  async run(_argv, io) {
    let failures = 0;
    const ok = (msg: string) => io.out(`✓ ${msg}`);
    const bad = (msg: string) => {
      failures++;
      io.out(`✗ ${msg}`);
    };

    let config: ReturnType<typeof loadConfig> | undefined;
    try {
      config = loadConfig(io.env);
      ok(`configuration (${config.transport.mode === "socket" ? "Socket Mode" : "HTTP mode"})`);
    } catch (error) {
      bad(error instanceof ConfigError ? error.message : String(error));
    }

    let databaseUrl: string | undefined;
    try {
      databaseUrl = loadDatabaseConfig(io.env).databaseUrl;
    } catch (error) {
      bad(error instanceof Error ? error.message : String(error));
    }
    if (databaseUrl) {
      try {
        const db = await openDatabase(databaseUrl);
        try {
          ok(`database answers (${db.provider}, ${redactUrl(databaseUrl)})`);
          const s = await migrationStatus(db);
          if (s.problems.length > 0) bad(`migrations: ${s.problems.join("; ")}`);
          else if (s.pending.length > 0) bad(`migrations: ${s.pending.length} pending (run: npx ae-assistant migrate)`);
          else ok(`migrations: all ${s.applied.length} applied`);
        } finally {
          await db.close();
        }
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
        bad(`database: ${error instanceof Error ? error.message : String(error)}${cause}`);
      }
    }

    if (config) {
      const client = new webApi.WebClient(config.botToken, {
        slackApiUrl: config.slackApiUrl,
        retryConfig: { retries: 1 },
        logLevel: webApi.LogLevel.ERROR,
      });
      try {
        const auth = await client.auth.test();
        ok(`Slack bot token works: ${String(auth.user ?? "bot")} in ${String(auth.team ?? auth.team_id ?? "workspace")}`);
        const granted = new Set(auth.response_metadata?.scopes ?? []);
        if (granted.size > 0) {
          const missing = requiredBotScopes().filter((s) => !granted.has(s));
          if (missing.length > 0) {
            bad(
              `SLACK_BOT_TOKEN lacks ${missing.length === 1 ? "the scope" : "the scopes"} ${missing.join(", ")} that manifest.yml asks for: ` +
                "add them under OAuth & Permissions → Bot Token Scopes (or update the app from manifest.yml), " +
                "reinstall the app to the workspace, and copy the new Bot User OAuth Token",
            );
          } else ok("the bot token has every scope in manifest.yml");
        } else {
          io.out("? Slack did not report the token's scopes, so they were not checked against manifest.yml");
        }
      } catch (error) {
        const failure = slackFailure(error);
        bad(
          failure.code !== undefined && REJECTED_TOKEN.has(failure.code)
            ? `Slack rejected SLACK_BOT_TOKEN (${failure.code}): copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions`
            : `Slack auth.test failed: ${failure.text}`,
        );
      }
      if (config.transport.mode === "socket") {
        const appClient = new webApi.WebClient(config.transport.appToken, { slackApiUrl: config.slackApiUrl, retryConfig: { retries: 1 }, logLevel: webApi.LogLevel.ERROR });
        try {
          await appClient.apps.connections.open();
          ok("SLACK_APP_TOKEN can open a Socket Mode connection");
        } catch (error) {
          bad(`SLACK_APP_TOKEN cannot open a Socket Mode connection: ${socketModeProblem(slackFailure(error))}`);
        }
      }
    }
    let crm: CrmConfig | null = null;
    try {
      crm = loadCrmConfig(io.env);
      if (crm === null) io.out("- CRM: not configured (optional: README → Connect Salesforce or Connect HubSpot)");
    } catch (error) {
      bad(error instanceof ConfigError ? error.message.replace("AE Assistant cannot start: the configuration is incomplete.", "The CRM configuration is incomplete:") : String(error));
    }
    if (crm) {
      const { connector, writer } = createCrmClients(crm, { knobs: { requestTimeoutMs: 30_000 } });
      const pull = await connector.check();
      // The push's needs (Create/Edit, the external id field, the stages) once the login works.
      const push = !pushesTo(crm) || !pull[0]?.ok ? [] : await writer.checkPush(crm.stageMap);
      for (const check of [...pull, ...push]) {
        if (check.ok) ok(check.text);
        else bad(check.text);
      }
      if (crm.push === false) io.out("- Salesforce push: off (CRM_PUSH=off): touches, follow-ups and deals stay in Slack");
    }
    io.out(failures === 0 ? "All checks passed." : `${failures} check(s) failed.`);
    return failures === 0 ? 0 : 1;
  },
};

/** Slack's answers that mean the token itself is wrong (mistyped, revoked, or its owner deactivated). */
const REJECTED_TOKEN = new Set(["invalid_auth", "not_authed", "token_revoked", "account_inactive"]);

/** What failed in a Web API call: Slack's error code, or the HTTP status, or the network error. */
interface SlackFailure {
  /** Slack's `error` (e.g. "missing_scope") when Slack answered with `ok: false`. */
  code?: string;
  /** The scope Slack says is needed, when it says so (`needed` on missing_scope). */
  needed?: string;
  /** The HTTP status when Slack (or whatever answers at SLACK_API_URL) did not answer 200. */
  status?: number;
  text: string;
}

function slackFailure(error: unknown): SlackFailure {
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    data?: { error?: unknown; needed?: unknown };
    statusCode?: unknown;
    original?: unknown;
  };
  if (e.code === webApi.ErrorCode.PlatformError && typeof e.data?.error === "string") {
    const needed = typeof e.data.needed === "string" && e.data.needed !== "" ? e.data.needed : undefined;
    return { code: e.data.error, needed, text: `Slack answered ${e.data.error}${needed ? ` (needed: ${needed})` : ""}` };
  }
  if (e.code === webApi.ErrorCode.HTTPError && typeof e.statusCode === "number") {
    return { status: e.statusCode, text: `Slack answered HTTP ${e.statusCode}` };
  }
  if (e.code === webApi.ErrorCode.RequestError) {
    const cause = e.original instanceof Error ? e.original.message : error instanceof Error ? error.message : String(error);
    return { text: `Slack could not be reached (${cause})` };
  }
  return { text: error instanceof Error ? error.message : String(error) };
}

/** Why apps.connections.open failed, in words; the connections:write scope only when Slack says so. */
function socketModeProblem(f: SlackFailure): string {
  const where = "api.slack.com/apps → your app → Basic Information → App-Level Tokens";
  if (f.code === "missing_scope") {
    return `the token lacks the ${f.needed ?? "connections:write"} scope (Slack answered missing_scope): generate an app-level token with connections:write under ${where}`;
  }
  if (f.code === "not_allowed_token_type") {
    return `Slack answered not_allowed_token_type: SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope, from ${where}`;
  }
  if (f.code !== undefined && REJECTED_TOKEN.has(f.code)) {
    return `Slack rejected the token (${f.code}): copy the app-level token (xapp-…) again from ${where}`;
  }
  if (f.status === 404) return `${f.text} for apps.connections.open: check SLACK_API_URL (unset means https://slack.com/api/)`;
  return f.text;
}
