import type { App } from "@slack/bolt";
import type { AppDeps } from "../../deps.js";

/** Every view listener in this folder. */
export function register(app: App, deps: AppDeps): void {
  void app;
  void deps;
}
