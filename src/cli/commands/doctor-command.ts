import { webApi } from "@slack/bolt";
import { ConfigError, loadConfig, loadDatabaseConfig } from "../../config/load-config.js";
import { openDatabase, redactUrl } from "../../db/client.js";
import { migrationStatus } from "../../db/migrate.js";
import { requiredBotScopes } from "../manifest-scopes.js";
import type { CliCommand } from "../cli-command.js";

/** Checks config, database, migrations and the Slack token; prints ✓/✗ per check. */
export const doctorCommand: CliCommand = {
  name: "doctor",
  summary: "check the configuration, the database and migrations, and the Slack token",
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
        const code = error instanceof Error && "data" in error ? String((error as { data?: { error?: string } }).data?.error ?? "") : "";
        bad(
          code === "invalid_auth" || code === "not_authed" || code === "token_revoked" || code === "account_inactive"
            ? `Slack rejected SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions`
            : `Slack auth.test failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      if (config.transport.mode === "socket") {
        const appClient = new webApi.WebClient(config.transport.appToken, { slackApiUrl: config.slackApiUrl, retryConfig: { retries: 1 }, logLevel: webApi.LogLevel.ERROR });
        try {
          await appClient.apps.connections.open();
          ok("SLACK_APP_TOKEN can open a Socket Mode connection");
        } catch (error) {
          bad(`SLACK_APP_TOKEN cannot open a Socket Mode connection (it needs the connections:write scope): ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    io.out(failures === 0 ? "All checks passed." : `${failures} check(s) failed.`);
    return failures === 0 ? 0 : 1;
  },
};
