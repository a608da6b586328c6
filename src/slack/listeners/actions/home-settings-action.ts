import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { settingsModal } from "../../blocks/settings-blocks.js";
import { translator } from "../../../i18n/translate.js";
import { actorOf } from "./digest-action-support.js";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** The Home tab's "Reminder settings" button: opens the settings modal. */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.homeSettings, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, client }: Args, deps: AppDeps): Promise<void> {
  await ack();
  try {
    const actor = await actorOf(body, client, deps);
    await client.views.open({ trigger_id: body.trigger_id, view: settingsModal(actor.user, translator(actor.language)) });
  } catch (error) {
    deps.logger.error("home settings failed", error);
  }
}
