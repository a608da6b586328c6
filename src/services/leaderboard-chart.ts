/**
 * The leaderboard chart: a horizontal bar per ranked rep (attainment of quota) with a dashed 100 %
 * line, built as an SVG string and rasterised to PNG by resvg (native, no browser). The spec is
 * plain data so it can travel in an outbox payload and be rendered by whichever replica sends it.
 * The pipeline chart (`/ae pipeline chart`) is the same drawing with stacked bars: each bar made
 * of segments (won, commit, best case, as shares of quota), a legend under the axis, no ranks.
 *
 * Readability: the image grows with the number of reps (rows get tighter past 12), names are
 * truncated with "…", and the scale stretches to the best rep (at least 120 %, at most 300 %;
 * a bar beyond 300 % is drawn to the edge with its true value printed).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { z } from "zod";
import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";

/** What a stacked bar's segment shows; each has its own colour. */
export const CHART_SERIES = ["won", "commit", "best_case"] as const;
export type ChartSeries = (typeof CHART_SERIES)[number];

const SERIES_COLOR: Record<ChartSeries, string> = { won: "#2eb67d", commit: "#1264a3", best_case: "#9cc6ec" };

export const chartSpecSchema = z.object({
  title: z.string().max(300),
  subtitle: z.string().max(300).optional(),
  /** The label of the dashed line, e.g. "100% of quota". */
  lineLabel: z.string().max(60),
  bars: z
    .array(
      z.object({
        /** Printed before the label ("1. Dana"); left out where nobody is ranked. */
        rank: z.number().int().min(1).optional(),
        label: z.string().max(500),
        /** Where the bar ends (the sum of its segments, if it has them), as a share of the 100 % line. */
        attainment: z.number().finite().min(0),
        /** A stacked bar: its parts, left to right. */
        segments: z.array(z.object({ series: z.enum(CHART_SERIES), attainment: z.number().finite().min(0) })).max(CHART_SERIES.length).optional(),
        /** The text at the bar's end instead of its attainment, e.g. "48% · 73%". */
        valueLabel: z.string().max(40).optional(),
      }),
    )
    .max(500),
  /** Names of the segments' series, drawn under the axis. */
  legend: z.array(z.object({ series: z.enum(CHART_SERIES), label: z.string().max(60) })).max(CHART_SERIES.length).optional(),
});

export type ChartSpec = z.infer<typeof chartSpecSchema>;

const WIDTH = 960;
const LABEL_RIGHT = 290;
const PLOT_LEFT = 300;
const PLOT_RIGHT = WIDTH - 96;
const TOP = 96;
const BOTTOM = 48;
const LEGEND_ROW = 28;
const MAX_LABEL_CHARS = 28;
const FONT_FAMILY = "DejaVu Sans";
const FONT = `${FONT_FAMILY}, sans-serif`;

/**
 * The chart's own font files, shipped in the `dejavu-fonts-ttf` package. Host fonts are never
 * used: a slim container image has none, and resvg then silently leaves every label out, so the
 * chart would look the same on every machine only by luck.
 */
export const CHART_FONT_FILES: readonly string[] = (() => {
  const dir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  return [join(dir, "DejaVuSans.ttf"), join(dir, "DejaVuSans-Bold.ttf")];
})();

