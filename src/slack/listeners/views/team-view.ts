import type { App } from "@slack/bolt";
import { canManageTeams } from "../../../domain/authorization.js";
import type { Translator } from "../../../i18n/translate.js";
import { isLeaderboardMetric } from "../../../services/leaderboard-service.js";
import type { TeamFailure } from "../../../services/team-service.js";
import type { Team } from "../../../db/repositories/team-repository.js";
import { escapeMrkdwn } from "../../blocks/mrkdwn.js";
import { textReply } from "../../blocks/reply-blocks.js";
import { registerForm } from "../../form-submission.js";
import { parseTeamModalMetadata } from "../../blocks/team-modal.js";
import type { AppDeps } from "../../deps.js";
import { TEAM_MODAL, VIEWS } from "../../ids.js";
import { slackProfileLookup } from "../../slack-profile.js";
import { channelProbe } from "../../subcommands/team.js";
import { stateChecked, stateConversation, stateText, stateUser, stateUsers } from "../../view-state.js";

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
  registerForm(app, deps, {
    callbackId: VIEWS.team,
    name: "team",
    fallbackBlock: TEAM_MODAL.members,
    submit: async ({ actor, t, values, view, client }) => {
      const fail = (errors: Record<string, string>) => ({ kind: "errors" as const, errors });
      const principal = await deps.services.principal(actor);
      const meta = parseTeamModalMetadata(view.private_metadata);
      const members = stateUsers(values, TEAM_MODAL.members);
      const channel = stateConversation(values, TEAM_MODAL.channel);
      const manager = stateUser(values, TEAM_MODAL.manager);
      const options = stateChecked(values, TEAM_MODAL.options);
      const metrics = stateChecked(values, TEAM_MODAL.metrics).filter(isLeaderboardMetric);
      const firstField = meta.teamId === null ? TEAM_MODAL.name : TEAM_MODAL.members;

      const decision = canManageTeams(principal);
      if (!decision.allowed) return fail({ [firstField]: t(`error.denied.${decision.reason}`) });
      let existing: Team | null = null;
      let name = stateText(values, TEAM_MODAL.name).trim();
      if (meta.teamId === null) {
        if (name === "") return fail({ [TEAM_MODAL.name]: t("team.error.nameMissing") });
        const found = await deps.services.teams.find(actor.workspace.id, name);
        if (!("kind" in found)) return fail({ [TEAM_MODAL.name]: t("team.error.exists", { team: found.name }) });
      } else {
        existing = await deps.services.teams.inWorkspace(actor.workspace.id, meta.teamId);
        if (!existing) return fail({ [firstField]: t("team.error.notFound", { name: String(meta.teamId) }) });
        if (principal.role !== "admin" && existing.managerId !== actor.user.id) return fail({ [firstField]: t("team.error.notManager", { team: existing.name }) });
        name = existing.name;
      }
      if (channel && channel !== existing?.channelId) {
        const info = await channelProbe(client)(channel);
        const label = info.name ? `#${info.name}` : channel;
        if (!info.exists) return fail({ [TEAM_MODAL.channel]: t("team.error.channelNotFound") });
        if (info.isArchived) return fail({ [TEAM_MODAL.channel]: t("team.error.channelArchived") });
        if (!info.isMember) return fail({ [TEAM_MODAL.channel]: t("team.error.botNotInChannel", { channel: label }) });
      }

      // Checked: apply.
      if (meta.teamId === null) {
        const created = await deps.services.teams.create(actor, principal, name);
        if (created.kind !== "created") {
          const text = created.kind === "exists" ? t("team.error.exists", { team: created.team.name }) : created.kind === "invalid_name" ? t("team.error.invalidName", { max: 80 }) : failureText(t, created);
          return fail({ [TEAM_MODAL.name]: text });
        }
        name = created.team.name;
      }
      const settings = await deps.services.teams.updateSettings(actor, principal, name, {
        celebrateWins: options.includes("celebrate"),
        celebrateShowAmount: options.includes("show_amount"),
        metrics,
      });
      if (settings.kind !== "ok") return fail({ [firstField]: failureText(t, settings) });
      const teamId = settings.team.id;
      return {
        kind: "saved",
        confirm: textReply(`:white_check_mark: ${t("team.modal.saved", { team: escapeMrkdwn(name) })}`),
        channelId: meta.channelId ?? "",
        // Members, channel and manager after the ack: adding members looks each one up in Slack.
        afterAck: async () => {
          const detail = await deps.services.teams.detail(teamId);
          const current = new Set(detail?.members.filter((m) => !m.inactive).map((m) => m.slackUserId) ?? []);
          const selected = new Set(members);
          const add = members.filter((id) => !current.has(id));
          const remove = [...current].filter((id) => !selected.has(id));
          const lookup = slackProfileLookup(client, deps.defaultTimezone);
          if (add.length > 0) await deps.services.teams.addMembers(actor, principal, name, add, lookup);
          if (remove.length > 0) await deps.services.teams.removeMembers(actor, principal, name, remove);
          if (channel && channel !== detail?.channelId) await deps.services.teams.setChannel(actor, principal, name, channel, channelProbe(client));
          if (manager && manager !== detail?.manager?.slackUserId) await deps.services.teams.setManager(actor, principal, name, manager, lookup);
        },
      };
    },
  });
}
