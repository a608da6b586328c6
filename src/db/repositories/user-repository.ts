import type { Db } from "../client.js";
import { sql } from "../sql.js";
import type { User } from "../../generated/sqlite/client.js";

export type { User };

export type Role = "rep" | "manager" | "admin";

export interface SlackProfile {
  slackUserId: string;
  name: string | null;
  email: string | null;
  timezone: string;
  locale: string;
  isSlackAdmin: boolean;
  inactive: boolean;
}

export class UserRepository {
  constructor(private readonly db: Db) {}

  /** Runs on every request (the actor): hand-written SQL, same row as `user.findUnique` (see db/sql.ts). */
  async findBySlackId(workspaceId: number, slackUserId: string): Promise<User | null> {
    const rows = await this.db.$queryRaw<User[]>(sql`SELECT * FROM "User" WHERE "workspaceId" = ${workspaceId} AND "slackUserId" = ${slackUserId} LIMIT 1`);
    return rows[0] ?? null;
  }

  findById(id: number): Promise<User | null> {
    return this.db.user.findUnique({ where: { id } });
  }

  /** Users of a workspace by id, in name order (a team's members). */
  findManyByIds(workspaceId: number, ids: number[]): Promise<User[]> {
    return this.db.user.findMany({ where: { workspaceId, id: { in: ids } }, orderBy: [{ name: "asc" }, { id: "asc" }] });
  }

  /** A workspace's user by e-mail address, ignoring case (the CLI names people by e-mail). */
  async findByEmail(workspaceId: number, email: string): Promise<User | null> {
    const wanted = email.trim().toLowerCase();
    const rows = await this.db.user.findMany({ where: { workspaceId, email: { not: null } } });
    return rows.find((u) => u.email?.toLowerCase() === wanted) ?? null;
  }

  findManyBySlackIds(workspaceId: number, slackUserIds: string[]): Promise<User[]> {
    return this.db.user.findMany({ where: { workspaceId, slackUserId: { in: slackUserIds } } });
  }

  /**
   * Creates the user from their Slack profile, or refreshes the Slack-owned fields. Workspace
   * admins and owners start as admins; a role given in the app is never downgraded here.
   */
  async upsertFromSlack(workspaceId: number, p: SlackProfile, at: Date = new Date()): Promise<User> {
    const user = await this.db.user.upsert({
      where: { workspaceId_slackUserId: { workspaceId, slackUserId: p.slackUserId } },
      create: {
        workspaceId,
        slackUserId: p.slackUserId,
        name: p.name,
        email: p.email,
        timezone: p.timezone,
        locale: p.locale,
        isSlackAdmin: p.isSlackAdmin,
        role: p.isSlackAdmin ? "admin" : "rep",
        inactive: p.inactive,
      },
      update: {
        name: p.name,
        email: p.email,
        timezone: p.timezone,
        locale: p.locale,
        isSlackAdmin: p.isSlackAdmin,
        inactive: p.inactive,
        // Active again in Slack: the departure is forgotten.
        ...(p.inactive ? {} : { inactiveSince: null }),
      },
    });
    // Deactivated in Slack: the departed-rep retention counts from the first time we learn it.
    if (user.inactive && user.inactiveSince === null) return this.db.user.update({ where: { id: user.id }, data: { inactiveSince: at } });
    return user;
  }

  /**
   * Refreshes the Slack-owned fields of a user the app already knows (a user_change event); a user
   * it has never seen is not created, and an erased user is left as erased (their name and e-mail
   * address are not collected again). Deactivated (`p.inactive`), the departure is dated `at` the
   * first time it is reported; active again, it is forgotten. Returns whether there was such a user,
   * and whether they were active before.
   */
  async refreshFromSlack(workspaceId: number, p: SlackProfile, at: Date): Promise<{ known: boolean; wasActive: boolean }> {
    const before = await this.findBySlackId(workspaceId, p.slackUserId);
    if (!before || before.erasedAt) return { known: false, wasActive: false };
    await this.db.user.update({
      where: { id: before.id },
      data: {
        name: p.name,
        email: p.email,
        timezone: p.timezone,
        locale: p.locale,
        isSlackAdmin: p.isSlackAdmin,
        inactive: p.inactive,
        inactiveSince: p.inactive ? (before.inactiveSince ?? at) : null,
      },
    });
    return { known: true, wasActive: !before.inactive };
  }

  update(id: number, data: Partial<Omit<User, "id" | "workspaceId" | "slackUserId" | "createdAt" | "updatedAt">>): Promise<User> {
    return this.db.user.update({ where: { id }, data });
  }

  /** The workspace's admins who can still get DMs (told when the CRM connection breaks). */
  admins(workspaceId: number): Promise<User[]> {
    return this.db.user.findMany({ where: { workspaceId, role: "admin", inactive: false }, orderBy: { id: "asc" } });
  }

  count(): Promise<number> {
    return this.db.user.count();
  }
}
