import type { App } from "@slack/bolt";
import { canAdminister } from "../../../domain/authorization.js";
import { settingsOf } from "../../../services/workspace-settings-service.js";
import { adminModal } from "../../blocks/admin-blocks.js";
import type { AppDeps } from "../../deps.js";
import { ACTIONS } from "../../ids.js";
import { registerFormButton } from "./form-button.js";

/** The Home tab's "Workspace settings" button (shown to admins): opens the workspace settings modal. */
export function register(app: App, deps: AppDeps): void {
  registerFormButton(app, deps, {
    actionId: ACTIONS.homeAdmin,
    name: "home admin",
    open: async ({ actor, t }) => {
      // The button is only drawn for admins, but a stale Home tab or a forged click can still arrive.
      const decision = canAdminister(await deps.services.principal(actor));
      if (!decision.allowed) return { refused: t(`error.denied.${decision.reason}`) };
      return { view: adminModal(settingsOf(actor.workspace), t, actor.locale) };
    },
  });
}
