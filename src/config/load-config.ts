import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { isValidTimeZone } from "../domain/time.js";
import { HUBSPOT_STAGE_MAP_EXAMPLE, parseStageMap, STAGE_MAP_EXAMPLE, type StageMap } from "../domain/crm-sync.js";

/**
 * How long a slash command may work before it is acknowledged empty and answered through
 * `response_url`: under Slack's 3 s, with room for the network on both sides.
 */
export const DEFAULT_ACK_BUDGET_MS = 2000;

/** Where each variable comes from, shown next to any problem with it. */
const HINTS: Record<string, string> = {
  SLACK_BOT_TOKEN:
    "the Bot User OAuth Token (xoxb-…): api.slack.com/apps → your app → OAuth & Permissions → Install to Workspace",
  SLACK_APP_TOKEN:
    "an app-level token (xapp-…) with the connections:write scope: api.slack.com/apps → your app → Basic Information → App-Level Tokens. Setting it selects Socket Mode (no public URL needed).",
  SLACK_SIGNING_SECRET:
    "for HTTP mode: api.slack.com/apps → your app → Basic Information → App Credentials → Signing Secret",
  PORT: "a TCP port number for HTTP mode, e.g. 3000",
  DATABASE_URL:
    'leave unset for SQLite under ./data/, or "file:./data/ae.db", or "postgresql://user:pass@host:5432/db"',
  SLACK_API_URL: "the Slack Web API base URL, e.g. http://127.0.0.1:9999/api/ for a local fake Slack",
  LOG_LEVEL: "one of debug, info, warn, error",
  DEFAULT_TIMEZONE: 'an IANA time zone such as "America/New_York" or "Europe/Berlin"',
  COMMAND_ACK_BUDGET_MS:
    "milliseconds a command may take before it is acknowledged empty and answered afterwards; 100–2500, default 2000 (Slack allows 3000 for the round trip)",
};

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const schema = z
  .object({
    SLACK_BOT_TOKEN: optionalString.pipe(
      z.string().regex(/^xox[bp]-/, "must start with xoxb-").optional(),
    ),
    SLACK_APP_TOKEN: optionalString.pipe(
      z.string().regex(/^xapp-/, "must start with xapp-").optional(),
    ),
    SLACK_SIGNING_SECRET: optionalString,
    PORT: optionalString
      .transform((v) => (v === undefined ? 3000 : Number(v)))
      .pipe(z.number({ message: "must be a number" }).int("must be a whole number").min(1).max(65535)),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^(file:|postgres:\/\/|postgresql:\/\/)/, "must start with file:, postgres:// or postgresql://")
        .default("file:./data/ae-assistant.db"),
    ),
    SLACK_API_URL: optionalString.pipe(z.url({ message: "must be a URL" }).optional()),
    LOG_LEVEL: optionalString.pipe(z.enum(["debug", "info", "warn", "error"]).default("info")),
    DEFAULT_TIMEZONE: optionalString.pipe(
      z
        .string()
        .refine(isValidTimeZone, "is not an IANA time zone")
        .default("America/New_York"),
    ),
    COMMAND_ACK_BUDGET_MS: optionalString
      .transform((v) => (v === undefined ? DEFAULT_ACK_BUDGET_MS : Number(v)))
      .pipe(z.number({ message: "must be a number" }).int("must be a whole number").min(100, "must be at least 100").max(2500, "must be at most 2500")),
  });

export type SocketModeConfig = { mode: "socket"; appToken: string; signingSecret?: string };
export type HttpModeConfig = { mode: "http"; signingSecret: string };

