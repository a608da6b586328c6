import { describe, expect, it } from "vitest";
import { rankLeaderboard } from "../../src/domain/leaderboard.js";
import { leaderboardPeriod } from "../../src/domain/leaderboard-periods.js";
import { translator } from "../../src/i18n/translate.js";
import type { LeaderboardMetric, LeaderboardRow, LeaderboardView } from "../../src/services/leaderboard-service.js";
import { celebrationMessage, leaderboardBlocks, leaderboardChartSpec } from "../../src/slack/blocks/leaderboard-blocks.js";
import { blockProblems } from "../support/fake-slack.js";

const t = translator("en");

function row(i: number, quotaCents: number | null, wonCents: number, name = `Rep ${i}`): LeaderboardRow {
  return { userId: String(i), slackUserId: `U${i}`, name, quotaCents, wonCents, dealsWon: i % 4, touches: i * 3, rankingWonCents: wonCents };
}

function view(rows: LeaderboardRow[], metrics: LeaderboardMetric[] = ["won", "deals", "touches"], type: "week" | "month" | "quarter" = "quarter", date = "2026-04-08"): LeaderboardView {
  const board = rankLeaderboard(rows);
  return {
    teamId: 1,
    teamName: "West <Coast> & Co",
    period: leaderboardPeriod(type, date, "UTC", 1),
    zone: "UTC",
    currency: "USD",
    metrics,
    ranked: board.ranked,
    unranked: board.unranked,
    memberCount: rows.length,
  };
}

/** The monospace rows of the code blocks: [rank, name…, attainment] cells split on 2+ spaces. */
function tableRows(blocks: unknown[]): string[][] {
  return blocks
    .flatMap((b) => {
      const text = (b as { text?: { text?: string } }).text?.text ?? "";
      const m = /^```\n([\s\S]*)\n```$/.exec(text);
      return m ? m[1]!.split("\n").slice(1) : [];
    })
    .map((l) => l.trim().split(/\s{2,}/));
}

