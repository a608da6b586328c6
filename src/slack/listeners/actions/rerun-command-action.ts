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
 * A click on a "which deal did you mean?" button (`rerun_command:<deal id>`): runs the command in
 * the button's value (e.g. "won #42 55k") as the user who clicked — with their rights, exactly as
 * if typed — and replaces the question with the answer.
 */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(new RegExp(`^${ACTIONS.rerunCommand}:[\\w-]{1,40}$`), async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, action, respond, client }: Args, deps: AppDeps): Promise<void> {
  await ack();
  try {
    const value = valueSchema.parse(JSON.parse(action.value ?? "{}"));
    const actor = await deps.services.actors.resolve(body.team?.id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    const reply = await dispatch(value.text, {
      actor,
      t: translator(actor.language),
      client,
      triggerId: body.trigger_id,
      channelId: body.channel?.id ?? "",
      respond,
      deps,
    });
    if (reply) await respond({ replace_original: true, response_type: "ephemeral", text: reply.text, blocks: reply.blocks });
    if (reply?.changed) {
      await deps.services.events.emit("user.changed", { workspaceId: actor.workspace.id, userId: actor.user.id, slackUserId: actor.user.slackUserId });
    }
  } catch (error) {
    deps.logger.error("rerun command action failed", error);
    await respond({ replace_original: false, response_type: "ephemeral", text: translator("en")("error.internal") }).catch(() => undefined);
  }
}
