import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { dealModal } from "../../blocks/deal-modal.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { translator } from "../../../i18n/translate.js";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** The Home tab's "Add deal" button: opens the deal modal (VIEWS.deal). */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.homeAddDeal, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, client }: Args, deps: AppDeps): Promise<void> {
  await ack();
  try {
    const actor = await deps.services.actors.resolve(body.team?.id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    await client.views.open({ trigger_id: body.trigger_id, view: dealModal(translator(actor.language), { channelId: body.channel?.id ?? "" }) });
  } catch (error) {
    deps.logger.error("could not open the deal modal from the Home tab", error);
  }
}
