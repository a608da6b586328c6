import type { App } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { REMINDER_ROW, followUpButtonValue } from "../../blocks/reminder-blocks.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { clockTime, formatFor } from "../../blocks/reminder-format.js";
import { registerRowButton, showDone } from "./row-button-support.js";
import { emitUserChanged } from "../../user-changed.js";

/** Done on a digest follow-up: completes it and marks the row done. */
export function register(app: App, deps: AppDeps): void {
  registerRowButton(app, deps, {
    actionIds: [ACTIONS.followUpDone],
    name: "follow-up done",
    schema: followUpButtonValue,
    run: async ({ value, actor, t, source, args, tell }) => {
      const principal = await deps.services.principal(actor);
      const result = await deps.services.reminderActions.completeFollowUp(actor, principal, value.f);
      if (result.kind === "not_found") return tell(t("digest.notFound"));
      if (result.kind === "denied") return tell(`${t(`error.denied.${result.reason}`)} ${t("error.nothingChanged")}`);
      const title = escapeMrkdwn(result.followUp.title);
      const done =
        result.kind === "done"
          ? t("digest.done.followUpDone", { title, account: escapeMrkdwn(result.accountName), time: clockTime(formatFor(actor, t), deps.now()) })
          : t("digest.done.alreadyClosed", { title });
      await showDone(source, REMINDER_ROW.followUp(value.f), done, { actor, t, client: args.client, respond: args.respond, deps });
      if (result.kind === "done") await emitUserChanged(actor, deps);
    },
  });
}
