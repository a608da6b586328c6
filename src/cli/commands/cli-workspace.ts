import { loadDatabaseConfig } from "../../config/load-config.js";
import { openDatabase, type Database } from "../../db/client.js";
import type { User } from "../../db/repositories/user-repository.js";
import { WorkspaceRepository, type Workspace } from "../../db/repositories/workspace-repository.js";
import { WorkspaceSettingsService } from "../../services/workspace-settings-service.js";
import type { CliIo } from "../cli-command.js";
import { createLogger } from "../../logger.js";
import { createServices, type Services } from "../../services/services.js";
import { identifyActor } from "../../db/audit/audit-scope.js";

/** A problem with the command line: printed with the usage, exit code 2, nothing changed. */
export class CliUsageError extends Error {}

/** Opens DATABASE_URL, runs `fn`, and always closes the connection. */
export async function withDatabase<T>(io: CliIo, fn: (db: Database) => Promise<T>): Promise<T> {
  const { databaseUrl } = loadDatabaseConfig(io.env);
  const db = await openDatabase(databaseUrl);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** The workspace `--team T…` names; without it, the only workspace (several → ask for --team). */
export async function findWorkspace(db: Database, team: string | undefined): Promise<Workspace> {
  const ws = await pickWorkspace(db, team);
  identifyActor({ workspaceId: ws.id }); // the run's audit events belong to it
  return ws;
}

async function pickWorkspace(db: Database, team: string | undefined): Promise<Workspace> {
  if (team) {
    const ws = await db.prisma.workspace.findUnique({ where: { slackTeamId: team } });
    if (!ws) throw new CliUsageError(`No workspace with Slack team id ${team}.`);
    return ws;
  }
  const all = await db.prisma.workspace.findMany({ orderBy: { id: "asc" }, take: 20 });
  if (all.length === 0) throw new CliUsageError("No workspace yet: it is created the first time someone uses /ae.");
  if (all.length > 1) throw new CliUsageError(`Several workspaces (${all.map((w) => w.slackTeamId).join(", ")}): pass --team <Slack team id>.`);
  return all[0]!;
}

/** Runs `fn` with the `--team` workspace and the workspace-settings service, over DATABASE_URL. */
export function withSettings<T>(io: CliIo, team: string | undefined, fn: (ws: Workspace, settings: WorkspaceSettingsService) => Promise<T>): Promise<T> {
  return withDatabase(io, async (db) => fn(await findWorkspace(db, team), new WorkspaceSettingsService(new WorkspaceRepository(db.prisma))));
}

/** A user of the workspace by Slack id; they must have used the bot once (so their profile is known). */
export async function findUser(db: Database, ws: Workspace, slackUserId: string): Promise<User> {
  const user = await db.prisma.user.findUnique({ where: { workspaceId_slackUserId: { workspaceId: ws.id, slackUserId } } });
  if (!user) throw new CliUsageError(`No user ${slackUserId} in workspace ${ws.slackTeamId}. They need to run /ae once first.`);
  return user;
}

/** Runs a command body; a CliUsageError becomes its message plus the usage, exit code 2. */
export async function runWithUsage(io: CliIo, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CliUsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      io.err(error.message);
      io.err(`Usage: ${usage}`);
      return 2;
    }
    throw error;
  }
}

/** The services over `db` for a CLI command: the real clock, log lines to stderr at LOG_LEVEL. */
export function cliServices(db: Database, io: CliIo): { services: Services; defaultTimezone: string } {
  const { logLevel, defaultTimezone } = loadDatabaseConfig(io.env);
  return { services: createServices(db, { defaultTimezone, now: () => new Date(), logger: createLogger(logLevel, (line) => io.err(line), []) }), defaultTimezone };
}
