import type { App } from "@slack/bolt";
import { ACTIONS, VIEWS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { accountDetailBlocks } from "../../blocks/account-detail-blocks.js";
import { accountButtonValue } from "../../blocks/reminder-blocks.js";
import { openViewFromClick } from "../../open-view.js";
import { registerRowButton } from "./row-button-support.js";

/** "Open" on a digest (or Home) row: the account page in a modal (works from a DM and from Home). */
export function register(app: App, deps: AppDeps): void {
  registerRowButton(app, deps, {
    actionIds: [ACTIONS.openAccount],
    name: "open account",
    schema: accountButtonValue,
    run: async ({ value, actor, t, source, args, tell }) => {
      const principal = await deps.services.principal(actor);
      const result = await deps.services.accounts.detail(actor, principal, value.a);
      if (result.kind === "not_found") return tell(t("digest.notFound"));
      if (result.kind === "denied") return tell(t(`error.denied.${result.reason}`));
      const page = accountDetailBlocks(t, actor, result.detail, deps.now());
      await openViewFromClick(
        { client: args.client, triggerId: args.body.trigger_id, userId: actor.user.slackUserId, channelId: source.kind === "message" ? source.channel : undefined },
        {
          type: "modal",
          callback_id: VIEWS.accountSummary,
          title: { type: "plain_text", text: t("account.summary.title").slice(0, 24), emoji: true },
          close: { type: "plain_text", text: t("common.cancel").slice(0, 24), emoji: true },
          blocks: (page.blocks ?? []).slice(0, 100),
        },
        t,
        deps,
      );
    },
  });
}
