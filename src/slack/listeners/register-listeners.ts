import type { App } from "@slack/bolt";
import type { AppDeps } from "../deps.js";
import { register as actions } from "./actions/register.js";
import { register as commands } from "./commands/register.js";
import { register as events } from "./events/register.js";
import { register as shortcuts } from "./shortcuts/register.js";
import { register as views } from "./views/register.js";
import { dedupeRetries } from "../middleware/dedupe-retries.js";
import { wellFormedText } from "../middleware/well-formed-text.js";
import { attachActor } from "../middleware/actor-context.js";

/** Wires every listener folder. Each folder owns a register(app, deps). */
export function registerListeners(app: App, deps: AppDeps): void {
  // Lone UTF-16 surrogates (possible in JSON payloads) become U+FFFD before anything reads them.
  app.use(wellFormedText());
  // Before any listener: Slack's retries of a delivery we already handled are dropped.
  app.use(dedupeRetries(deps));
  // The acting user, resolved once per request on first use: listeners call actorContext(context).
  app.use(attachActor(deps));
  commands(app, deps);
  actions(app, deps);
  views(app, deps);
  events(app, deps);
  shortcuts(app, deps);
}
