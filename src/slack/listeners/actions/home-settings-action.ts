import type { App } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { settingsModal } from "../../blocks/settings-blocks.js";
import { registerFormButton } from "./form-button.js";

/** The Home tab's "Reminder settings" button: opens the settings modal. */
export function register(app: App, deps: AppDeps): void {
  registerFormButton(app, deps, {
    actionId: ACTIONS.homeSettings,
    name: "home settings",
    open: async ({ actor, t }) => ({ view: settingsModal(actor.user, t) }),
  });
}
