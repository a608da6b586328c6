import type { AllMiddlewareArgs, App, BlockAction, BlockElementAction, RespondArguments, SlackActionMiddlewareArgs, webApi } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import { z } from "zod";
import { isReminderEmpty } from "../../../domain/reminder.js";
import { translator, type Translator } from "../../../i18n/translate.js";
import type { Actor } from "../../../services/actor-service.js";
import { reminderMessage, markRowDone, type RowOrigin } from "../../blocks/reminder-blocks.js";
import { formatFor } from "../../blocks/reminder-format.js";
import { clip } from "../../blocks/mrkdwn.js";
import type { AppDeps } from "../../deps.js";
import { actorContext } from "../../middleware/actor-context.js";

/** A click on a row's element: a button, or a date picker or select in the same actions block. */
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
/** Answers through a click's response_url. */
type Respond = (message: RespondArguments) => Promise<unknown>;

/** Where a clicked button lives: a posted message, an ephemeral reply, or a view (Home, modal). */
export type ButtonSource =
  | { kind: "message"; channel: string; ts: string; text: string; blocks: KnownBlock[] }
  | { kind: "ephemeral"; responseUrl: string }
  | { kind: "view" };

const container = z.looseObject({
  type: z.string(),
  channel_id: z.string().optional(),
  message_ts: z.string().optional(),
  is_ephemeral: z.boolean().optional(),
});
const blockList = z.array(z.looseObject({ type: z.string() }));

/** Reads where the click came from out of the payload (container, message, response_url). */
export function buttonSource(body: BlockAction): ButtonSource {
  const c = container.safeParse(body.container);
  if (!c.success || c.data.type !== "message") return { kind: "view" };
  if (c.data.is_ephemeral) return body.response_url ? { kind: "ephemeral", responseUrl: body.response_url } : { kind: "view" };
  const channel = c.data.channel_id ?? body.channel?.id;
  const ts = c.data.message_ts ?? body.message?.ts;
  const blocks = blockList.safeParse(body.message?.blocks);
  if (!channel || !ts) return { kind: "view" };
  return {
    kind: "message",
    channel,
    ts,
    text: typeof body.message?.text === "string" ? body.message.text : "",
    // Slack echoes back the blocks we sent; they are Block Kit as we built it.
    blocks: blocks.success ? (blocks.data as unknown as KnownBlock[]) : [],
  };
}


/** Parses a button's JSON value with `schema`; null when it is missing or malformed. */
export function buttonValue<T>(value: string | undefined, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(value ?? ""));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Shows what a button did where it was clicked: in a posted digest the row is replaced in place
 * (chat.update); in an ephemeral `/ae today` reply the digest is rebuilt under the done line;
 * on a view (Home) nothing here — the "user.changed" event republishes the Home tab.
 */
export async function showDone(
  source: ButtonSource,
  rowBlockId: string,
  doneText: string,
  ctx: { actor: Actor; t: Translator; client: webApi.WebClient; respond: Respond; deps: AppDeps },
): Promise<void> {
  if (source.kind === "message") {
    let current = source.blocks;
    let text = source.text;
    if (current.length === 0) {
      // Slack left the message's blocks out of the payload (or a modal only kept where the row is):
      // read the message back, so rows done earlier stay done and its notification text stays.
      const history = await ctx.client.conversations.history({ channel: source.channel, latest: source.ts, oldest: source.ts, inclusive: true, limit: 1 });
      const message = history.messages?.find((m) => m.ts === source.ts);
      const parsed = blockList.safeParse(message?.blocks);
      current = parsed.success ? (parsed.data as unknown as KnownBlock[]) : [];
      text ||= message?.text ?? "";
    }
    if (current.length === 0) return;
    const blocks = markRowDone(current, rowBlockId, doneText);
    await ctx.client.chat.update({ channel: source.channel, ts: source.ts, text: text || doneText, blocks });
    return;
  }
  if (source.kind === "ephemeral") {
    const now = ctx.deps.now();
    const built = await ctx.deps.services.reminders.forActor(ctx.actor, now);
    const done: KnownBlock = { type: "section", text: { type: "mrkdwn", text: clip(doneText) } };
    if (isReminderEmpty(built.view)) {
      await ctx.respond({ replace_original: true, response_type: "ephemeral", text: doneText, blocks: [done, { type: "context", elements: [{ type: "mrkdwn", text: ctx.t("today.nothing") }] }] });
      return;
    }
    const message = reminderMessage(built.view, formatFor(ctx.actor, ctx.t), { title: "today" });
    await ctx.respond({ replace_original: true, response_type: "ephemeral", text: message.text, blocks: [done, ...(message.blocks ?? [])].slice(0, 50) });
  }
}

