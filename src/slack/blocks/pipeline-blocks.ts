import type { KnownBlock } from "@slack/types";
import { FORECAST_CATEGORIES } from "../../domain/forecast.js";
import { numberFormat } from "../../domain/intl-cache.js";
import { coverageTenths, type DealList, type PipelineFigures } from "../../domain/pipeline.js";
import type { Translator } from "../../i18n/translate.js";
import { periodName } from "../../i18n/period-name.js";
import type { Actor } from "../../services/actor-service.js";
import type { PipelineView, RepPipelineView, TeamPipelineView } from "../../services/pipeline-service.js";
import type { ChartSpec } from "../../services/leaderboard-chart.js";
import type { Reply } from "../subcommands/subcommand.js";
import { forecastLabel, stageLabel } from "./deal-blocks.js";
import { formatPercent, money, periodRange } from "./deal-format.js";
import { clip } from "./mrkdwn.js";
import { moreButton } from "./more-button.js";

type Fmt = Pick<Actor, "workspace" | "locale">;

/** Reps per page of `/ae pipeline team`: a section each, with the roll-up above them. */
export const TEAM_PIPELINE_PAGE_SIZE = 20;
/** Deal numbers listed in the overdue and undated notes; the rest are counted. */
const DEALS_LISTED = 5;

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(text) } };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: clip(text) }] };
}

/** "0.7×" / "0,7×": coverage rounded down to a tenth. */
export function formatCoverage(ratio: number, locale: string): string {
  const tenths = coverageTenths(ratio);
  try {
    return `${numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(tenths)}×`;
  } catch {
    return `${tenths.toFixed(1)}×`;
  }
}

function dealNumbers(t: Translator, list: DealList): string {
  const shown = list.dealIds.slice(0, DEALS_LISTED).map((id) => `#${id}`);
  const rest = list.dealIds.length - shown.length;
  return rest > 0 ? `${shown.join(", ")} ${t("pipeline.dealsMore", { count: rest })}` : shown.join(", ");
}

/** The figures of one rep or a roll-up: stages, categories, forecast and coverage, then what to fix. */
function figureBlocks(t: Translator, fmt: Fmt, f: PipelineFigures, periodLabel: string): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (f.open.count === 0) {
    blocks.push(section(t("pipeline.empty", { period: periodLabel })));
  } else {
    const stageRows = f.stages
      .filter((s) => s.count > 0)
      .map((s) =>
        t("pipeline.stages.row", {
          stage: stageLabel(t, s.stage),
          probability: formatPercent(s.probability / 100, fmt.locale),
          count: s.count,
          amount: money(fmt, s.amountCents),
          weighted: money(fmt, s.weightedCents),
        }),
      );
    const total = t("pipeline.stages.total", { count: f.open.count, amount: money(fmt, f.open.amountCents), weighted: money(fmt, f.open.weightedCents) });
    blocks.push(section([t("pipeline.stages.heading"), ...stageRows, total].join("\n")));
    const categoryRows = FORECAST_CATEGORIES.filter((c) => f.categories[c].count > 0).map((c) =>
      t("pipeline.categories.row", { category: forecastLabel(t, c), count: f.categories[c].count, amount: money(fmt, f.categories[c].amountCents) }),
    );
    blocks.push(section([t("pipeline.categories.heading"), ...categoryRows].join("\n")));
  }
  blocks.push(section(forecastText(t, fmt, f, periodLabel)));
  // The commands in these notes name the first deal listed, so they can be copied as they are.
  if (f.overdue.count > 0) {
    blocks.push(context(t("pipeline.overdue", { count: f.overdue.count, amount: money(fmt, f.overdue.amountCents), deals: dealNumbers(t, f.overdue), id: f.overdue.dealIds[0] ?? 42 })));
  }
  if (f.undated.count > 0) {
    blocks.push(context(t("pipeline.undated", { count: f.undated.count, amount: money(fmt, f.undated.amountCents), deals: dealNumbers(t, f.undated), id: f.undated.dealIds[0] ?? 42 })));
  }
  return blocks;
}

