import type { App, BlockButtonAction } from "@slack/bolt";
import { rerunAsClicker, type ButtonArgs } from "./rerun-as-clicker.js";
import { ACTIONS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";

/**
 * A click on a "which deal did you mean?" button (`rerun_command:<deal id>`): runs the command in
 * the button's value (e.g. "won #42 55k") as the user who clicked — with their rights, exactly as
 * if typed — and replaces the question with the answer.
 */
export function register(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(new RegExp(`^${ACTIONS.rerunCommand}:[\\w-]{1,40}$`), async (args: ButtonArgs) => handle(args, deps));
}

function handle(args: ButtonArgs, deps: AppDeps): Promise<void> {
  return rerunAsClicker(args, deps, { replaceOriginal: true, name: "rerun command" });
}
