import type { webApi } from "@slack/bolt";
import { chartSpecSchema, renderChartPng } from "../services/leaderboard-chart.js";

export interface ChartUploadOptions {
  filename: string;
  /** Reply in this thread instead of posting next to the message. */
  threadTs?: string;
}

/**
 * Uploads a chart into the user's DM with the app (conversations.open, then as `uploadChart`): a
 * chart someone asked for about their own or their team's numbers is for their eyes, not for the
 * channel they happened to type the command in. Throws like `uploadChart`.
 */
export async function uploadChartToUser(client: webApi.WebClient, slackUserId: string, spec: unknown, opts: ChartUploadOptions): Promise<void> {
  const opened = await client.conversations.open({ users: slackUserId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error(`conversations.open gave no DM channel for ${slackUserId}`);
  await uploadChart(client, channel, spec, opts);
}

/**
 * Renders a leaderboard chart (spec as carried in an outbox payload) to PNG and uploads it to the
 * channel with files.uploadV2 (getUploadURLExternal → upload → completeUploadExternal).
 * Throws when the spec is invalid, rendering fails or Slack refuses: callers log and carry on.
 */
export async function uploadChart(client: webApi.WebClient, channelId: string, spec: unknown, opts: ChartUploadOptions): Promise<void> {
  const parsed = chartSpecSchema.parse(spec);
  const png = renderChartPng(parsed);
  const base = {
    file: png,
    filename: opts.filename,
    title: parsed.title,
    alt_text: `${parsed.title}: ${parsed.bars.map((b) => `${b.rank === undefined ? "" : `${b.rank}. `}${b.label} ${b.valueLabel ?? `${Math.round(b.attainment * 100)}%`}`).join(", ")}`.slice(0, 1000),
  };
  await client.filesUploadV2(opts.threadTs ? { ...base, channel_id: channelId, thread_ts: opts.threadTs } : { ...base, channel_id: channelId });
}
