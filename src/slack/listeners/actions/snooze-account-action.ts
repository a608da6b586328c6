import type { App, BlockButtonAction } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { accountButtonValue, DIGEST_ROW } from "../../blocks/digest-blocks.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { instantDay, formatFor } from "../../blocks/reminder-format.js";
import { buttonValue, changed, runButton, showDone, tellClicker, type ButtonArgs } from "./digest-action-support.js";

/** Snooze 1 day / Snooze 1 week on a neglected account: sets Account.snoozedUntil. */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.snoozeAccount1d, async (args: ButtonArgs) => handle(args, deps, 1));
  app.action<BlockButtonAction>(ACTIONS.snoozeAccount1w, async (args: ButtonArgs) => handle(args, deps, 7));
}

async function handle(args: ButtonArgs, deps: AppDeps, days: number): Promise<void> {
  await runButton(args, deps, "snooze account", async (actor, t, source) => {
    const value = buttonValue(args.action.value, accountButtonValue);
    if (!value) return tellClicker(source, t("digest.invalidButton"), args.respond);
    const result = await deps.services.reminderActions.snoozeAccount(actor, value.a, days);
    if (result.kind === "not_found") return tellClicker(source, t("digest.notFound"), args.respond);
    if (result.kind === "denied") return tellClicker(source, `${t("error.denied.not_owner")} ${t("error.nothingChanged")}`, args.respond);
    const f = formatFor(actor, t);
    const done = t("digest.done.snoozedAccount", { name: escapeMrkdwn(result.accountName), until: instantDay(f, result.until) });
    await showDone(source, DIGEST_ROW.account(value.a), done, { actor, t, client: args.client, respond: args.respond, deps });
    await changed(actor, deps);
  });
}
