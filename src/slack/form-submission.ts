import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewOutput, ViewSubmitAction, webApi } from "@slack/bolt";
import { translator, type Translator } from "../i18n/translate.js";
import type { Actor } from "../services/actor-service.js";
import type { AppDeps } from "./deps.js";
import { actorContext } from "./middleware/actor-context.js";
import { emitUserChanged } from "./user-changed.js";
import type { Reply } from "./subcommands/subcommand.js";
import type { StateValues } from "./view-state.js";

/** What a form's `submit` sees: who submitted it, their translator, the fields, the view. */
export interface FormInput {
  actor: Actor;
  t: Translator;
  values: StateValues;
  view: ViewOutput;
  client: webApi.WebClient;
  deps: AppDeps;
}

export type FormResult =
  /** Problems, keyed by block id: the modal stays open with everything typed. */
  | { kind: "errors"; errors: Record<string, string> }
  /**
   * Saved: the modal closes. `confirm` goes to `channelId` (the channel the form was opened
   * from) as an ephemeral message, else to the user's DM. `changed: false` skips the Home refresh.
   * `afterAck` is slower work that may run after Slack's 3-second window (it runs after the ack).
   */
  | { kind: "saved"; confirm?: Reply; channelId?: string; changed?: boolean; afterAck?: () => Promise<void> };

export interface FormDefinition {
  callbackId: string;
  /** For log lines: "add-account", "deal", … */
  name: string;
  /** The block that shows an unexpected failure ("Sorry, something went wrong"). */
  fallbackBlock: string;
  submit(input: FormInput): Promise<FormResult>;
}

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The one way a modal submission is handled: resolve the actor (from the request's context),
 * validate and save (the form's `submit`), acknowledge with field errors or close, confirm, and
 * refresh the Home tab. Every error is caught and logged; the user sees a message on the form
 * if it was not acknowledged yet.
 */
export function registerForm(app: App, deps: AppDeps, form: FormDefinition): void {
  app.view<ViewSubmitAction>(form.callbackId, async (args: Args) => runForm(args, deps, form));
}

export async function runForm({ ack, view, client, context }: Args, deps: AppDeps, form: FormDefinition): Promise<void> {
  let t: Translator = translator("en");
  let acked = false;
  try {
    const { actor, t: userT } = await actorContext(context);
    t = userT;
    const result = await form.submit({ actor, t, values: view.state.values, view, client, deps });
    acked = true;
    if (result.kind === "errors") {
      await ack({ response_action: "errors", errors: result.errors });
      return;
    }
    await ack();
    if (result.afterAck) await result.afterAck();
    if (result.changed !== false) await emitUserChanged(actor, deps);
    if (result.confirm) await confirmToUser(client, actor.user.slackUserId, result.channelId ?? "", result.confirm, deps);
  } catch (error) {
    deps.logger.error(`${form.name} submission failed`, error);
    if (!acked) await ack({ response_action: "errors", errors: { [form.fallbackBlock]: t("error.internal") } }).catch(() => undefined);
  }
}

/**
 * The one confirmation rule: ephemerally in the channel the form or command came from, or, from
 * the Home tab, a DM, or when the bot cannot post there (not a member, archived), in the user's
 * DM with the app. Never lost silently: a failure is logged.
 */
export async function confirmToUser(client: webApi.WebClient, userId: string, channelId: string, reply: Reply, deps: Pick<AppDeps, "logger">): Promise<void> {
  if (channelId !== "" && !channelId.startsWith("D")) {
    try {
      await client.chat.postEphemeral({ channel: channelId, user: userId, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
      return;
    } catch (error) {
      deps.logger.warn(`could not confirm in ${channelId}; sending a DM instead`, error);
    }
  }
  await client.chat
    .postMessage({ channel: userId, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) })
    .catch((error: unknown) => deps.logger.warn("could not send a confirmation DM", error));
}
