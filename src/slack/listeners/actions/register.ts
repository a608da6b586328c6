import type { App } from "@slack/bolt";
import type { AppDeps } from "../../deps.js";
import { register as pickAccount } from "./pick-account-action.js";

/** Every action listener in this folder. */
export function register(app: App, deps: AppDeps): void {
  pickAccount(app, deps);
}
