import { describe, expect, it } from "vitest";
import {
  attentionCutoffs,
  attentionReasons,
  pushedCloseDate,
  DEFAULT_DEAL_ATTENTION,
  dealsNeedingAttention,
  rankAttention,
  type DealAttentionInput,
  type DealAttentionThresholds,
} from "../../src/domain/deal-attention.js";
import { startOfLocalDate } from "../../src/domain/time.js";

// Monday 2026-11-02 09:00 in New York, the day after DST ended (2026-11-01, a 25-hour day).
const NOW = new Date("2026-11-02T14:00:00Z");
const ZONE = "America/New_York";
const HOUR = 3_600_000;
/** An instant on a local date in New York, `hours` after its midnight. */
const on = (date: string, hours = 10) => new Date(startOfLocalDate(date, ZONE).getTime() + hours * HOUR);

function deal(id: number, o: Partial<DealAttentionInput> = {}): DealAttentionInput {
  return {
    dealId: id,
    accountId: id,
    accountName: `Account ${id}`,
    title: null,
    amountCents: 10_000_00,
    stage: "proposal",
    expectedCloseAt: null,
    stageSince: on("2026-10-20"),
    accountTouchedAt: on("2026-11-01"),
    ...o,
  };
}

type Row = [string, Partial<DealAttentionInput>, Partial<DealAttentionThresholds>, { reason: string; lateDays: number }[]];

describe("attentionReasons (today = 2026-11-02 in New York; defaults: stall 30, window 7, no touch 7)", () => {
  const table: Row[] = [
    ["closed yesterday → 1 day past", { expectedCloseAt: on("2026-11-01") }, {}, [{ reason: "past_close", lateDays: 1 }]],
    ["closed 2026-10-26 → 7 days past", { expectedCloseAt: on("2026-10-26") }, {}, [{ reason: "past_close", lateDays: 7 }]],
    ["closing today, last touch 7 days ago → 7 days into the window", { expectedCloseAt: on("2026-11-02", 23), accountTouchedAt: on("2026-10-26") }, {}, [{ reason: "close_soon", lateDays: 7 }]],
    ["closing in 6 days (11-08), untouched 7 days → 1 day into the window", { expectedCloseAt: on("2026-11-08"), accountTouchedAt: on("2026-10-26") }, {}, [{ reason: "close_soon", lateDays: 1 }]],
    ["closing in 7 days (11-09) is outside the half-open window", { expectedCloseAt: on("2026-11-09"), accountTouchedAt: on("2026-10-01") }, {}, []],
    ["closing soon but touched 6 days ago → nothing", { expectedCloseAt: on("2026-11-05"), accountTouchedAt: on("2026-10-27") }, {}, []],
    ["in stage since 10-02: 31 days > 30 → 1 day stalled (across the DST change)", { stageSince: on("2026-10-02") }, {}, [{ reason: "stalled", lateDays: 1 }]],
    ["in stage since 10-03: 30 days is not longer than 30", { stageSince: on("2026-10-03") }, {}, []],
    // 23:30 EDT on 10-02 is already 10-03 in UTC: counting UTC dates would say 30 days, not stalled.
    ["entered the stage late on 10-02 local time: still 31 days", { stageSince: on("2026-10-02", 23.5) }, {}, [{ reason: "stalled", lateDays: 1 }]],
    [
      "past close by 2 days and stalled by 10 → both, stalled is worse",
      { expectedCloseAt: on("2026-10-31"), stageSince: on("2026-09-23") },
      {},
      [
        { reason: "past_close", lateDays: 2 },
        { reason: "stalled", lateDays: 10 },
      ],
    ],
    ["no close date and a recent stage → nothing", {}, {}, []],
    ["workspace stall threshold 10: 13 days in stage → 3", { stageSince: on("2026-10-20") }, { stallDays: 10 }, [{ reason: "stalled", lateDays: 3 }]],
    ["window 3, no touch 14: closing 11-03 untouched 14 days → 2", { expectedCloseAt: on("2026-11-03"), accountTouchedAt: on("2026-10-19") }, { closeSoonDays: 3, noTouchDays: 14 }, [{ reason: "close_soon", lateDays: 2 }]],
    ["window 3, no touch 14: untouched 13 days → nothing", { expectedCloseAt: on("2026-11-03"), accountTouchedAt: on("2026-10-20") }, { closeSoonDays: 3, noTouchDays: 14 }, []],
  ];
  it.each(table)("%s", (_name, d, th, expected) => {
    expect(attentionReasons(deal(1, d), { ...DEFAULT_DEAL_ATTENTION, ...th }, "2026-11-02", ZONE)).toEqual(expected);
  });
});

