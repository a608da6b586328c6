import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { dealModal } from "../../blocks/deal-modal.js";
import { actorContext } from "../../middleware/actor-context.js";
import { openViewFromClick } from "../../open-view.js";
import { translator } from "../../../i18n/translate.js";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** The Home tab's "Add deal" button: opens the deal modal (VIEWS.deal). */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.homeAddDeal, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, client, context }: Args, deps: AppDeps): Promise<void> {
  await ack();
  try {
    const { actor } = await actorContext(context);
    const t = translator(actor.language);
    await openViewFromClick({ client, triggerId: body.trigger_id, userId: actor.user.slackUserId }, dealModal(t, { channelId: body.channel?.id ?? "" }), t, deps);
  } catch (error) {
    deps.logger.error("could not open the deal modal from the Home tab", error);
  }
}
