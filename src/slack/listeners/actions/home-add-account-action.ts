import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { openAddAccountModal } from "../../modals/account-modals.js";
import { actorContext } from "../../middleware/actor-context.js";
import { tellModalFailed } from "../../open-view.js";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** "Add account" on the Home tab: opens the add-account modal. */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.homeAddAccount, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, client, context }: Args, deps: AppDeps): Promise<void> {
  await ack();
  try {
    const { actor, t } = await actorContext(context);
    const opened = await openAddAccountModal(client, body.trigger_id, actor, deps, {
      ...(body.channel?.id ? { channelId: body.channel.id } : {}),
      push: body.view?.type === "modal",
    });
    if (!opened) await tellModalFailed({ client, userId: actor.user.slackUserId, channelId: body.channel?.id }, t, deps);
  } catch (error) {
    deps.logger.error("home add-account action failed", error);
  }
}