/** resvg's options for the chart; `fontFiles` is a parameter only so a test can render without text. */
export function chartRenderOptions(fontFiles: readonly string[] = CHART_FONT_FILES): ResvgRenderOptions {
  return {
    fitTo: { mode: "zoom", value: 2 }, // 2× for sharp text on high-density screens
    background: "#ffffff",
    font: { loadSystemFonts: false, fontFiles: [...fontFiles], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    logLevel: "off",
  };
}

/** Escapes text for XML character data and attributes; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    // Tab, line feed and carriage return are allowed; other C0 controls, lone surrogates and
    // U+FFFE/U+FFFF are not.
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Cuts to `max` characters (code points, so emoji are never split), marking the cut with "…". */
export function truncateLabel(text: string, max = MAX_LABEL_CHARS): string {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length <= max ? chars.join("") : chars.slice(0, max - 1).join("") + "…";
}

function fmt(n: number): string {
  return Number(n.toFixed(1)).toString();
}

/** The SVG document for a chart. */
export function buildChartSvg(spec: ChartSpec): string {
  const n = spec.bars.length;
  const dense = n > 12;
  const rowH = dense ? 24 : 36;
  const barH = Math.round(rowH * 0.66);
  const fontSize = dense ? 13 : 15;
  const plotTop = TOP;
  const plotBottom = plotTop + Math.max(1, n) * rowH;
  const legend = spec.legend ?? [];
  const height = plotBottom + BOTTOM + (legend.length > 0 ? LEGEND_ROW : 0);
  const best = spec.bars.reduce((m, b) => Math.max(m, b.attainment), 0);
  const scaleMax = Math.min(3, Math.max(1.2, best * 1.08));
  const plotW = PLOT_RIGHT - PLOT_LEFT;
  const x = (a: number) => PLOT_LEFT + (Math.min(a, scaleMax) / scaleMax) * plotW;
  const step = scaleMax <= 1.6 ? 0.25 : 0.5;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="24" y="38" font-size="22" font-weight="bold" fill="#1d1c1d">${escapeXml(truncateLabel(spec.title, 70))}</text>`,
  );
  if (spec.subtitle) out.push(`<text x="24" y="64" font-size="14" fill="#616061">${escapeXml(truncateLabel(spec.subtitle, 110))}</text>`);
  // Grid and axis labels.
  for (let a = 0; a <= scaleMax + 1e-9; a += step) {
    const gx = fmt(x(a));
    out.push(
      `<line class="grid" x1="${gx}" y1="${plotTop - 6}" x2="${gx}" y2="${plotBottom}" stroke="#e8e8e8" stroke-width="1"/>`,
      `<text x="${gx}" y="${plotBottom + 20}" font-size="12" fill="#616061" text-anchor="middle">${Math.round(a * 100)}%</text>`,
    );
  }
  const values: string[] = [];
  spec.bars.forEach((b, i) => {
    const top = plotTop + i * rowH;
    const cy = top + rowH / 2;
    const w = Math.max(0, x(b.attainment) - PLOT_LEFT);
    const label = b.rank === undefined ? truncateLabel(b.label) : `${b.rank}. ${truncateLabel(b.label)}`;
    out.push(`<text class="label" x="${LABEL_RIGHT}" y="${fmt(cy + fontSize * 0.35)}" font-size="${fontSize}" fill="#1d1c1d" text-anchor="end">${escapeXml(label)}</text>`);
    if (b.segments) {
      // Stacked: each segment starts where the one before ended (all clipped to the scale).
      let from = 0;
      for (const s of b.segments) {
        const x0 = x(from);
        const x1 = x(from + s.attainment);
        from += s.attainment;
        if (x1 - x0 <= 0) continue;
        out.push(`<rect class="segment" x="${fmt(x0)}" y="${fmt(cy - barH / 2)}" width="${fmt(x1 - x0)}" height="${barH}" fill="${SERIES_COLOR[s.series]}"/>`);
      }
    } else {
      const color = b.attainment >= 1 ? "#2eb67d" : "#1264a3";
      out.push(`<rect class="bar" x="${PLOT_LEFT}" y="${fmt(cy - barH / 2)}" width="${fmt(w)}" height="${barH}" rx="3" fill="${color}"/>`);
    }
    values.push(
      `<text x="${fmt(PLOT_LEFT + w + 6)}" y="${fmt(cy + fontSize * 0.35)}" font-size="${fontSize - 1}" fill="#1d1c1d" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(b.valueLabel ?? `${Math.round(b.attainment * 100)}%`)}</text>`,
    );
  });
  // The 100 % line over the bars, and the values over the line (with a white halo).
  const lx = fmt(x(1));
  out.push(
    `<line class="target" x1="${lx}" y1="${plotTop - 12}" x2="${lx}" y2="${plotBottom + 4}" stroke="#e01e5a" stroke-width="2" stroke-dasharray="8 5"/>`,
    `<text x="${lx}" y="${plotTop - 18}" font-size="12" fill="#e01e5a" text-anchor="middle">${escapeXml(spec.lineLabel)}</text>`,
    ...values,
  );
  // The legend, one swatch and name per series, under the axis labels.
  let lx0 = PLOT_LEFT;
  for (const item of legend) {
    const y = plotBottom + BOTTOM + LEGEND_ROW / 2 - 6;
    out.push(
      `<rect class="legend" x="${lx0}" y="${y - 11}" width="14" height="14" fill="${SERIES_COLOR[item.series]}"/>`,
      `<text x="${lx0 + 20}" y="${y}" font-size="13" fill="#1d1c1d">${escapeXml(truncateLabel(item.label, 30))}</text>`,
    );
    lx0 += 20 + Math.min(30, Array.from(item.label).length) * 8 + 24;
  }
  out.push(`</svg>`);
  return out.join("\n");
}

/** Rasterises the chart with its bundled font. Throws if resvg fails. */
export function renderChartPng(spec: ChartSpec): Buffer {
  return new Resvg(buildChartSvg(spec), chartRenderOptions()).render().asPng();
}