describe("dealsNeedingAttention", () => {
  it("ranks by amount × lateness, shows the top 5 and counts the rest", () => {
    const deals = [
      // amount × late = score (cents)
      deal(1, { amountCents: 10_000_00, expectedCloseAt: on("2026-10-26") }), // 10,000 × 7 = 70,000
      deal(2, { amountCents: 50_000_00, expectedCloseAt: on("2026-11-01") }), // 50,000 × 1 = 50,000
      deal(3, { amountCents: 1_000_00, stageSince: on("2026-09-02") }), // 61 days in stage: 1,000 × 31 = 31,000
      deal(4, { amountCents: 20_000_00, expectedCloseAt: on("2026-11-04"), accountTouchedAt: on("2026-10-01") }), // 7 − 2 = 5: 100,000
      deal(5, { amountCents: 5_000_00, expectedCloseAt: on("2026-10-31") }), // 5,000 × 2 = 10,000
      deal(6, { amountCents: 2_500_00, expectedCloseAt: on("2026-10-29") }), // 2,500 × 4 = 10,000 (ties 5: later first)
      deal(7, { amountCents: 100_00, expectedCloseAt: on("2026-10-30") }), // 100 × 3 = 300
      deal(8, { amountCents: 99_000_00 }), // fine: not listed
    ];
    const { rows, restCount } = dealsNeedingAttention(deals, DEFAULT_DEAL_ATTENTION, NOW, ZONE);
    expect(rows.map((r) => [r.dealId, r.reason, r.lateDays, r.score])).toEqual([
      [4, "close_soon", 5, 100_000_00],
      [1, "past_close", 7, 70_000_00],
      [2, "past_close", 1, 50_000_00],
      [3, "stalled", 31, 31_000_00],
      [6, "past_close", 4, 10_000_00],
    ]);
    expect(restCount).toBe(2);
    expect(rows[0]).toMatchObject({ closeDate: "2026-11-04", daysSinceTouch: 32, daysInStage: 13 });
  });

  it("on a tie of score and lateness the older deal comes first; a deal with no amount still shows, last", () => {
    const { rows, restCount } = dealsNeedingAttention(
      [deal(9, { expectedCloseAt: on("2026-11-01") }), deal(3, { expectedCloseAt: on("2026-11-01") }), deal(5, { amountCents: 0, expectedCloseAt: on("2026-10-01") })],
      DEFAULT_DEAL_ATTENTION,
      NOW,
      ZONE,
    );
    expect(rows.map((r) => r.dealId)).toEqual([3, 9, 5]);
    expect(restCount).toBe(0);
  });

  it("counts in the user's zone: 01:00 UTC on 11-02 is still 11-01 in New York", () => {
    const late = deal(1, { expectedCloseAt: on("2026-11-01") });
    expect(dealsNeedingAttention([late], DEFAULT_DEAL_ATTENTION, new Date("2026-11-02T01:00:00Z"), ZONE).rows).toEqual([]);
    expect(dealsNeedingAttention([late], DEFAULT_DEAL_ATTENTION, new Date("2026-11-02T01:00:00Z"), "Europe/Berlin").rows).toHaveLength(1);
  });

  it("the repository's cut-offs keep every deal the rules can pick", () => {
    const { closeBefore, stageBefore } = attentionCutoffs(DEFAULT_DEAL_ATTENTION, NOW);
    // The latest close date that can be "soon" (11-08, 23:59 local) and the latest stage start that
    // can be stalled (10-02, 23:59 local) lie inside the cut-offs.
    expect(on("2026-11-08", 23.99).getTime()).toBeLessThan(closeBefore.getTime());
    expect(on("2026-10-02", 23.99).getTime()).toBeLessThanOrEqual(stageBefore.getTime());
  });
});

describe("pushedCloseDate: a week after the later of the close date and today", () => {
  it.each([
    ["2026-11-20", "2026-11-27"], // in the future: one week later
    ["2026-11-02", "2026-11-09"], // today: a week from today
    ["2026-10-01", "2026-11-09"], // late: a week from today, not 10-08 (still in the past)
    [null, "2026-11-09"], // no close date yet
  ])("%s → %s", (close, expected) => {
    expect(pushedCloseDate(close, "2026-11-02")).toBe(expected);
  });
});

describe("rankAttention: several reps' rows in one ranking (the manager's digest)", () => {
  it("orders by amount × days late, then lateness, then reason, then the older deal, whoever owns them; the rest counted", () => {
    const nyRows = dealsNeedingAttention(
      [
        deal(1, { amountCents: 50_000_00, expectedCloseAt: on("2026-10-21") }), // 12 days × $50,000 = 600,000
        deal(2, { amountCents: 1_000_00, expectedCloseAt: on("2026-10-30") }), // 3 × $1,000 = 3,000
      ],
      DEFAULT_DEAL_ATTENTION,
      NOW,
      ZONE,
      Infinity,
    ).rows.map((r) => ({ ...r, owner: "UNY" }));
    // A rep in Singapore: judged in their own day (2026-11-02 23:00 there), as their reminder is.
    const sgRows = dealsNeedingAttention(
      [
        deal(3, { amountCents: 200_000_00, expectedCloseAt: startOfLocalDate("2026-10-30", "Asia/Singapore") }), // 3 × $200,000 = 600,000: ties with #1
        deal(4, { amountCents: 3_000_00, expectedCloseAt: startOfLocalDate("2026-11-01", "Asia/Singapore") }), // 1 × $3,000 = 3,000: ties with #2
      ],
      DEFAULT_DEAL_ATTENTION,
      NOW,
      "Asia/Singapore",
      Infinity,
    ).rows.map((r) => ({ ...r, owner: "USG" }));
    const { rows, restCount } = rankAttention([...sgRows, ...nyRows], 3);
    // #1 before #3 (same score, 12 days late beats 3); #2 before #4 (same score, later by 3 days vs 1).
    expect(rows.map((r) => [r.dealId, r.owner, r.lateDays])).toEqual([
      [1, "UNY", 12],
      [3, "USG", 3],
      [2, "UNY", 3],
    ]);
    expect(restCount).toBe(1);
  });
});
