import type { App } from "@slack/bolt";
import { validateReminderSettings } from "../../../domain/reminder-settings.js";
import { localDateOf } from "../../../domain/time.js";
import { settingsErrors } from "../../blocks/settings-blocks.js";
import type { AppDeps } from "../../deps.js";
import { registerForm } from "../../form-submission.js";
import { SETTINGS_MODAL, VIEWS } from "../../ids.js";
import { stateChecked, stateSelected, stateText, stateTime } from "../../view-state.js";

/**
 * The settings modal was submitted: problems are shown on their fields (response_action
 * "errors", the modal stays open with what was typed); valid settings are saved, the modal closes
 * and the Home tab refreshes.
 */
export function register(app: App, deps: AppDeps): void {
  registerForm(app, deps, {
    callbackId: VIEWS.settings,
    name: "settings",
    fallbackBlock: SETTINGS_MODAL.time,
    submit: async ({ actor, t, values }) => {
      const result = validateReminderSettings(
        {
          time: stateTime(values, SETTINGS_MODAL.time),
          days: stateChecked(values, SETTINGS_MODAL.days),
          language: stateSelected(values, SETTINGS_MODAL.language),
          zone: stateText(values, SETTINGS_MODAL.zone),
          paused: stateChecked(values, SETTINGS_MODAL.pause).includes("paused"),
          skipDates: stateText(values, SETTINGS_MODAL.skipDates),
        },
        localDateOf(deps.now(), actor.zone),
      );
      if (!result.ok) return { kind: "errors", errors: settingsErrors(result.errors, t) };
      await deps.services.reminderActions.saveSettings(actor, result.settings);
      return { kind: "saved" };
    },
  });
}
