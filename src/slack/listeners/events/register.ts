import type { App } from "@slack/bolt";
import type { AppDeps } from "../../deps.js";
import { register as appHomeOpened } from "./app-home-opened.js";
import { register as userChange } from "./user-change.js";

/** Every event listener in this folder. */
export function register(app: App, deps: AppDeps): void {
  appHomeOpened(app, deps);
  userChange(app, deps);
}
