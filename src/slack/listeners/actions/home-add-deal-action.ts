import type { App } from "@slack/bolt";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { dealModal } from "../../blocks/deal-modal.js";
import { registerFormButton } from "./form-button.js";

/** The Home tab's "Add deal" button: opens the deal modal (VIEWS.deal). */
export function register(app: App, deps: AppDeps): void {
  registerFormButton(app, deps, {
    actionId: ACTIONS.homeAddDeal,
    name: "home add deal",
    open: async ({ t, body }) => ({ view: dealModal(t, { channelId: body.channel?.id ?? "" }) }),
  });
}
