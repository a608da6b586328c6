import type { App } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { accountButtonValue } from "../../blocks/reminder-blocks.js";
import { reminderLogTouchModal, type ReminderTouchOrigin } from "../../blocks/reminder-log-touch-modal.js";
import { MAX_NOTE } from "../../../services/touch-service.js";
import { openViewFromClick } from "../../open-view.js";
import { originOf, registerRowButton } from "./row-button-support.js";

/**
 * "Log touch" on a digest (or Home) row: opens the digest's log-touch modal for that account. The
 * modal remembers where it came from, so its submission can update the row in place.
 */
export function register(app: App, deps: AppDeps): void {
  registerRowButton(app, deps, {
    actionIds: [ACTIONS.logTouch],
    name: "digest log touch",
    schema: accountButtonValue,
    run: async ({ value, actor, t, source, args, tell }) => {
      const owned = await deps.services.reminderActions.ownedAccount(actor, value.a);
      if (owned.kind === "not_found") return tell(t("digest.notFound"));
      if (owned.kind === "denied") return tell(`${t("error.denied.not_owner")} ${t("error.nothingChanged")}`);
      const origin: ReminderTouchOrigin = { a: value.a, ...originOf(source) };
      await openViewFromClick(
        { client: args.client, triggerId: args.body.trigger_id, userId: actor.user.slackUserId, channelId: source.kind === "message" ? source.channel : undefined },
        reminderLogTouchModal(owned.name, origin, t, MAX_NOTE),
        t,
        deps,
      );
    },
  });
}
