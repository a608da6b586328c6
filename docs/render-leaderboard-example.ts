/**
 * Renders docs/leaderboard-example.png, the sample chart the README shows, with the same code the
 * bot uses for channel posts. Run: `node --import tsx docs/render-leaderboard-example.ts`.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { rankLeaderboard, type LeaderboardRep } from "../src/domain/leaderboard.js";
import { renderChartPng } from "../src/services/leaderboard-chart.js";

const rep = (name: string, quotaK: number | null, wonK: number): LeaderboardRep => ({
  userId: name,
  name,
  quotaCents: quotaK === null ? null : quotaK * 100_000,
  wonCents: wonK * 100_000,
  dealsWon: 0,
  touches: 0,
});

const board = rankLeaderboard([
  rep("Priya Raman", 250, 312),
  rep("Jonas Weber", 200, 214),
  rep("Maria Castellanos-Whitfield", 180, 171),
  rep("Kenji Watanabe", 200, 150),
  rep("Aoife O'Sullivan", 100, 75),
  rep("Tom Becker", 150, 96),
  rep("Lena Hoffmann", 120, 48),
  rep("Sam Okafor", 90, 36),
  rep("Chris Doe (ramping)", null, 20),
]);

const png = renderChartPng({
  title: "West Coast — Q2 FY2026",
  subtitle: "Attainment of quota, Q2 FY2026 (ties share a rank; reps without a quota are listed in the post)",
  lineLabel: "100% of quota",
  bars: board.ranked.map((r) => ({ rank: r.rank, label: r.rep.name, attainment: r.attainment })),
});
const out = fileURLToPath(new URL("./leaderboard-example.png", import.meta.url));
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
