import { ConfigError, loadConfig, loadCrmConfig, loadDotEnv, secretsOf, type Config, type CrmConfig } from "./config/load-config.js";
import { DatabaseOpenError, openDatabase, redactUrl, type Database } from "./db/client.js";
import { migrate } from "./db/migrate.js";
import { createLogger, type AppLogger } from "./logger.js";

/** A startup failure with a message meant for a person; printed without a stack trace. */
export class StartupError extends Error {
  override name = "StartupError";
}

/** Loads .env and the config, or throws one StartupError naming every problem. */
export function loadStartupConfig(env: NodeJS.ProcessEnv = process.env): Config {
  loadDotEnv();
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new StartupError(error.message);
    throw error;
  }
}

/** The CRM variables (null when no CRM is configured); a half-done configuration stops the start. */
export function loadStartupCrmConfig(env: NodeJS.ProcessEnv = process.env): CrmConfig | null {
  try {
    return loadCrmConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new StartupError(error.message);
    throw error;
  }
}

export function loggerFor(config: Config): AppLogger {
  return createLogger(config.logLevel, undefined, secretsOf(config));
}

/** Opens the database and applies pending migrations, translating failures into plain words. */
export async function openAndMigrate(databaseUrl: string, logger: AppLogger): Promise<Database> {
  let db: Database;
  try {
    db = await openDatabase(databaseUrl);
  } catch (error) {
    const cause = error instanceof DatabaseOpenError && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    const what = error instanceof Error ? error.message : String(error);
    throw new StartupError(
      `AE Assistant cannot start: ${what}${cause}.\n` +
        `  • Check DATABASE_URL (now ${redactUrl(databaseUrl)}). Leave it unset for SQLite under ./data/, ` +
        `or use postgresql://user:pass@host:5432/db for PostgreSQL.`,
    );
  }
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info(`applied migrations: ${applied.join(", ")}`);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new StartupError(`AE Assistant cannot start: migrating the database failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return db;
}

/** Prints a StartupError plainly and exits 1; anything else is logged and exits 1 too. */
export function exitOnStartupError(error: unknown, logger?: AppLogger): never {
  if (error instanceof StartupError) {
    process.stderr.write(error.message + "\n");
  } else if (logger) {
    logger.error("fatal error", error);
  } else {
    process.stderr.write(`AE Assistant stopped: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
}
