import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { canAdminister } from "../../../domain/authorization.js";
import { translator } from "../../../i18n/translate.js";
import { settingsOf } from "../../../services/workspace-settings-service.js";
import { adminModal } from "../../blocks/admin-blocks.js";
import type { AppDeps } from "../../deps.js";
import { ACTIONS } from "../../ids.js";
import { openViewFromClick } from "../../open-view.js";
import { actorContext } from "../../middleware/actor-context.js";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** The Home tab's "Workspace settings" button (shown to admins): opens the workspace settings modal. */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.homeAdmin, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, client, context }: Args, deps: AppDeps): Promise<void> {
  await ack();
  try {
    const { actor } = await actorContext(context);
    const t = translator(actor.language);
    // The button is only drawn for admins, but a stale Home tab or a forged click can still arrive.
    const decision = canAdminister(await deps.services.principal(actor));
    if (!decision.allowed) {
      await client.chat.postEphemeral({ channel: actor.user.slackUserId, user: actor.user.slackUserId, text: t(`error.denied.${decision.reason}`) });
      return;
    }
    await openViewFromClick({ client, triggerId: body.trigger_id, userId: actor.user.slackUserId }, adminModal(settingsOf(actor.workspace), t, actor.locale), t, deps);
  } catch (error) {
    deps.logger.error("home admin button failed", error);
  }
}
