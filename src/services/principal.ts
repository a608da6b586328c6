import { isRole, type Principal } from "../domain/authorization.js";
import type { TeamRepository } from "../db/repositories/team-repository.js";
import type { Actor } from "./actor-service.js";

/** The actor's rights: role plus, for managers, the members of the teams they manage. */
export async function principalFor(actor: Actor, teams: TeamRepository): Promise<Principal> {
  const role = isRole(actor.user.role) ? actor.user.role : "rep";
  const managed = role === "manager" ? await teams.managedUserIds(actor.user.id) : [];
  return { userId: actor.user.id, role, managedUserIds: new Set(managed) };
}
