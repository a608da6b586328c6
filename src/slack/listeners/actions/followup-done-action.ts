import type { App, BlockButtonAction } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { DIGEST_ROW, followUpButtonValue } from "../../blocks/digest-blocks.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { clockTime, formatFor } from "../../blocks/reminder-format.js";
import { buttonValue, changed, runButton, showDone, tellClicker, type ButtonArgs } from "./digest-action-support.js";

/** Done on a digest follow-up: completes it and marks the row done. */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.followUpDone, async (args: ButtonArgs) => handle(args, deps));
}

async function handle(args: ButtonArgs, deps: AppDeps): Promise<void> {
  await runButton(args, deps, "follow-up done", async (actor, t, source) => {
    const value = buttonValue(args.action.value, followUpButtonValue);
    if (!value) return tellClicker(source, t("digest.invalidButton"), args.respond);
    const principal = await deps.services.principal(actor);
    const result = await deps.services.reminderActions.completeFollowUp(actor, principal, value.f);
    if (result.kind === "not_found") return tellClicker(source, t("digest.notFound"), args.respond);
    if (result.kind === "denied") return tellClicker(source, `${t(`error.denied.${result.reason}`)} ${t("error.nothingChanged")}`, args.respond);
    const title = escapeMrkdwn(result.followUp.title);
    const done =
      result.kind === "done"
        ? t("digest.done.followUpDone", { title, account: escapeMrkdwn(result.accountName), time: clockTime(formatFor(actor, t), deps.now()) })
        : t("digest.done.alreadyClosed", { title });
    await showDone(source, DIGEST_ROW.followUp(value.f), done, { actor, t, client: args.client, respond: args.respond, deps });
    if (result.kind === "done") await changed(actor, deps);
  });
}
