import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { accountIdOf } from "../../blocks/account-detail-blocks.js";
import { openLogTouchModal } from "../../modals/account-modals.js";
import { slackProfileLookup } from "../../slack-profile.js";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * "Log touch" on the Home tab (and on an account's page, where the button carries the account):
 * opens the log-touch modal.
 */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.homeLogTouch, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, action, client }: Args, deps: AppDeps): Promise<void> {
  await ack();
  try {
    const actor = await deps.services.actors.resolve(body.team?.id ?? body.user.team_id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    const accountId = accountIdOf(action.value);
    const opened = await openLogTouchModal(client, body.trigger_id, actor, deps, {
      ...(accountId !== null ? { accountId } : {}),
      ...(body.channel?.id ? { channelId: body.channel.id } : {}),
      push: body.view?.type === "modal",
    });
    if (!opened) deps.logger.warn("the log-touch modal did not open from a button");
  } catch (error) {
    deps.logger.error("log-touch button action failed", error);
  }
}
