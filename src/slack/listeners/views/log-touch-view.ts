import type { App, ViewSubmitAction } from "@slack/bolt";
import type { AppDeps } from "../../deps.js";
import { VIEWS } from "../../ids.js";
import { submitTouch, type TouchViewArgs } from "./touch-submission.js";

/** The log-touch modal was submitted (from `/ae log`, the Home tab, an account page or the digest). */
export function register(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>(VIEWS.logTouch, async (args: TouchViewArgs) => submitTouch(args, deps, "modal"));
}
