import type { App } from "@slack/bolt";
import type { AppDeps } from "../deps.js";
import { register as commands } from "./commands/register.js";

/** Wires every listener folder. Each folder owns a register(app, deps). */
export function registerListeners(app: App, deps: AppDeps): void {
  commands(app, deps);
}
