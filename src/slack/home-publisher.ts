import type { webApi } from "@slack/bolt";
import { translator } from "../i18n/translate.js";
import type { Actor } from "../services/actor-service.js";
import { localDateOf } from "../domain/time.js";
import { settingsOf } from "../services/workspace-settings-service.js";
import type { AdminHomeView } from "./blocks/admin-blocks.js";
import { homeView } from "./blocks/home-blocks.js";
import { formatFor } from "./blocks/reminder-format.js";
import type { AppDeps } from "./deps.js";

/** Builds and publishes the actor's Home tab. */
export async function publishHome(client: webApi.WebClient, deps: AppDeps, actor: Actor): Promise<void> {
  const now = deps.now();
  const [home, admin] = await Promise.all([deps.services.reminders.home(actor, now), adminHome(deps, actor, now)]);
  const view = homeView(home, formatFor(actor, translator(actor.language)), now, admin);
  await client.views.publish({ user_id: actor.user.slackUserId, view });
}

/** The Administration section's data, for admins only (with the CRM sync's line when a CRM is configured). */
async function adminHome(deps: AppDeps, actor: Actor, now: Date): Promise<AdminHomeView | undefined> {
  if (actor.user.role !== "admin") return undefined;
  const today = localDateOf(now, actor.workspace.timezone);
  // One read gives both: the list is ordered by date.
  const [all, crm] = await Promise.all([deps.services.workspaceSettings.holidays(actor.workspace.id), deps.services.crmStatus?.homeSummary(actor.workspace) ?? null]);
  return { settings: settingsOf(actor.workspace), holidayCount: all.length, nextHoliday: all.find((h) => h.date >= today) ?? null, crm };
}

/**
 * Republishes a user's Home tab after every change they make ("user.changed"). Slack accepts
 * views.publish for a user who never opened the tab, so this publishes regardless; failures are
 * logged by the event bus and never fail the change itself.
 */
export function subscribeHomeRefresh(client: webApi.WebClient, deps: AppDeps): void {
  deps.services.events.on("user.changed", async ({ workspaceId, userId }) => {
    const actor = await deps.services.actors.actorById(workspaceId, userId);
    if (actor) await publishHome(client, deps, actor);
  });
}
