import type { Database } from "../../src/db/client.js";
import type { Account } from "../../src/db/repositories/account-repository.js";
import { AccountRepository } from "../../src/db/repositories/account-repository.js";
import type { User } from "../../src/db/repositories/user-repository.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import { toActor, type Actor } from "../../src/services/actor-service.js";

/** Fixtures for the deal, quota and gift tests: rows written straight to the database. */
export async function seedWorkspace(db: Database, data: Partial<Pick<Workspace, "timezone" | "fiscalYearStartMonth" | "paceMode" | "giftYearMode" | "giftLimitCents" | "currency">> = {}): Promise<Workspace> {
  return db.prisma.workspace.create({ data: { slackTeamId: `T${Math.random().toString(36).slice(2, 10).toUpperCase()}`, timezone: "America/New_York", ...data } });
}

export async function seedUser(
  db: Database,
  ws: Workspace,
  slackUserId: string,
  data: Partial<Pick<User, "role" | "name" | "locale" | "timezone" | "language">> = {},
): Promise<User> {
  return db.prisma.user.create({
    data: { workspaceId: ws.id, slackUserId, name: data.name ?? slackUserId, timezone: data.timezone ?? "America/New_York", locale: data.locale ?? "en-US", role: data.role ?? "rep", language: data.language ?? null },
  });
}

export function actorOf(user: User, ws: Workspace): Actor {
  return toActor(user, ws, "America/New_York");
}

export function seedAccount(db: Database, ws: Workspace, owner: User, name: string): Promise<Account> {
  return new AccountRepository(db.prisma).create({ workspaceId: ws.id, ownerId: owner.id, name });
}

export async function seedDeal(
  db: Database,
  account: Account,
  cents: number,
  opts: { status?: "open" | "won" | "lost"; wonAt?: Date; ownerId?: number } = {},
): Promise<number> {
  const status = opts.status ?? "open";
  const row = await db.prisma.deal.create({
    data: {
      accountId: account.id,
      ownerId: opts.ownerId ?? account.ownerId,
      amountCents: BigInt(cents),
      status,
      stage: status === "open" ? "proposal" : status,
      wonAt: status === "won" ? (opts.wonAt ?? new Date()) : null,
      lostAt: status === "lost" ? new Date() : null,
    },
  });
  return row.id;
}

/** A team managed by `manager` with `members`. */
export async function seedTeam(db: Database, ws: Workspace, manager: User, members: User[], name = "East"): Promise<void> {
  const team = await db.prisma.team.create({ data: { workspaceId: ws.id, name, nameKey: name.toLowerCase(), managerId: manager.id } });
  for (const m of members) await db.prisma.teamMember.create({ data: { teamId: team.id, userId: m.id } });
}
