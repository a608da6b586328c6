import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { openAddAccountModal } from "../../modals/account-modals.js";
import { slackProfileLookup } from "../../slack-profile.js";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** "Add account" on the Home tab: opens the add-account modal. */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.homeAddAccount, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, client }: Args, deps: AppDeps): Promise<void> {
  await ack();
  try {
    const actor = await deps.services.actors.resolve(body.team?.id ?? body.user.team_id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    const opened = await openAddAccountModal(client, body.trigger_id, actor, deps, {
      ...(body.channel?.id ? { channelId: body.channel.id } : {}),
      push: body.view?.type === "modal",
    });
    if (!opened) deps.logger.warn("the add-account modal did not open from the Home tab");
  } catch (error) {
    deps.logger.error("home add-account action failed", error);
  }
}
