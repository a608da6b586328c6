import type { KnownBlock } from "@slack/types";
import type { Translator } from "../../i18n/translate.js";
import type { TeamDetail } from "../../db/repositories/team-repository.js";
import { parseMetrics } from "../../services/leaderboard-service.js";
import type { Reply } from "../subcommands/subcommand.js";
import { clip, escapeMrkdwn } from "./mrkdwn.js";

const MAX_BLOCKS = 50;
/** Members listed by mention per team before "+N". */
const MAX_LISTED = 60;

/** `/ae team`'s usage: literal syntax (`<team>`), so escaped like user text. */
export function teamUsage(t: Translator): string {
  return escapeMrkdwn(t("team.usage"));
}

function teamText(t: Translator, team: TeamDetail): string {
  const members = team.members.filter((m) => !m.inactive);
  const listed = members.slice(0, MAX_LISTED).map((m) => `<@${m.slackUserId}>`);
  const rest = members.length - listed.length;
  const metrics = parseMetrics(team.leaderboardMetrics);
  return [
    `*${escapeMrkdwn(team.name)}*`,
    team.manager ? t("team.show.manager", { manager: `<@${team.manager.slackUserId}>` }) : t("team.show.noManager"),
    team.channelId ? t("team.show.channel", { channel: `<#${team.channelId}>` }) : t("team.show.noChannel"),
    members.length > 0
      ? t("team.show.members", { count: members.length, members: listed.join(", ") + (rest > 0 ? ` +${rest}` : "") })
      : t("team.show.noMembers"),
    t("team.show.settings", {
      celebrate: t(team.celebrateWins ? "team.show.on" : "team.show.off"),
      amount: t(team.celebrateShowAmount ? "team.show.shown" : "team.show.hidden"),
      metrics: metrics.length > 0 ? metrics.join(", ") : t("team.show.noMetrics"),
    }),
  ].join("\n");
}

/** One or more teams, one section each (within the block limit), then the usage. */
export function teamListBlocks(t: Translator, teams: TeamDetail[], withUsage: boolean): Reply {
  const blocks: KnownBlock[] = [];
  const texts = teams.map((team) => teamText(t, team));
  if (teams.length === 0) blocks.push({ type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(t("team.show.none")) } });
  const room = MAX_BLOCKS - (withUsage ? 3 : 1);
  for (const text of texts.slice(0, room)) blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(text) } });
  if (texts.length > room) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: t("team.show.more", { count: texts.length - room }) }] });
  if (withUsage) {
    blocks.push({ type: "divider" }, { type: "section", text: { type: "mrkdwn", text: teamUsage(t) } });
  }
  const text = [teams.length === 0 ? escapeMrkdwn(t("team.show.none")) : texts.join("\n\n"), withUsage ? teamUsage(t) : ""].filter(Boolean).join("\n\n");
  return { text: clip(text, 3000), blocks };
}
