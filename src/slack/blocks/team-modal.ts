import type { KnownBlock, PlainTextOption, View } from "@slack/types";
import type { TeamDetail } from "../../db/repositories/team-repository.js";
import type { Translator } from "../../i18n/translate.js";
import { LEADERBOARD_METRICS, parseMetrics } from "../../services/leaderboard-service.js";
import { TEAM_MODAL, VIEWS } from "../ids.js";
import { escapeMrkdwn } from "./mrkdwn.js";

/** What the modal carries between opening and submission. */
export interface TeamModalMetadata {
  /** null: create a new team. */
  teamId: number | null;
  /** Where the command was typed, for the confirmation. */
  channelId: string;
}

function plain(text: string) {
  return { type: "plain_text" as const, text, emoji: true };
}

export function parseTeamModalMetadata(raw: string): TeamModalMetadata {
  try {
    const v = JSON.parse(raw) as { teamId?: unknown; channelId?: unknown };
    return {
      teamId: typeof v.teamId === "number" && Number.isInteger(v.teamId) ? v.teamId : null,
      channelId: typeof v.channelId === "string" ? v.channelId : "",
    };
  } catch {
    return { teamId: null, channelId: "" };
  }
}

/** `/ae team` (new team) or `/ae team edit <team>` (filled in): members, channel, manager, celebrations, columns. */
export function teamModal(t: Translator, meta: TeamModalMetadata, team?: TeamDetail): View {
  const optionCelebrate: PlainTextOption = { text: plain(t("team.modal.celebrate")), value: "celebrate" };
  const optionAmount: PlainTextOption = { text: plain(t("team.modal.showAmount")), value: "show_amount" };
  const initialOptions = team ? [...(team.celebrateWins ? [optionCelebrate] : []), ...(team.celebrateShowAmount ? [optionAmount] : [])] : [optionCelebrate, optionAmount];
  const metricOptions: PlainTextOption[] = LEADERBOARD_METRICS.map((m) => ({ text: plain(t(`team.modal.metric.${m}`)), value: m }));
  const chosen = new Set(team ? parseMetrics(team.leaderboardMetrics) : LEADERBOARD_METRICS);
  const initialMetrics = metricOptions.filter((o) => chosen.has(o.value as (typeof LEADERBOARD_METRICS)[number]));
  const members = team?.members.filter((m) => !m.inactive).map((m) => m.slackUserId) ?? [];

  const blocks: KnownBlock[] = [
    team
      ? { type: "section", text: { type: "mrkdwn", text: `*${escapeMrkdwn(team.name)}*` } }
      : {
          type: "input",
          block_id: TEAM_MODAL.name,
          label: plain(t("team.modal.name")),
          element: { type: "plain_text_input", action_id: TEAM_MODAL.name, max_length: 80 },
        },
    {
      type: "input",
      block_id: TEAM_MODAL.members,
      label: plain(t("team.modal.members")),
      optional: true,
      element: { type: "multi_users_select", action_id: TEAM_MODAL.members, ...(members.length > 0 ? { initial_users: members.slice(0, 100) } : {}) },
    },
    {
      type: "input",
      block_id: TEAM_MODAL.channel,
      label: plain(t("team.modal.channel")),
      optional: true,
      hint: plain(t("team.modal.channelHint")),
      element: {
        type: "conversations_select",
        action_id: TEAM_MODAL.channel,
        filter: { include: ["public", "private"], exclude_bot_users: true },
        ...(team?.channelId ? { initial_conversation: team.channelId } : {}),
      },
    },
    {
      type: "input",
      block_id: TEAM_MODAL.manager,
      label: plain(t("team.modal.manager")),
      optional: true,
      element: { type: "users_select", action_id: TEAM_MODAL.manager, ...(team?.manager ? { initial_user: team.manager.slackUserId } : {}) },
    },
    {
      type: "input",
      block_id: TEAM_MODAL.options,
      label: plain(t("team.modal.options")),
      optional: true,
      element: {
        type: "checkboxes",
        action_id: TEAM_MODAL.options,
        options: [optionCelebrate, optionAmount],
        ...(initialOptions.length > 0 ? { initial_options: initialOptions } : {}),
      },
    },
    {
      type: "input",
      block_id: TEAM_MODAL.metrics,
      label: plain(t("team.modal.metrics")),
      optional: true,
      element: { type: "checkboxes", action_id: TEAM_MODAL.metrics, options: metricOptions, ...(initialMetrics.length > 0 ? { initial_options: initialMetrics } : {}) },
    },
  ];
  return {
    type: "modal",
    callback_id: VIEWS.team,
    private_metadata: JSON.stringify(meta),
    title: plain(t(team ? "team.modal.titleEdit" : "team.modal.titleNew").slice(0, 24)),
    submit: plain(t("team.modal.save")),
    close: plain(t("common.cancel")),
    blocks,
  };
}
