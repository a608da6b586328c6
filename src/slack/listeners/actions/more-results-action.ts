import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { dispatch } from "../../subcommands/router.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { translator } from "../../../i18n/translate.js";

const valueSchema = z.object({ text: z.string().min(1).max(2000) });

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * "More" under a long list (`/ae accounts`, `/ae followups`): runs the command in the button's
 * value (the same list, next page) as the user who clicked, and posts the page below the current
 * one. The command runs with the clicker's rights, exactly as if they had typed it.
 */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.moreResults, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, action, respond, client }: Args, deps: AppDeps): Promise<void> {
  await ack();
  try {
    const value = valueSchema.parse(JSON.parse(action.value ?? "{}"));
    const actor = await deps.services.actors.resolve(body.team?.id ?? body.user.team_id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    const reply = await dispatch(value.text, {
      actor,
      t: translator(actor.language),
      client,
      triggerId: body.trigger_id,
      channelId: body.channel?.id ?? "",
      respond,
      deps,
    });
    if (reply) await respond({ replace_original: false, response_type: "ephemeral", text: reply.text, blocks: reply.blocks });
  } catch (error) {
    deps.logger.error("more results action failed", error);
    await respond({ replace_original: false, response_type: "ephemeral", text: translator("en")("error.internal") }).catch(() => undefined);
  }
}
