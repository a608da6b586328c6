import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { followUpListBlocks, FOLLOWUPS_PAGE_SIZE } from "../../blocks/followup-list-blocks.js";
import { emitUserChanged } from "../../user-changed.js";
import { completionReply } from "../../subcommands/done.js";
import { actorContext } from "../../middleware/actor-context.js";
import { translator, type Translator } from "../../../i18n/translate.js";

const valueSchema = z.object({ id: z.number().int().positive(), page: z.number().int().min(1).max(10_000) });

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * "Done" on a row of `/ae followups`: completes the follow-up and redraws the same page of the
 * list with a line saying what happened (or why not).
 */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.followUpDoneInList, async (args: Args) => handle(args, deps));
}

async function handle({ ack, action, respond, context }: Args, deps: AppDeps): Promise<void> {
  await ack();
  let t: Translator = translator("en");
  try {
    const value = valueSchema.parse(JSON.parse(action.value ?? "{}"));
    const { actor } = await actorContext(context);
    t = translator(actor.language);
    const principal = await deps.services.principal(actor);
    const result = await deps.services.followUps.complete(actor, principal, value.id);
    const outcome = completionReply(t, result, value.id);
    const page = await deps.services.followUps.listOpen(actor, { offset: (value.page - 1) * FOLLOWUPS_PAGE_SIZE, limit: FOLLOWUPS_PAGE_SIZE });
    // The last row of the last page went away: show the page before instead of an empty one.
    const shown =
      page.items.length === 0 && value.page > 1
        ? await deps.services.followUps.listOpen(actor, { offset: (value.page - 2) * FOLLOWUPS_PAGE_SIZE, limit: FOLLOWUPS_PAGE_SIZE })
        : page;
    const notice = outcome.changed ? `:white_check_mark: ${outcome.text}` : outcome.text;
    const reply = followUpListBlocks(t, actor, shown, deps.now(), notice);
    await respond({ replace_original: true, response_type: "ephemeral", text: reply.text, blocks: reply.blocks });
    if (outcome.changed) await emitUserChanged(actor, deps);
  } catch (error) {
    deps.logger.error("follow-up done (list) action failed", error);
    await respond({ replace_original: false, response_type: "ephemeral", text: t("error.internal") }).catch(() => undefined);
  }
}
