import type { App } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { openLogTouchModal } from "../../modals/account-modals.js";
import { accountFormOptions, registerFormButton } from "./form-button.js";

/**
 * "Log touch" on the Home tab (and on an account's page, where the button carries the account):
 * opens the log-touch modal.
 */
export function register(app: App, deps: AppDeps): void {
  registerFormButton(app, deps, {
    actionId: ACTIONS.homeLogTouch,
    name: "log touch",
    open: async (input) => ({ opened: await openLogTouchModal(input.client, input.body.trigger_id, input.actor, deps, accountFormOptions(input)) }),
  });
}
