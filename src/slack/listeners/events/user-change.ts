import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { EVENTS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { profileOf } from "../../slack-profile.js";

type Args = SlackEventMiddlewareArgs<typeof EVENTS.userChange> & AllMiddlewareArgs;

/** The part of the event's user object we read; Slack sends much more. */
const changedUser = z.looseObject({
  id: z.string().min(1),
  team_id: z.string().optional(),
  name: z.string().optional(),
  real_name: z.string().optional(),
  deleted: z.boolean().optional(),
  tz: z.string().optional(),
  locale: z.string().optional(),
  is_admin: z.boolean().optional(),
  is_owner: z.boolean().optional(),
  is_primary_owner: z.boolean().optional(),
  profile: z.looseObject({ real_name: z.string().optional(), email: z.string().optional() }).optional(),
});

/**
 * Slack reports a changed user (profile, time zone, deactivation); the event carries the whole user
 * object. The profile is refreshed. A deactivated user (`deleted: true`) stops getting reminders at
 * once — the outbox cannot be relied on to find out, since a DM to a remembered channel may still be
 * accepted for someone who left — the departed-rep retention counts from the first report, and their
 * accounts show in their manager's digest as needing a new owner; reactivated (`deleted: false`), all
 * of that is undone. A user whose data was erased is left alone (their profile is not collected again).
 */
export function register(app: App, deps: AppDeps): void {
  app.event(EVENTS.userChange, async (args: Args) => handleUserChange(args, deps));
}

export async function handleUserChange({ event, body }: Pick<Args, "event" | "body">, deps: AppDeps): Promise<void> {
  try {
    const parsed = changedUser.safeParse(event.user);
    if (!parsed.success) {
      deps.logger.warn(`user_change: an event without a readable user was ignored: ${z.prettifyError(parsed.error)}`);
      return;
    }
    const user = parsed.data;
    const teamId = body.team_id || user.team_id || "";
    const outcome = await deps.services.actors.refreshFromSlack(teamId, profileOf(user, deps.defaultTimezone));
    if (outcome === "deactivated") deps.logger.info(`user ${user.id} was deactivated in Slack: no more reminders for them`);
    if (outcome === "reactivated") deps.logger.info(`user ${user.id} was reactivated in Slack: reminders resume`);
  } catch (error) {
    deps.logger.error("handling user_change failed", error);
  }
}
