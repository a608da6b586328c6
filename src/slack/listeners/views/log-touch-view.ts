import type { App } from "@slack/bolt";
import type { AppDeps } from "../../deps.js";
import { registerForm } from "../../form-submission.js";
import { touchForm } from "./touch-submission.js";

/** The log-touch modal was submitted (from `/ae log`, the Home tab, an account page or the digest). */
export function register(app: App, deps: AppDeps): void {
  registerForm(app, deps, touchForm(deps, "modal"));
}
