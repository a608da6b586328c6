import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import { EVENTS } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { publishHome } from "../../home-publisher.js";
import { actorContext } from "../../middleware/actor-context.js";

type Args = SlackEventMiddlewareArgs<typeof EVENTS.appHomeOpened> & AllMiddlewareArgs;

/** The user opened the Home tab: publish their dashboard. */
export function register(app: App, deps: AppDeps): void {
  app.event(EVENTS.appHomeOpened, async (args: Args) => handle(args, deps));
}

async function handle({ event, context, client }: Args, deps: AppDeps): Promise<void> {
  if (event.tab !== "home") return;
  try {
    const { actor } = await actorContext(context);
    await publishHome(client, deps, actor);
  } catch (error) {
    deps.logger.error("publishing the Home tab failed", error);
  }
}
