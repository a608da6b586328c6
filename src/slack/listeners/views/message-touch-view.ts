import type { App } from "@slack/bolt";
import type { AppDeps } from "../../deps.js";
import { registerForm } from "../../form-submission.js";
import { touchForm } from "./touch-submission.js";

/** The "Log as touch" modal was submitted: a touch with source "message" and the message's permalink. */
export function register(app: App, deps: AppDeps): void {
  registerForm(app, deps, touchForm(deps, "message"));
}
