import type { App } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { accountButtonValue, REMINDER_ROW } from "../../blocks/reminder-blocks.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { instantDay, formatFor } from "../../blocks/reminder-format.js";
import { registerRowButton, showDone } from "./row-button-support.js";
import { emitUserChanged } from "../../user-changed.js";

/** Snooze 1 day / Snooze 1 week on a neglected account: sets Account.snoozedUntil. */
export function register(app: App, deps: AppDeps): void {
  registerRowButton(app, deps, {
    actionIds: [ACTIONS.snoozeAccount1d, ACTIONS.snoozeAccount1w],
    name: "snooze account",
    schema: accountButtonValue,
    run: async ({ value, actor, t, source, args, tell }) => {
      const days = args.action.action_id === ACTIONS.snoozeAccount1w ? 7 : 1;
      const result = await deps.services.reminderActions.snoozeAccount(actor, value.a, days);
      if (result.kind === "not_found") return tell(t("digest.notFound"));
      if (result.kind === "denied") return tell(`${t("error.denied.not_owner")} ${t("error.nothingChanged")}`);
      const f = formatFor(actor, t);
      const done = t("digest.done.snoozedAccount", { name: escapeMrkdwn(result.accountName), until: instantDay(f, result.until) });
      await showDone(source, REMINDER_ROW.account(value.a), done, { actor, t, client: args.client, respond: args.respond, deps });
      await emitUserChanged(actor, deps);
    },
  });
}
