import type { App, BlockButtonAction } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { accountButtonValue } from "../../blocks/digest-blocks.js";
import { digestLogTouchModal, type DigestTouchOrigin } from "../../blocks/digest-log-touch-modal.js";
import { MAX_NOTE } from "../../../services/touch-service.js";
import { openViewFromClick } from "../../open-view.js";
import { buttonValue, runButton, tellClicker, type ButtonArgs } from "./digest-action-support.js";

/**
 * "Log touch" on a digest (or Home) row: opens the digest's log-touch modal for that account. The
 * modal remembers where it came from, so its submission can update the row in place.
 */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.logTouch, async (args: ButtonArgs) => handle(args, deps));
}

async function handle(args: ButtonArgs, deps: AppDeps): Promise<void> {
  await runButton(args, deps, "digest log touch", async (actor, t, source) => {
    const value = buttonValue(args.action.value, accountButtonValue);
    if (!value) return tellClicker(source, t("digest.invalidButton"), args.respond);
    const owned = await deps.services.reminderActions.ownedAccount(actor, value.a);
    if (owned.kind === "not_found") return tellClicker(source, t("digest.notFound"), args.respond);
    if (owned.kind === "denied") return tellClicker(source, `${t("error.denied.not_owner")} ${t("error.nothingChanged")}`, args.respond);
    const origin: DigestTouchOrigin =
      source.kind === "message"
        ? { a: value.a, c: source.channel, ts: source.ts }
        : source.kind === "ephemeral"
          ? { a: value.a, r: source.responseUrl }
          : { a: value.a };
    await openViewFromClick(
      { client: args.client, triggerId: args.body.trigger_id, userId: actor.user.slackUserId, channelId: source.kind === "message" ? source.channel : undefined },
      digestLogTouchModal(owned.name, origin, t, MAX_NOTE),
      t,
      deps,
    );
  });
}