/** The forecast line and coverage against quota, or why they are not shown. */
function forecastText(t: Translator, fmt: Fmt, f: PipelineFigures, periodLabel: string): string {
  const { forecast, coverage } = f;
  if (coverage.kind === "no_quota" || coverage.kind === "zero_quota") {
    return t(coverage.kind === "no_quota" ? "pipeline.forecast.noQuota" : "pipeline.forecast.zeroQuota", {
      period: periodLabel,
      won: money(fmt, f.wonCents),
      commit: money(fmt, forecast.commitCents),
      bestCase: money(fmt, forecast.bestCaseCents),
    });
  }
  const quota = f.quotaCents ?? 0;
  const lines = [
    t("pipeline.forecast.heading", { quota: money(fmt, quota) }),
    t("pipeline.forecast.won", { won: money(fmt, f.wonCents), attainment: formatPercent(f.wonCents / quota, fmt.locale) }),
    t("pipeline.forecast.commit", { amount: money(fmt, forecast.commitCents), attainment: formatPercent(forecast.commitAttainment ?? 0, fmt.locale) }),
    t("pipeline.forecast.bestCase", { amount: money(fmt, forecast.bestCaseCents), attainment: formatPercent(forecast.bestCaseAttainment ?? 0, fmt.locale) }),
    coverage.kind === "met"
      ? t("pipeline.coverage.met", { over: money(fmt, coverage.overCents) })
      : t("pipeline.coverage.ratio", { ratio: formatCoverage(coverage.ratio, fmt.locale), open: money(fmt, f.open.amountCents), toGo: money(fmt, coverage.toGoCents) }),
  ];
  return lines.join("\n");
}

function titleParams(view: PipelineView, locale: string) {
  return { period: periodName(view.period, locale), ...periodRange(view.period, locale) };
}

/**
 * `/ae pipeline [@rep] [next]`: one rep's open pipeline of the quarter by stage and by forecast
 * category, the forecast line and coverage against their quota, and the deals to fix (overdue,
 * undated). `of`: someone else's (a manager's or admin's look). At most 8 blocks.
 */
export function pipelineBlocks(t: Translator, fmt: Fmt, view: PipelineView, opts: { of?: string; note?: string } = {}): Reply {
  const rep = view.reps[0];
  const params = titleParams(view, fmt.locale);
  const plainTitle = t(view.which === "next" ? "pipeline.titleNext" : "pipeline.title", params);
  const title = opts.of ? t("pipeline.titleOf", { user: `<@${opts.of}>`, title: plainTitle }) : plainTitle;
  const blocks: KnownBlock[] = [section(title)];
  if (rep) blocks.push(...figureBlocks(t, fmt, rep.figures, params.period));
  blocks.push(context(t("pipeline.hint")));
  if (opts.note) blocks.push(context(opts.note));
  const summary = rep ? forecastSummary(t, fmt, rep.figures) : "";
  return { text: clip([title, summary].filter(Boolean).join(" — ")), blocks };
}

/** "won + commit $72,000 (48%)", for the notification text. */
function forecastSummary(t: Translator, fmt: Fmt, f: PipelineFigures): string {
  const attainment = f.forecast.commitAttainment === null ? "" : ` (${formatPercent(f.forecast.commitAttainment, fmt.locale)})`;
  return `${t("pipeline.stages.total", { count: f.open.count, amount: money(fmt, f.open.amountCents), weighted: money(fmt, f.open.weightedCents) })}; ${forecastLabel(t, "commit")} ${money(fmt, f.forecast.commitCents)}${attainment}`;
}

/** One rep's line in a team's roll-up. */
export function repLine(t: Translator, fmt: Fmt, rep: RepPipelineView): string {
  const f = rep.figures;
  const head = t("pipeline.rep.row", {
    user: `<@${rep.user.slackUserId}>`,
    won: money(fmt, f.wonCents),
    commit: money(fmt, f.categories.commit.amountCents),
    bestCase: money(fmt, f.categories.best_case.amountCents),
    pipeline: money(fmt, f.categories.pipeline.amountCents),
  });
  const c = f.coverage;
  const pct = (r: number | null) => formatPercent(r ?? 0, fmt.locale);
  const quota =
    c.kind === "no_quota"
      ? t("pipeline.rep.noQuota")
      : c.kind === "zero_quota"
        ? t("pipeline.rep.zeroQuota")
        : c.kind === "met"
          ? t("pipeline.rep.quotaMet", { quota: money(fmt, f.quotaCents ?? 0), commitAttainment: pct(f.forecast.commitAttainment) })
          : t("pipeline.rep.quota", {
              quota: money(fmt, f.quotaCents ?? 0),
              commitAttainment: pct(f.forecast.commitAttainment),
              bestCaseAttainment: pct(f.forecast.bestCaseAttainment),
              coverage: formatCoverage(c.ratio, fmt.locale),
            });
  const fixes = [
    f.overdue.count > 0 ? `:warning: ${dealNumbers(t, f.overdue)}` : "",
    f.undated.count > 0 ? `:grey_question: ${dealNumbers(t, f.undated)}` : "",
  ].filter(Boolean);
  return [`${head}\n${quota}`, fixes.join(" · ")].filter(Boolean).join(" · ");
}

