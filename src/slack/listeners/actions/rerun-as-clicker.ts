import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import type { AppDeps } from "../../deps.js";
import { dispatch } from "../../subcommands/router.js";
import { actorContext } from "../../middleware/actor-context.js";
import { translator } from "../../../i18n/translate.js";
import { runAfterAnswer } from "../../command-answer.js";

const valueSchema = z.object({ text: z.string().min(1).max(2000) });

export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * Shared by every button whose value is a command to run again (`{ "text": "<subcommand …>" }`):
 * "which account/deal did you mean?" and "More". The command runs as the user who clicked, with
 * their rights, exactly as if they had typed it; the answer replaces the question or is added below.
 */
export async function rerunAsClicker(
  { ack, body, action, respond, client, context }: ButtonArgs,
  deps: AppDeps,
  opts: { replaceOriginal: boolean; name: string },
): Promise<void> {
  await ack();
  try {
    const value = valueSchema.parse(JSON.parse(action.value ?? "{}"));
    const { actor, t } = await actorContext(context);
    const reply = await dispatch(value.text, {
      actor,
      t,
      client,
      triggerId: body.trigger_id,
      channelId: body.channel?.id ?? "",
      deps,
    });
    if (reply) await respond({ replace_original: opts.replaceOriginal, response_type: "ephemeral", text: reply.text, blocks: reply.blocks });
    await runAfterAnswer(reply, deps);
    if (reply?.changed) {
      await deps.services.events.emit("user.changed", { workspaceId: actor.workspace.id, userId: actor.user.id, slackUserId: actor.user.slackUserId });
    }
  } catch (error) {
    deps.logger.error(`${opts.name} action failed`, error);
    await respond({ replace_original: false, response_type: "ephemeral", text: translator("en")("error.internal") }).catch(() => undefined);
  }
}
