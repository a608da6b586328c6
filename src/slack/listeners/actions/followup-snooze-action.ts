import type { App } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { REMINDER_ROW, followUpButtonValue } from "../../blocks/reminder-blocks.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { formatFor, instantDay } from "../../blocks/reminder-format.js";
import { registerRowButton, showDone } from "./row-button-support.js";
import { emitUserChanged } from "../../user-changed.js";

/** Snooze on a digest follow-up: hidden until the start of tomorrow (FollowUp.snoozedUntil). */
export function register(app: App, deps: AppDeps): void {
  registerRowButton(app, deps, {
    actionIds: [ACTIONS.followUpSnooze],
    name: "follow-up snooze",
    schema: followUpButtonValue,
    run: async ({ value, actor, t, source, args, tell }) => {
      const result = await deps.services.reminderActions.snoozeFollowUp(actor, value.f);
      if (result.kind === "not_found") return tell(t("digest.notFound"));
      if (result.kind === "denied") return tell(`${t("error.denied.not_owner")} ${t("error.nothingChanged")}`);
      const done = t("digest.done.followUpSnoozed", {
        title: escapeMrkdwn(result.title),
        account: escapeMrkdwn(result.accountName),
        until: instantDay(formatFor(actor, t), result.until),
      });
      await showDone(source, REMINDER_ROW.followUp(value.f), done, { actor, t, client: args.client, respond: args.respond, deps });
      await emitUserChanged(actor, deps);
    },
  });
}
