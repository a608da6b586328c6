import type { LineLogger } from "../logger.js";
import { duePosts, leaderboardPeriod } from "../domain/leaderboard-periods.js";
import type { PostingTeam } from "../db/repositories/team-repository.js";
import { translator } from "../i18n/translate.js";
import { teamZone, voiceOf } from "../services/leaderboard-service.js";
import type { Services } from "../services/services.js";
import { leaderboardBlocks, leaderboardChartSpec } from "../slack/blocks/leaderboard-blocks.js";
import type { ScheduledJob } from "./scheduler.js";
import { LEADERBOARD_KIND, SKIPPED_PAYLOAD, outboxPayload } from "../services/outbox-kinds.js";


export interface LeaderboardJobDeps {
  services: Services;
  logger: Pick<LineLogger, "error" | "warn" | "info">;
  defaultTimezone: string;
}

/**
 * The outbox date key of a team's post for a period. The team id is part of it so two teams that
 * share a channel each get their post (the outbox row is unique per channel, key and kind).
 */
export function leaderboardOutboxKey(teamId: number, periodKey: string): string {
  return `team-${teamId}:${periodKey}`;
}

/**
 * Plans team leaderboard posts (see `domain/leaderboard-periods.ts` for when): one outbox row per
 * team channel, period and kind, so each post goes out once whichever replica plans it, however
 * often. The post's text and blocks are rendered now; its chart travels as a spec in the payload
 * and is rendered and uploaded by the sender after the post. Teams without members get a
 * "skipped" row (nothing to show, and no re-planning every minute).
 */
export class LeaderboardJob implements ScheduledJob {
  readonly name = "leaderboards";
  readonly kinds: string[] = Object.values(LEADERBOARD_KIND);

  constructor(private readonly deps: LeaderboardJobDeps) {}

  async plan(now: Date): Promise<{ enqueued: number }> {
    const { services, logger } = this.deps;
    const teams = await services.repos.teams.withChannel();
    let enqueued = 0;
    for (const team of teams) {
      try {
        enqueued += await this.planTeam(team, now);
      } catch (error) {
        // One team's failure never stops the others.
        logger.error(`leaderboard for team ${team.id} could not be planned`, error);
      }
    }
    return { enqueued };
  }

  private async planTeam(team: PostingTeam, now: Date): Promise<number> {
    const channelId = team.channelId;
    if (!channelId) return 0;
    const { services } = this.deps;
    const zone = teamZone(team, team.workspace, this.deps.defaultTimezone);
    let enqueued = 0;
    for (const due of duePosts(now, zone, team.workspace.fiscalYearStartMonth)) {
      const kind = LEADERBOARD_KIND[due.type];
      const period = leaderboardPeriod(due.type, due.date, zone, team.workspace.fiscalYearStartMonth);
      const localDate = leaderboardOutboxKey(team.id, period.key);
      if (await services.repos.outbox.find(channelId, localDate, kind)) continue;
      const view = await services.leaderboards.view(team, team.workspace, due.type, due.date);
      const base = { recipientType: "channel" as const, recipient: channelId, localDate, kind };
      if (view.memberCount === 0) {
        await services.repos.outbox.enqueue([{ ...base, payload: SKIPPED_PAYLOAD, status: "skipped" }], now);
        continue;
      }
      const voice = voiceOf(team);
      const t = translator(voice.language);
      const message = leaderboardBlocks(view, t, voice.locale);
      const chart = leaderboardChartSpec(view, t, voice.locale);
      const payload = outboxPayload(kind, { text: message.text, blocks: message.blocks, ...(chart ? { chart } : {}) });
      enqueued += await services.repos.outbox.enqueue([{ ...base, payload }], now);
    }
    return enqueued;
  }
}
