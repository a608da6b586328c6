import type { App, BlockButtonAction } from "@slack/bolt";
import { rerunAsClicker, type ButtonArgs } from "./rerun-as-clicker.js";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";

/**
 * "More" under a long list (`/ae accounts`, `/ae followups`): runs the command in the button's
 * value (the same list, next page) as the user who clicked, and posts the page below the current
 * one. The command runs with the clicker's rights, exactly as if they had typed it.
 */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(ACTIONS.moreResults, async (args: ButtonArgs) => handle(args, deps));
}

function handle(args: ButtonArgs, deps: AppDeps): Promise<void> {
  return rerunAsClicker(args, deps, { replaceOriginal: false, name: "more results" });
}
