import { LogLevel, type Logger } from "@slack/bolt";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Slack token shapes, redacted even when they are not ours (e.g. echoed by an API error). */
const TOKEN_PATTERN = /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{6,}/g;
/** Salesforce session ids / OAuth access tokens (`00D…!AQ…`): redacted even before we learn them. */
const SALESFORCE_TOKEN_PATTERN = /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{8,}/g;
/** HubSpot private-app access tokens (`pat-na1-…`): redacted even when an error echoes one. */
const HUBSPOT_TOKEN_PATTERN = /\bpat-[a-z0-9]+-[A-Za-z0-9-]{8,}/g;

/**
 * What services, jobs and the outbox sender log through: the four levels, nothing of Bolt.
 * Every AppLogger (and any Bolt logger) is one; tests may pass a plain object.
 */
export interface LineLogger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
}

export interface AppLogger extends Logger {
  /** Adds secrets that must never be printed. */
  addSecrets(secrets: string[]): void;
}

function describe(value: unknown): string {
  if (value instanceof Error) {
    // Error messages only: stack traces stay out of the logs unless LOG_LEVEL=debug.
    return value.stack && currentLevelIsDebug ? value.stack : `${value.name}: ${value.message}`;
  }
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  } catch {
    return String(value);
  }
}

let currentLevelIsDebug = false;

/**
 * A small line logger implementing Bolt's Logger interface, so Bolt, the Web API client and our
 * own code share it. Every line passes through redaction of the configured secrets.
 */
export function createLogger(
  level: `${LogLevel}` = "info",
  write: (line: string) => void = (line) => process.stderr.write(line + "\n"),
  secrets: string[] = [],
): AppLogger {
  let threshold = level as LogLevel;
  let name = "ae-assistant";
  const known = new Set(secrets.filter((s) => s.length >= 6));
  const redact = (text: string): string => {
    let out = text.replace(TOKEN_PATTERN, "[redacted]").replace(SALESFORCE_TOKEN_PATTERN, "[redacted]").replace(HUBSPOT_TOKEN_PATTERN, "[redacted]");
    for (const s of known) out = out.split(s).join("[redacted]");
    return out;
  };
  const log = (lvl: LogLevel, args: unknown[]) => {
    if (ORDER[lvl] < ORDER[threshold]) return;
    currentLevelIsDebug = threshold === LogLevel.DEBUG;
    write(redact(`${new Date().toISOString()} ${lvl.toUpperCase()} [${name}] ${args.map(describe).join(" ")}`));
  };
  return {
    debug: (...a: unknown[]) => log(LogLevel.DEBUG, a),
    info: (...a: unknown[]) => log(LogLevel.INFO, a),
    warn: (...a: unknown[]) => log(LogLevel.WARN, a),
    error: (...a: unknown[]) => log(LogLevel.ERROR, a),
    setLevel: (l: LogLevel) => {
      threshold = l;
    },
    getLevel: () => threshold,
    setName: (n: string) => {
      name = n;
    },
    addSecrets: (more: string[]) => {
      for (const s of more) if (s.length >= 6) known.add(s);
    },
  };
}