export interface Config {
  botToken: string;
  transport: SocketModeConfig | HttpModeConfig;
  port: number;
  databaseUrl: string;
  slackApiUrl?: string;
  logLevel: "debug" | "info" | "warn" | "error";
  defaultTimezone: string;
  /** See `AppDeps.ackBudgetMs`. */
  ackBudgetMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string; hint: string }[]) {
    super(
      [
        "AE Assistant cannot start: the configuration is incomplete.",
        "",
        ...problems.map((p) => `  • ${p.variable} ${p.message}.\n      ${p.hint}`),
        "",
        "Set these in the environment or in a .env file next to package.json (see README → Configuration).",
      ].join("\n"),
    );
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** Only the variables we own, so a parse error can never echo some unrelated secret. */
function pick(env: Env): Env {
  return Object.fromEntries(Object.keys(HINTS).map((k) => [k, env[k]]));
}

/** Parses the database-independent part; used by CLI commands that need no Slack tokens. */
export function loadDatabaseConfig(env: Env = process.env): { databaseUrl: string; logLevel: Config["logLevel"]; defaultTimezone: string } {
  const partial = schema.safeParse({ ...pick(env), SLACK_BOT_TOKEN: "xoxb-placeholder", SLACK_SIGNING_SECRET: "placeholder" });
  if (!partial.success) throw toConfigError(partial.error);
  return { databaseUrl: partial.data.DATABASE_URL, logLevel: partial.data.LOG_LEVEL, defaultTimezone: partial.data.DEFAULT_TIMEZONE };
}

function toConfigError(error: z.ZodError): ConfigError {
  const seen = new Set<string>();
  const problems: ConfigError["problems"] = [];
  for (const issue of error.issues) {
    const variable = String(issue.path[0] ?? "environment");
    if (seen.has(variable)) continue;
    seen.add(variable);
    problems.push({ variable, message: issue.message, hint: HINTS[variable] ?? "" });
  }
  return new ConfigError(problems);
}

/** Parses the environment; throws one ConfigError that names every problem at once. */
export function loadConfig(env: Env = process.env): Config {
  const raw = pick(env);
  const parsed = schema.safeParse(raw);
  // Missing tokens are checked apart from the schema so they are reported together with any
  // invalid values (zod skips object-level refinements once a field has failed).
  const missing: ConfigError["problems"] = [];
  const blank = (k: string) => !raw[k] || raw[k]?.trim() === "";
  if (blank("SLACK_BOT_TOKEN")) missing.push({ variable: "SLACK_BOT_TOKEN", message: "is missing", hint: HINTS.SLACK_BOT_TOKEN });
  if (blank("SLACK_APP_TOKEN") && blank("SLACK_SIGNING_SECRET")) {
    missing.push({
      variable: "SLACK_APP_TOKEN",
      message: "is missing (set it for Socket Mode, or set SLACK_SIGNING_SECRET for HTTP mode)",
      hint: HINTS.SLACK_APP_TOKEN,
    });
  }
  if (!parsed.success || missing.length > 0) {
    const invalid = parsed.success ? [] : toConfigError(parsed.error).problems;
    throw new ConfigError([...missing, ...invalid.filter((p) => !missing.some((m) => m.variable === p.variable))]);
  }
  const e = parsed.data;
  const transport: Config["transport"] = e.SLACK_APP_TOKEN
    ? { mode: "socket", appToken: e.SLACK_APP_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET }
    : { mode: "http", signingSecret: e.SLACK_SIGNING_SECRET as string };
  return {
    botToken: e.SLACK_BOT_TOKEN as string,
    transport,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    slackApiUrl: e.SLACK_API_URL,
    logLevel: e.LOG_LEVEL,
    defaultTimezone: e.DEFAULT_TIMEZONE,
    ackBudgetMs: e.COMMAND_ACK_BUDGET_MS,
  };
}

/** Loads ./.env into process.env when present (real environment variables win). */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = resolve(cwd, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}

/** The values that must never appear in a log line or error message. */
export function secretsOf(config: Pick<Config, "botToken" | "transport">): string[] {
  const out = [config.botToken];
  if (config.transport.mode === "socket") out.push(config.transport.appToken);
  if (config.transport.signingSecret) out.push(config.transport.signingSecret);
  return out.filter((s) => s.length >= 6);
}

/** What every CRM connection shares: the pull's schedule, the stage map and the push settings. */
interface CrmConfigBase {
  /** Minutes between pulls (CRM_SYNC_MINUTES). */
  syncMinutes: number;
  stageMap: StageMap;
  /** The Slack team whose workspace the CRM fills, when the database holds several. */
  slackTeamId?: string;
  /** Whether touches, follow-ups and deals are pushed to the CRM (CRM_PUSH; absent = on). */
  push?: boolean;
  /** Records per push request (CRM_PUSH_BATCH, 1–200; absent = 200). */
  pushBatch?: number;
}

/** Salesforce: a Connected App's client credentials (SALESFORCE_*). */
export interface SalesforceConfig extends CrmConfigBase {
  provider: "salesforce";
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}

/** HubSpot: a private app's access token (HUBSPOT_*). */
export interface HubSpotConfig extends CrmConfigBase {
  provider: "hubspot";
  apiUrl: string;
  accessToken: string;
}

/** The CRM connection: one per installation. */
export type CrmConfig = SalesforceConfig | HubSpotConfig;

export const DEFAULT_HUBSPOT_API_URL = "https://api.hubapi.com";

const CRM_HINTS: Record<string, string> = {
  SALESFORCE_LOGIN_URL: "the login host, e.g. https://login.salesforce.com (default), https://test.salesforce.com for a sandbox, or http://127.0.0.1:7357 for the fake",
  SALESFORCE_CLIENT_ID: "the Consumer Key of the Connected App (Setup → App Manager → your app → View → Manage Consumer Details)",
  SALESFORCE_CLIENT_SECRET: "the Consumer Secret of the same Connected App",
  HUBSPOT_ACCESS_TOKEN: "the private app's access token (pat-…): HubSpot → Settings → Integrations → Private Apps → your app → Auth → Show token",
  HUBSPOT_API_URL: `the HubSpot API base URL: ${DEFAULT_HUBSPOT_API_URL} (default), or http://127.0.0.1:7358 for the fake`,
  CRM_SYNC_MINUTES: "minutes between pulls, a whole number from 1 to 1440 (default 5)",
  CRM_SLACK_TEAM_ID: "the Slack team id (T…) of the workspace the CRM belongs to; only needed when the database holds several",
  CRM_PUSH: 'whether touches, follow-ups and deals are written to the CRM: "on" (default) or "off" (pull only)',
  CRM_PUSH_BATCH: "records per push request, a whole number from 1 to 200 (default 200; lower it when the org's triggers or flows on Task time out)",
};

function stageMapHint(provider: CrmConfig["provider"]): string {
  return provider === "hubspot"
    ? `HubSpot deal stage id=our stage pairs separated by ";" (stage ids, not labels: HubSpot → Settings → Objects → Deals → Pipelines; pipelineId:stageId for one pipeline only), e.g. "${HUBSPOT_STAGE_MAP_EXAMPLE}"`
    : `Salesforce StageName=our stage pairs separated by ";", e.g. "${STAGE_MAP_EXAMPLE}"`;
}

/**
 * Reads the CRM variables; null when no CRM is configured. Salesforce is configured by its client
 * id or secret, HubSpot by its token (or API URL). Half a configuration, or both CRMs at once, is
 * one error naming every problem; a secret is never echoed.
 */
export function loadCrmConfig(env: Env = process.env): CrmConfig | null {
  const get = (k: string) => {
    const v = env[k]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const clientId = get("SALESFORCE_CLIENT_ID");
  const clientSecret = get("SALESFORCE_CLIENT_SECRET");
  const accessToken = get("HUBSPOT_ACCESS_TOKEN");
  const hubSpotUrl = get("HUBSPOT_API_URL");
  const salesforce = clientId !== undefined || clientSecret !== undefined;
  const hubspot = accessToken !== undefined || hubSpotUrl !== undefined;
  if (!salesforce && !hubspot) return null;
  const problems: ConfigError["problems"] = [];
  const problem = (variable: string, message: string, hint = CRM_HINTS[variable] ?? "") => problems.push({ variable, message, hint });
  if (salesforce && hubspot) {
    problem(
      "HUBSPOT_ACCESS_TOKEN",
      "is set together with SALESFORCE_CLIENT_ID/SALESFORCE_CLIENT_SECRET: one CRM per installation",
      "keep the variables of the CRM this installation syncs with and remove the others",
    );
    throw new ConfigError(problems);
  }
  const provider: CrmConfig["provider"] = hubspot ? "hubspot" : "salesforce";
  const minutesText = get("CRM_SYNC_MINUTES") ?? "5";
  const syncMinutes = Number(minutesText);
  /** What both CRMs share: the stage map and the push settings. */
  const checkShared = (): { stageMap: StageMap; push: boolean; pushBatch: number } => {
    if (!Number.isInteger(syncMinutes) || syncMinutes < 1 || syncMinutes > 1440) problem("CRM_SYNC_MINUTES", `must be a whole number from 1 to 1440, not "${minutesText}"`);
    const pushText = (get("CRM_PUSH") ?? "on").toLowerCase();
    if (!["on", "off"].includes(pushText)) problem("CRM_PUSH", `must be "on" or "off", not "${pushText}"`);
    const batchText = get("CRM_PUSH_BATCH") ?? "200";
    const pushBatch = Number(batchText);
    if (!Number.isInteger(pushBatch) || pushBatch < 1 || pushBatch > 200) problem("CRM_PUSH_BATCH", `must be a whole number from 1 to 200, not "${batchText}"`);
    const push = { push: pushText === "on", pushBatch };
    const stageText = get("CRM_STAGE_MAP");
    if (stageText === undefined) {
      problem("CRM_STAGE_MAP", "is missing: stages are mapped by configuration, never guessed", stageMapHint(provider));
      return { stageMap: new Map(), ...push };
    }
    const parsed = parseStageMap(stageText);
    if (parsed.ok) return { stageMap: parsed.map, ...push };
    problem("CRM_STAGE_MAP", parsed.problems.join("; "), stageMapHint(provider));
    return { stageMap: new Map(), ...push };
  };
  if (provider === "hubspot") {
    if (accessToken === undefined) problem("HUBSPOT_ACCESS_TOKEN", "is missing (HUBSPOT_API_URL is set)");
    // Private-app tokens are "pat-<region>-<uuid>"; anything else is a pasted client secret, an API key or an OAuth token.
    else if (!/^pat-[a-z0-9]+-[A-Za-z0-9-]{8,}$/.test(accessToken)) problem("HUBSPOT_ACCESS_TOKEN", "is not a private app access token (they start with pat-, e.g. pat-na1-…)");
    const apiUrl = hubSpotUrl ?? DEFAULT_HUBSPOT_API_URL;
    if (!z.url().safeParse(apiUrl).success) problem("HUBSPOT_API_URL", "must be a URL");
    const shared = checkShared();
    if (problems.length > 0) throw new ConfigError(problems);
    return { provider, apiUrl: apiUrl.replace(/\/+$/, ""), accessToken: accessToken as string, syncMinutes, ...shared, slackTeamId: get("CRM_SLACK_TEAM_ID") };
  }
  if (clientId === undefined) problem("SALESFORCE_CLIENT_ID", "is missing (SALESFORCE_CLIENT_SECRET is set)");
  if (clientSecret === undefined) problem("SALESFORCE_CLIENT_SECRET", "is missing (SALESFORCE_CLIENT_ID is set)");
  const loginUrl = get("SALESFORCE_LOGIN_URL") ?? "https://login.salesforce.com";
  if (!z.url().safeParse(loginUrl).success) problem("SALESFORCE_LOGIN_URL", "must be a URL");
  const shared = checkShared();
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    provider,
    loginUrl: loginUrl.replace(/\/+$/, ""),
    clientId: clientId as string,
    clientSecret: clientSecret as string,
    syncMinutes,
    ...shared,
    slackTeamId: get("CRM_SLACK_TEAM_ID"),
  };
}

/** The CRM's secret, for the logger's redaction list. */
export function crmSecretOf(config: CrmConfig): string {
  return config.provider === "hubspot" ? config.accessToken : config.clientSecret;
}
