import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { buildChartSvg, CHART_FONT_FILES, chartRenderOptions, escapeXml, renderChartPng, truncateLabel, type ChartSpec } from "../../src/services/leaderboard-chart.js";
import { decodePng } from "../support/png.js";

function spec(n: number, label = (i: number) => `Rep number ${i + 1}`): ChartSpec {
  return {
    title: "West Coast — Q2 FY2026",
    subtitle: "Attainment of quota",
    lineLabel: "100% of quota",
    bars: Array.from({ length: n }, (_, i) => ({ rank: i + 1, label: label(i), attainment: Math.max(0, 1.6 - i * 0.04) })),
  };
}

const count = (s: string, needle: string) => s.split(needle).length - 1;

describe("leaderboard chart SVG", () => {
  it.each([3, 40])("draws one bar and one label per rep with %i reps, and the dashed 100%% line", (n) => {
    const svg = buildChartSvg(spec(n));
    expect(count(svg, 'class="bar"')).toBe(n);
    expect(count(svg, 'class="label"')).toBe(n);
    expect(count(svg, 'class="target"')).toBe(1);
    expect(svg).toMatch(/class="target"[^>]*stroke-dasharray="8 5"/);
    expect(svg).toContain("100% of quota");
  });

  it("grows with the number of reps so 40 stay readable", () => {
    const h = (svg: string) => Number(/height="(\d+)"/.exec(svg)?.[1]);
    const three = h(buildChartSvg(spec(3)));
    const forty = h(buildChartSvg(spec(40)));
    expect(forty).toBeGreaterThan(three * 3);
    expect(forty / 40).toBeGreaterThanOrEqual(20); // ≥ 20 px per row
  });

  it("escapes names for XML and truncates long ones", () => {
    const svg = buildChartSvg(spec(3, (i) => [`Bob <script>&"'`, "A".repeat(60), "Zoë 🚀 Ångström"][i]!));
    expect(svg).toContain("Bob &lt;script&gt;&amp;&quot;&apos;");
    expect(svg).not.toContain("<script>");
    expect(svg).toContain(`${"A".repeat(27)}…`);
    expect(svg).not.toContain("A".repeat(28));
    expect(svg).toContain("Zoë 🚀 Ångström");
  });

  it("drops characters XML forbids and never splits an emoji", () => {
    expect(escapeXml("a\u0000b\u0007c")).toBe("abc");
    expect(truncateLabel("🚀".repeat(40), 5)).toBe("🚀🚀🚀🚀…");
  });

  it("keeps bars past 300% inside the image", () => {
    const svg = buildChartSvg({ ...spec(1), bars: [{ rank: 1, label: "Whale", attainment: 12 }] });
    const width = Number(/<rect class="bar"[^>]*width="([\d.]+)"/.exec(svg)?.[1]);
    expect(width).toBeLessThanOrEqual(960);
    expect(svg).toContain(">1200%<");
  });
});

describe("leaderboard chart PNG", () => {
  it.each([3, 40])("renders a valid PNG with %i reps (signature, sane IHDR, decodes)", (n) => {
    const png = renderChartPng(spec(n));
    const { width, height, bitDepth, pixels } = decodePng(png);
    expect(width).toBe(1920);
    expect(height).toBeGreaterThan(300);
    expect(height).toBeLessThan(4000);
    expect(bitDepth).toBe(8);
    expect(pixels.length).toBe(height * (1 + width * 4));
  });
});

describe("leaderboard chart text", () => {
  /** Pixels that are not (near) white in rows [top, bottom) of an RGBA image. */
  function inkIn(svg: string, fontFiles: readonly string[] | undefined, top: number, bottom: number): number {
    const image = new Resvg(svg, chartRenderOptions(fontFiles)).render();
    const px = image.pixels; // a getter that copies the whole image: read it once
    let ink = 0;
    for (let y = top; y < bottom; y++) {
      for (let x = 0; x < image.width; x++) {
        const i = (y * image.width + x) * 4;
        if (px[i]! < 200 || px[i + 1]! < 200 || px[i + 2]! < 200) ink++;
      }
    }
    return ink;
  }

  it("never depends on the host's fonts: system fonts are off and the bundled files exist", () => {
    expect(chartRenderOptions().font?.loadSystemFonts).toBe(false);
    expect(CHART_FONT_FILES.length).toBeGreaterThan(0);
    for (const file of CHART_FONT_FILES) expect(existsSync(file)).toBe(true);
  });

  it("draws the title's glyphs with the bundled font, where a render without fonts has none", () => {
    const svg = buildChartSvg(spec(3));
    // The title and subtitle band (y < 76 at 1×, so 152 rows at 2×) holds nothing but text.
    const withFont = inkIn(svg, undefined, 0, 152);
    const withoutFont = inkIn(svg, [], 0, 152);
    expect(withoutFont).toBe(0);
    expect(withFont).toBeGreaterThan(2_000);
  });
});
