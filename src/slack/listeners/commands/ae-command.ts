import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { COMMAND } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { dispatch } from "../../subcommands/router.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { translator, languageFor } from "../../../i18n/translate.js";

const commandPayload = z.object({
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  channel_id: z.string().default(""),
  trigger_id: z.string().default(""),
  text: z.string().max(20_000).default(""),
});

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/ae …`: ack at once, then resolve the user, dispatch the subcommand and answer ephemerally. */
export function register(app: App, deps: AppDeps): void {
  app.command(COMMAND, async (args: Args) => handle(args, deps));
}

async function handle({ command, ack, respond, client }: Args, deps: AppDeps): Promise<void> {
  await ack();
  let t = translator(languageFor(undefined));
  try {
    const payload = commandPayload.parse(command);
    const actor = await deps.services.actors.resolve(
      payload.team_id,
      payload.user_id,
      slackProfileLookup(client, deps.defaultTimezone),
    );
    t = translator(actor.language);
    const reply = await dispatch(payload.text, {
      actor,
      t,
      client,
      triggerId: payload.trigger_id,
      channelId: payload.channel_id,
      respond,
      deps,
    });
    if (reply) await respond({ response_type: "ephemeral", text: reply.text, blocks: reply.blocks });
    if (reply?.changed) {
      await deps.services.events.emit("user.changed", {
        workspaceId: actor.workspace.id,
        userId: actor.user.id,
        slackUserId: actor.user.slackUserId,
      });
    }
  } catch (error) {
    deps.logger.error(`${COMMAND} failed`, error);
    await respond({ response_type: "ephemeral", text: t("error.internal") }).catch((e: unknown) =>
      deps.logger.warn("could not tell the user about the failure", e),
    );
  }
}
