import type { App, BlockButtonAction } from "@slack/bolt";
import { rerunAsClicker, type ButtonArgs } from "./rerun-as-clicker.js";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";

/**
 * A click on one of the "which account did you mean?" buttons: runs the original command again
 * with the chosen account, as the user who clicked, and replaces the question with the answer.
 */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(new RegExp(`^${ACTIONS.pickAccount}:\\d+$`), async (args: ButtonArgs) => handle(args, deps));
}

function handle(args: ButtonArgs, deps: AppDeps): Promise<void> {
  return rerunAsClicker(args, deps, { replaceOriginal: true, name: "pick account" });
}
