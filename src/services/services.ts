import type { Database } from "../db/client.js";
import { UserRepository } from "../db/repositories/user-repository.js";
import { WorkspaceRepository } from "../db/repositories/workspace-repository.js";
import { ActorService } from "./actor-service.js";

export interface Repositories {
  workspaces: WorkspaceRepository;
  users: UserRepository;
}

export interface Services {
  repos: Repositories;
  actors: ActorService;
}

/** Builds the repositories and use cases over one database. */
export function createServices(db: Database, opts: { defaultTimezone: string; now: () => Date }): Services {
  const repos: Repositories = {
    workspaces: new WorkspaceRepository(db.prisma),
    users: new UserRepository(db.prisma),
  };
  return {
    repos,
    actors: new ActorService(repos.workspaces, repos.users, { timezone: opts.defaultTimezone }, opts.now),
  };
}