/**
 * `/ae pipeline team [next]`: the roll-up of everyone in the teams the manager manages (the same
 * figures as one rep's, over all of them), then a line per rep, a page of reps at a time with
 * More — at most 8 + 20 + 3 blocks, well inside Slack's 50.
 */
export function teamPipelineBlocks(t: Translator, fmt: Fmt, view: TeamPipelineView, opts: { offset: number; command: string; note?: string }): Reply {
  const params = titleParams(view, fmt.locale);
  const total = view.reps.length;
  const title = t(view.which === "next" ? "pipeline.teamTitleNext" : "pipeline.teamTitle", { ...params, count: total });
  const blocks: KnownBlock[] = [section(title), ...figureBlocks(t, fmt, view.total, params.period)];
  const withoutQuota = view.reps.filter((r) => r.figures.quotaCents === null).length;
  if (withoutQuota > 0) blocks.push(context(t("pipeline.team.noQuota", { count: withoutQuota, period: params.period })));
  const offset = Math.max(0, opts.offset);
  const page = view.reps.slice(offset, offset + TEAM_PIPELINE_PAGE_SIZE);
  if (page.length > 0) {
    blocks.push(section(t("pipeline.reps.heading", { from: offset + 1, to: offset + page.length, total })));
    for (const rep of page) blocks.push(section(repLine(t, fmt, rep)));
  }
  const shownTo = offset + page.length;
  if (shownTo < total) {
    const pageNumber = Math.floor(offset / TEAM_PIPELINE_PAGE_SIZE) + 1;
    blocks.push({ type: "actions", elements: [moreButton(t, `${opts.command} page:${pageNumber + 1}`, total - shownTo)] });
  }
  blocks.push(context(t("pipeline.hint")));
  if (opts.note) blocks.push(context(opts.note));
  return { text: clip(`${title} — ${forecastSummary(t, fmt, view.total)}`), blocks };
}

/**
 * The chart of won / commit / best case against quota per rep (reps with a positive quota only:
 * there is nothing to draw a share of otherwise); null when nobody has one.
 */
export function pipelineChartSpec(view: PipelineView, t: Translator, locale: string, opts: { team: boolean }): ChartSpec | null {
  const drawn = view.reps.filter((r) => r.figures.quotaCents !== null && r.figures.quotaCents > 0);
  if (drawn.length === 0) return null;
  const period = periodName(view.period, locale);
  const missing = view.reps.filter((r) => !drawn.includes(r)).map((r) => r.user.name ?? r.user.slackUserId);
  const pct = (r: number) => formatPercent(r, locale);
  return {
    title: t(opts.team ? "pipeline.chart.titleTeam" : "pipeline.chart.title", { period }),
    subtitle: missing.length > 0 ? `${t("pipeline.chart.subtitle")} · ${t("pipeline.chart.notDrawn", { names: missing.join(", ") })}` : t("pipeline.chart.subtitle"),
    lineLabel: t("pipeline.chart.line"),
    legend: [
      { series: "won", label: t("pipeline.chart.won") },
      { series: "commit", label: forecastLabel(t, "commit") },
      { series: "best_case", label: forecastLabel(t, "best_case") },
    ],
    bars: drawn.map((r) => {
      const f = r.figures;
      const q = f.quotaCents ?? 1;
      const commit = f.forecast.commitAttainment ?? 0;
      const best = f.forecast.bestCaseAttainment ?? 0;
      return {
        label: r.user.name ?? r.user.slackUserId,
        attainment: best,
        segments: [
          { series: "won" as const, attainment: f.wonCents / q },
          { series: "commit" as const, attainment: f.categories.commit.amountCents / q },
          { series: "best_case" as const, attainment: f.categories.best_case.amountCents / q },
        ],
        valueLabel: `${pct(commit)} · ${pct(best)}`,
      };
    }),
  };
}