describe("leaderboardBlocks", () => {
  it("shows ranks with ties, attainment and the chosen columns, and the reps without quota apart", () => {
    const v = view([row(1, 100_000, 60_000, "Ann"), row(2, 50_000, 30_000, "Bob"), row(3, 200_000, 50_000, "Cat"), row(4, null, 9_000, "Eve")]);
    const msg = leaderboardBlocks(v, t, "en-US");
    expect(msg.blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text", text: ":trophy: West <Coast> & Co — Q2 FY2026" } });
    const rows = tableRows(msg.blocks);
    expect(rows.slice(0, 3)).toEqual([
      ["1", "Ann", "60%", "$600", "1", "3"],
      ["1", "Bob", "60%", "$300", "2", "6"],
      ["3", "Cat", "25%", "$500", "3", "9"],
    ]);
    const texts = JSON.stringify(msg.blocks);
    expect(texts).toContain("No quota for this period");
    expect(rows[3]).toEqual(["Eve", "$90", "0", "12"]);
    expect(msg.text).toContain("West &lt;Coast&gt; &amp; Co");
  });

  it("shows only the metrics the manager chose", () => {
    const msg = leaderboardBlocks(view([row(1, 100, 50, "Ann")], ["touches"]), t, "en-US");
    expect(tableRows(msg.blocks)[0]).toEqual(["1", "Ann", "50%", "3"]);
    const none = leaderboardBlocks(view([row(1, 100, 50, "Ann")], []), t, "en-US");
    expect(tableRows(none.blocks)[0]).toEqual(["1", "Ann", "50%"]);
  });

  it("explains the weekly rule in the weekly post", () => {
    const msg = leaderboardBlocks(view([row(1, 100, 50)], ["won"], "week"), t, "en-US");
    expect(JSON.stringify(msg.blocks)).toContain("Ranked by Q2 FY2026 attainment to date");
  });

  it.each([3, 45, 400])("stays within Slack's limits with %i reps (≤ 50 blocks, ≤ 3000 characters a section)", (n) => {
    const long = "Maximilian-Alexander Ünterwéger-Featherstonehaugh <&>";
    const rows = Array.from({ length: n }, (_, i) => row(i + 1, i % 5 === 0 ? null : 1_000_000, (i * 7919) % 1_500_000, `${long} ${i}`));
    const msg = leaderboardBlocks(view(rows), t, "en-US");
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(blockProblems(msg.blocks, 50, "/blocks")).toEqual([]);
    for (const b of msg.blocks) {
      const text = (b as { text?: { text?: string } }).text?.text ?? "";
      expect(text.length).toBeLessThanOrEqual(3000);
      if (b.type === "section") expect(text).not.toMatch(/<(?![@#!])/); // mrkdwn: names are escaped
    }
    expect(tableRows(msg.blocks)).toHaveLength(n);
  });

  it("says how many rows were left out when even paging cannot fit the team in 50 blocks", () => {
    const rows = Array.from({ length: 3000 }, (_, i) => row(i + 1, 1_000_000, i * 10, `Rep with a rather long name ${i}`));
    const msg = leaderboardBlocks(view(rows), t, "en-US");
    expect(msg.blocks).toHaveLength(50);
    const shown = tableRows(msg.blocks).length;
    expect(JSON.stringify(msg.blocks.at(-1))).toContain(`and ${3000 - shown} more`);
  });

  it("says so when the team has no members", () => {
    const msg = leaderboardBlocks(view([]), t, "en-US");
    expect(JSON.stringify(msg.blocks)).toContain("has no members yet");
    expect(leaderboardChartSpec(view([]), t, "en-US")).toBeNull();
  });

  it("builds the chart from the ranked reps only", () => {
    const spec = leaderboardChartSpec(view([row(1, 100, 150, "Ann"), row(2, null, 10, "Eve")]), t, "en-US");
    expect(spec?.bars).toEqual([{ rank: 1, label: "Ann", attainment: 1.5 }]);
    expect(spec?.lineLabel).toBe("100% of quota");
  });
});

describe("a German leaderboard post", () => {
  const de = translator("de");
  const rows = [row(1, 100, 150, "Ann"), row(2, 100, 50, "Bo")];

  it("names a month, a quarter and a week in German, in the header, the basis, the text and the chart", () => {
    const month = leaderboardBlocks(view(rows, ["won"], "month", "2026-12-10"), de, "de-DE");
    expect(month.blocks[0]).toMatchObject({ text: { text: ":trophy: West <Coast> & Co — Dezember 2026" } });
    expect(JSON.stringify(month.blocks[1])).toContain("für Dezember 2026");
    expect(month.text).toContain("Rangliste von West &lt;Coast&gt; &amp; Co — Dezember 2026");

    const quarter = leaderboardBlocks(view(rows, ["won"], "quarter", "2026-12-10"), de, "de-DE");
    expect(quarter.blocks[0]).toMatchObject({ text: { text: ":trophy: West <Coast> & Co — Q4 GJ2026" } });

    const week = view(rows, ["won"], "week");
    const weekly = leaderboardBlocks(week, de, "de-DE");
    expect(weekly.blocks[0]).toMatchObject({ text: { text: ":trophy: West <Coast> & Co — 6. Apr. – 12. Apr. 2026" } });
    expect(JSON.stringify(weekly.blocks[1])).toContain("Quotenerreichung im Q2 GJ2026 bis heute");

    const chart = leaderboardChartSpec(week, de, "de-DE");
    expect(chart).toMatchObject({ title: "West <Coast> & Co — 6. Apr. – 12. Apr. 2026", subtitle: "Quotenerreichung im Q2 GJ2026 bis zum Ende der Woche" });
    expect(leaderboardChartSpec(view(rows, ["won"], "month", "2026-12-10"), de, "de-DE")).toMatchObject({ subtitle: "Quotenerreichung, Dezember 2026" });
  });

  it("says how many reps were left out, in singular and plural", () => {
    expect(translator("en")("leaderboard.more", { count: 1 })).toBe("…and 1 more rep.");
    expect(de("leaderboard.more", { count: 1 })).toBe("…und 1 weiterer Rep.");
    expect(de("leaderboard.more", { count: 7 })).toBe("…und 7 weitere Reps.");
  });
});

describe("celebrationMessage", () => {
  it("shows or hides the amount and escapes the account name", () => {
    const base = { slackUserId: "U1", accountName: "Acme <!channel>", amountCents: 1_250_000, currency: "USD", locale: "en-US" };
    expect(celebrationMessage(t, { ...base, showAmount: true }).text).toBe(":tada: <@U1> just closed *Acme &lt;!channel&gt;* for *$12,500*! Congratulations!");
    expect(celebrationMessage(t, { ...base, showAmount: false }).text).not.toContain("12,500");
  });
});
