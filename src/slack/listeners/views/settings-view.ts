import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { validateReminderSettings } from "../../../domain/reminder-settings.js";
import { localDateOf } from "../../../domain/time.js";
import { translator } from "../../../i18n/translate.js";
import { settingsErrors } from "../../blocks/settings-blocks.js";
import type { AppDeps } from "../../deps.js";
import { SETTINGS_MODAL, VIEWS } from "../../ids.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { stateChecked, stateSelected, stateText } from "../../view-state.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The settings modal was submitted: problems are shown on their fields (response_action
 * "errors", the modal stays open with what was typed); valid settings are saved, the modal closes
 * and the Home tab refreshes.
 */
export function register(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>(VIEWS.settings, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, view, client }: Args, deps: AppDeps): Promise<void> {
  let acked = false;
  try {
    const actor = await deps.services.actors.resolve(body.team?.id ?? body.user.team_id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    const t = translator(actor.language);
    const values = view.state.values;
    const time = values[SETTINGS_MODAL.time]?.[SETTINGS_MODAL.time]?.selected_time;
    const result = validateReminderSettings(
      {
        time: typeof time === "string" ? time : null,
        days: stateChecked(values, SETTINGS_MODAL.days),
        language: stateSelected(values, SETTINGS_MODAL.language),
        zone: stateText(values, SETTINGS_MODAL.zone),
        paused: stateChecked(values, SETTINGS_MODAL.pause).includes("paused"),
        skipDates: stateText(values, SETTINGS_MODAL.skipDates),
      },
      localDateOf(deps.now(), actor.zone),
    );
    if (!result.ok) {
      acked = true;
      await ack({ response_action: "errors", errors: settingsErrors(result.errors, t) });
      return;
    }
    await deps.services.reminderActions.saveSettings(actor, result.settings);
    acked = true;
    await ack();
    await deps.services.events.emit("user.changed", { workspaceId: actor.workspace.id, userId: actor.user.id, slackUserId: actor.user.slackUserId });
  } catch (error) {
    deps.logger.error("settings submission failed", error);
    if (!acked) await ack({ response_action: "errors", errors: { [SETTINGS_MODAL.time]: translator("en")("error.internal") } }).catch(() => undefined);
  }
}
