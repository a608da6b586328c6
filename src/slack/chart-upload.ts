import type { webApi } from "@slack/bolt";
import { chartSpecSchema, renderChartPng } from "../services/leaderboard-chart.js";

export interface ChartUploadOptions {
  filename: string;
  /** Reply in this thread instead of posting next to the message. */
  threadTs?: string;
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
    alt_text: `${parsed.title}: ${parsed.bars.map((b) => `${b.rank}. ${b.label} ${Math.round(b.attainment * 100)}%`).join(", ")}`.slice(0, 1000),
  };
  await client.filesUploadV2(opts.threadTs ? { ...base, channel_id: channelId, thread_ts: opts.threadTs } : { ...base, channel_id: channelId });
}
