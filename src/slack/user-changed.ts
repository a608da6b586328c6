import type { Actor } from "../services/actor-service.js";
import type { AppDeps } from "./deps.js";

/** Tells the Home tab (and anything else listening) that the actor's data changed. */
export async function emitUserChanged(actor: Actor, deps: Pick<AppDeps, "services">): Promise<void> {
  await deps.services.events.emit("user.changed", { workspaceId: actor.workspace.id, userId: actor.user.id, slackUserId: actor.user.slackUserId });
}
