import { tokenize } from "../../domain/command-args.js";
import type { PipelineWhich } from "../../domain/pipeline.js";
import { periodName } from "../../i18n/period-name.js";
import type { PipelineView } from "../../services/pipeline-service.js";
import { uploadChartToUser } from "../chart-upload.js";
import { escapeMrkdwn } from "../blocks/mrkdwn.js";
import { pipelineBlocks, pipelineChartSpec, teamPipelineBlocks, TEAM_PIPELINE_PAGE_SIZE } from "../blocks/pipeline-blocks.js";
import { deniedReply, errorReply } from "../blocks/reply-blocks.js";
import { NEXT_WORDS } from "./quota.js";
import { repFailureReply } from "./rep-arg.js";
import type { Reply, Subcommand, SubcommandContext } from "./subcommand.js";

const EXAMPLE = "/ae pipeline @dana next chart";
const TEAM_WORDS = new Set(["team"]);
/** The current quarter is the default; saying so is allowed. */
const QUARTER_WORDS = new Set(["quarter", "quartal", "q", "this", "current", "dieses", "aktuell"]);
const CHART_WORDS = new Set(["chart", "diagramm", "grafik", "graph"]);

interface PipelineArgs {
  rep: string | null;
  team: boolean;
  which: PipelineWhich;
  chart: boolean;
  page: number;
}

/** Reads `[@rep|team] [quarter|next] [chart] [page:<n>]` in any order; the first word it can't place is the error. */
function readArgs(ctx: SubcommandContext): { ok: true; args: PipelineArgs } | { ok: false; reply: Reply } {
  const { t } = ctx;
  const args: PipelineArgs = { rep: null, team: false, which: "current", chart: false, page: 1 };
  for (const token of tokenize(ctx.argsText)) {
    if (token.kind === "user") {
      if (args.rep !== null || args.team) return { ok: false, reply: errorReply(t, t("manager.oneRep"), EXAMPLE) };
      args.rep = token.id;
      continue;
    }
    const word = token.kind === "word" ? token.value.toLowerCase() : "";
    if (TEAM_WORDS.has(word) && args.rep === null && !args.team) args.team = true;
    else if (NEXT_WORDS.has(word)) args.which = "next";
    else if (QUARTER_WORDS.has(word)) args.which = "current";
    else if (CHART_WORDS.has(word)) args.chart = true;
    else if (token.kind === "option" && (token.key === "page" || token.key === "seite") && /^\d{1,4}$/.test(token.value) && Number(token.value) >= 1) {
      args.page = Number(token.value);
    } else {
      const input = token.kind === "word" ? token.value : token.kind === "option" ? `${token.key}:${token.value}` : "?";
      return { ok: false, reply: errorReply(t, t("pipeline.error.args", { input: escapeMrkdwn(input.slice(0, 40)) }), EXAMPLE) };
    }
  }
  return { ok: true, args };
}

/**
 * `/ae pipeline [@rep|team] [quarter|next] [chart]`: the open pipeline of the current (or next)
 * fiscal quarter by stage and forecast category, the forecast line and coverage against quota.
 * Reps see their own; managers a member of their teams or `team` (a line per rep and the roll-up);
 * admins anyone. `chart` also sends a PNG of won / commit / best case against quota per rep to the
 * asker's DM, after the answer (only when asked).
 */
export const pipeline: Subcommand = {
  name: "pipeline",
  aliases: ["pipe", "forecast", "prognose"],
  run: async (ctx) => {
    const { t, actor, deps } = ctx;
    const read = readArgs(ctx);
    if (!read.ok) return read.reply;
    const { rep, team, which, chart, page } = read.args;
    const principal = await deps.services.principal(actor);
    if (team) {
      const r = await deps.services.pipeline.ofTeam(actor, principal, which);
      if (r.kind === "denied") return deniedReply(t, r.reason);
      if (r.kind === "no_team") return errorReply(t, t("pipeline.team.noTeam"), EXAMPLE);
      const plan = chart ? chartPlan(ctx, r.view, true) : null;
      const command = ["pipeline team", which === "next" ? "next" : ""].filter(Boolean).join(" ");
      const reply = teamPipelineBlocks(t, actor, r.view, { offset: (page - 1) * TEAM_PIPELINE_PAGE_SIZE, command, note: plan?.note });
      return plan?.upload ? { ...reply, afterAnswer: plan.upload } : reply;
    }
    const r = await deps.services.pipeline.ofRep(actor, principal, rep, which);
    if (r.kind !== "ok") return repFailureReply(t, r, EXAMPLE);
    const owner = r.view.reps[0]?.user;
    const plan = chart ? chartPlan(ctx, r.view, false) : null;
    const reply = pipelineBlocks(t, actor, r.view, { of: owner && owner.id !== actor.user.id ? owner.slackUserId : undefined, note: plan?.note });
    return plan?.upload ? { ...reply, afterAnswer: plan.upload } : reply;
  },
};

/**
 * What `chart` adds: a line in the answer, and the upload that follows it — or, when nobody has a
 * quota to draw against, only a line saying so. A failed upload is told to the asker by DM.
 */
function chartPlan(ctx: SubcommandContext, view: PipelineView, team: boolean): { note: string; upload?: () => Promise<void> } {
  const { t, actor, client, deps } = ctx;
  const spec = pipelineChartSpec(view, t, actor.locale, { team });
  if (!spec) return { note: t("pipeline.chart.none", { period: periodName(view.period, actor.locale) }) };
  const userId = actor.user.slackUserId;
  return {
    note: t("pipeline.chart.queued"),
    upload: async () => {
      try {
        await uploadChartToUser(client, userId, spec, { filename: `pipeline-${view.period.key}.png` });
      } catch (error) {
        deps.logger.warn(`pipeline chart for ${userId} could not be drawn or uploaded`, error);
        await client.chat.postMessage({ channel: userId, text: t("pipeline.chart.failed") });
      }
    },
  };
}
