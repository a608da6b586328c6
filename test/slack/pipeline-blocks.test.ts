import type { KnownBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import type { User } from "../../src/db/repositories/user-repository.js";
import type { Workspace } from "../../src/db/repositories/workspace-repository.js";
import { DEFAULT_STAGE_PROBABILITIES } from "../../src/domain/forecast.js";
import { periodForLocalDate } from "../../src/domain/periods.js";
import { repPipeline, teamPipeline } from "../../src/domain/pipeline.js";
import { translator } from "../../src/i18n/translate.js";
import { buildChartSvg, chartSpecSchema } from "../../src/services/leaderboard-chart.js";
import type { RepPipelineView, TeamPipelineView } from "../../src/services/pipeline-service.js";
import { formatCoverage, pipelineBlocks, pipelineChartSpec, teamPipelineBlocks, TEAM_PIPELINE_PAGE_SIZE } from "../../src/slack/blocks/pipeline-blocks.js";

const fmt = { workspace: { currency: "USD" } as Workspace, locale: "en-US" };
const PERIOD = periodForLocalDate("quarter", "2026-02-16", "America/New_York", 1);

function rep(i: number, o: { quota?: number | null; name?: string } = {}): RepPipelineView {
  const deals = Array.from({ length: 6 }, (_, j) => ({
    dealId: i * 100 + j,
    amountCents: 10_000_00 + j,
    stage: ["prospect", "qualified", "proposal", "negotiation"][j % 4]!,
    forecastCategory: j === 0 ? "commit" : null,
    // Two overdue and one without a date, so every rep line lists deal numbers.
    closeDate: j < 2 ? "2025-12-01" : j === 5 ? null : "2026-03-01",
  }));
  const quota = o.quota === undefined ? 100_000_00 : o.quota;
  const figures = repPipeline({ period: PERIOD, current: true, today: "2026-02-16", deals, wonCents: 5_000_00 * i, quotaCents: quota, probabilities: DEFAULT_STAGE_PROBABILITIES });
  return { user: { id: i, slackUserId: `U${i}`, name: o.name ?? `Rep ${i}` } as User, figures, quota: quota === null ? null : { amountCents: quota, rampFactor: 1 } };
}

function team(n: number): TeamPipelineView {
  const reps = Array.from({ length: n }, (_, i) => rep(i + 1, { quota: i % 5 === 0 ? null : 100_000_00 }));
  return { which: "current", period: PERIOD, probabilities: DEFAULT_STAGE_PROBABILITIES, reps, total: teamPipeline(reps.map((r) => r.figures), DEFAULT_STAGE_PROBABILITIES) };
}

const sections = (blocks: KnownBlock[]) => blocks.flatMap((b) => (b.type === "section" && b.text ? [b.text.text] : []));

describe("the pipeline answers within Slack's limits", () => {
  it("a large team pages 20 reps at a time with More, the roll-up over everyone on every page", () => {
    const view = team(45);
    const first = teamPipelineBlocks(translator("en"), fmt, view, { offset: 0, command: "pipeline team next", note: "note" });
    const blocks = first.blocks ?? [];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const text of sections(blocks)) expect(text.length).toBeLessThanOrEqual(3000);
    expect(first.text.length).toBeLessThanOrEqual(3000);
    expect(sections(blocks).filter((s) => s.startsWith("*<@U"))).toHaveLength(TEAM_PIPELINE_PAGE_SIZE);
    expect(sections(blocks)).toContain("*By rep* — 1–20 of 45, by name:");
    const more = blocks.find((b) => b.type === "actions") as { elements: { value: string; text: { text: string } }[] };
    expect(JSON.parse(more.elements[0]!.value)).toEqual({ text: "pipeline team next page:2" });
    expect(more.elements[0]!.text.text).toContain("25");
    // 45 reps × 5 counted deals each, whichever page is shown.
    expect(sections(blocks).join("\n")).toContain("*Open pipeline:* 225 deals");

    const last = teamPipelineBlocks(translator("de"), fmt, view, { offset: 40, command: "pipeline team" });
    expect(sections(last.blocks ?? [])).toContain("*Nach Rep* — 41–45 von 45, nach Name:");
    expect((last.blocks ?? []).some((b) => b.type === "actions")).toBe(false);
    expect(JSON.stringify(last.blocks)).toContain("*Offene Pipeline:* 225 Deals");
  });

  it("lists at most five deal numbers, counting the rest", () => {
    const many = repPipeline({
      period: PERIOD,
      current: true,
      today: "2026-02-16",
      deals: Array.from({ length: 8 }, (_, j) => ({ dealId: j + 1, amountCents: 100, stage: "prospect", forecastCategory: null, closeDate: "2026-01-01" })),
      wonCents: 0,
      quotaCents: null,
      probabilities: DEFAULT_STAGE_PROBABILITIES,
    });
    const view = { which: "current" as const, period: PERIOD, probabilities: DEFAULT_STAGE_PROBABILITIES, reps: [{ ...rep(1), figures: many }] };
    expect(JSON.stringify(pipelineBlocks(translator("en"), fmt, view).blocks)).toContain("#1, #2, #3, #4, #5 and 3 more");
  });

  it.each([
    [0.769, "en-US", "0.7×"],
    [2.96, "en-US", "2.9×"],
    [3, "de-DE", "3,0×"],
    [12.34, "de-DE", "12,3×"],
  ])("coverage %f in %s reads %s", (ratio, locale, text) => {
    expect(formatCoverage(ratio, locale)).toBe(text);
  });
});

describe("the pipeline chart", () => {
  it("stacks won, commit and best case per rep with a quota, names the others, and passes the chart schema", () => {
    const view = { which: "current" as const, period: PERIOD, probabilities: DEFAULT_STAGE_PROBABILITIES, reps: [rep(1, { name: "Ann" }), rep(2, { name: "Bo", quota: null }), rep(3, { name: "Cy", quota: 0 })] };
    const spec = pipelineChartSpec(view, translator("en"), "en-US", { team: true });
    expect(chartSpecSchema.safeParse(spec).success).toBe(true);
    expect(spec?.subtitle).toBe("Won, commit and best case, as a share of each rep's quota · Not drawn (no quota): Bo, Cy");
    expect(spec?.bars).toHaveLength(1);
    const ann = rep(1).figures;
    expect(spec?.bars[0]).toEqual({
      label: "Ann",
      attainment: ann.forecast.bestCaseAttainment,
      segments: [
        { series: "won", attainment: ann.wonCents / 100_000_00 },
        { series: "commit", attainment: ann.categories.commit.amountCents / 100_000_00 },
        { series: "best_case", attainment: ann.categories.best_case.amountCents / 100_000_00 },
      ],
      valueLabel: "15% · 35%",
    });
    const svg = buildChartSvg(spec!);
    expect(svg.split('class="segment"').length - 1).toBe(3);
    expect(svg.split('class="legend"').length - 1).toBe(3);
    expect(svg).not.toContain('class="bar"');
    expect(svg).toContain("15% · 35%");
    expect(svg).toContain(">Ann<"); // no rank before the name
    expect(pipelineChartSpec({ ...view, reps: [rep(2, { quota: null })] }, translator("en"), "en-US", { team: false })).toBeNull();
  });
});
