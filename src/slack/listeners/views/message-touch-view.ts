import type { App, ViewSubmitAction } from "@slack/bolt";
import type { AppDeps } from "../../deps.js";
import { VIEWS } from "../../ids.js";
import { submitTouch, type TouchViewArgs } from "./touch-submission.js";

/** The "Log as touch" modal was submitted: a touch with source "message" and the message's permalink. */
export function register(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>(VIEWS.messageTouch, async (args: TouchViewArgs) => submitTouch(args, deps, "message"));
}
