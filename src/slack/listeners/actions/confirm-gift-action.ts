import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { giftOverrideModal, pendingGiftSchema } from "../../blocks/gift-blocks.js";
import { errorReply } from "../../blocks/reply-blocks.js";
import { actorContext } from "../../middleware/actor-context.js";
import { openViewFromClick } from "../../open-view.js";
import { translator } from "../../../i18n/translate.js";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * "Confirm with a reason" under an over-limit gift warning: opens the override modal with the
 * pending gift (validated again — a button value is user-controlled) in its private_metadata and
 * the current totals. Nothing is saved until the modal is submitted with a reason.
 */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.confirmGift, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, action, respond, client, context }: Args, deps: AppDeps): Promise<void> {
  await ack();
  let t = translator("en");
  try {
    const { actor } = await actorContext(context);
    t = translator(actor.language);
    let raw: unknown;
    try {
      raw = JSON.parse(action.value ?? "");
    } catch {
      raw = null;
    }
    const parsed = pendingGiftSchema.safeParse(raw);
    if (!parsed.success) {
      const reply = errorReply(t, t("gift.badButton"));
      await respond({ replace_original: false, response_type: "ephemeral", text: reply.text, blocks: reply.blocks });
      return;
    }
    const pending = { ...parsed.data, channelId: parsed.data.channelId || body.channel?.id || "" };
    const check = await deps.services.gifts.check(actor.workspace.id, pending);
    const { yearMode } = await deps.services.gifts.settings(actor.workspace.id);
    await openViewFromClick({ client, triggerId: body.trigger_id, userId: actor.user.slackUserId, channelId: body.channel?.id }, giftOverrideModal(t, actor, pending, check, yearMode), t, deps);
  } catch (error) {
    deps.logger.error("confirm gift action failed", error);
    await respond({ replace_original: false, response_type: "ephemeral", text: t("error.internal") }).catch(() => undefined);
  }
}
