import type { App } from "@slack/bolt";
import type { AppDeps } from "../../deps.js";
import { register as aeCommand } from "./ae-command.js";

export function register(app: App, deps: AppDeps): void {
  aeCommand(app, deps);
}
