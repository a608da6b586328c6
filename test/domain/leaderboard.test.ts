import { describe, expect, it } from "vitest";
import { rankLeaderboard, type LeaderboardRep } from "../../src/domain/leaderboard.js";

function rep(name: string, quotaCents: number | null, wonCents: number, userId = `U-${name}`): LeaderboardRep {
  return { userId, name, quotaCents, wonCents, dealsWon: 1, touches: 10 };
}

type Row = [label: string, reps: LeaderboardRep[], ranked: [name: string, rank: number, attainment: number][], unranked: string[]];

describe("rankLeaderboard", () => {
  it.each<Row>([
    ["empty", [], [], []],
    [
      "competition ranking with ties (1, 1, 3, 4, 4, 6)",
      [
        rep("cat", 10_000_000, 5_000_000), // 0.5
        rep("dan", 3_000_000, 1_000_000), // 1/3
        rep("bob", 5_000_000, 6_000_000), // 1.2
        rep("fay", null, 9_000_000),
        rep("ida", 4_000_000, 0), // 0
        rep("eve", 6_000_000, 2_000_000), // 2/6 = 1/3, ties with dan
        rep("gus", 0, 1_000_000),
        rep("ann", 10_000_000, 12_000_000), // 1.2, ties with bob
        rep("hal", -5, 0),
      ],
      [
        ["ann", 1, 1.2], // tie with bob: more won first
        ["bob", 1, 1.2],
        ["cat", 3, 0.5],
        ["eve", 4, 1 / 3], // tie with dan: more won first
        ["dan", 4, 1 / 3],
        ["ida", 6, 0],
      ],
      ["fay", "gus", "hal"], // no positive quota: by won desc
    ],
    [
      "same attainment and same won → by name",
      [rep("Zed", 1_000_000, 500_000), rep("Amy", 1_000_000, 500_000), rep("Max", 1_000_000, 900_000)],
      [
        ["Max", 1, 0.9],
        ["Amy", 2, 0.5],
        ["Zed", 2, 0.5],
      ],
      [],
    ],
    [
      "everyone tied",
      [rep("b", 100, 100), rep("a", 200, 200), rep("c", 300, 300)],
      [
        ["c", 1, 1],
        ["a", 1, 1],
        ["b", 1, 1],
      ],
      [],
    ],
    [
      "over-attainment and no ranked reps",
      [rep("solo", 100_000, 350_000)],
      [["solo", 1, 3.5]],
      [],
    ],
    [
      "only unranked reps, ties by name",
      [rep("b", null, 0), rep("a", null, 0), rep("c", 0, 10)],
      [],
      ["c", "a", "b"],
    ],
  ])("%s", (_label, reps, ranked, unranked) => {
    const board = rankLeaderboard(reps);
    expect(board.ranked.map((r) => [r.rep.name, r.rank, r.attainment])).toEqual(ranked);
    expect(board.unranked.map((r) => r.name)).toEqual(unranked);
  });

  it("uses userId as the last tie-break and keeps the caller's rep type", () => {
    const reps = [
      { ...rep("Sam", 100, 50, "U2"), team: "east" },
      { ...rep("Sam", 100, 50, "U1"), team: "west" },
    ];
    const board = rankLeaderboard(reps);
    expect(board.ranked.map((r) => [r.rep.userId, r.rank, r.rep.team])).toEqual([
      ["U1", 1, "west"],
      ["U2", 1, "east"],
    ]);
  });

  it("does not mutate its input", () => {
    const reps = [rep("b", 100, 10), rep("a", 100, 90)];
    const copy = reps.map((r) => ({ ...r }));
    rankLeaderboard(reps);
    expect(reps).toEqual(copy);
  });
});
