import { parseArgs } from "../../domain/command-args.js";
import type { LeaderboardPeriodType } from "../../domain/leaderboard-periods.js";
import type { Team } from "../../db/repositories/team-repository.js";
import { localDateOf } from "../../domain/time.js";
import { teamZone } from "../../services/leaderboard-service.js";
import { leaderboardBlocks } from "../blocks/leaderboard-blocks.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { errorReply } from "../blocks/reply-blocks.js";
import type { Subcommand } from "./subcommand.js";

/** Period words, English and German. */
const PERIOD_WORDS: Record<string, LeaderboardPeriodType> = {
  week: "week",
  woche: "week",
  month: "month",
  monat: "month",
  quarter: "quarter",
  quartal: "quarter",
  year: "year",
  jahr: "year",
};

/** Without a period: the current week (ranked by the quarter to date, like the weekly post). */
const DEFAULT_PERIOD: LeaderboardPeriodType = "week";

/**
 * `/ae leaderboard [week|month|quarter|year] [team]`: the team's leaderboard for the current period,
 * to date, ephemerally — the same blocks the channel gets (without the chart, which needs an upload).
 * Without a team: the first team the user is in or manages. Anyone may look at any team's board.
 */
export const leaderboard: Subcommand = {
  name: "leaderboard",
  aliases: ["lb", "rangliste"],
  run: async ({ actor, argsText, t, deps }) => {
    const { words } = parseArgs(argsText);
    let period: LeaderboardPeriodType = DEFAULT_PERIOD;
    let rest = words;
    const first = words[0]?.toLowerCase();
    if (first !== undefined && Object.hasOwn(PERIOD_WORDS, first)) {
      period = PERIOD_WORDS[first]!;
      rest = words.slice(1);
    }
    const teamName = rest.join(" ").trim();
    let team: Team | undefined;
    if (teamName !== "") {
      const found = await deps.services.teams.find(actor.workspace.id, teamName);
      if ("kind" in found) {
        const looksLikePeriod = rest.length === 1 && first !== undefined && !Object.hasOwn(PERIOD_WORDS, first);
        return errorReply(
          t,
          [
            found.suggestion
              ? t("team.error.notFoundSuggest", { name: escapeMrkdwn(teamName.slice(0, 80)), suggestion: escapeMrkdwn(found.suggestion) })
              : t("team.error.notFound", { name: escapeMrkdwn(teamName.slice(0, 80)) }),
            looksLikePeriod ? t("leaderboard.error.period", { input: escapeMrkdwn(teamName.slice(0, 40)) }) : "",
          ]
            .filter(Boolean)
            .join(" "),
          "/ae leaderboard month",
        );
      }
      team = found;
    } else {
      team = (await deps.services.teams.teamsOf(actor.user.id))[0];
      if (!team) return errorReply(t, t("leaderboard.error.noTeam"));
    }
    const zone = teamZone(team, actor.workspace, deps.defaultTimezone);
    const view = await deps.services.leaderboards.view(team, actor.workspace, period, localDateOf(deps.now(), zone));
    return leaderboardBlocks(view, t, actor.locale);
  },
};
