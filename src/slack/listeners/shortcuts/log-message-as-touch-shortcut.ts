import type { AllMiddlewareArgs, App, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { decodeSlackEntities } from "../../../domain/command-args.js";
import { translator } from "../../../i18n/translate.js";
import type { AppDeps } from "../../deps.js";
import { SHORTCUTS } from "../../ids.js";
import { openMessageTouchModal } from "../../modals/account-modals.js";
import { actorContext } from "../../middleware/actor-context.js";

type Args = SlackShortcutMiddlewareArgs & AllMiddlewareArgs;

/**
 * "Log as touch" on a message: opens a modal prefilled with the message text and a link to it;
 * the user picks the account and the kind (see message-touch-view.ts).
 */
export function register(app: App, deps: AppDeps): void {
  app.shortcut(SHORTCUTS.logMessageAsTouch, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, client, respond, context }: Args, deps: AppDeps): Promise<void> {
  await ack();
  if (body.type !== "message_action") return;
  try {
    const { actor } = await actorContext(context);
    const permalink = await client.chat
      .getPermalink({ channel: body.channel.id, message_ts: body.message.ts })
      .then((r) => (typeof r.permalink === "string" ? r.permalink : null))
      .catch(() => null);
    const text = typeof body.message.text === "string" ? decodeSlackEntities(body.message.text) : "";
    const opened = await openMessageTouchModal(client, body.trigger_id, actor, deps, {
      text,
      permalink,
      channelId: body.channel.id,
      messageTs: body.message.ts,
    });
    if (!opened) {
      await respond({ response_type: "ephemeral", text: translator(actor.language)("accounts.error.modalFailedShortcut") });
    }
  } catch (error) {
    deps.logger.error("log-as-touch shortcut failed", error);
    await respond({ response_type: "ephemeral", text: translator("en")("error.internal") }).catch(() => undefined);
  }
}
