import type { AllMiddlewareArgs, AnyMiddlewareArgs, Context, Middleware } from "@slack/bolt";
import { translator, type Translator } from "../../i18n/translate.js";
import type { Actor } from "../../services/actor-service.js";
import type { AppDeps } from "../deps.js";
import { slackProfileLookup } from "../slack-profile.js";

export interface ActorContext {
  actor: Actor;
  t: Translator;
}

/** Who sent a request: the Slack team and user ids, wherever the payload keeps them. */
export function requestUser(body: unknown): { teamId: string; userId: string } | null {
  if (typeof body !== "object" || body === null) return null;
  const b = body as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const obj = (v: unknown) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined);
  // Slash commands: user_id and team_id at the top.
  const commandUser = str(b.user_id);
  if (commandUser) return { teamId: str(b.team_id) ?? "", userId: commandUser };
  // Interactions (buttons, modals, shortcuts): a user object, and the team (or the user's team).
  const user = obj(b.user);
  const interactionUser = str(user?.id);
  if (interactionUser) return { teamId: str(obj(b.team)?.id) ?? str(user?.team_id) ?? "", userId: interactionUser };
  // Events: event.user is the acting user's id (a user object in user_change: not an actor).
  const eventUser = str(obj(b.event)?.user);
  if (eventUser) return { teamId: str(b.team_id) ?? "", userId: eventUser };
  return null;
}

/** What kind of request it is, for the audit trail: "command", "block_actions", "event:user_change", … */
export function requestKind(body: unknown): string {
  if (typeof body !== "object" || body === null) return "request";
  const b = body as Record<string, unknown>;
  if (typeof b.command === "string") return "command";
  const event = typeof b.event === "object" && b.event !== null ? (b.event as Record<string, unknown>) : undefined;
  if (b.type === "event_callback" && typeof event?.type === "string") return `event:${event.type}`;
  return typeof b.type === "string" ? b.type : "request";
}

const RESOLVERS = new WeakMap<Context, () => Promise<ActorContext>>();

/**
 * Global middleware: the acting user is resolved once per request, on first use, and shared by
 * every listener that handles it (`actorContext(context)`). Lazy, so a slash command still
 * acknowledges before any database work; memoized, so nothing looks the user up twice.
 * Everything the request's listeners do runs in its audit scope: each write is recorded as
 * made in Slack, by the acting user once they are resolved.
 */
export function attachActor(deps: AppDeps): Middleware<AnyMiddlewareArgs> {
  return async (args: AnyMiddlewareArgs & AllMiddlewareArgs) => {
    const who = requestUser(args.body);
    if (who) {
      let pending: Promise<ActorContext> | undefined;
      RESOLVERS.set(args.context, () => {
        pending ??= deps.services.actors
          .resolve(who.teamId, who.userId, slackProfileLookup(args.client, deps.defaultTimezone))
          .then((actor) => {
            deps.services.audit.identify({ userId: actor.user.id, workspaceId: actor.workspace.id });
            return { actor, t: translator(actor.language) };
          });
        return pending;
      });
    }
    await deps.services.audit.runAs({ kind: "slack", detail: requestKind(args.body) }, () => args.next(), { now: deps.now });
  };
}

/** The acting user and their translator. Throws for a request that has no user (caught by the listener). */
export function actorContext(context: Context): Promise<ActorContext> {
  const resolve = RESOLVERS.get(context);
  if (!resolve) return Promise.reject(new Error("this request has no acting user"));
  return resolve();
}
