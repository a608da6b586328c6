import type { App, BlockButtonAction } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { DIGEST_ROW, followUpButtonValue } from "../../blocks/digest-blocks.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { formatFor, instantDay } from "../../blocks/reminder-format.js";
import { buttonValue, changed, runButton, showDone, tellClicker, type ButtonArgs } from "./digest-action-support.js";

/** Snooze on a digest follow-up: hidden until the start of tomorrow (FollowUp.snoozedUntil). */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.followUpSnooze, async (args: ButtonArgs) => handle(args, deps));
}

async function handle(args: ButtonArgs, deps: AppDeps): Promise<void> {
  await runButton(args, deps, "follow-up snooze", async (actor, t, source) => {
    const value = buttonValue(args.action.value, followUpButtonValue);
    if (!value) return tellClicker(source, t("digest.invalidButton"), args.respond);
    const result = await deps.services.reminderActions.snoozeFollowUp(actor, value.f);
    if (result.kind === "not_found") return tellClicker(source, t("digest.notFound"), args.respond);
    if (result.kind === "denied") return tellClicker(source, `${t("error.denied.not_owner")} ${t("error.nothingChanged")}`, args.respond);
    const done = t("digest.done.followUpSnoozed", {
      title: escapeMrkdwn(result.title),
      account: escapeMrkdwn(result.accountName),
      until: instantDay(formatFor(actor, t), result.until),
    });
    await showDone(source, DIGEST_ROW.followUp(value.f), done, { actor, t, client: args.client, respond: args.respond, deps });
    await changed(actor, deps);
  });
}
