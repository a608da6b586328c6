import type { webApi } from "@slack/bolt";
import type { View } from "@slack/types";
import type { AppLogger } from "../logger.js";

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
