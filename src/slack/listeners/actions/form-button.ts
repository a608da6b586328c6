import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs, webApi } from "@slack/bolt";
import type { View } from "@slack/types";
import type { Translator } from "../../../i18n/translate.js";
import type { Actor } from "../../../services/actor-service.js";
import type { AppDeps } from "../../deps.js";
import { actorContext } from "../../middleware/actor-context.js";
import { openView, tellModalFailed } from "../../open-view.js";
import { confirmToUser } from "../../form-submission.js";
import { textReply } from "../../blocks/reply-blocks.js";
import { accountIdOf } from "../../blocks/account-detail-blocks.js";
import type { OpenModalOptions } from "../../modals/account-modals.js";

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export interface FormButtonInput {
  actor: Actor;
  t: Translator;
  body: BlockButtonAction;
  action: BlockButtonAction["actions"][number];
  client: webApi.WebClient;
}

/**
 * What a "open a form" button does: `view` to open it (pushed onto a modal the click came from),
 * `opened` when it opened the form itself (account-modals.ts), or `refused` with the message to show.
 */
export type FormButtonOutcome = { view: View } | { opened: boolean } | { refused: string };

/**
 * The one way a button opens a form: ack, resolve the actor from the context, open the view, and
 * when Slack refuses (an expired trigger) or the clicker may not, tell them in words, in the
 * clicked message's channel or by DM.
 */
export function registerFormButton(app: App, deps: AppDeps, spec: { actionId: string; name: string; open(input: FormButtonInput): Promise<FormButtonOutcome> }): void {
  app.action<BlockButtonAction>(spec.actionId, async ({ ack, body, action, client, context }: Args) => {
    await ack();
    try {
      const { actor, t } = await actorContext(context);
      const outcome = await spec.open({ actor, t, body, action, client });
      const where = { client, userId: actor.user.slackUserId, channelId: body.channel?.id };
      if ("refused" in outcome) return await confirmToUser(client, where.userId, where.channelId ?? "", textReply(outcome.refused), deps);
      const opened = "view" in outcome ? await openView(client, body.trigger_id, outcome.view, deps.logger, { push: body.view?.type === "modal" }) : outcome.opened;
      if (!opened) await tellModalFailed(where, t, deps);
    } catch (error) {
      deps.logger.error(`${spec.name} button failed`, error);
    }
  });
}

/**
 * Options for the account forms opened from a button (log touch, follow-up): the account the
 * button carries (on an account's page), the channel to confirm in, and push when the click came
 * from inside a modal.
 */
export function accountFormOptions({ body, action }: FormButtonInput): OpenModalOptions {
  const accountId = accountIdOf(action.value);
  return {
    ...(accountId !== null ? { accountId } : {}),
    ...(body.channel?.id ? { channelId: body.channel.id } : {}),
    push: body.view?.type === "modal",
  };
}
