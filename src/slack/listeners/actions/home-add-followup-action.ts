import type { App } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { openFollowUpModal } from "../../modals/account-modals.js";
import { accountFormOptions, registerFormButton } from "./form-button.js";

/**
 * "Add follow-up" on the Home tab (and on an account's page, where the button carries the
 * account): opens the follow-up modal.
 */
export function register(app: App, deps: AppDeps): void {
  registerFormButton(app, deps, {
    actionId: ACTIONS.homeAddFollowUp,
    name: "add follow-up",
    open: async (input) => ({ opened: await openFollowUpModal(input.client, input.body.trigger_id, input.actor, deps, accountFormOptions(input)) }),
  });
}
