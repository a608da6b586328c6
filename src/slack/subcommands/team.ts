import type { webApi } from "@slack/bolt";
import { openView } from "../open-view.js";
import { parseArgs, type ParsedArgs } from "../../domain/command-args.js";
import type { Translator } from "../../i18n/translate.js";
import { isLeaderboardMetric, type LeaderboardMetric } from "../../services/leaderboard-service.js";
import { MAX_TEAM_NAME, type ChannelInfo, type TeamFailure, type TeamSettingsChange } from "../../services/team-service.js";
import type { User } from "../../db/repositories/user-repository.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { deniedReply, doneReply, errorReply, textReply } from "../blocks/reply-blocks.js";
import { teamListBlocks, teamUsage } from "../blocks/team-blocks.js";
import { teamModal } from "../blocks/team-modal.js";
import { canManageTeams } from "../../domain/authorization.js";
import { slackProfileLookup } from "../slack-profile.js";
import type { Reply, Subcommand, SubcommandContext } from "./subcommand.js";

type Handler = (ctx: SubcommandContext, args: ParsedArgs) => Promise<Reply | void>;

/** Team name = the plain words after the action ("West Coast" quoted or not); mentions are the rest. */
function teamNameOf(args: ParsedArgs): string {
  return args.words.slice(1).join(" ").trim();
}

function userIdsOf(args: ParsedArgs): string[] {
  return args.positional.flatMap((p) => (p.kind === "user" ? [p.id] : []));
}

function mentions(users: User[]): string {
  return users.map((u) => `<@${u.slackUserId}>`).join(", ");
}

function failureReply(t: Translator, f: TeamFailure): Reply {
  switch (f.kind) {
    case "denied":
      return deniedReply(t, f.reason);
    case "not_manager":
      return errorReply(t, t("team.error.notManager", { team: escapeMrkdwn(f.team.name) }));
    case "not_found":
      return errorReply(
        t,
        f.suggestion
          ? t("team.error.notFoundSuggest", { name: escapeMrkdwn(f.name.slice(0, 80)), suggestion: escapeMrkdwn(f.suggestion) })
          : t("team.error.notFound", { name: escapeMrkdwn(f.name.slice(0, 80)) }),
        "/ae team show",
      );
  }
}

/** conversations.info → what the channel check needs; "not found" for channels the bot cannot see. */
export function channelProbe(client: webApi.WebClient) {
  return async (channelId: string): Promise<ChannelInfo> => {
    try {
      const res = await client.conversations.info({ channel: channelId });
      const c = res.channel;
      return { exists: Boolean(c), isMember: Boolean(c?.is_member), isArchived: Boolean(c?.is_archived), ...(c?.name ? { name: c.name } : {}) };
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code === "channel_not_found") return { exists: false, isMember: false, isArchived: false };
      throw error;
    }
  };
}

const create: Handler = async ({ actor, t, deps }, args) => {
  const name = teamNameOf(args);
  if (name === "") return errorReply(t, t("team.error.nameMissing"), '/ae team create "West Coast"');
  const principal = await deps.services.principal(actor);
  const r = await deps.services.teams.create(actor, principal, name);
  switch (r.kind) {
    case "created":
      return { ...doneReply(t("team.created", { team: escapeMrkdwn(r.team.name) })), changed: true };
    case "exists":
      return errorReply(t, t("team.error.exists", { team: escapeMrkdwn(r.team.name) }), `/ae team add "${escapeMrkdwn(r.team.name)}" @alice`);
    case "invalid_name":
      return errorReply(t, t("team.error.invalidName", { max: MAX_TEAM_NAME }), '/ae team create "West Coast"');
    default:
      return failureReply(t, r);
  }
};

