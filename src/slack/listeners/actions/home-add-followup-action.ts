import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { accountIdOf } from "../../blocks/account-detail-blocks.js";
import { openFollowUpModal } from "../../modals/account-modals.js";
import { actorContext } from "../../middleware/actor-context.js";
import { tellModalFailed } from "../../open-view.js";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * "Add follow-up" on the Home tab (and on an account's page, where the button carries the
 * account): opens the follow-up modal.
 */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.homeAddFollowUp, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, action, client, context }: Args, deps: AppDeps): Promise<void> {
  await ack();
  try {
    const { actor, t } = await actorContext(context);
    const accountId = accountIdOf(action.value);
    const opened = await openFollowUpModal(client, body.trigger_id, actor, deps, {
      ...(accountId !== null ? { accountId } : {}),
      ...(body.channel?.id ? { channelId: body.channel.id } : {}),
      push: body.view?.type === "modal",
    });
    if (!opened) await tellModalFailed({ client, userId: actor.user.slackUserId, channelId: body.channel?.id }, t, deps);
  } catch (error) {
    deps.logger.error("add-follow-up button action failed", error);
  }
}
