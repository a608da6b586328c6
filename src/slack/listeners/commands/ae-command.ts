import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { COMMAND } from "../../ids.js";
import type { AppDeps } from "../../deps.js";
import { dispatch } from "../../subcommands/router.js";
import { actorContext } from "../../middleware/actor-context.js";
import { translator, languageFor } from "../../../i18n/translate.js";
import { answerCommand, runAfterAnswer, type CommandAnswer } from "../../command-answer.js";
import { DEFAULT_ACK_BUDGET_MS } from "../../../config/load-config.js";

const commandPayload = z.object({
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  channel_id: z.string().default(""),
  trigger_id: z.string().default(""),
  text: z.string().max(20_000).default(""),
});

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * Runs at most `size` commands' work at once; the rest wait their turn. Acking stays immediate
 * under a burst (200 commands at once): the event loop is not flooded with every command's
 * database work, so new requests are still read and acked within Slack's 3 seconds. A command
 * still running after `holdMs` gives up its slot (it carries on) so a stuck one cannot block others.
 */
function workSlots(size: number, holdMs: number) {
  let free = size;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    let held = true;
    const giveUp = () => {
      if (held) {
        held = false;
        release();
      }
    };
    const timer = setTimeout(giveUp, holdMs);
    timer.unref();
    try {
      return await work();
    } finally {
      clearTimeout(timer);
      giveUp();
    }
  };
}

const inTurn = workSlots(4, 10_000);

/**
 * `/ae …`: resolve the user, dispatch the subcommand and answer ephemerally — in the acknowledgement
 * itself when the answer is ready within the budget, else through `response_url` after an empty ack.
 */
export function register(app: App, deps: AppDeps): void {
  app.command(COMMAND, async (args: Args) => handle(args, deps));
}

async function handle({ command, ack, respond, client, context }: Args, deps: AppDeps): Promise<void> {
  const answer = answerCommand({
    ack,
    respond,
    budgetMs: deps.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS,
    onAckError: (e) => deps.logger.warn(`${COMMAND}: the acknowledgement could not be sent`, e),
  });
  await inTurn(() => work({ command, client, context }, answer, deps));
}

async function work({ command, client, context }: Pick<Args, "command" | "client" | "context">, answer: CommandAnswer, deps: AppDeps): Promise<void> {
  let t = translator(languageFor(undefined));
  try {
    const payload = commandPayload.parse(command);
    const resolved = await actorContext(context);
    const actor = resolved.actor;
    t = resolved.t;
    const reply = await dispatch(payload.text, {
      actor,
      t,
      client,
      triggerId: payload.trigger_id,
      channelId: payload.channel_id,
      deps,
    });
    if (reply) await answer.send(reply);
    await answer.finish();
    await runAfterAnswer(reply, deps);
    if (reply?.changed) {
      await deps.services.events.emit("user.changed", {
        workspaceId: actor.workspace.id,
        userId: actor.user.id,
        slackUserId: actor.user.slackUserId,
      });
    }
  } catch (error) {
    deps.logger.error(`${COMMAND} failed`, error);
    await answer.send({ text: t("error.internal") }).catch((e: unknown) => deps.logger.warn("could not tell the user about the failure", e));
  }
}