function members(kind: "add" | "remove"): Handler {
  return async ({ actor, t, deps, client }, args) => {
    const name = teamNameOf(args);
    const ids = userIdsOf(args);
    const example = `/ae team ${kind} "West Coast" @alice @bob`;
    if (name === "") return errorReply(t, t("team.error.nameMissing"), example);
    if (ids.length === 0) return errorReply(t, t("team.error.noUsers"), example);
    const principal = await deps.services.principal(actor);
    const r =
      kind === "add"
        ? await deps.services.teams.addMembers(actor, principal, name, ids, slackProfileLookup(client, deps.defaultTimezone))
        : await deps.services.teams.removeMembers(actor, principal, name, ids);
    if (r.kind !== "ok") return failureReply(t, r);
    const team = escapeMrkdwn(r.team.name);
    const lines = [
      r.changed.length > 0 ? t(kind === "add" ? "team.added" : "team.removed", { team, users: mentions(r.changed) }) : "",
      r.unchanged.length > 0 ? t(kind === "add" ? "team.alreadyMembers" : "team.notMembers", { team, users: mentions(r.unchanged) }) : "",
      r.unknown.length > 0 ? t("team.error.unknownUsers", { users: r.unknown.map((id) => `<@${id}>`).join(", ") }) : "",
    ].filter(Boolean);
    if (r.changed.length === 0) return errorReply(t, lines.join("\n"));
    return { ...doneReply(lines.join("\n")), changed: true };
  };
}

const channel: Handler = async ({ actor, t, deps, client }, args) => {
  const name = teamNameOf(args);
  const target = args.positional.find((p) => p.kind === "channel");
  const example = '/ae team channel "West Coast" #west-coast-sales';
  if (name === "") return errorReply(t, t("team.error.nameMissing"), example);
  if (!target || target.kind !== "channel") return errorReply(t, t("team.error.channelMissing"), example);
  const principal = await deps.services.principal(actor);
  const r = await deps.services.teams.setChannel(actor, principal, name, target.id, channelProbe(client));
  switch (r.kind) {
    case "ok":
      return doneReply(t("team.channelSet", { team: escapeMrkdwn(r.team.name), channel: `<#${r.channelId}>` }));
    case "bot_not_in_channel":
      return errorReply(t, t("team.error.botNotInChannel", { channel: `<#${r.channelId}>` }));
    case "channel_not_found":
      return errorReply(t, t("team.error.channelNotFound"));
    case "channel_archived":
      return errorReply(t, t("team.error.channelArchived"));
    default:
      return failureReply(t, r);
  }
};

const manager: Handler = async ({ actor, t, deps, client }, args) => {
  const name = teamNameOf(args);
  const ids = userIdsOf(args);
  const example = '/ae team manager "West Coast" @maria';
  if (name === "") return errorReply(t, t("team.error.nameMissing"), example);
  if (ids.length !== 1) return errorReply(t, t("team.error.managerMissing"), example);
  const principal = await deps.services.principal(actor);
  const r = await deps.services.teams.setManager(actor, principal, name, ids[0]!, slackProfileLookup(client, deps.defaultTimezone));
  if (r.kind === "unknown_user") return errorReply(t, t("team.error.unknownUsers", { users: `<@${r.slackUserId}>` }), example);
  if (r.kind !== "ok") return failureReply(t, r);
  const user = `<@${r.manager.slackUserId}>`;
  const lines = [t("team.managerSet", { user, team: escapeMrkdwn(r.team.name) }), r.promoted ? t("team.promoted", { user }) : ""];
  return { ...doneReply(lines.filter(Boolean).join("\n")), changed: true };
};

const ON = new Set(["on", "yes", "true", "an", "ja"]);
const OFF = new Set(["off", "no", "false", "aus", "nein"]);

const settings: Handler = async ({ actor, t, deps }, args) => {
  const name = teamNameOf(args);
  const example = '/ae team settings "West Coast" celebrate:on amount:hide metrics:won,deals';
  if (name === "") return errorReply(t, t("team.error.nameMissing"), example);
  const change: TeamSettingsChange = {};
  for (const [key, raw] of args.options) {
    const value = raw.trim().toLowerCase();
    const bad = () => errorReply(t, t("team.error.badSetting", { input: escapeMrkdwn(`${key}:${raw}`.slice(0, 80)) }), example);
    if (key === "celebrate") {
      if (ON.has(value)) change.celebrateWins = true;
      else if (OFF.has(value)) change.celebrateWins = false;
      else return bad();
    } else if (key === "amount") {
      if (value === "show" || ON.has(value)) change.celebrateShowAmount = true;
      else if (value === "hide" || OFF.has(value)) change.celebrateShowAmount = false;
      else return bad();
    } else if (key === "metrics") {
      const parts = value === "none" ? [] : value.split(",").map((s) => s.trim()).filter(Boolean);
      if (!parts.every(isLeaderboardMetric)) return bad();
      change.metrics = [...new Set(parts as LeaderboardMetric[])];
    } else return bad();
  }
  if (Object.keys(change).length === 0) return errorReply(t, t("team.error.settingsMissing"), example);
  const principal = await deps.services.principal(actor);
  const r = await deps.services.teams.updateSettings(actor, principal, name, change);
  if (r.kind !== "ok") return failureReply(t, r);
  const detail = await deps.services.teams.detail(r.team.id);
  const shown = detail ? teamListBlocks(t, [detail], false).blocks ?? [] : [];
  return doneReply(t("team.settingsSaved", { team: escapeMrkdwn(r.team.name) }), shown);
};

