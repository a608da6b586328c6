import { tokenize } from "../../domain/command-args.js";
import {
  followUpListBlocks,
  FOLLOWUPS_PAGE_SIZE,
  teamFollowUpBlocks,
  TEAM_FOLLOWUPS_PAGE_SIZE,
  TEAM_FOLLOWUPS_PER_MEMBER,
} from "../blocks/followup-list-blocks.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import { repFailureReply } from "./rep-arg.js";
import type { Subcommand } from "./subcommand.js";

const TEAM_WORDS = new Set(["team"]);
const EXAMPLE = "/ae followups @dana";

/**
 * `/ae followups [page:<n>]`: the actor's open follow-ups, overdue first, each with a Done button.
 * Managers (over their teams) and admins (over anyone): `/ae followups @rep` for one person's, and
 * `/ae followups team` for everyone in the teams they manage, grouped by person.
 */
export const followups: Subcommand = {
  name: "followups",
  aliases: ["fus", "follow-ups", "wiedervorlagen"],
  run: async ({ actor, argsText, t, deps }) => {
    let page = 1;
    let rep: string | null = null;
    let team = false;
    for (const token of tokenize(argsText)) {
      if (token.kind === "user" && rep === null && !team) {
        rep = token.id;
        continue;
      }
      if (token.kind === "word" && TEAM_WORDS.has(token.value.toLowerCase()) && rep === null && !team) {
        team = true;
        continue;
      }
      const pageOption = token.kind === "option" && (token.key === "page" || token.key === "seite");
      if (!pageOption || !/^\d{1,4}$/.test(token.value) || Number(token.value) < 1) {
        return errorReply(t, `${t("followups.error.args")} ${t("followups.error.argsManager")}`, rep !== null || team ? EXAMPLE : "/ae followups");
      }
      page = Number(token.value);
    }
    if (team) {
      const principal = await deps.services.principal(actor);
      const r = await deps.services.managerView.teamFollowUps(actor, principal, {
        offset: (page - 1) * TEAM_FOLLOWUPS_PAGE_SIZE,
        limit: TEAM_FOLLOWUPS_PAGE_SIZE,
        perMember: TEAM_FOLLOWUPS_PER_MEMBER,
      });
      if (r.kind === "denied") return deniedReply(t, r.reason);
      if (r.kind === "no_team") return errorReply(t, t("followups.team.noTeam"), EXAMPLE);
      return teamFollowUpBlocks(t, actor, r, deps.now());
    }
    const paging = { offset: (page - 1) * FOLLOWUPS_PAGE_SIZE, limit: FOLLOWUPS_PAGE_SIZE };
    if (rep === null || rep === actor.user.slackUserId) {
      return followUpListBlocks(t, actor, await deps.services.followUps.listOpen(actor, paging), deps.now());
    }
    const principal = await deps.services.principal(actor);
    const r = await deps.services.managerView.followUpsOf(actor, principal, rep, paging);
    if (r.kind !== "ok") return repFailureReply(t, r, EXAMPLE);
    return followUpListBlocks(t, actor, r.page, deps.now(), undefined, r.user.slackUserId);
  },
};
