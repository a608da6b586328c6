import type { Database } from "../db/client.js";
import { AccountRepository } from "../db/repositories/account-repository.js";
import { JobLeaseRepository } from "../db/repositories/job-lease-repository.js";
import { OutboxRepository } from "../db/repositories/outbox-repository.js";
import { TeamRepository } from "../db/repositories/team-repository.js";
import { UserRepository } from "../db/repositories/user-repository.js";
import { WorkspaceRepository } from "../db/repositories/workspace-repository.js";
import type { Principal } from "../domain/authorization.js";
import { AccountResolver } from "./account-resolver.js";
import { ActorService, type Actor } from "./actor-service.js";
import { principalFor } from "./principal.js";
import { EventBus } from "./domain-events.js";
import type { Logger } from "@slack/bolt";

export interface Repositories {
  workspaces: WorkspaceRepository;
  users: UserRepository;
  accounts: AccountRepository;
  teams: TeamRepository;
  outbox: OutboxRepository;
  leases: JobLeaseRepository;
}

export interface Services {
  repos: Repositories;
  actors: ActorService;
  accountResolver: AccountResolver;
  /** Feature-to-feature events (Home refresh, deal-won celebration). */
  events: EventBus;
  /** The actor's rights (role + managed team members). */
  principal(actor: Actor): Promise<Principal>;
}

/** Builds the repositories and use cases over one database. */
export function createServices(db: Database, opts: { defaultTimezone: string; now: () => Date; logger: Logger }): Services {
  const repos: Repositories = {
    workspaces: new WorkspaceRepository(db.prisma),
    users: new UserRepository(db.prisma),
    accounts: new AccountRepository(db.prisma),
    teams: new TeamRepository(db.prisma),
    outbox: new OutboxRepository(db.prisma),
    leases: new JobLeaseRepository(db.prisma),
  };
  return {
    repos,
    actors: new ActorService(repos.workspaces, repos.users, { timezone: opts.defaultTimezone }, opts.now),
    accountResolver: new AccountResolver(repos.accounts),
    events: new EventBus(opts.logger),
    principal: (actor) => principalFor(actor, repos.teams),
  };
}