const show: Handler = async ({ actor, t, deps }, args) => {
  const name = teamNameOf(args);
  const r = await deps.services.teams.show(actor, name === "" ? undefined : name);
  if (r.kind === "not_found") return failureReply(t, r);
  return teamListBlocks(t, r.kind === "one" ? [r.team] : r.teams, r.kind === "list");
};

/** `/ae team edit <team>`: the team modal, filled in (managers of the team and admins). */
const edit: Handler = async (ctx, args) => {
  const { actor, t, deps } = ctx;
  const name = teamNameOf(args);
  if (name === "") return errorReply(t, t("team.error.nameMissing"), '/ae team edit "West Coast"');
  const principal = await deps.services.principal(actor);
  const decision = canManageTeams(principal);
  if (!decision.allowed) return deniedReply(t, decision.reason);
  const found = await deps.services.teams.find(actor.workspace.id, name);
  if ("kind" in found) return failureReply(t, found);
  if (principal.role !== "admin" && found.managerId !== actor.user.id) return failureReply(t, { kind: "not_manager", team: found });
  const detail = await deps.services.teams.detail(found.id);
  if (!detail) return failureReply(t, { kind: "not_found", name, suggestion: null });
  const opened = await openView(ctx.client, ctx.triggerId, teamModal(t, { teamId: detail.id, channelId: ctx.channelId }, detail), deps.logger);
  return opened ? undefined : errorReply(t, t("error.modalFailed"), '/ae team add "West Coast" @dana');
};

const HANDLERS: Record<string, Handler> = {
  edit,
  create,
  new: create,
  add: members("add"),
  remove: members("remove"),
  rm: members("remove"),
  channel,
  manager,
  settings,
  show,
  list: show,
};

/** `/ae team <action> …`: managing teams (see team.usage). Without an action: every team and the usage. */
export const team: Subcommand = {
  name: "team",
  aliases: ["teams"],
  run: async (ctx) => {
    const args = parseArgs(ctx.argsText);
    const first = args.positional[0];
    if (!first) {
      // Managers and admins get the team modal (a new team); everyone else the list of teams.
      const principal = await ctx.deps.services.principal(ctx.actor);
      if (canManageTeams(principal).allowed && ctx.triggerId) {
        const opened = await openView(ctx.client, ctx.triggerId, teamModal(ctx.t, { teamId: null, channelId: ctx.channelId }), ctx.deps.logger);
        return opened ? undefined : errorReply(ctx.t, ctx.t("error.modalFailed"), '/ae team create "West Coast"');
      }
      const r = await ctx.deps.services.teams.show(ctx.actor);
      return teamListBlocks(ctx.t, r.kind === "list" ? r.teams : [], true);
    }
    const action = first.kind === "word" ? first.value.toLowerCase() : "";
    if (action === "help") return textReply(teamUsage(ctx.t));
    const handler = Object.hasOwn(HANDLERS, action) ? HANDLERS[action] : undefined;
    if (!handler) {
      const input = first.kind === "word" ? first.value : ctx.argsText.trim().split(/\s+/)[0] ?? "";
      return errorReply(ctx.t, `${ctx.t("team.error.unknownAction", { input: escapeMrkdwn(input.slice(0, 40)) })}\n${teamUsage(ctx.t)}`);
    }
    return handler(ctx, args);
  },
};
