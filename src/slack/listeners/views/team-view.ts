import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { canManageTeams } from "../../../domain/authorization.js";
import { translator, type Translator } from "../../../i18n/translate.js";
import { isLeaderboardMetric } from "../../../services/leaderboard-service.js";
import type { TeamFailure } from "../../../services/team-service.js";
import type { Team } from "../../../db/repositories/team-repository.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { parseTeamModalMetadata } from "../../blocks/team-modal.js";
import type { AppDeps } from "../../deps.js";
import { TEAM_MODAL, VIEWS } from "../../ids.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { channelProbe } from "../../subcommands/team.js";
import { stateChecked, stateText, stateUsers } from "../../view-state.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

function failureText(t: Translator, f: TeamFailure): string {
  if (f.kind === "denied") return t(`error.denied.${f.reason}`);
  if (f.kind === "not_manager") return t("team.error.notManager", { team: f.team.name });
  return t("team.error.notFound", { name: f.name });
}

/**
 * The team modal was submitted. Everything is checked first — rights, the name, and that the bot is
 * in the chosen channel — and problems are shown on their fields with nothing changed; then the
 * team is created or updated (settings, members, channel, manager last) and the user is told.
 */
export function register(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>(VIEWS.team, async (args: Args) => handle(args, deps));
}

async function handle({ ack, body, view, client }: Args, deps: AppDeps): Promise<void> {
  let acked = false;
  const fail = async (errors: Record<string, string>) => {
    acked = true;
    await ack({ response_action: "errors", errors });
  };
  try {
    const actor = await deps.services.actors.resolve(body.team?.id ?? body.user.team_id ?? "", body.user.id, slackProfileLookup(client, deps.defaultTimezone));
    const t = translator(actor.language);
    const principal = await deps.services.principal(actor);
    const meta = parseTeamModalMetadata(view.private_metadata);
    const values = view.state.values;
    const members = stateUsers(values, TEAM_MODAL.members);
    const channelValue = values[TEAM_MODAL.channel]?.[TEAM_MODAL.channel]?.selected_conversation;
    const channel = typeof channelValue === "string" && channelValue !== "" ? channelValue : null;
    const managerValue = values[TEAM_MODAL.manager]?.[TEAM_MODAL.manager]?.selected_user;
    const manager = typeof managerValue === "string" && managerValue !== "" ? managerValue : null;
    const options = stateChecked(values, TEAM_MODAL.options);
    const metrics = stateChecked(values, TEAM_MODAL.metrics).filter(isLeaderboardMetric);
    const firstField = meta.teamId === null ? TEAM_MODAL.name : TEAM_MODAL.members;

    const decision = canManageTeams(principal);
    if (!decision.allowed) return await fail({ [firstField]: t(`error.denied.${decision.reason}`) });
    let existing: Team | null = null;
    let name = stateText(values, TEAM_MODAL.name).trim();
    if (meta.teamId === null) {
      if (name === "") return await fail({ [TEAM_MODAL.name]: t("team.error.nameMissing") });
      const found = await deps.services.teams.find(actor.workspace.id, name);
      if (!("kind" in found)) return await fail({ [TEAM_MODAL.name]: t("team.error.exists", { team: found.name }) });
    } else {
      existing = await deps.services.repos.teams.findById(meta.teamId);
      if (!existing || existing.workspaceId !== actor.workspace.id) return await fail({ [firstField]: t("team.error.notFound", { name: String(meta.teamId) }) });
      if (principal.role !== "admin" && existing.managerId !== actor.user.id) return await fail({ [firstField]: t("team.error.notManager", { team: existing.name }) });
      name = existing.name;
    }
    if (channel && channel !== existing?.channelId) {
      const info = await channelProbe(client)(channel);
      const label = info.name ? `#${info.name}` : channel;
      if (!info.exists) return await fail({ [TEAM_MODAL.channel]: t("team.error.channelNotFound") });
      if (info.isArchived) return await fail({ [TEAM_MODAL.channel]: t("team.error.channelArchived") });
      if (!info.isMember) return await fail({ [TEAM_MODAL.channel]: t("team.error.botNotInChannel", { channel: label }) });
    }

    // Checked: apply.
    if (meta.teamId === null) {
      const created = await deps.services.teams.create(actor, principal, name);
      if (created.kind !== "created") {
        const text = created.kind === "exists" ? t("team.error.exists", { team: created.team.name }) : created.kind === "invalid_name" ? t("team.error.invalidName", { max: 80 }) : failureText(t, created);
        return await fail({ [TEAM_MODAL.name]: text });
      }
      existing = created.team;
      name = created.team.name;
    }
    const settings = await deps.services.teams.updateSettings(actor, principal, name, {
      celebrateWins: options.includes("celebrate"),
      celebrateShowAmount: options.includes("show_amount"),
      metrics,
    });
    if (settings.kind !== "ok") return await fail({ [firstField]: failureText(t, settings) });
    acked = true;
    await ack();

    const detail = await deps.services.repos.teams.detail(settings.team.id);
    const current = new Set(detail?.members.filter((m) => !m.inactive).map((m) => m.slackUserId) ?? []);
    const selected = new Set(members);
    const add = members.filter((id) => !current.has(id));
    const remove = [...current].filter((id) => !selected.has(id));
    const lookup = slackProfileLookup(client, deps.defaultTimezone);
    if (add.length > 0) await deps.services.teams.addMembers(actor, principal, name, add, lookup);
    if (remove.length > 0) await deps.services.teams.removeMembers(actor, principal, name, remove);
    if (channel && channel !== detail?.channelId) await deps.services.teams.setChannel(actor, principal, name, channel, channelProbe(client));
    if (manager && manager !== detail?.manager?.slackUserId) await deps.services.teams.setManager(actor, principal, name, manager, lookup);

    if (meta.channelId) {
      await client.chat
        .postEphemeral({ channel: meta.channelId, user: actor.user.slackUserId, text: `:white_check_mark: ${t("team.modal.saved", { team: escapeMrkdwn(name) })}` })
        .catch((error: unknown) => deps.logger.debug("team saved; the confirmation could not be shown", error));
    }
    await deps.services.events.emit("user.changed", { workspaceId: actor.workspace.id, userId: actor.user.id, slackUserId: actor.user.slackUserId });
  } catch (error) {
    deps.logger.error("team modal submission failed", error);
    if (!acked) await ack({ response_action: "errors", errors: { [TEAM_MODAL.members]: translator("en")("error.internal") } }).catch(() => undefined);
  }
}
