import type { webApi } from "@slack/bolt";
import type { View } from "@slack/types";
import type { AppLogger } from "../logger.js";
import type { Translator } from "../i18n/translate.js";
import { textReply } from "./blocks/reply-blocks.js";
import type { AppDeps } from "./deps.js";
import { confirmToUser } from "./form-submission.js";

/**
 * Opens a modal (or pushes it onto the one the click came from). Slack accepts a trigger id once,
 * within 3 seconds; past that, or on any other refusal, this logs why and answers false so the
 * caller can tell the user in words instead of failing with "something went wrong".
 */
export async function openView(
  client: webApi.WebClient,
  triggerId: string | undefined,
  view: View,
  logger: Pick<AppLogger, "warn">,
  opts: { push?: boolean } = {},
): Promise<boolean> {
  if (!triggerId) return false;
  try {
    const res = opts.push ? await client.views.push({ trigger_id: triggerId, view }) : await client.views.open({ trigger_id: triggerId, view });
    return res.ok === true;
  } catch (error) {
    logger.warn(`could not open the ${"callback_id" in view && view.callback_id ? view.callback_id : view.type} view`, error);
    return false;
  }
}

/**
 * Opens a modal from a button click; when Slack refuses, the clicker is told in words (in the
 * channel of the clicked message, else by DM) instead of nothing happening.
 */
export async function openViewFromClick(
  click: { client: webApi.WebClient; triggerId: string; userId: string; channelId?: string },
  view: View,
  t: Translator,
  deps: Pick<AppDeps, "logger">,
  opts: { push?: boolean } = {},
): Promise<boolean> {
  const opened = await openView(click.client, click.triggerId, view, deps.logger, opts);
  if (!opened) await tellModalFailed(click, t, deps);
  return opened;
}

/** Tells a clicker that their form could not be opened (in the clicked message's channel, else by DM). */
export async function tellModalFailed(
  click: { client: webApi.WebClient; userId: string; channelId?: string },
  t: Translator,
  deps: Pick<AppDeps, "logger">,
): Promise<void> {
  await confirmToUser(click.client, click.userId, click.channelId ?? "", textReply(t("error.modalFailed")), deps);
}
