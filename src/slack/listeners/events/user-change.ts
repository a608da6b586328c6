import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { EVENTS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";

type Args = SlackEventMiddlewareArgs<typeof EVENTS.userChange> & AllMiddlewareArgs;

/** The part of `user_change` we read: who, in which team, and whether Slack deactivated them. */
const userChange = z.object({
  user: z.object({ id: z.string().min(1), team_id: z.string().optional(), deleted: z.boolean().optional() }),
});

/**
 * A user's profile changed in Slack. When Slack deactivated them (`deleted: true`) their
 * reminders stop, the departed-rep retention starts, and their accounts show in their manager's
 * digest as needing a new owner; reactivated (`deleted: false`), all of that is undone. Other
 * profile changes are picked up by the daily profile refresh.
 */
export function register(app: App, deps: AppDeps): void {
  app.event(EVENTS.userChange, async (args: Args) => handle(args, deps));
}

async function handle({ event, body }: Args, deps: AppDeps): Promise<void> {
  try {
    const parsed = userChange.safeParse(event);
    if (!parsed.success || parsed.data.user.deleted === undefined) return;
    const teamId = parsed.data.user.team_id ?? (typeof body.team_id === "string" ? body.team_id : "");
    if (teamId === "") return;
    await deps.services.actors.slackReportedDeparture(teamId, parsed.data.user.id, parsed.data.user.deleted);
  } catch (error) {
    deps.logger.error("handling user_change failed", error);
  }
}
