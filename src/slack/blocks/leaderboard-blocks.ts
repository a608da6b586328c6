import type { KnownBlock } from "@slack/types";
import { formatMoney } from "../../domain/amounts.js";
import type { Translator } from "../../i18n/translate.js";
import type { ChartSpec } from "../../services/leaderboard-chart.js";
import type { LeaderboardMetric, LeaderboardRow, LeaderboardView } from "../../services/leaderboard-service.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import { periodName } from "../../i18n/period-name.js";

export interface LeaderboardMessage {
  text: string;
  blocks: KnownBlock[];
}

const MAX_BLOCKS = 50;
/** Section text budget: Slack allows 3000; escapes are counted. */
const SECTION_BUDGET = 2900;
const NAME_WIDTH = 22;

function width(s: string): number {
  return Array.from(s).length;
}

function padEnd(s: string, w: number): string {
  return s + " ".repeat(Math.max(0, w - width(s)));
}

function padStart(s: string, w: number): string {
  return " ".repeat(Math.max(0, w - width(s))) + s;
}

/** A name fit for a monospace cell: one line, no backticks (they would end the code block), cut to width. */
function cellName(name: string): string {
  const chars = Array.from(name.replace(/\s+/g, " ").replace(/`/g, "'").trim());
  return chars.length <= NAME_WIDTH ? chars.join("") : chars.slice(0, NAME_WIDTH - 1).join("") + "…";
}

export function formatAttainment(a: number): string {
  return `${Math.round(a * 100)}%`;
}

interface Column {
  label: string;
  align: "left" | "right";
  value: (row: LeaderboardRow) => string;
}

function metricColumn(metric: LeaderboardMetric, t: Translator, view: LeaderboardView, locale: string): Column {
  switch (metric) {
    case "won":
      return { label: t("leaderboard.col.won"), align: "right", value: (r) => formatMoney(r.wonCents, view.currency, locale, { compact: true }) };
    case "deals":
      return { label: t("leaderboard.col.deals"), align: "right", value: (r) => String(r.dealsWon) };
    case "touches":
      return { label: t("leaderboard.col.touches"), align: "right", value: (r) => String(r.touches) };
  }
}

/** Renders rows as monospace lines under a header line, all cells padded to the column width. */
function table(columns: Column[], rows: string[][]): { header: string; lines: string[] } {
  const widths = columns.map((c, i) => Math.max(width(c.label), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (columns[i]?.align === "right" ? padStart(cell, widths[i] ?? 0) : padEnd(cell, widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return { header: line(columns.map((c) => c.label)), lines: rows.map(line) };
}

/** Splits table lines into code-block sections of at most the section budget, header repeated. */
function codeSections(header: string, lines: string[]): { text: string; rows: number }[] {
  const out: { text: string; rows: number }[] = [];
  const head = escapeMrkdwn(header);
  let current: string[] = [];
  let size = 0;
  const flush = () => {
    if (current.length === 0) return;
    out.push({ text: "```\n" + [head, ...current].join("\n") + "\n```", rows: current.length });
    current = [];
  };
  const base = 8 + head.length + 1;
  for (const l of lines) {
    const escaped = escapeMrkdwn(l);
    if (current.length > 0 && base + size + escaped.length + 1 > SECTION_BUDGET) {
      flush();
      size = 0;
    }
    current.push(escaped.slice(0, SECTION_BUDGET - base));
    size += escaped.length + 1;
  }
  flush();
  return out;
}

function rankedColumns(view: LeaderboardView, t: Translator, locale: string): Column[] {
  return [
    { label: "#", align: "right", value: () => "" },
    { label: t("leaderboard.col.rep"), align: "left", value: (r) => cellName(r.name) },
    { label: t("leaderboard.col.attainment"), align: "right", value: () => "" },
    ...view.metrics.map((m) => metricColumn(m, t, view, locale)),
  ];
}

/**
 * The leaderboard as a message: a header, how it is ranked, the ranked table (paged into several
 * sections when long) and the reps without a quota. Stays within 50 blocks and 3000 characters per
 * section whatever the team size.
 */
export function leaderboardBlocks(view: LeaderboardView, t: Translator, locale: string): LeaderboardMessage {
  const label = periodName(view.period, locale);
  const title = t("leaderboard.title", { team: view.teamName, period: label });
  const basis =
    view.period.type === "week"
      ? t("leaderboard.basis.week", { quarter: periodName(view.period.quotaPeriod, locale) })
      : t("leaderboard.basis.period", { period: label });
  const head: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: `:trophy: ${Array.from(title).slice(0, 140).join("")}`, emoji: true } },
    { type: "context", elements: [{ type: "mrkdwn", text: basis }] },
  ];
  const content: { block: KnownBlock; rows: number }[] = [];

  if (view.memberCount === 0) {
    content.push({ block: { type: "section", text: { type: "mrkdwn", text: t("leaderboard.empty", { team: escapeMrkdwn(view.teamName) }) } }, rows: 0 });
  }
  if (view.ranked.length > 0) {
    const cols = rankedColumns(view, t, locale);
    const rows = view.ranked.map((r) => [String(r.rank), cellName(r.rep.name), formatAttainment(r.attainment), ...cols.slice(3).map((c) => c.value(r.rep))]);
    const { header, lines } = table(cols, rows);
    for (const s of codeSections(header, lines)) content.push({ block: { type: "section", text: { type: "mrkdwn", text: s.text } }, rows: s.rows });
  }
  if (view.unranked.length > 0) {
    content.push({ block: { type: "section", text: { type: "mrkdwn", text: t("leaderboard.unranked") } }, rows: 0 });
    const cols: Column[] = [{ label: t("leaderboard.col.rep"), align: "left", value: (r) => cellName(r.name) }, ...view.metrics.map((m) => metricColumn(m, t, view, locale))];
    const { header, lines } = table(cols, view.unranked.map((r) => cols.map((c) => c.value(r))));
    for (const s of codeSections(header, lines)) content.push({ block: { type: "section", text: { type: "mrkdwn", text: s.text } }, rows: s.rows });
  }

  // Guard the 50-block limit: keep what fits and say how many rows were left out.
  const room = MAX_BLOCKS - head.length;
  let blocks: KnownBlock[];
  if (content.length <= room) blocks = [...head, ...content.map((c) => c.block)];
  else {
    const kept = content.slice(0, room - 1);
    const omitted = content.slice(room - 1).reduce((n, c) => n + c.rows, 0);
    blocks = [...head, ...kept.map((c) => c.block), { type: "context", elements: [{ type: "mrkdwn", text: t("leaderboard.more", { count: omitted }) }] }];
  }

  const top = view.ranked.slice(0, 3).map((r) => `${r.rank}. ${r.rep.name} ${formatAttainment(r.attainment)}`);
  const text = [t("leaderboard.text", { team: view.teamName, period: label }), ...top].join(" · ");
  return { text: escapeMrkdwn(text).slice(0, 3000), blocks };
}

/** The bar chart of the ranked reps, or null when nobody is ranked (nothing to draw). */
export function leaderboardChartSpec(view: LeaderboardView, t: Translator, locale: string): ChartSpec | null {
  if (view.ranked.length === 0) return null;
  const period = periodName(view.period, locale);
  return {
    title: t("leaderboard.title", { team: view.teamName, period }),
    subtitle:
      view.period.type === "week"
        ? t("leaderboard.chart.subtitleWeek", { quarter: periodName(view.period.quotaPeriod, locale) })
        : t("leaderboard.chart.subtitle", { period }),
    lineLabel: t("leaderboard.chart.line"),
    bars: view.ranked.map((r) => ({ rank: r.rank, label: r.rep.name, attainment: r.attainment })),
  };
}

export interface CelebrationInput {
  slackUserId: string;
  accountName: string;
  amountCents: number;
  currency: string;
  showAmount: boolean;
  locale: string;
}

/** The short deal-won post for a team channel. */
export function celebrationMessage(t: Translator, c: CelebrationInput): LeaderboardMessage {
  const account = escapeMrkdwn(c.accountName.replace(/\s+/g, " ").slice(0, 200));
  const text = c.showAmount
    ? t("celebration.amount", { user: c.slackUserId, account, amount: formatMoney(c.amountCents, c.currency, c.locale) })
    : t("celebration.noAmount", { user: c.slackUserId, account });
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}
