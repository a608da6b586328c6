import type { App } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { openAddAccountModal } from "../../modals/account-modals.js";
import { registerFormButton } from "./form-button.js";

/** "Add account" on the Home tab: opens the add-account modal. */
export function register(app: App, deps: AppDeps): void {
  registerFormButton(app, deps, {
    actionId: ACTIONS.homeAddAccount,
    name: "home add account",
    open: async ({ actor, body, client }) => ({
      opened: await openAddAccountModal(client, body.trigger_id, actor, deps, {
        ...(body.channel?.id ? { channelId: body.channel.id } : {}),
        push: body.view?.type === "modal",
      }),
    }),
  });
}
