import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { settingsModal } from "../../blocks/settings-blocks.js";
import { translator } from "../../../i18n/translate.js";
import { actorContext } from "../../middleware/actor-context.js";
import { openViewFromClick } from "../../open-view.js";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** The Home tab's "Reminder settings" button: opens the settings modal. */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.homeSettings, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, client, context }: Args, deps: AppDeps): Promise<void> {
  await ack();
  try {
    const { actor } = await actorContext(context);
    const t = translator(actor.language);
    await openViewFromClick({ client, triggerId: body.trigger_id, userId: actor.user.slackUserId }, settingsModal(actor.user, t), t, deps);
  } catch (error) {
    deps.logger.error("home settings failed", error);
  }
}
