import type { App } from "@slack/bolt";
import type { AppDeps } from "../../deps.js";
import { register as logMessageAsTouch } from "./log-message-as-touch-shortcut.js";

/** Every shortcut listener in this folder. */
export function register(app: App, deps: AppDeps): void {
  logMessageAsTouch(app, deps);
}