/** The origin of a click, to carry into a modal. */
export function originOf(source: ButtonSource): RowOrigin {
  return source.kind === "message" ? { c: source.channel, ts: source.ts } : source.kind === "ephemeral" ? { r: source.responseUrl } : {};
}

/**
 * Marks a row done where the modal came from, as showDone does for a click: the DM's current
 * blocks are read back (so rows done earlier stay done), an ephemeral reply is rebuilt through
 * its response_url.
 */
export async function showInOrigin(
  origin: RowOrigin,
  rowBlockId: string,
  doneText: string,
  ctx: { actor: Actor; t: Translator; client: webApi.WebClient; deps: AppDeps },
): Promise<void> {
  const source: ButtonSource =
    origin.c && origin.ts ? { kind: "message", channel: origin.c, ts: origin.ts, text: "", blocks: [] } : origin.r ? { kind: "ephemeral", responseUrl: origin.r } : { kind: "view" };
  const respond = async (body: RespondArguments) => {
    if (!origin.r) return;
    await fetch(origin.r, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  };
  await showDone(source, rowBlockId, doneText, { ...ctx, respond });
}

/** Tells the clicker why nothing happened (ephemerally, where Slack lets us). */
export async function tellClicker(source: ButtonSource, text: string, respond: ButtonArgs["respond"]): Promise<void> {
  if (source.kind === "view") return;
  await respond({ replace_original: false, response_type: "ephemeral", text: `:warning: ${text}` });
}


/** Runs a digest button handler after the ack, turning any failure into a polite ephemeral note. */
export async function runButton(args: ButtonArgs, deps: AppDeps, name: string, handler: (actor: Actor, t: Translator, source: ButtonSource) => Promise<void>): Promise<void> {
  await args.ack();
  const source = buttonSource(args.body);
  let t = translator("en");
  try {
    const resolved = await actorContext(args.context);
    t = resolved.t;
    await handler(resolved.actor, t, source);
  } catch (error) {
    deps.logger.error(`${name} failed`, error);
    await tellClicker(source, t("error.internal"), args.respond).catch(() => undefined);
  }
}

/** What a row button's handler gets: the parsed button value, who clicked, where. */
export interface RowButtonInput<V> {
  value: V;
  actor: Actor;
  t: Translator;
  source: ButtonSource;
  args: ButtonArgs;
  /** Tells the clicker something went wrong (in the message's thread of replies; nothing on a view). */
  tell: (text: string) => Promise<void>;
}

/**
 * The one way a digest/Home row button is handled: ack, resolve the actor, parse the button's
 * JSON value with `schema` (a malformed or forged value is answered, never trusted), run, and turn
 * any failure into a polite note.
 */
export function registerRowButton<V>(
  app: App,
  deps: AppDeps,
  spec: { actionIds: readonly string[]; name: string; schema: z.ZodType<V>; run(input: RowButtonInput<V>): Promise<void> },
): void {
  registerRowAction(app, deps, { ...spec, read: (action) => (action.type === "button" ? buttonValue(action.value, spec.schema) : null) });
}

/**
 * The same for any element of a row's actions block (a date picker, a select): `read` takes what
 * the element says out of the action (null = malformed or forged, answered as an outdated button).
 */
export function registerRowAction<V>(
  app: App,
  deps: AppDeps,
  spec: { actionIds: readonly string[]; name: string; read(action: BlockElementAction): V | null; run(input: RowButtonInput<V>): Promise<void> },
): void {
  for (const actionId of spec.actionIds) {
    app.action<BlockAction>(actionId, async (args: ButtonArgs) =>
      runButton(args, deps, spec.name, async (actor, t, source) => {
        const tell = (text: string) => tellClicker(source, text, args.respond);
        const value = spec.read(args.action);
        if (value === null) return tell(t("digest.invalidButton"));
        await spec.run({ value, actor, t, source, args, tell });
      }),
    );
  }
}
